"""Who keeps shortlists and saved searches: procurement officers (and administrators, who hold every role).
Each record is its owner's alone: another officer, even an administrator, does not find it. The rules
both kinds of record share: a name unique per owner, and a bound on how many an officer keeps."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, models, transaction

from certification.roles import Role, has_role
from core.domain import NotPermitted, RuleViolation

MAX_NAME = 100


def keeps_lists(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.OFFICER) or has_role(user, Role.ADMIN)


def require_officer(user: AbstractBaseUser | AnonymousUser) -> None:
    if not keeps_lists(user):
        raise NotPermitted(
            "조달 담당자만 관심 제품과 저장한 검색을 쓸 수 있습니다 "
            "(only procurement officers keep shortlists and saved searches)."
        )


@dataclass(frozen=True)
class OwnedNames:
    """An officer's named records of one model: its name rule and its bound (a setting)."""

    model: type[models.Model]
    korean: str  # "관심 목록"
    english: str  # "list"
    limit_setting: str
    too_many_code: str

    def _duplicate(self, name: str = "") -> RuleViolation:
        named = f": {name}" if name else ""
        return RuleViolation(
            f"같은 이름의 {self.korean}이 있습니다{named} (you already have a {self.english} with this name).",
            code="duplicate_name",
            field="name",
        )

    def own(self, actor: AbstractBaseUser, pk: int, *, lock: bool = False) -> models.Model:
        """The owner's record (``DoesNotExist`` for anyone else's), row-locked for a change."""
        queryset = self.model.objects.select_for_update() if lock else self.model.objects
        return queryset.get(pk=pk, owner=actor)

    def check_room(self, actor: AbstractBaseUser) -> None:
        """Under the owner's row lock, so two requests at once cannot both pass the bound."""
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        limit = getattr(settings, self.limit_setting)
        if self.model.objects.filter(owner=actor).count() >= limit:
            raise RuleViolation(
                f"{self.korean}은 {limit}개까지 둘 수 있습니다. 쓰지 않는 것을 지우세요 "
                f"(at most {limit} {self.english}s; delete one you no longer use).",
                code=self.too_many_code,
                field="name",
            )

    def unique_name(self, actor: AbstractBaseUser, name: str, exclude: int | None = None) -> str:
        """The name with spaces collapsed, 1 to 100 characters, not taken by another of the owner's."""
        cleaned = " ".join((name or "").split())
        if not cleaned:
            raise RuleViolation("이름을 입력하세요 (enter a name).", code="name_required", field="name")
        if len(cleaned) > MAX_NAME:
            raise RuleViolation(
                f"이름은 {MAX_NAME}자 이하로 입력하세요 (a name is at most {MAX_NAME} characters).",
                code="name_too_long",
                field="name",
            )
        if self.model.objects.filter(owner=actor, name=cleaned).exclude(pk=exclude).exists():
            raise self._duplicate(cleaned)
        return cleaned

    @transaction.atomic
    def rename(self, actor: AbstractBaseUser, pk: int, name: str) -> models.Model:
        require_officer(actor)
        record = self.own(actor, pk, lock=True)
        record.name = self.unique_name(actor, name, exclude=record.pk)
        with self.writing():
            record.save()
        return record

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The unique constraint's answer when another request took the name meanwhile."""
        try:
            with transaction.atomic():
                yield
        except IntegrityError as exc:
            raise self._duplicate() from exc
