"""Calls for applications (모집공고): the rounds in which applications are taken, the sectors each accepts
and the task types (과제 유형) it offers, each with the detailed items (세부품명번호) it allows.

Which call and task type an application may use is checked when it is submitted
(``certification.eligibility``); these models hold the call's data and the rules that need only the row.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.codes import TASK_TYPES_BY_SECTOR, Sector, TaskType
from core.identifiers import is_ascii_digits

# the years a call's open and close times may fall in
CALL_YEARS = (2000, 2099)


class CallQuerySet(models.QuerySet):
    def open_at(self, moment: datetime) -> "CallQuerySet":
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Call(models.Model):
    """One round of applications, e.g. 2026년 2차; open from ``opens_at`` until (not including)
    ``closes_at``. Times are stored aware and entered and shown in Korean time (TIME_ZONE)."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.PositiveSmallIntegerField(_("round"), help_text="차수; 0 for a legacy call")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    sectors = models.JSONField(_("sectors"), default=list, help_text="the sectors it accepts")
    pass_score = models.DecimalField(
        _("pass score"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        help_text="a stage passes when its panel's average reaches this score (of 100)",
    )
    legacy = models.BooleanField(
        default=False, help_text="made by the migration for applications filed before calls existed"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "round"], name="one_call_per_round")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for name in ("opens_at", "closes_at"):
            moment = getattr(self, name)
            # Korean time before 1908 had a seconds offset (+08:27:52) that no RFC 3339 client reads
            if moment and not CALL_YEARS[0] <= timezone.localtime(moment).year <= CALL_YEARS[1]:
                errors[name] = [
                    f"{CALL_YEARS[0]}–{CALL_YEARS[1]}년 사이의 일시를 입력하세요 "
                    f"(a date-time in the years {CALL_YEARS[0]}–{CALL_YEARS[1]})."
                ]
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = [
                "마감 일시는 시작 일시 이후여야 합니다 (a call must close after it opens)."
            ]
        if self.pass_score is not None and not 0 < self.pass_score <= 100:
            errors["pass_score"] = [
                "합격 점수는 0점 초과 100점 이하입니다 (a pass score above 0, at most 100)."
            ]
        if not isinstance(self.sectors, list) or not self.sectors or set(self.sectors) - set(Sector.values):
            errors["sectors"] = [
                f"분야를 하나 이상 고르세요: {', '.join(Sector.values)} (choose one or more sectors)."
            ]
        if errors:
            raise ValidationError(errors)

    def is_open(self, moment: datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at


class CallTaskType(models.Model):
    """A task type a call offers, with the 10-digit detailed items (세부품명번호) it allows, or any item."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="task_types")
    task_type = models.CharField(_("task type"), max_length=30, choices=TaskType.choices)
    any_item = models.BooleanField(_("any item"), default=False)
    eligible_items = models.JSONField(
        _("eligible items"),
        default=list,
        blank=True,
        help_text="10-digit 세부품명번호; empty with 'any item'",
    )

    class Meta:
        ordering = ["call", "task_type"]
        constraints = [models.UniqueConstraint(fields=["call", "task_type"], name="task_type_once_per_call")]

    def __str__(self) -> str:
        return f"{self.call} · {self.get_task_type_display()}"

    def clean(self) -> None:
        items = self.eligible_items
        if not isinstance(items, list) or not all(is_ascii_digits(i, 10) for i in items):
            raise ValidationError(
                {
                    "eligible_items": [
                        "세부품명번호는 10자리 숫자의 목록이어야 합니다 (a list of 10-digit item numbers)."
                    ]
                }
            )
        if self.any_item == bool(items):
            raise ValidationError(
                {
                    "eligible_items": [
                        "'모든 품목' 또는 세부품명번호 목록 중 하나만 정하세요 (either any item or a list of items)."
                    ]
                }
            )
        if self.call_id and not any(
            self.task_type in TASK_TYPES_BY_SECTOR[s] for s in self.call.sectors or ()
        ):
            raise ValidationError(
                {
                    "task_type": [
                        "공고의 어느 분야에도 맞지 않는 과제 유형입니다 (fits none of the call's sectors)."
                    ]
                }
            )

    def allows(self, item: str) -> bool:
        return self.any_item or item in self.eligible_items
