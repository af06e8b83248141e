"""The inbox over JSON: what a notification shows its recipient (an allow-list), and the preferences."""

from rest_framework import serializers

from notifications.kinds import OPTIONAL, Kind
from notifications.models import Language, Notification, Preference


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "created_at", "read_at", "read"]
        read_only_fields = fields


class PreferenceSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    muted_kinds = serializers.ListField(child=serializers.ChoiceField(choices=Kind.choices), required=False)
    optional_kinds = serializers.SerializerMethodField()

    class Meta:
        model = Preference
        fields = ["language", "muted_kinds", "optional_kinds"]

    def get_optional_kinds(self, obj) -> list[str]:
        """The kinds that may be turned off (the others are essential)."""
        return list(OPTIONAL)
