"""Every figure of the program page as a table: the one shape its chart, its accessible table and its CSV
download are drawn from, so the three always show the same numbers."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certification.panels import ReviewStageKind
from program import figures, funnel, insight


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]  # the first cell names the row; the rest are numbers (or None: not set)
    chart: str  # how the page draws it: "bar", "stacked", "line-target", "hbar", "funnel"
    note: str = ""
    series: list[int] = field(default_factory=list)  # the columns the chart draws (default: all numbers)

    def as_data(self) -> dict:
        """What the page's script reads (json_script): labels and numbers, already in the page's language."""
        return {
            "key": self.key,
            "title": str(self.title),
            "chart": self.chart,
            "columns": [str(column) for column in self.columns],
            "rows": [[str(row[0]), *row[1:]] for row in self.rows],
            "series": self.series or list(range(1, len(self.columns))),
        }


def _sector_labels() -> list[str]:
    return [str(label) for label in figures.SECTOR_LABELS.values()]


def active_table(today: date) -> Table:
    years = figures.active_over_time(today)
    sectors = len(figures.SECTORS)
    return Table(
        key="active",
        title=_("연도별 유효 인증제품과 목표"),
        columns=[_("연도"), *_sector_labels(), _("합계"), _("목표")],
        rows=[
            [str(row.year), *(row.counts[sector] for sector in figures.SECTORS), row.total, row.target_total]
            for row in years
        ],
        chart="line-target",
        note=_(
            "각 연도 말일(올해는 오늘) 기준 유효한 인증서 수입니다. 목표는 관리자가 연도·분야별로 정합니다."
        ),
        series=[*range(1, sectors + 1), sectors + 2],
    )


BREAKDOWN_TITLES = {
    "sector": _("분야별 유효 인증제품"),
    "task_type": _("과제 유형별 유효 인증제품"),
    "region": _("공급기업 지역별 유효 인증제품"),
    "segment": _("분류 대분류별 유효 인증제품"),
}


def breakdown_tables(today: date) -> list[Table]:
    return [
        Table(
            key=f"by_{name}",
            title=BREAKDOWN_TITLES[name],
            columns=[_("구분"), _("제품 수")],
            rows=[[bucket.label, bucket.count] for bucket in buckets],
            chart="hbar",
        )
        for name, buckets in figures.products_by(today).items()
    ]


STEP_LABELS = {
    "drafted": pgettext_lazy("funnel step", "작성"),
    "submitted": pgettext_lazy("funnel step", "제출"),
    ReviewStageKind.PRESENTATION.value: _("대면평가"),
    ReviewStageKind.SITE.value: _("현장평가"),
    ReviewStageKind.COMMITTEE.value: _("심의위원회"),
    "approved": pgettext_lazy("funnel step", "승인"),
    "rejected": pgettext_lazy("funnel step", "반려"),
}


def funnel_table() -> Table:
    funnels = funnel.call_funnels()
    steps = list(STEP_LABELS)
    return Table(
        key="funnel",
        title=_("공고별 신청 단계 (깔때기)"),
        columns=[
            _("공고"),
            *(STEP_LABELS[step] for step in steps),
            _("승인율 (%)"),
            _("결정까지 중앙값 (일)"),
            _("결정까지 90백분위 (일)"),
        ],
        rows=[
            [
                item.title,
                *(count for _step, count in item.steps()),
                None if item.acceptance_rate is None else round(item.acceptance_rate * 100, 1),
                None if item.median_days is None else round(item.median_days, 1),
                None if item.p90_days is None else round(item.p90_days, 1),
            ]
            for item in funnels
        ],
        chart="funnel",
        note=_("단계 수는 그 단계의 평가 결과가 기록된 신청 수입니다. 승인율은 승인 ÷ (승인 + 반려)입니다."),
        series=list(range(1, len(steps) + 1)),
    )


def expiry_table(today: date) -> Table:
    counts = figures.expiring(today)
    states = list(figures.Renewal.LABELS)
    return Table(
        key="expiring",
        title=_("만료 예정 인증서와 갱신 상태"),
        columns=[_("기간"), *(figures.Renewal.LABELS[state] for state in states), _("합계")],
        rows=[
            [
                _("%(days)s일 이내") % {"days": days},
                *(counts[days][state] for state in states),
                sum(counts[days].values()),
            ]
            for days in figures.EXPIRY_WINDOWS
        ],
        chart="stacked",
        series=list(range(1, len(states) + 1)),
    )


def listings_table(today: date) -> Table:
    bands = figures.listings_per_certificate(today)
    return Table(
        key="listings",
        title=_("인증서당 등록 제품 수"),
        columns=[_("등록 제품 수"), _("인증서 수")],
        rows=[[label, bands[label]] for label, _low, _high in figures.LISTING_BANDS],
        chart="bar",
        note=_("유효 인증서 %(certificates)s건에 등록 제품 %(listings)s건")
        % {"certificates": bands["certificates"], "listings": bands["listings"]},
    )


def export_table() -> Table:
    job = figures.last_export()
    rows = [] if job is None else [[_("통과"), job.listed_count], [_("실패"), job.rejected_count]]
    return Table(
        key="export",
        title=_("마지막 나라장터 내보내기 검증"),
        columns=[_("검증 결과"), _("제품 수")],
        rows=rows,
        chart="bar",
        note=(
            _("아직 완료된 전체 내보내기가 없습니다.")
            if job is None
            else _("%(when)s 완료, 기준일 %(day)s")
            % {"when": timezone.localtime(job.finished_at).strftime("%Y-%m-%d %H:%M"), "day": job.as_of}
        ),
    )


def queries_table(rows: list[insight.QueryRow], key: str, title) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[_("검색어"), _("검색 수"), _("결과 없음"), _("평균 결과 수")],
        rows=[[row.query, row.searches, row.zero, round(row.average_results, 1)] for row in rows],
        chart="hbar",
        note=_("최근 %(days)s일") % {"days": insight.INSIGHT_DAYS},
        series=[1],
    )


def top_queries_table() -> Table:
    return queries_table(insight.top_queries(), "top_queries", _("많이 찾은 검색어"))


def few_results_table() -> Table:
    return queries_table(
        insight.few_result_queries(),
        "few_results",
        _("결과가 %(few)s건 이하인 검색어") % {"few": insight.FEW_RESULTS},
    )


def public_table(numbers: dict) -> Table:
    """The public statistics (``program.public.public_statistics``) as the public page draws them."""
    sectors = numbers["sectors"]
    return Table(
        key="public",
        title=_("연도별 유효 인증제품"),
        columns=[_("연도"), *(sector["name"] for sector in sectors), _("합계"), _("인증기업 수")],
        rows=[
            [
                str(year["year"]),
                *(year["active_products"][sector["code"]] for sector in sectors),
                year["total"],
                year["certified_companies"],
            ]
            for year in numbers["years"]
        ],
        chart="stacked",
        series=list(range(1, len(sectors) + 1)),
    )


def program_tables(today: date | None = None) -> list[Table]:
    today = today or timezone.localdate()
    return [
        active_table(today),
        funnel_table(),
        *breakdown_tables(today),
        expiry_table(today),
        listings_table(today),
        export_table(),
    ]


def table_named(key: str, today: date | None = None) -> Table | None:
    """One table by its key (the CSV download), computing only that figure."""
    today = today or timezone.localdate()
    single = {
        "active": lambda: active_table(today),
        "funnel": funnel_table,
        "expiring": lambda: expiry_table(today),
        "listings": lambda: listings_table(today),
        "export": export_table,
        "top_queries": top_queries_table,
        "few_results": few_results_table,
    }
    if key in single:
        return single[key]()
    if key.startswith("by_") and key[3:] in BREAKDOWN_TITLES:
        return next(table for table in breakdown_tables(today) if table.key == key)
    return None
