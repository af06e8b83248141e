"""Search insight: what people search for, what finds little or nothing, and turning a query that finds
nothing into a synonym entry (``search.synonyms``) so that it finds what the catalog calls the thing."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from certification.roles import is_admin
from core.domain import NotPermitted, RuleViolation
from search.log import normalized_query
from search.models import SearchLogEntry, Synonym

# a query "finds few" at or below this many results
FEW_RESULTS = 3
INSIGHT_DAYS = 30
TOP = 20


@dataclass(frozen=True)
class QueryRow:
    query: str
    searches: int
    zero: int  # of those searches, how many found nothing
    average_results: float
    most_results: int


def _logged(days: int):
    since = timezone.now() - timedelta(days=days)
    return SearchLogEntry.objects.filter(created_at__gte=since).exclude(query="")


def _rows(queryset, limit: int, few: int | None = None) -> list[QueryRow]:
    grouped = queryset.values("query").annotate(
        searches=Count("pk"),
        zero=Count("pk", filter=Q(result_count=0)),
        average_results=Avg("result_count"),
        most_results=Max("result_count"),
    )
    if few is not None:
        # HAVING: a text that found more than ``few`` even once is not a gap in the catalog
        grouped = grouped.filter(most_results__lte=few)
    grouped = grouped.order_by("-searches", "query")[:limit]
    return [
        QueryRow(
            row["query"],
            row["searches"],
            row["zero"],
            float(row["average_results"] or 0),
            row["most_results"],
        )
        for row in grouped
    ]


def top_queries(days: int = INSIGHT_DAYS, limit: int = TOP) -> list[QueryRow]:
    """The most searched texts of the last ``days`` days."""
    return _rows(_logged(days), limit)


def few_result_queries(days: int = INSIGHT_DAYS, limit: int = TOP, few: int = FEW_RESULTS) -> list[QueryRow]:
    """The most searched texts that never found more than ``few`` products in the last ``days`` days
    (a text that found more at least once is not a gap in the catalog or its dictionary)."""
    return _rows(_logged(days), limit, few)


def zero_result_queries(days: int = INSIGHT_DAYS, limit: int = TOP) -> list[QueryRow]:
    """The most searched texts that found nothing every time."""
    return _rows(_logged(days), limit, 0)


def add_synonym(actor: AbstractBaseUser, *, query: str, means: str) -> Synonym:
    """Makes ``query`` (a text people searched for) find what ``means`` finds: a new synonym entry of the
    two, active at once (the dictionary's cache is cleared by the save). Admins only."""
    if not is_admin(actor):
        raise NotPermitted("관리자만 동의어를 등록할 수 있습니다 (Only administrators may add synonyms).")
    query, means = normalized_query(query), " ".join(means.split())
    words = [query, *(word.strip() for word in means.split(","))]
    if "," in query or not query:
        raise RuleViolation(
            "검색어에 쉼표를 쓸 수 없습니다 (The search text may not contain a comma).", field="query"
        )
    synonym = Synonym(
        variants=", ".join(word for word in words if word),
        note=f"검색 로그에서 (from the search log): {query}"[:200],
    )
    try:
        synonym.full_clean()
    except ValidationError as exc:
        raise RuleViolation(
            "같은 뜻의 다른 낱말을 하나 이상 입력하세요 (Enter at least one other word that means the same).",
            field="means",
        ) from exc
    with transaction.atomic():
        synonym.save()
    return synonym
