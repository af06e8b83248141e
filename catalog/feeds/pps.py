"""The Public Procurement Service's (조달청) open-data formats, for the feed 2.0 columns named by PPS keys.

Feed 2.0 writes each PPS-keyed value exactly as PPS's own open data spells it under that key: the
종합쇼핑몰 품목정보 service (``getShoppingMallPrdctInfoList`` and its contract-item siblings) and the
물품목록정보 service (``ThngListInfoService02``). ``docs/nara-feed.md`` cites, for every key, the public
transcription of the field's description and examples that the format here follows.

Two halves: the spelling (``compact_date``, ``pps_datetime``, ``business_number_digits`` …, what
``catalog.feeds.nara2.build_row`` writes) and the check (``FORMATS``: one rule per PPS key, applied to every
row by ``format_reasons``; the feed's validation report, the bulk upload's dry run and the per-listing Nara
readiness all reach it through ``nara2.validate_row``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from certification.models import CompanySize, Region, region_name_ko

# one list separator for every PPS list value: prodctCertList "GR,환경표지제품" (물품목록정보 sample)
LIST_SEPARATOR = ","
# prdctSplyRgnNm's value when the product is supplied everywhere (종합쇼핑몰 품목정보 sample "전지역")
ALL_REGIONS = "전지역"
YES, NO = "Y", "N"
BAD_FORMAT = "bad_pps_format"

ENTERPRISE_DIVISIONS = {
    CompanySize.SME: "중소기업",
    CompanySize.MID: "중견기업",
    CompanySize.LARGE: "대기업",
}
# the official Korean names whatever language the request is in (PPS data is Korean)
REGION_NAMES = {code: region_name_ko(code) for code in Region.values}
_EVERY_REGION = frozenset(Region.values)


# ------------------------------------------------------------------ spelling
def compact_date(value: date | None) -> str:
    """``yyyyMMdd`` (cntrctDate, cntrctBgnDate, rgstDt of the 품목정보 service)."""
    if value is None:
        return ""
    # isoformat is a third of strftime's cost, and spells the same digits for four-digit years
    # (strftime leaves earlier years unpadded)
    return value.isoformat()[:10].replace("-", "") if value.year >= 1000 else value.strftime("%Y%m%d")


def pps_datetime(value: datetime | None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in Korean local time (chgDt of the contract-item operations)."""
    if value is None:
        return ""
    if value.year >= 1000:  # as in compact_date; the offset isoformat would add is cut off
        return value.isoformat(" ", "seconds")[:19]
    return value.strftime("%Y-%m-%d %H:%M:%S")


def business_number_digits(number: str) -> str:
    """The 10 plain digits PPS writes in cntrctCorpBizno (no hyphens); a stored number that is not one
    stays as it is, and the format check refuses it."""
    return (number or "").replace("-", "").replace(" ", "")


def yes_no(flag: bool) -> str:
    return YES if flag else NO


def supply_regions(codes: tuple[str, ...]) -> str:
    """prdctSplyRgnNm: ``전지역`` for all 17 시·도, else their names in code order, comma-separated."""
    if _EVERY_REGION.issubset(codes):
        return ALL_REGIONS
    return LIST_SEPARATOR.join(REGION_NAMES.get(code, code) for code in codes)


def name_list(names: tuple[str, ...] | list[str]) -> str:
    return LIST_SEPARATOR.join(names)


# ------------------------------------------------------------------ checking
def _is_calendar_date(text: str) -> bool:
    """Whether 8 ASCII digits (``yyyyMMdd``, the pattern checked first) name a real calendar date (no 13th
    month …). What ``datetime.strptime(text, "%Y%m%d")`` accepts, at a fraction of its cost: this runs for
    every exported row (``tests/feeds/test_fast_paths.py`` compares the two)."""
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return True


