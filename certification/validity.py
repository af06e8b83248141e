"""A certificate's validity period, counted by the calendar as the Civil Act counts periods.

Korean Civil Act (민법) art. 160: a period fixed in years is computed by the calendar (①); when it does
not start at the beginning of a year it ends on the day before the corresponding day of the last year
(②); when the last month has no corresponding day, it ends on that month's last day (③). A certificate
is valid from its issue date (the period starts at 00:00 of that day, art. 157 proviso), so three years
from 2020-10-12 end on 2023-10-11, and three years from 2020-02-29 end on 2023-02-28 (art. 160 ③:
February 2023 has no 29th).
"""

import calendar
from datetime import date, timedelta

from django.conf import settings


def valid_through(issued_on: date, years: int | None = None) -> date:
    """The last day a certificate issued on ``issued_on`` is valid (CERTIFICATE_VALIDITY_YEARS by default)."""
    years = settings.CERTIFICATE_VALIDITY_YEARS if years is None else years
    year = issued_on.year + years
    if issued_on.day > calendar.monthrange(year, issued_on.month)[1]:
        # no corresponding day (29 February in a common year): the month's last day (art. 160 ③)
        return date(year, issued_on.month, calendar.monthrange(year, issued_on.month)[1])
    return date(year, issued_on.month, issued_on.day) - timedelta(days=1)


def renewal_window_closed(expires_on: date, today: date) -> bool:
    """Whether a certificate that ended on ``expires_on`` is past CERTIFICATE_RENEWAL_WINDOW_DAYS."""
    return today > expires_on + timedelta(days=settings.CERTIFICATE_RENEWAL_WINDOW_DAYS)
