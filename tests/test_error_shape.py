"""The API's one error shape carries a rule's own stable code: a client branches on ``code``, never on
the wording of ``detail``."""

from rest_framework.exceptions import APIException

from core.domain import Conflict, NotPermitted, RuleViolation
from core.exceptions import json_exception_handler


def answer(exc: Exception):
    return json_exception_handler(exc, {"view": None, "args": (), "kwargs": {}, "request": None})


def test_a_rule_violation_is_a_400_on_its_field_with_the_rules_code():
    response = answer(
        RuleViolation("이 품목은 신청할 수 없습니다.", code="item_not_eligible", field="classification_code")
    )
    assert response.status_code == 400
    assert response.data == {
        "detail": "Invalid input.",
        "code": "item_not_eligible",
        "errors": {"classification_code": ["이 품목은 신청할 수 없습니다."]},
    }


def test_a_rule_violation_without_a_field_is_a_non_field_error():
    response = answer(RuleViolation("마감되었습니다.", code="call_closed"))
    assert response.data["errors"] == {"non_field_errors": ["마감되었습니다."]}
    assert response.data["code"] == "call_closed"


def test_conflicts_and_refusals_keep_generic_codes_unless_they_name_their_own():
    assert answer(Conflict("wrong state")).data["code"] == "conflict"
    coded = answer(Conflict("stage failed", code="stage_failed"))
    assert (coded.status_code, coded.data["code"], coded.data["detail"]) == (
        409,
        "stage_failed",
        "stage failed",
    )
    refused = answer(NotPermitted("not yours"))
    assert (refused.status_code, refused.data["code"]) == (403, "permission_denied")


def test_framework_errors_keep_their_own_codes():
    assert answer(APIException("boom")).data["code"] == "error"
