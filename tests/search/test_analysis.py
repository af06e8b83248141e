"""Korean analysis: the same function feeds documents and queries in both backends."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from catalog.generator.products import generate_catalog
from search import analysis, batch_analysis
from search.analysis import analyze, analyze_query, highlight, morpheme_text


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("상생협력제품을", ("상생", "협력", "제품")),
        ("협력제품", ("협력", "제품")),
        ("상생 협력", ("상생", "협력")),
        ("공기청정기를 납품합니다", ("공기", "청정기", "납품")),
        ("LED 조명", ("led", "조명")),
        ("ＬＥＤ 조명", ("led", "조명")),
        ("정보시스템 유지관리", ("정보", "시스템", "유지", "관리")),
        ("Air Purifier", ("air", "purifier")),
    ],
)
def test_content_morphemes(text, terms):
    assert analyze(text).terms == terms


def test_unknown_compounds_are_split_and_kept_whole():
    analysis = analyze("고효율 LED 평판조명")
    assert {"평판", "조명", "led", "효율"} <= set(analysis.terms)
    assert {"평판조명", "고효율"} <= set(analysis.extras)


def test_derived_words_are_extras_not_requirements():
    analysis = analyze_query("가정용")
    assert analysis.terms == ("가정",)
    assert analysis.extras == ("가정용",)


def test_documents_store_contextual_and_per_word_readings():
    stored = morpheme_text("LED 투광등").split()
    assert "투광" in stored and "투광등" in stored
    assert set(analyze_query("투광등").terms) <= set(stored)


@pytest.mark.parametrize("text", ['"', "*", "{", "😀", "", "   ", "\x00", "' OR 1=1 --", "x" * 5000])
def test_hostile_text_is_harmless(text):
    analysis = analyze_query(text)
    assert all(" " not in term for term in analysis.terms)
    assert len(" ".join(analysis.terms)) <= 256


def test_highlight_marks_original_text_and_escapes():
    terms = analyze_query("협력제품").all_terms
    assert highlight("상생협력제품을 <b>공급</b>", terms) == "상생<em>협력제품</em>을 &lt;b&gt;공급&lt;/b&gt;"
    assert highlight("관계없는 문장", terms) is None
    long_text = "가" * 500 + " 상생협력제품을 " + "나" * 500
    fragment = highlight(long_text, terms)
    assert fragment.startswith("…") and fragment.endswith("…") and "<em>협력제품</em>" in fragment
    assert len(fragment) < 250


def test_analysis_is_thread_safe():
    texts = ["상생협력제품을 납품합니다", "LED 평판조명", "가정용 공기청정기"] * 30
    expected = [analyze(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(analyze, texts)) == expected


def test_a_batch_reads_every_text_exactly_as_one_at_a_time():
    """A rebuild analyses a chunk's texts in one batch (every core); it must store the very same terms."""
    products = generate_catalog(300, seed=11).products
    texts = [
        text
        for product in products
        for text in (product.name, product.specification, product.description, product.service_scope)
        if text
    ] + ["", "   ", "LED 투광등", "ＬＥＤ　가로등 150W"]
    batch = batch_analysis.text_terms_many(texts)
    assert {text: analysis._text_terms(text) for text in texts if text} == batch
    assert set(batch) == {text for text in texts if text}


def test_later_batches_reuse_earlier_ones_and_still_read_every_text_as_one_at_a_time(monkeypatch):
    """A rebuild's chunks share company names and words: a batch remembers them for the next (bounded,
    emptied when full), and what it returns never changes."""
    products = generate_catalog(120, seed=5).products
    texts = [text for product in products for text in (product.name, product.specification) if text]
    monkeypatch.setattr(batch_analysis, "BATCH_CACHE_ENTRIES", 50)  # emptied several times on the way
    batch_analysis._batch_texts.clear()
    batch_analysis._batch_words.clear()
    first = batch_analysis.text_terms_many(texts[: len(texts) // 2 + 20])
    second = batch_analysis.text_terms_many(texts)
    expected = {text: analysis._text_terms(text) for text in texts}
    assert second == expected
    assert first == {text: expected[text] for text in first}
    assert 0 < len(batch_analysis._batch_texts) <= 50
