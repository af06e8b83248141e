"""Reads of the registry, scoped to what a user may see.

Every API view starts from one of these querysets, so a record outside the user's scope is simply not
found (404) rather than forbidden: the API never confirms that another company's record exists.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from certification.calls import Call
from certification.codes import Sector
from certification.identity import User, company_id_of
from certification.models import (
    ApplicationStatus,
    AuditEvent,
    Certificate,
    CertificationApplication,
    Company,
    EvidenceDocument,
    ReviewStageResult,
)
from certification.panels import EvaluationPanel, PanelSeat
from certification.partners import PartnerConfirmation
from certification.roles import Role, has_role


def sees_all_applications(user: User) -> bool:
    """Reviewers and admins work across companies; everyone else is limited to their own company."""
    return has_role(user, Role.REVIEWER) or has_role(user, Role.ADMIN)


def sees_all_certificates(user: User) -> bool:
    # procurement officers check certificates of any supplier before buying
    return sees_all_applications(user) or has_role(user, Role.OFFICER)


def _own_company_filter(user: User, queryset: QuerySet, path: str) -> QuerySet:
    if not has_role(user, Role.SUPPLIER):
        return queryset.none()
    company_id = company_id_of(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(**{path: company_id})


def visible_companies(user: User) -> QuerySet[Company]:
    # Company names and numbers are public registry facts: suppliers need them to pick a partner.
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.all()


def visible_applications(user: User) -> QuerySet[CertificationApplication]:
    queryset = CertificationApplication.objects.all()
    if sees_all_applications(user):
        return queryset
    if has_role(user, Role.EVALUATOR):
        # evaluators see the applications they are assigned to, and nothing else
        return queryset.filter(pk__in=_assigned_application_ids(user))
    return _own_company_filter(user, queryset, "supplier_id")


def _assigned_application_ids(user: User) -> QuerySet:
    return PanelSeat.objects.filter(evaluator_id=user.pk).values("panel__application_id")


def assigned_seats(user: User) -> QuerySet[PanelSeat]:
    """The evaluator's seats, open panels first, with what the list of assignments shows."""
    return (
        PanelSeat.objects.filter(evaluator_id=user.pk)
        .select_related(
            "panel__application__supplier", "panel__application__partner", "panel__application__call"
        )
        .order_by(F("panel__closed_at").desc(nulls_first=True), "-assigned_at", "-id")
    )


def appointed_evaluators() -> QuerySet:
    """The users who hold the evaluator role, the reviewer's choice when forming a panel."""
    return (
        get_user_model()
        .objects.filter(groups__name=Role.EVALUATOR.value, is_active=True)
        .select_related("membership__company")
        .order_by("username")
    )


def application_list(queryset: QuerySet[CertificationApplication]) -> QuerySet[CertificationApplication]:
    """Joins what the list view shows so the query count stays flat however many rows come back."""
    return queryset.select_related("supplier", "partner", "certificate", "renewal_of")


def application_detail(
    queryset: QuerySet[CertificationApplication], user: User
) -> QuerySet[CertificationApplication]:
    """The application with its stages, panels, evidence and the part of its trail ``user`` may read."""
    return (
        application_list(queryset)
        .select_related("call")
        .prefetch_related(
            "call__criteria",
            Prefetch("stages", queryset=ReviewStageResult.objects.all()),
            Prefetch("documents", queryset=EvidenceDocument.objects.all()),
            Prefetch("audit_events", queryset=visible_audit_events(user)),
            Prefetch("panels", queryset=visible_panels(user)),
            Prefetch(
                "partner_confirmations",
                queryset=PartnerConfirmation.objects.order_by("-requested_at", "-id"),
            ),
        )
    )