def _is_calendar_datetime(text: str) -> bool:
    """Whether ``YYYY-MM-DD HH:MM:SS`` (ASCII digits, the pattern checked first) is a real moment: what
    ``datetime.strptime(text, "%Y-%m-%d %H:%M:%S")`` accepts (no 25th hour, no 60th second)."""
    try:
        datetime(
            int(text[:4]),
            int(text[5:7]),
            int(text[8:10]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
        )
    except ValueError:
        return False
    return True


_REGION_NAME = "|".join(re.escape(name) for name in REGION_NAMES.values())
# a list of names: no empty item, no separator at either end, no stray spaces around one
_NAME_LIST = r"[^,\s](?:[^,]*[^,\s])?(?:,[^,\s](?:[^,]*[^,\s])?)*"


@dataclass(frozen=True)
class Format:
    pattern: str  # the whole value must match ([0-9] is ASCII only: look-alike digits fail)
    description: str  # how docs/nara-feed.md and the messages name the format
    extra: Any = None  # a further check of a value the pattern accepts (a real calendar date …)
    # the pattern compiled once: looking it up in re's cache again for each value cost more than matching
    _fullmatch: Callable[[str], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fullmatch", re.compile(self.pattern).fullmatch)

    def accepts(self, value: Any) -> bool:
        text = value if type(value) is str else str(value)
        if self._fullmatch(text) is None:
            return False
        return self.extra is None or self.extra(text)


FORMATS: dict[str, Format] = {
    "prdctClsfcNo": Format(r"[0-9]{8}", "8 digits"),
    "dtilPrdctClsfcNo": Format(r"[0-9]{10}", "10 digits"),
    "prdctIdntNo": Format(r"[0-9]{8}", "8 digits"),
    "cntrctPrceAmt": Format(r"[1-9][0-9]*", "whole won, no separators"),
    "dlvrTmlmtDaynum": Format(r"[1-9][0-9]*", "whole days"),
    "prdctSplyRgnNm": Format(
        rf"{ALL_REGIONS}|(?:{_REGION_NAME})(?:,(?:{_REGION_NAME}))*", "전지역 or 시·도 names, comma-separated"
    ),
    "cntrctCorpBizno": Format(r"[0-9]{10}", "10 digits, no hyphens"),
    "entrprsDivNm": Format("|".join(ENTERPRISE_DIVISIONS.values()), "중소기업, 중견기업 or 대기업"),
    "smetprCmptProdctYn": Format(r"[YN]", "Y or N"),
    "prodctCertList": Format(_NAME_LIST, "certification names, comma-separated"),
    "rgstDt": Format(r"[0-9]{8}", "yyyyMMdd", _is_calendar_date),
    "chgDt": Format(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}",
        "YYYY-MM-DD HH:MM:SS",
        _is_calendar_datetime,
    ),
}


_CHECKS = tuple((key, rule._fullmatch, rule.extra) for key, rule in FORMATS.items())

# The whole row at once: every PPS value joined by a character no accepted value contains, matched by
# the formats joined the same way (an empty value is the required-value check's business). With exactly
# one separator between values, each value must match its own format, so a row this accepts has no
# format problem; anything else is looked at value by value. Nearly every row is accepted here, in one
# regular-expression call instead of a dozen.
_SEPARATOR = "\x00"
_KEYS = tuple(FORMATS)
_ROW_FULLMATCH = re.compile(_SEPARATOR.join(f"(?:{rule.pattern})?" for rule in FORMATS.values())).fullmatch
_EXTRAS = tuple((key, rule.extra) for key, rule in FORMATS.items() if rule.extra is not None)


def _all_accepted(row: dict[str, Any]) -> bool:
    # str(None) is "None": a format that accepts it is looking at a value format_reasons skips anyway
    joined = _SEPARATOR.join(map(str, map(row.get, _KEYS)))
    if joined.count(_SEPARATOR) != len(_KEYS) - 1 or _ROW_FULLMATCH(joined) is None:
        return False
    for key, extra in _EXTRAS:
        value = row.get(key)
        if value is not None and value != "" and not extra(str(value)):
            return False
    return True


def format_reasons(row: dict[str, Any], labels: dict[str, str], skip: set[str]) -> list[tuple[str, str, str]]:
    """(key, code, message) for each PPS-keyed value of ``row`` not in PPS's format. Empty values are the
    required-value check's business; keys in ``skip`` already have a reason of their own."""
    if _all_accepted(row):
        return []
    problems = []
    # Format.accepts inlined: this runs for a dozen values of every exported row
    for key, fullmatch, extra in _CHECKS:
        value = row.get(key)
        if value is None or value == "" or key in skip:
            continue
        text = value if type(value) is str else str(value)
        if fullmatch(text) is not None and (extra is None or extra(text)):
            continue
        rule = FORMATS[key]
        problems.append(
            (
                key,
                BAD_FORMAT,
                f"{labels.get(key, key)} 값 {value!r}이(가) 조달청 형식이 아닙니다 "
                f"(not in the PPS format of {key}: {rule.description}).",
            )
        )
    return problems
