"""Who keeps shortlists and saved searches: procurement officers (and administrators, who hold every role).
Each record is its owner's alone: another officer, even an administrator, does not find it."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from certification.roles import Role, has_role
from core.domain import NotPermitted, RuleViolation


def keeps_lists(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.OFFICER) or has_role(user, Role.ADMIN)


def require_officer(user: AbstractBaseUser | AnonymousUser) -> None:
    if not keeps_lists(user):
        raise NotPermitted(
            "조달 담당자만 관심 제품과 저장한 검색을 쓸 수 있습니다 "
            "(only procurement officers keep shortlists and saved searches)."
        )


def clean_name(name: str) -> str:
    """A list's or a search's name: spaces collapsed, 1 to 100 characters."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise RuleViolation("이름을 입력하세요 (enter a name).", code="name_required", field="name")
    if len(cleaned) > 100:
        raise RuleViolation(
            "이름은 100자 이하로 입력하세요 (a name is at most 100 characters).",
            code="name_too_long",
            field="name",
        )
    return cleaned
