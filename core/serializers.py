"""Serializer building blocks shared by every app's API."""

from rest_framework import serializers

from core.identifiers import MAX_ID, is_ascii_digits, normalize_identifier


class StrictFieldsMixin:
    """Rejects request fields the serializer does not declare, so a typo never passes silently."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return super().to_internal_value(data)


class DigitsField(serializers.CharField):
    """An identifier of ``lengths`` ASCII digits (``allow_blank`` for "none"): full-width digits are read as
    the same number (NFKC), other look-alike digits are refused (``core.identifiers``)."""

    def __init__(self, *lengths: int, message: str, **kwargs) -> None:
        self.lengths = lengths
        self.message = message
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = normalize_identifier(super().to_internal_value(data))
        if value == "" and self.allow_blank:
            return value
        if not is_ascii_digits(value, *self.lengths):
            raise serializers.ValidationError(self.message, code="invalid")
        return value


class IdField(serializers.IntegerField):
    """A record id from a client: a positive 64-bit integer, so a huge number is a 400 on its field
    rather than an overflow in the database driver."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # DRF reads any Unicode digits (int("١٢") == 12); an id is ASCII digits, full-width read as such
        if isinstance(data, str):
            data = normalize_identifier(data)
            if not is_ascii_digits(data.lstrip("-")):
                self.fail("invalid")
        return super().to_internal_value(data)


class IdentifierField(serializers.RegexField):
    """A RegexField read as the person meant it (NFKC first, then the pattern, which must spell ASCII
    ``[0-9]``, never ``\\d``)."""

    def to_internal_value(self, data) -> str:
        return normalize_identifier(super().to_internal_value(data))
