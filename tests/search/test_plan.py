"""The query plan and its parts without a backend: jamo, typo correction, groups, units, identifiers."""

import pytest

from search.hangul import as_chosung_query, chosung, jamo, within_one_edit
from search.plan import build_plan
from search.vocabulary import Vocabulary


def test_jamo_and_chosung():
    assert jamo("공기") == "ㄱㅗㅇㄱㅣ"
    assert chosung("공기청정기") == "ㄱㄱㅊㅈㄱ"
    assert as_chosung_query("ㄱㅊㅈ") == "ㄱㅊㅈ"
    assert as_chosung_query("ᄀᄎᄌ") == "ㄱㅊㅈ"  # NFKC'd (conjoining) jamo, as some inputs send them
    assert as_chosung_query("공기") is None and as_chosung_query("ㅏ") is None


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("abc", "abc", True),
        ("abc", "abd", True),
        ("abc", "ab", True),
        ("abc", "bac", True),
        ("abc", "bca", False),
    ],
)
def test_one_edit(a, b, near):
    assert within_one_edit(a, b) is near


def test_vocabulary_corrects_on_jamo_and_only_long_words():
    vocabulary = Vocabulary.build(
        [("공기청정기", 5), ("공기청소기", 1), ("purifier", 3), ("led", 9), ("hepa", 2)]
    )
    assert vocabulary.correct("공기청청기") == "공기청정기"  # ㅊ for ㅈ: one jamo
    assert vocabulary.correct_word("공기청청기를") == "공기청정기를"
    assert vocabulary.correct("purifer") == "purifier"
    assert vocabulary.correct("heppa") == "hepa"
    assert vocabulary.correct("lcd") is None  # three letters: never fuzzy
    assert vocabulary.correct("공기청정기") is None  # known
    assert vocabulary.correct("냉장고") is None


@pytest.mark.django_db
def test_plan_groups_units_and_or():
    plan = build_plan("LED 가로등 150W")
    assert [group.alternatives for group in plan.groups] == [
        (("led",), ("엘이디",)),
        (("가로등",), ("street", "light"), ("streetlight",)),
        (("150w",),),
    ]
    # the dictionary is keyed by English stems: a plural finds a singular variant
    assert set(build_plan("fire extinguishers").groups[0].alternatives) == {
        ("소화기",),
        ("fire", "extinguisher"),
    }
    assert not plan.any_group and plan.can_relax
    assert build_plan("책상과 의자").any_group
    assert build_plan("lights").groups[0].alternatives == (("lights",), ("light",))
    assert build_plan("").match_all


@pytest.mark.django_db
def test_plan_identifiers():
    plan = build_plan("123-45-67890")
    assert plan.codes == ("123-45-67890", "1234567890")
    assert build_plan("39111605").classification_prefix == "39111605"
    assert build_plan("WW-2026-000001").codes == ("ww-2026-000001",)
    assert build_plan("의자 책상").codes == ()


@pytest.mark.django_db
def test_words_about_the_purchase_rank_but_never_filter():
    plan = build_plan("가로등을 교체")
    assert [group.optional for group in plan.groups] == [False, True]
    assert plan.required == plan.groups[:1] and not plan.can_relax
    assert build_plan("교체").required == build_plan("교체").groups  # alone, it is what was asked for
