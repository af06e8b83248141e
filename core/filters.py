"""Query-string filter building blocks every app's filtersets share: values a client sends are bounded
here, so a filter answers a 400 with the field rather than reaching the database as something it refuses."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from core.identifiers import MAX_ID


class IdFilter(django_filters.Filter):
    """A positive 64-bit id; anything else is a 400 (a huge number would overflow SQLite's INTEGER)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class InstantField(IsoDateTimeField):
    """An ISO 8601 date-time, as UTC. Python accepts UTC offsets up to ±24 h, PostgreSQL only up to ±16 h
    (a 500 from the driver), so the offset is applied here; an instant beyond year 1–9999 is refused."""

    def to_python(self, value: object) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError(
                "날짜와 시간이 범위를 벗어났습니다 (date-time out of range)."
            ) from exc


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField
