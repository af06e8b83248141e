"""Serializer building blocks shared by every app's API."""

from rest_framework import serializers


class StrictFieldsMixin:
    """Rejects request fields the serializer does not declare, so a typo never passes silently."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return super().to_internal_value(data)
