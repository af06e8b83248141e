"""Business validation of registry records that needs more than one field or the reference tables."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from certification.codes import TASK_TYPES_BY_SECTOR, Sector, validate_classification_code

if TYPE_CHECKING:
    from certification.models import CertificationApplication


def classification_errors(sector: str, code: str, known_codes: QuerySet) -> list[str]:
    """Format errors of ``code`` in ``sector``, else whether ``known_codes`` (the reference table) has it."""
    try:
        validate_classification_code(sector, code)
    except ValidationError as exc:
        return exc.messages
    lookup = code[:8] if sector != Sector.CONSTRUCTION else code
    if not known_codes.filter(code=lookup, sector=sector).exists():
        return [f"등록되지 않은 분류번호입니다: {lookup} (unknown classification number)."]
    return []


def application_errors(
    application: "CertificationApplication", known_codes: QuerySet
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if application.sector and application.classification_code:
        messages = classification_errors(application.sector, application.classification_code, known_codes)
        if messages:
            errors["classification_code"] = messages
    if (
        application.task_type
        and application.sector
        and application.task_type not in TASK_TYPES_BY_SECTOR.get(application.sector, ())
    ):
        errors["task_type"] = ["이 분야에 맞지 않는 과제 유형입니다 (task type does not fit the sector)."]
    if (
        application.agreement_start
        and application.agreement_end
        and application.agreement_end <= application.agreement_start
    ):
        errors["agreement_end"] = [
            "협약 종료일은 시작일 이후여야 합니다 (agreement must end after it starts)."
        ]
    if (
        application.supplier_id
        and application.partner_id
        and application.supplier_id == application.partner_id
    ):
        errors["partner"] = ["협력기업은 신청기업과 달라야 합니다 (partner must be another company)."]
    return errors
