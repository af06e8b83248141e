"""A feed dated another day (``as_of``) lists what was valid that day by the certificates' history, and
checks its rows against that day's status, not today's."""

from datetime import timedelta

from django.utils import timezone

from certification import services as certification_services
from tests.catalog.test_visibility_history import at, under_past_certificate
from tests.feeds.conftest import read_job


def test_feed_as_of_yesterday_lists_a_certificate_revoked_today(world):
    issued = timezone.localdate() - timedelta(days=400)
    listing = under_past_certificate(
        world, world.goods, (("issued", "", "active", at(issued, 9)),), issued_on=issued
    )
    certification_services.revoke_certificate(
        world.reviewer, certificate_id=listing.certificate_id, reason="부정"
    )
    yesterday = timezone.localdate() - timedelta(days=1)

    then = world.export("jsonl", today=yesterday)
    assert listing.pk in {row["listing_id"] for row in read_job(then)}
    assert then.rejected_count == 0

    now = world.export("jsonl")
    assert listing.pk not in {row["listing_id"] for row in read_job(now)}
