"""Who hears of what: the members of a company (the applicant, the certificate's holder, or the partner
the application names), and the administrator who started an export."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet


def members_of(company_id: int) -> QuerySet:
    """The active users acting for the company, with their notification choices (one query)."""
    return (
        get_user_model()
        .objects.filter(membership__company_id=company_id, is_active=True)
        .select_related("notification_preference")
        .order_by("pk")
    )
