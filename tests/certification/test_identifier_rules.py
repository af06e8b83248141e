"""The identifier rules read without a database: business-number check digits, what starts a goods or
services classification number, which items a certificate covers, readable names of classification
prefixes, and when two digit validators are the same (what ``makemigrations`` compares).

Written to kill the mutants ``bench/mutation.py`` left alive over ``certification/validators.py``,
``certification/codes.py`` and ``core/identifiers.py`` (docs/operations.md, "Mutation testing")."""

import pytest
from django.core.exceptions import ValidationError

from certification.codes import (
    CONSTRUCTION_WORK_TYPES,
    classification_number,
    classification_prefix_label,
    covers_item,
    is_single_item,
    validate_classification_code,
)
from certification.validators import (
    business_number_check_digit,
    format_business_number,
    validate_business_number,
)
from core.identifiers import DigitsValidator, normalize_identifier, starts_with_ascii_digit

# Check digits worked by hand with the published rule (weights 1 3 7 1 3 7 1 3 5, plus the tens of the
# ninth digit times 5; the check digit is what brings the sum to a multiple of ten):
# 124-81-00998: 1+6+28+8+3+0+0+27+45 = 118, + 45 // 10 = 4 → 122 → 8
# 214-86-00020: the sum is 70, a multiple of ten already → 0 (not 10)
# 000-00-00029: 2*5 = 10, + 10 // 10 = 1 → 11 → 9
# 000-00-00072: 7*5 = 35, + 35 // 10 = 3 → 38 → 2
VALID_NUMBERS = ("1248100998", "2148600020", "0000000029", "0000000072", "1068100006", "3128100047")


@pytest.mark.parametrize("number", VALID_NUMBERS)
def test_business_numbers_with_the_right_check_digit_are_valid(number):
    assert business_number_check_digit(number[:9]) == int(number[9])
    validate_business_number(number)


@pytest.mark.parametrize("number", VALID_NUMBERS)
def test_every_other_check_digit_is_refused(number):
    for wrong in set("0123456789") - {number[9]}:
        with pytest.raises(ValidationError) as raised:
            validate_business_number(number[:9] + wrong)
        assert raised.value.code == "check_digit"


def test_a_classification_number_starts_with_an_ascii_digit():
    assert starts_with_ascii_digit("43211501")
    assert starts_with_ascii_digit("4x")
    assert not starts_with_ascii_digit("CW01")
    assert not starts_with_ascii_digit("")
    assert not starts_with_ascii_digit(None)
    assert not starts_with_ascii_digit(43211501)
    # full-width and Arabic-Indic digits are not the start of a registry number
    assert not starts_with_ascii_digit("４３２１")
    assert not starts_with_ascii_digit("٤٣٢١")


def test_the_classification_number_of_an_item_is_its_first_eight_digits():
    assert classification_number("4321150101") == "43211501"
    assert classification_number("43211501") == "43211501"
    # construction work types are their own number, whatever their length
    assert classification_number("CW01") == "CW01"
    assert classification_number("CS10extra") == "CS10extra"


def test_a_class_certificate_covers_the_items_of_its_class_only():
    assert covers_item("43211501", "4321150101")
    assert covers_item("43211501", "43211501")
    assert not covers_item("43211501", "4321150201")
    # a one-item certificate covers exactly its item
    assert covers_item("4321150101", "4321150101")
    assert not covers_item("4321150101", "4321150102")
    assert covers_item("CW01", "CW01")
    assert not covers_item("CW01", "CW02")


def test_a_prefix_label_names_the_work_type_or_the_segment():
    for code, name in CONSTRUCTION_WORK_TYPES.items():
        assert classification_prefix_label(code) == name
    assert classification_prefix_label("43") == "정보통신기기"
    assert classification_prefix_label("4321") == "정보통신기기 4321"
    assert classification_prefix_label("56") == "가구"


def test_a_prefix_outside_every_segment_has_an_empty_label():
    assert classification_prefix_label("99") == ""
    assert classification_prefix_label("9912") == ""
    assert classification_prefix_label("") == ""


