"""The notification tests' cast: the shared world, each person with an e-mail address, and a member of the
partner company. Facts happen through the real services; ``committed`` runs what waits for the commit
(the e-mail hand-off) as a real commit would."""

import pytest

from certification.roles import Role
from notifications.models import Notification, Preference
from tests.factories import make_user
from tests.worlds import World


class NotifyWorld(World):
    def __init__(self) -> None:
        super().__init__()
        # a second member of A: every member of the applying company hears of its applications
        self.colleague_a = make_user(Role.SUPPLIER, self.company_a, "colleague-a")
        for user in (self.supplier_a, self.colleague_a, self.supplier_b, self.partner_member, self.admin):
            user.email = f"{user.username}@example.kr"
            user.save(update_fields=["email"])

    def draft(self, user=None, sector: str = "goods", **overrides):
        """A draft whose partner has confirmed (as every submittable one has); what that set-up notified is
        dropped, so each test sees only what its own facts send."""
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        application = super().draft(user, sector, **overrides)
        Notification.objects.filter(pk__gt=before).delete()
        return application

    @staticmethod
    def prefer(user, language: str = "ko", muted: tuple[str, ...] = ()) -> None:
        Preference.objects.update_or_create(
            user=user, defaults={"language": language, "muted_kinds": list(muted)}
        )


@pytest.fixture
def world(db, media_in_tmp, settings) -> NotifyWorld:
    settings.SITE_BASE_URL = "https://sangsaeng.example.kr"
    # the e-mail hand-off is the on-commit work under test; the search outbox drain is not
    settings.SEARCH_SYNC_ON_COMMIT = False
    return NotifyWorld()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block's on-commit callbacks (the e-mail hand-off) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
