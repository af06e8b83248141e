"""The query plan's rules, one test per rule, without a search backend (mutation run of search/plan.py).

The plan needs the database only for the synonym dictionary (seeded by a migration)."""

import pytest

from search.analysis import MAX_QUERY_CHARS
from search.backends.base import MAX_QUERY_TERMS
from search.backends.relevance import GROUP_WEIGHT, MAX_RARITY_BONUS
from search.plan import QueryPlan, TermGroup, build_plan
from search.vocabulary import Vocabulary

pytestmark = pytest.mark.django_db

CHAIR = (("의자",), ("체어",), ("chair",))


def test_a_strict_plan_of_several_required_parts_relaxes_into_an_any_plan():
    plan = build_plan("의자 책상")
    assert plan.can_relax and not plan.any_group and not plan.relaxed
    relaxed = plan.relax()
    assert relaxed.any_group and relaxed.relaxed and not relaxed.can_relax
    assert relaxed.groups == plan.groups and relaxed.codes == plan.codes
    # relaxing is a new plan: the strict one is unchanged
    assert not plan.any_group and not plan.relaxed
    # one required part (the purchase word does not count) or an either-or plan cannot relax
    assert not build_plan("의자").can_relax
    assert not build_plan("가로등을 교체").can_relax
    assert not build_plan("의자 및 책상").can_relax


def test_the_optional_parts_are_the_purchase_words_unless_nothing_else_was_asked():
    plan = build_plan("가로등을 교체")
    assert [group.alternatives for group in plan.optional] == [(("교체",),)]
    assert plan.required == plan.groups[:1]
    assert build_plan("교체").optional == ()
    assert build_plan("의자 책상").optional == ()
    # a purchase word is optional alone in its group only: as part of a longer query it is any word
    assert [group.optional for group in build_plan("의자 구매").groups] == [False, True]


def test_the_highlighted_terms_are_every_alternative_and_every_extra():
    plan = build_plan("에어컨 실외기")
    assert plan.extras == ("실외기",)
    assert plan.highlight_terms == {"에어컨", "냉방", "에어컨디셔너", "실외", "실외기"}
    assert build_plan("LED 가로등").highlight_terms == {
        "led",
        "엘이디",
        "가로등",
        "street",
        "light",
        "streetlight",
    }
    assert build_plan("").highlight_terms == frozenset()


def test_a_plan_matches_nothing_only_without_groups_codes_a_class_or_the_match_all_flag():
    assert QueryPlan().matches_nothing
    assert not QueryPlan(match_all=True).matches_nothing
    assert not QueryPlan(groups=(TermGroup(CHAIR),)).matches_nothing
    assert not QueryPlan(codes=("ww-2026-000001",)).matches_nothing
    assert not QueryPlan(classification_prefix="39111605").matches_nothing
    assert not build_plan("").matches_nothing and build_plan("   ").match_all


def test_a_misspelt_word_is_corrected_and_suggested_and_a_known_one_is_not():
    vocabulary = Vocabulary.build([("공기청정기", 5), ("필터", 3), ("의자", 9)])
    plan = build_plan("공기청청기 필터", vocabulary)
    assert plan.suggestion == "공기청정기 필터"
    assert plan.groups[0].alternatives[0] == ("공기", "청정기")
    assert build_plan("공기청정기 필터", vocabulary).suggestion is None
    assert build_plan("공기청청기 필터").suggestion is None  # no vocabulary: no correction
    # a word that stays unknown keeps its spelling and the rest is still corrected
    assert build_plan("공기청청기 뭐뭐뭐뭐", vocabulary).suggestion == "공기청정기 뭐뭐뭐뭐"


def test_every_misspelt_word_is_corrected_whatever_words_come_before_it():
    vocabulary = Vocabulary.build([("공기청정기", 5), ("필터", 3), ("filter", 2), ("purifier", 4)])
    # LED (three letters) and 필터 (two syllables) are never corrected, filter is known: the words after
    # them still are
    assert build_plan("LED 공기청청기", vocabulary).suggestion == "LED 공기청정기"
    assert build_plan("필터 공기청청기", vocabulary).suggestion == "필터 공기청정기"
    assert build_plan("filter purifer", vocabulary).suggestion == "filter purifier"


def test_the_vocabulary_is_loaded_once_and_only_when_a_word_could_be_corrected():
    loads: list[int] = []

    def load() -> Vocabulary:
        loads.append(1)
        return Vocabulary.build([("공기청정기", 5), ("필터", 3)])

    assert build_plan("LED", load).suggestion is None
    assert loads == []  # one part, too short to correct: the vocabulary is not read
    assert build_plan("공기청청기 필터", load).suggestion == "공기청정기 필터"
    assert loads == [1]  # corrected and weighted with one load


@pytest.mark.parametrize(
    "text", ["의자 및 책상", "의자 또는 책상", "의자, 책상", "책상과 의자", "의자와 책상"]
)
def test_and_words_between_parts_make_an_either_or_plan(text):
    plan = build_plan(text)
    assert plan.any_group and not plan.relaxed and len(plan.groups) == 2


@pytest.mark.parametrize("text", ["의자 책상", "의자 및", "LED 가로등 150W"])
def test_without_an_and_word_between_two_parts_the_plan_is_strict(text):
    assert not build_plan(text).any_group


