"""Rates as the settings write them (``120/min``), parsed once here: the settings check them at start-up
and the throttles (``core.throttling``) count with them. No Django machinery, so the settings may import it."""

from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/min"`` → (120, 60)."""
    count, _, period = rate.partition("/")
    try:
        return int(count), PERIODS[period.strip().lower()]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"a throttle rate looks like 120/min, got {rate!r}") from exc
