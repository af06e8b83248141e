"""Public statistics (anyone may read them): active certified products by sector and year and the number of
certified companies. An allow-list: these functions return only the keys below, built from counts; nothing
names a company, a product or a person, and targets (internal plans) stay on the program page."""

from datetime import date

from django.db.models import Count
from django.utils import timezone

from certification.models import Certificate
from program.closed_years import by_year
from program.figures import SECTOR_LABELS, SECTORS, active_on_q, count_active_by_sector, year_ends

PUBLIC_YEARS = 5
# every key a year of the public statistics has; a new one is public only once named here
PUBLIC_YEAR_FIELDS = ("year", "as_of", "active_products", "total", "certified_companies")


def count_certified_companies(days: dict[int, date]) -> dict[int, int]:
    """year → suppliers holding at least one certificate active on that year's day: one query."""
    today = max(days.values())
    row = Certificate.objects.aggregate(
        **{
            f"y{year}": Count("supplier", distinct=True, filter=active_on_q(day, today))
            for year, day in days.items()
        }
    )
    return {year: row[f"y{year}"] for year in days}


def _count_both(days: dict[int, date]) -> dict[int, tuple[dict[str, int], int]]:
    sectors, companies = count_active_by_sector(days), count_certified_companies(days)
    return {year: (sectors[year], companies[year]) for year in days}


def public_statistics(today: date | None = None) -> dict:
    """The open-data answer: the figure generation, then two aggregate queries."""
    today = today or timezone.localdate()
    days = year_ends(today, PUBLIC_YEARS)
    # one generation read for both figures (by_year): their closed years are cached together
    both = by_year("public_statistics", days, _count_both)
    products = {year: sectors for year, (sectors, _companies) in both.items()}
    companies = {year: companies for year, (_sectors, companies) in both.items()}
    years = [
        {
            "year": year,
            "as_of": day.isoformat(),
            "active_products": products[year],
            "total": sum(products[year].values()),
            "certified_companies": companies[year],
        }
        for year, day in days.items()
    ]
    assert all(tuple(entry) == PUBLIC_YEAR_FIELDS for entry in years)
    return {
        "as_of": today.isoformat(),
        "sectors": [{"code": sector.value, "name": str(SECTOR_LABELS[sector])} for sector in SECTORS],
        "years": years,
    }


def public_statistics_rows(statistics: dict) -> list[list]:
    """The same numbers as CSV rows (header first)."""
    sectors = [sector["code"] for sector in statistics["sectors"]]
    header = [
        "year",
        "as_of",
        *(f"active_products_{code}" for code in sectors),
        "total",
        "certified_companies",
    ]
    return [header] + [
        [
            entry["year"],
            entry["as_of"],
            *(entry["active_products"][code] for code in sectors),
            entry["total"],
            entry["certified_companies"],
        ]
        for entry in statistics["years"]
    ]
