"""What the pages show of a review's evaluation panels, stage by stage.

Three readers, three views of the same rows: a reviewer sees every panel with every seat (the prefetch of
``selectors.application_detail`` already holds them), an evaluator only their own seat, and the applicant
only each stage's state and recorded result, never who evaluates it. The rules themselves (who may sit,
when a stage may be recorded) stay in ``certification.services``; these helpers only arrange rows.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from certification.identity import company_of
from certification.models import ApplicationStatus, CertificationApplication, ReviewStageResult
from certification.panels import EvaluationCriterion, EvaluationPanel, PanelSeat, ReviewStageKind
from certification.services.panels import tied_to_application

#: an application whose review is running: its current stage is "in progress"
REVIEWING = (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SUPPLEMENT_REQUESTED)


@dataclass
class StageSection:
    """One review stage of one application, as a reviewer's page shows it."""

    kind: ReviewStageKind
    result: ReviewStageResult | None
    panel: EvaluationPanel | None
    criteria: list[EvaluationCriterion]
    #: the stage the review is at: the first one not recorded, while no stage has failed
    current: bool
    seats: list[PanelSeat] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def value(self) -> str:
        return self.kind.value

    @property
    def submitted_count(self) -> int:
        return sum(1 for seat in self.seats if seat.submitted)

    @property
    def waiting_count(self) -> int:
        return len(self.seats) - self.submitted_count

    @property
    def average(self) -> Decimal | None:
        return self.panel.average() if self.panel is not None else None

    @property
    def seated_ids(self) -> set[int]:
        return {seat.evaluator_id for seat in self.seats}

    @property
    def sheets(self) -> list[tuple[PanelSeat, list[tuple[EvaluationCriterion, Decimal | None]]]]:
        """Each seat with its points per criterion, in the sheet's order (matched here against the call's
        criteria, so the page needs no query per score)."""
        rows = []
        for seat in self.seats:
            points = {score.criterion_id: score.points for score in seat.scores.all()}
            rows.append((seat, [(criterion, points.get(criterion.pk)) for criterion in self.criteria]))
        return rows


def current_stage(application: CertificationApplication) -> ReviewStageKind | None:
    """The first stage not yet recorded; None once a stage failed or all three are recorded."""
    results = {result.stage: result for result in application.stages.all()}
    if any(not result.passed for result in results.values()):
        return None
    return next((kind for kind in ReviewStageKind if kind.value not in results), None)


def stage_sections(application: CertificationApplication) -> list[StageSection]:
    """The three stages in order, each with its result, its panel as the user may see it (prefetched by
    ``selectors.application_detail``) and the call's criteria for it."""
    results = {result.stage: result for result in application.stages.all()}
    panels = {panel.stage: panel for panel in application.panels.all()}
    criteria = list(application.call.criteria.all()) if application.call_id else []
    current = current_stage(application) if application.status in REVIEWING else None
    sections = []
    for kind in ReviewStageKind:
        panel = panels.get(kind.value)
        sections.append(
            StageSection(
                kind=kind,
                result=results.get(kind.value),
                panel=panel,
                criteria=[c for c in criteria if c.stage == kind.value],
                current=kind == current,
                seats=list(panel.seats.all()) if panel is not None else [],
            )
        )
    return sections


@dataclass(frozen=True)
class EvaluatorOption:
    """An appointed evaluator as the panel form offers them: refused when tied to either company."""

    user: object
    conflict: bool

    @property
    def pk(self) -> int:
        return self.user.pk

    @property
    def name(self) -> str:
        full_name = self.user.get_full_name()
        username = self.user.get_username()
        name = f"{full_name} ({username})" if full_name else username
        # where an evaluator works is what a reviewer weighs when choosing (and what a conflict rests on)
        company = company_of(self.user)
        return f"{name} · {company.name}" if company is not None else name


def evaluator_options(application: CertificationApplication, evaluators) -> list[EvaluatorOption]:
    """``evaluators`` (``selectors.appointed_evaluators()``, memberships joined) marked where one is a
    member of the applicant or its partner: the service refuses those seats as a conflict of interest."""
    return [EvaluatorOption(user, tied_to_application(user, application)) for user in evaluators]


@dataclass(frozen=True)
class StageProgress:
    """A stage as the applicant sees it: its state and, once recorded, its average; no evaluator named."""

    label: str
    state: str  # "passed", "failed", "in_progress", "waiting"
    score: Decimal | None = None
    pass_score: Decimal | None = None


def stage_progress(application: CertificationApplication) -> list[StageProgress]:
    """The applicant's view of the three stages, or [] before the review has started."""
    results = {result.stage: result for result in application.stages.all()}
    if not results and application.status not in REVIEWING:
        return []
    current = current_stage(application) if application.status in REVIEWING else None
    pass_score = application.call.pass_score if application.call_id else None
    progress = []
    for kind in ReviewStageKind:
        result = results.get(kind.value)
        if result is not None:
            state = "passed" if result.passed else "failed"
            progress.append(StageProgress(kind.label, state, result.score, pass_score))
        else:
            progress.append(StageProgress(kind.label, "in_progress" if kind == current else "waiting"))
    return progress
