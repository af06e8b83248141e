"""The feed 2.0 spellings and calendar checks take shortcuts for speed (they run for every exported row);
each must give exactly what the plain library call gives, for every value the format check can meet."""

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

from catalog.feeds import pps

LABELS = {"rgstDt": "등록일시", "chgDt": "변경일시"}


def _strptime_accepts(text: str, pattern: str) -> bool:
    try:
        datetime.strptime(text, pattern)
    except ValueError:
        return False
    return True


def test_calendar_date_check_accepts_what_strptime_accepts():
    # every month and day field from 00 to 39 and a 1-digit-looking month (13…19) in a leap year, a
    # common year, a century that is not a leap year and the year 0000
    for year, month, day in itertools.product(("2024", "2026", "1900", "0000"), range(20), range(40)):
        text = f"{year}{month:02d}{day:02d}"
        assert pps._is_calendar_date(text) == _strptime_accepts(text, "%Y%m%d"), text
        assert (pps.format_reasons({"rgstDt": text}, LABELS, set()) == []) == _strptime_accepts(
            text, "%Y%m%d"
        ), text


def test_calendar_datetime_check_accepts_what_strptime_accepts():
    days = ("2024-02-29", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "0000-01-01", "2026-11-30")
    times = itertools.product(range(0, 30, 3), (0, 9, 59, 60, 61), (0, 30, 59, 60, 61, 99))
    for day, (hour, minute, second) in itertools.product(days, times):
        text = f"{day} {hour:02d}:{minute:02d}:{second:02d}"
        expected = _strptime_accepts(text, "%Y-%m-%d %H:%M:%S")
        assert pps._is_calendar_datetime(text) == expected, text
        assert (pps.format_reasons({"chgDt": text}, LABELS, set()) == []) == expected, text


def test_spellings_match_strftime():
    zone = timezone(timedelta(hours=9))
    moments = (
        datetime(2026, 11, 30, 9, 5, 7, 123456, tzinfo=zone),
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
        datetime(1000, 1, 1),
        datetime(999, 12, 31, 1, 2, 3),  # strftime leaves years before 1000 unpadded; so does the feed
        datetime(9999, 12, 31, 23, 59, 59, 999999),
    )
    for moment in moments:
        assert pps.compact_date(moment) == moment.strftime("%Y%m%d")
        assert pps.compact_date(moment.date()) == moment.strftime("%Y%m%d")
        assert pps.pps_datetime(moment) == moment.strftime("%Y-%m-%d %H:%M:%S")
    assert pps.compact_date(date(2026, 1, 2)) == "20260102"
    assert pps.compact_date(None) == pps.pps_datetime(None) == ""


def test_a_value_holding_the_row_separator_is_checked_on_its_own():
    # the row-at-once check joins values with NUL; a NUL inside a value must not let a bad one through
    labels = {"prdctClsfcNo": "물품분류번호", "prodctCertList": "제품인증목록"}
    problems = pps.format_reasons({"prdctClsfcNo": "1234\x005678"}, labels, set())
    assert [key for key, _code, _message in problems] == ["prdctClsfcNo"]
    # a certification name may hold any character but a comma, NUL too: accepted either way
    assert (
        pps.format_reasons({"prodctCertList": "상생\x00협력", "prdctClsfcNo": "12345678"}, labels, set())
        == []
    )
    assert (
        pps.format_reasons({"prdctClsfcNo": None, "cntrctPrceAmt": 0}, labels, set())[0][0] == "cntrctPrceAmt"
    )


def test_csv_quotes_formulas_in_any_text_column_of_a_complete_row(tmp_path):
    # a complete row takes the one-search path; the row with nothing dangerous is written as it is
    from catalog.feeds import nara2
    from catalog.feeds.writers import CsvWriter
    from tests.feeds.conftest import read_csv

    dangerous = nara2.empty_row() | {"prdctSpecNm": "a\x00=b", "feed_version": "=2.0", "prdct_nm": "@x"}
    safe = nara2.empty_row() | {"prdctSpecNm": "a-b=c", "prdct_nm": "상생 제품"}
    writer = CsvWriter(tmp_path / "x.csv", nara2.COLUMNS)
    writer.write_row(dangerous)
    writer.write_row(safe)
    writer.close()
    first, second = read_csv(tmp_path / "x.csv")
    assert (first["prdctSpecNm"], first["feed_version"], first["prdct_nm"]) == ("a\x00=b", "'=2.0", "'@x")
    assert (second["prdctSpecNm"], second["prdct_nm"]) == ("a-b=c", "상생 제품")