def test_digit_validators_are_equal_when_length_and_message_are():
    message = "8자리 숫자여야 합니다 (8 digits)."
    assert DigitsValidator(8, message) == DigitsValidator(8, message)
    assert DigitsValidator(8, message) != DigitsValidator(10, message)
    assert DigitsValidator(8, message) != DigitsValidator(8, "다른 문장 (another sentence).")
    assert DigitsValidator(8, message) != (8, message)


def test_a_digits_validator_accepts_exactly_its_length_and_says_its_message():
    message = "8자리 숫자여야 합니다 (8 digits)."
    validator = DigitsValidator(8, message)
    validator("12345678")
    for wrong in ("1234567", "123456789", "１２３４５６７８", "1234567a", ""):
        with pytest.raises(ValidationError) as raised:
            validator(wrong)
        assert raised.value.messages == [message]
        assert raised.value.code == "invalid"


def test_a_business_number_error_says_what_is_wrong_in_both_languages():
    with pytest.raises(ValidationError) as raised:
        validate_business_number("12345")
    assert raised.value.code == "format"
    assert raised.value.messages == [
        "사업자등록번호는 10자리 숫자여야 합니다 (business registration number must be 10 digits)."
    ]
    with pytest.raises(ValidationError) as raised:
        validate_business_number("1248100999")
    assert raised.value.messages == ["사업자등록번호 검증번호가 맞지 않습니다 (check digit does not match)."]


def test_an_identifier_is_read_as_typed_and_nothing_is_empty():
    assert normalize_identifier(None) == ""
    assert normalize_identifier(5871391236) == "5871391236"  # a JSON number
    assert normalize_identifier(" ５８７-１３-９１２３６ ") == "587-13-91236"


def test_only_a_ten_digit_item_or_a_work_type_is_a_single_item():
    assert is_single_item("goods", "4321150101")
    assert is_single_item("services", "8111150101")
    assert not is_single_item("goods", "43211501")  # a class of items
    assert not is_single_item("goods", "432115010")
    assert is_single_item("construction", "CW01")


def test_only_a_ten_digit_business_number_is_written_with_hyphens():
    assert format_business_number("1248100998") == "124-81-00998"
    assert format_business_number("12481009") == "12481009"
    assert format_business_number("") == ""


def test_a_classification_number_of_the_wrong_length_or_segment_says_which():
    with pytest.raises(ValidationError) as raised:
        validate_classification_code("goods", "3911")
    assert raised.value.code == "format"
    assert raised.value.messages == [
        "물품 분류번호는 8자리 물품분류번호 또는 10자리 세부품명번호여야 합니다 "
        "(8-digit classification number or 10-digit detailed item number)."
    ]
    with pytest.raises(ValidationError) as raised:
        validate_classification_code("services", "39111501")
    assert raised.value.code == "sector_mismatch"
    assert raised.value.messages == [
        "39으로 시작하는 번호는 용역 분류가 아닙니다 (segment 39 is not a 용역 segment 70–95)."
    ]


def test_a_construction_code_that_is_no_work_type_says_which_work_types_there_are():
    with pytest.raises(ValidationError) as error:
        validate_classification_code("construction", "3911160501")
    assert error.value.code == "sector_mismatch"
    message = error.value.message
    assert (
        message.startswith("공사는 건설업종 코드로 분류합니다") and "(construction is classified" in message
    )
    # the work types listed as a person reads a list: "CS01, CS02, …"
    assert ", ".join(CONSTRUCTION_WORK_TYPES) in message


def test_a_code_for_an_unknown_sector_is_refused_naming_the_sector():
    with pytest.raises(ValidationError) as error:
        validate_classification_code("furniture", "3911160501")
    assert error.value.code == "sector"
    assert error.value.messages == ["알 수 없는 분야입니다 (unknown sector 'furniture')."]


@pytest.mark.parametrize("digits", ["12481009", "1248100998", "12481009980"])
def test_the_check_digit_is_worked_out_from_exactly_nine_digits(digits):
    """A caller that passes the whole number (or too few digits) gets an error, not a check digit
    worked from the wrong digits."""
    with pytest.raises((ValueError, IndexError)):
        business_number_check_digit(digits)
    assert business_number_check_digit("124810099") == 8