def test_only_the_particle_and_makes_an_either_or_plan_not_the_same_syllable_as_a_word():
    # 과 in 전자과 is a noun (a school's electronics department), not the particle 과 (and)
    plan = build_plan("전자과 실습장비")
    assert len(plan.groups) > 1 and not plan.any_group


def test_a_number_with_its_unit_is_one_part_and_repeated_parts_count_once():
    assert [group.alternatives for group in build_plan("LED등 150W").groups] == [
        (("led",), ("엘이디",)),
        (("150w",),),
    ]
    assert [group.alternatives for group in build_plan("150W LED 150W").groups] == [
        (("150w",),),
        (("led",), ("엘이디",)),
    ]
    assert [group.alternatives for group in build_plan("의자 의자").groups] == [CHAIR]
    # the word written right after the unit is a part of its own (150W조명: 150w and 조명)
    assert [group.alternatives[0] for group in build_plan("150W조명").groups] == [("150w",), ("조명",)]
    # a repeated extra counts once too (the whole word 실외기 beside its part 실외)
    assert build_plan("에어컨 실외기 실외기").extras == ("실외기",)


def test_an_english_plural_also_matches_its_stem_and_extras_already_in_a_part_are_dropped():
    plan = build_plan("Pumps")
    assert [group.alternatives for group in plan.groups] == [(("pumps",), ("pump",))]
    assert plan.extras == ()
    assert [group.alternatives for group in build_plan("pump").groups] == [(("pump",),)]


def test_a_query_keeps_at_most_the_first_parts_and_characters_it_can_use():
    words = [f"{letter}{letter}{letter}" for letter in "abcdefghijklmnopqrstu"]
    plan = build_plan(" ".join(words))
    assert [group.alternatives[0][0] for group in plan.groups] == words[:MAX_QUERY_TERMS]
    # the text is cut at MAX_QUERY_CHARS before it is read
    long = "의자 " + "가" * (MAX_QUERY_CHARS + 50) + " 책상"
    assert all(("책상",) not in group.alternatives for group in build_plan(long).groups)


def _weights(text: str, counts: list[tuple[str, int]]) -> list[int]:
    return [group.weight for group in build_plan(text, Vocabulary.build(counts)).groups]


def test_a_rarer_part_weighs_more_by_halvings_up_to_the_bonus_cap():
    # 의자 in 64 products, 책상 in 16: two halvings rarer, RARITY_WEIGHT (2) each
    assert _weights("의자 책상", [("의자", 64), ("책상", 16)]) == [GROUP_WEIGHT, GROUP_WEIGHT + 4]
    assert _weights("의자 책상", [("의자", 64), ("책상", 64)]) == [GROUP_WEIGHT, GROUP_WEIGHT]
    # far rarer, or in no product at all (counted as one): the bonus stops at MAX_RARITY_BONUS
    assert _weights("의자 책상", [("의자", 4096), ("책상", 1)]) == [
        GROUP_WEIGHT,
        GROUP_WEIGHT + MAX_RARITY_BONUS,
    ]
    assert _weights("의자 책상", [("의자", 64)]) == [GROUP_WEIGHT, GROUP_WEIGHT + MAX_RARITY_BONUS]


def test_a_parts_frequency_adds_its_alternatives_each_counted_by_its_rarest_term():
    # 가로등: 2 + min(street 6, light 50) + streetlight 0 = 8 products; 의자: 64 → three halvings
    counts = [("가로등", 2), ("street", 6), ("light", 50), ("의자", 64)]
    assert _weights("가로등 의자", counts) == [GROUP_WEIGHT + 6, GROUP_WEIGHT]


def test_a_part_or_a_word_in_no_product_counts_as_one_product():
    # 책상 in none: as rare as one product, three halvings below 의자's 8 (not two, as if in two)
    assert _weights("의자 책상", [("의자", 8)]) == [GROUP_WEIGHT, GROUP_WEIGHT + 6]
    # 가로등, street, streetlight in none and light in 50: the part is in min(street, light) = 0 products
    assert _weights("가로등 의자", [("light", 50), ("의자", 4)]) == [GROUP_WEIGHT + 4, GROUP_WEIGHT]


def test_one_part_or_no_vocabulary_keeps_the_plain_weight():
    assert _weights("책상", [("의자", 4096), ("책상", 1)]) == [GROUP_WEIGHT]
    assert [group.weight for group in build_plan("의자 책상").groups] == [GROUP_WEIGHT, GROUP_WEIGHT]


def test_a_single_word_is_also_a_verbatim_code_and_a_business_number_also_without_dashes():
    assert build_plan("123-45-67890").codes == ("123-45-67890", "1234567890")
    assert build_plan("1234567890").codes == ("1234567890",)
    assert build_plan("WW-2026-000001").codes == ("ww-2026-000001",)
    assert build_plan("의자 책상").codes == ()


def test_only_an_eight_digit_class_number_finds_the_items_under_it():
    assert build_plan("39111605").classification_prefix == "39111605"
    assert build_plan("3911160501").classification_prefix is None
    assert build_plan("3911160").classification_prefix is None
    assert build_plan("39111605 의자").classification_prefix is None
