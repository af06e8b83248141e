"""Each call's funnel: drafted → submitted → each review stage → approved / rejected, the acceptance rate,
and the time from submission to decision (median and 90th percentile).

Two queries for any number of applications: the counts grouped by call, and the percentiles computed by
the database (PostgreSQL's ``percentile_cont``; on SQLite window functions pick the two rows around each
percentile, which are interpolated the same way ``percentile_cont`` does).
"""

from dataclasses import dataclass, field
from math import ceil, floor

from django.db import connection
from django.db.models import Count, Q

from certification.calls import Call
from certification.models import ApplicationStatus, CertificationApplication
from certification.panels import ReviewStageKind

STAGES = tuple(ReviewStageKind)
DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
PERCENTILES = (0.5, 0.9)
CALLS_SHOWN = 12
DAY = 86400.0


@dataclass
class CallFunnel:
    call_id: int
    title: str
    drafted: int  # every application started under the call
    submitted: int  # ever submitted (a submission date is kept)
    stages: dict[str, int]  # stage → applications with a recorded result at that stage
    approved: int
    rejected: int
    withdrawn: int
    decision_days: dict[float, float | None] = field(default_factory=dict)  # percentile → days

    @property
    def acceptance_rate(self) -> float | None:
        """Approved among the decided (approved or rejected); None before any decision."""
        decided = self.approved + self.rejected
        return self.approved / decided if decided else None

    @property
    def median_days(self) -> float | None:
        return self.decision_days.get(0.5)

    @property
    def p90_days(self) -> float | None:
        return self.decision_days.get(0.9)

    def steps(self) -> list[tuple[str, int]]:
        """The funnel's steps in order, as (key, applications)."""
        return [
            ("drafted", self.drafted),
            ("submitted", self.submitted),
            *((stage.value, self.stages[stage.value]) for stage in STAGES),
            ("approved", self.approved),
            ("rejected", self.rejected),
        ]


def _app_count(condition: Q | None = None) -> Count:
    # the stage join repeats an application once per stage result: count each application once
    return Count("applications", filter=condition, distinct=True)


def call_funnels(limit: int = CALLS_SHOWN) -> list[CallFunnel]:
    """The latest ``limit`` calls' funnels, newest first."""
    calls = Call.objects.order_by("-opens_at", "-pk").annotate(
        drafted=_app_count(),
        submitted=_app_count(Q(applications__submitted_at__isnull=False)),
        approved=_app_count(Q(applications__status=ApplicationStatus.APPROVED)),
        rejected=_app_count(Q(applications__status=ApplicationStatus.REJECTED)),
        withdrawn=_app_count(Q(applications__status=ApplicationStatus.WITHDRAWN)),
        **{f"stage_{stage.value}": _app_count(Q(applications__stages__stage=stage)) for stage in STAGES},
    )[:limit]
    funnels = [
        CallFunnel(
            call_id=call.pk,
            title=call.title,
            drafted=call.drafted,
            submitted=call.submitted,
            stages={stage.value: getattr(call, f"stage_{stage.value}") for stage in STAGES},
            approved=call.approved,
            rejected=call.rejected,
            withdrawn=call.withdrawn,
        )
        for call in calls
    ]
    times = decision_percentiles([funnel.call_id for funnel in funnels])
    for funnel in funnels:
        funnel.decision_days = times.get(funnel.call_id, {p: None for p in PERCENTILES})
    return funnels


def _decided_where() -> tuple[str, list]:
    statuses = ", ".join(["%s"] * len(DECIDED))
    return (
        f"status IN ({statuses}) AND submitted_at IS NOT NULL AND decided_at IS NOT NULL",
        [str(status) for status in DECIDED],
    )


def decision_percentiles(call_ids: list[int]) -> dict[int, dict[float, float]]:
    """call id → {percentile: days from submission to decision}, for the calls with decisions."""
    if not call_ids:
        return {}
    table = CertificationApplication._meta.db_table
    where, params = _decided_where()
    ids = ", ".join(["%s"] * len(call_ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(
                f"percentile_cont({p}) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM decided_at - submitted_at))"
                for p in PERCENTILES
            )
            cursor.execute(
                f"SELECT call_id, {columns} FROM {table} WHERE {where} AND call_id IN ({ids}) GROUP BY call_id",
                [*params, *call_ids],
            )
            return {
                row[0]: {p: float(value) / DAY for p, value in zip(PERCENTILES, row[1:], strict=True)}
                for row in cursor.fetchall()
            }
        return _sqlite_percentiles(cursor, table, where, params, ids, call_ids)


def _sqlite_percentiles(cursor, table, where, params, ids, call_ids) -> dict[int, dict[float, float]]:
    seconds = "(julianday(decided_at) - julianday(submitted_at)) * 86400.0"
    # the rows at floor and ceil of p·(n−1) for each percentile: at most four rows per call come back
    wanted = " OR ".join(
        f"i = CAST({p} * (n - 1) AS INTEGER) OR i = CAST({p} * (n - 1) AS INTEGER) + "
        f"({p} * (n - 1) > CAST({p} * (n - 1) AS INTEGER))"
        for p in PERCENTILES
    )
    cursor.execute(
        f"SELECT call_id, i, n, s FROM (SELECT call_id, {seconds} AS s, "
        f"ROW_NUMBER() OVER (PARTITION BY call_id ORDER BY {seconds}) - 1 AS i, "
        f"COUNT(*) OVER (PARTITION BY call_id) AS n FROM {table} WHERE {where} AND call_id IN ({ids})) "
        f"WHERE {wanted}",
        [*params, *call_ids],
    )
    picked: dict[int, dict[int, float]] = {}
    sizes: dict[int, int] = {}
    for call_id, index, size, value in cursor.fetchall():
        picked.setdefault(call_id, {})[index] = value
        sizes[call_id] = size
    result = {}
    for call_id, values in picked.items():
        result[call_id] = {}
        for p in PERCENTILES:
            position = p * (sizes[call_id] - 1)
            low, high = values[floor(position)], values[ceil(position)]
            result[call_id][p] = (low + (high - low) * (position - floor(position))) / DAY
    return result
