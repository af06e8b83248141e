"""Evaluation panels (평가위원회): the evaluators who score an application at one review stage against the
call's criteria, and the scores they give.

A stage's result is the average of its evaluators' totals, passing at the call's threshold; the services
(``certification.services.panels``) form panels, take scores and record the result. These models hold the
data and the arithmetic that needs nothing but the rows.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certification.calls import Call

#: a stage's criteria weigh this much in all: an evaluator's total is out of 100
FULL_MARKS = 100

TWO_PLACES = Decimal("0.01")


class ReviewStageKind(models.TextChoices):
    """The three review stages, in the order they run."""

    PRESENTATION = "presentation", pgettext_lazy("review stage kind", "대면평가")
    SITE = "site", pgettext_lazy("review stage kind", "현장평가")
    COMMITTEE = "committee", pgettext_lazy("review stage kind", "심의위원회")


# The criteria a call starts with (the scheme's published evaluation sheet, simplified); admins change
# them per call. Points per criterion (배점); each stage's add up to FULL_MARKS.
DEFAULT_CRITERIA: dict[str, tuple[tuple[str, int], ...]] = {
    ReviewStageKind.PRESENTATION: (
        ("기술성: 기술개발 역량과 혁신성 (technology and innovation)", 30),
        ("상생협력 효과: 협력 내용과 성과공유 (cooperation and shared results)", 30),
        ("공공조달 적합성: 공공수요와 시장성 (fit for public procurement)", 25),
        ("사업화 역량 (capacity to bring it to market)", 15),
    ),
    ReviewStageKind.SITE: (
        ("생산 역량: 설비와 인력 (production facilities and staff)", 40),
        ("품질관리 체계 (quality management)", 30),
        ("협력 이행 실적 (the cooperation as carried out)", 30),
    ),
    ReviewStageKind.COMMITTEE: (
        ("종합 평가: 대면·현장평가 결과 검토 (overall assessment of the earlier stages)", 60),
        ("정책 부합성 (fit with the programme's aims)", 40),
    ),
}


class EvaluationCriterion(models.Model):
    """One line of a call's evaluation sheet for one stage, worth ``weight`` points out of 100."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    stage = models.CharField(_("stage"), max_length=20, choices=ReviewStageKind.choices)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("points (배점)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "stage", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "stage", "name"], name="criterion_once_per_stage"),
        ]
        verbose_name_plural = "evaluation criteria"

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.name} ({self.weight})"

    def clean(self) -> None:
        if not 1 <= (self.weight or 0) <= FULL_MARKS:
            raise ValidationError(
                {"weight": [f"배점은 1–{FULL_MARKS}점입니다 (points between 1 and {FULL_MARKS})."]}
            )


def criteria_problem(criteria: list[EvaluationCriterion]) -> str | None:
    """Why a stage's criteria cannot be scored against, or None: they must exist and weigh 100 in all."""
    total = sum(criterion.weight for criterion in criteria)
    if total != FULL_MARKS:
        return (
            f"평가 항목의 배점 합계가 {total}점입니다; {FULL_MARKS}점이어야 합니다 "
            f"(the stage's criteria add up to {total} points, not {FULL_MARKS})."
        )
    return None


class EvaluationPanel(models.Model):
    """The evaluators of one application at one stage; closed when the stage's result is recorded."""

    application = models.ForeignKey(
        "certification.CertificationApplication", on_delete=models.CASCADE, related_name="panels"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=ReviewStageKind.choices)
    formed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    formed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "formed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="one_panel_per_stage")]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.get_stage_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def average(self) -> Decimal | None:
        """The mean of the submitted totals, to two places (half up); None before any is in."""
        totals = [seat.total for seat in self.seats.all() if seat.total is not None]
        if not totals:
            return None
        return (sum(totals) / len(totals)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


class PanelSeat(models.Model):
    """One evaluator on one panel, with the evaluation sheet once submitted (resubmittable until the panel
    closes)."""

    panel = models.ForeignKey(EvaluationPanel, on_delete=models.CASCADE, related_name="seats")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["panel", "assigned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["panel", "evaluator"], name="one_seat_per_evaluator")]

    def __str__(self) -> str:
        return f"{self.panel} · {self.evaluator}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    """The points one evaluator gave on one criterion (0 to the criterion's weight)."""

    seat = models.ForeignKey(PanelSeat, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["seat", "criterion__position", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["seat", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.seat} · {self.criterion.name}: {self.points}"