def visible_panels(user: User) -> QuerySet[EvaluationPanel]:
    """Reviewers see every panel and seat; an evaluator sees the panels they sit on with their own seat
    only (scores stay independent); the applicant sees none: evaluators are not named to it."""
    panels = EvaluationPanel.objects.all()
    seats = PanelSeat.objects.select_related("evaluator").prefetch_related("scores")
    if sees_all_applications(user):
        return panels.prefetch_related(Prefetch("seats", queryset=seats))
    if has_role(user, Role.EVALUATOR):
        own = seats.filter(evaluator_id=user.pk)
        return panels.filter(seats__evaluator_id=user.pk).prefetch_related(Prefetch("seats", queryset=own))
    return panels.none()


def visible_certificates(user: User) -> QuerySet[Certificate]:
    queryset = Certificate.objects.select_related("supplier", "partner", "renewed_from", "renewed_by")
    if sees_all_certificates(user):
        return queryset
    return _own_company_filter(user, queryset, "supplier_id")


def visible_documents(user: User) -> QuerySet[EvidenceDocument]:
    queryset = EvidenceDocument.objects.all()
    if sees_all_applications(user):
        return queryset
    if has_role(user, Role.EVALUATOR):
        return queryset.filter(application_id__in=_assigned_application_ids(user))
    return _own_company_filter(user, queryset, "application__supplier_id")


#: trail entries that name evaluators: the applicant does not learn who evaluates it
PANEL_ACTIONS = ("form_panel", "score_stage")


def visible_audit_events(user: User) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.all()
    if sees_all_applications(user):
        return queryset
    return _own_company_filter(user, queryset, "application__supplier_id").exclude(action__in=PANEL_ACTIONS)


def open_calls() -> list[Call]:
    """The calls open now, soonest closing first, with their task types and sector labels."""
    calls = list(Call.objects.open_at(timezone.now()).prefetch_related("task_types").order_by("closes_at"))
    for call in calls:
        call.sector_labels = [Sector(sector).label for sector in call.sectors]
    return calls


def may_download_document(user: User, certificate: Certificate) -> bool:
    """The certificate document is the holder's to show buyers: its supplier's members, reviewers and
    admins download it; other suppliers and officers verify it publicly instead."""
    if sees_all_applications(user):
        return True
    return has_role(user, Role.SUPPLIER) and company_id_of(user) == certificate.supplier_id


# ------------------------------------------------------------------ the partner enterprise's view
def partner_requests(user: User) -> QuerySet[CertificationApplication]:
    """The applications that name the user's company as partner, for its members (read-only).

    A draft stays the applicant's own until it asks this partner for its confirmation; once submitted,
    every application naming the company is shown. An application that moved to another partner is no
    longer this company's business. Anyone without a company sees nothing.
    """
    company_id = company_id_of(user)
    if company_id is None:
        return CertificationApplication.objects.none()
    asked = PartnerConfirmation.objects.filter(application=OuterRef("pk"), partner_id=company_id)
    return (
        CertificationApplication.objects.filter(partner_id=company_id)
        .filter(Q(Exists(asked)) | ~Q(status=ApplicationStatus.DRAFT))
        .select_related("supplier", "partner", "call", "certificate")
        .prefetch_related(
            Prefetch(
                "partner_confirmations",
                queryset=PartnerConfirmation.objects.filter(partner_id=company_id).select_related(
                    "requested_by", "answered_by"
                ),
            )
        )
    )


def partner_certificates(user: User) -> QuerySet[Certificate]:
    """The certificates that name the user's company as partner, for its members."""
    company_id = company_id_of(user)
    if company_id is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(partner_id=company_id).select_related("supplier", "partner")


def with_partner_answer(queryset: QuerySet[CertificationApplication]) -> QuerySet[CertificationApplication]:
    """Annotates ``partner_answer``: the status of the latest request for the partner's confirmation
    (None when none was made), in one query for the whole list."""
    latest = PartnerConfirmation.objects.filter(application=OuterRef("pk")).order_by("-requested_at", "-id")
    return queryset.annotate(partner_answer=Subquery(latest.values("status")[:1]))
