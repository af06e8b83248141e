"""One language at a time (issue 21): every code a page shows has a label in Korean and one in English,
and a page shows the label of its own language only, never "물품 (goods)" or a raw code."""

import re

import pytest
from django.utils import translation

from accounts.models import InvitationState, MemberRole, OfficerRequestStatus
from catalog.feeds.models import ExportKind, ExportPhase
from catalog.models import Unit
from catalog.public import GONE_REASONS
from catalog.uploads.models import UploadStatus
from certification.codes import Sector, TaskType
from certification.models import (
    ApplicationStatus,
    CertificateStatus,
    CompanySize,
    CooperationType,
    EvidenceKind,
    PartnerKind,
    Region,
    StatusChangeKind,
)
from certification.panels import ReviewStageKind
from certification.partners import ConfirmationStatus
from core.jobs import JobStatus
from notifications.kinds import Kind
from notifications.models import DeliveryStatus
from search.models import RebuildPhase
from tests.factories import make_listing

CODE_LISTS = (
    Sector, TaskType, Region, CompanySize, ApplicationStatus, CooperationType, PartnerKind,
    CertificateStatus, StatusChangeKind, EvidenceKind, ReviewStageKind, ConfirmationStatus, Unit,
    ExportKind, ExportPhase, UploadStatus, RebuildPhase, Kind, DeliveryStatus, MemberRole,
    InvitationState, OfficerRequestStatus, JobStatus,
)  # fmt: skip
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# a Korean word followed by English in parentheses: the two-languages-at-once style pages must not use
BILINGUAL = re.compile(r"[\uac00-\ud7a3] \((?:[a-z][a-z ,:-]*|SME)\)")


def labels(language: str) -> dict[tuple[str, str], str]:
    with translation.override(language):
        found = {(codes.__name__, code): str(label) for codes in CODE_LISTS for code, label in codes.choices}
        found.update({("DelistReason", code): str(ko) for code, (ko, _) in GONE_REASONS.items()})
    return found


def test_every_code_has_a_korean_and_an_english_label():
    korean, english = labels("ko"), labels("en")
    for key, label in korean.items():
        assert HANGUL.search(label) or key[0] == "Unit", f"{key}: Korean label {label!r} has no Korean"
        assert not BILINGUAL.search(label) and "(" not in label, f"{key}: {label!r} is two languages at once"
    for key, label in english.items():
        assert label and not HANGUL.search(label), f"{key}: English label {label!r} is not English"
    # units are written once: 식, not "식 (식)"
    assert korean[("Unit", "식")] == "식"
    assert english[("Unit", "식")] == "lot"


def test_the_api_and_the_feed_keep_the_official_korean_region_names(world):
    from certification.models import region_name_ko

    with translation.override("en"):
        assert str(Region("11").label) == "Seoul"
        assert region_name_ko("11") == "서울특별시"
        body = world.client(None).get(f"/api/v1/public/listings/{world.listing_a.pk}/").json()
    assert {region["name"] for region in body["delivery_regions"]} == {"서울특별시", "경기도"}


def _pages(world) -> dict:
    """Every page a role visits in a journey, with its user."""
    certificate = world.cert_a
    return {
        None: ["/search/", f"/products/{world.listing_a.pk}/", f"/verify/{certificate.number}/"],
        world.officer: ["/search/", f"/products/{world.listing_a.pk}/", f"/products/{world.listing_b.pk}/"],
        world.supplier_a: [
            "/supplier/",
            "/supplier/listings/",
            f"/supplier/listings/{world.listing_a.pk}/edit/",
            f"/supplier/applications/{world.draft_a.pk}/",
            "/supplier/listings/new/",
        ],
        world.reviewer: [
            "/review/",
            "/review/certificates/",
            f"/review/certificates/{certificate.pk}/",
            f"/review/applications/{world.draft_a.pk}/",
        ],
        world.admin: ["/exports/"],
        world.partner_member: ["/partner/"],
    }


# the code lists every page shows (statuses, sectors, sizes, units, regions); the others are checked above
SHOWN = ("Sector", "CertificateStatus", "CompanySize", "ApplicationStatus", "Unit", "Region", "DelistReason")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_pages_show_codes_in_the_chosen_language_only(world, language):
    # a listing taken off the catalog shows why, in words (not "비노출: unpublished")
    make_listing(world.supplier_a, world.cert_a, name="게시 중지된 조명", published=False)
    korean, english = labels("ko"), labels("en")
    other = english if language == "ko" else korean
    for user, paths in _pages(world).items():
        client = world.client(user, HTTP_ACCEPT_LANGUAGE=language)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (user, path, response.status_code)
            html = response.content.decode()
            assert f'<html lang="{language}">' in html
            for status in ("unpublished", "revoked", "suspended", "expired", "not_yet_valid"):
                assert f": {status}<" not in html, (path, status)
            for key, label in korean.items():
                # never both at once: "물품 (goods)", "대기업 (large enterprise)", "식 (식)"
                assert f"{label} ({english[key].lower()})" not in html, (path, label)
                assert f"{label} ({english[key]})" not in html, (path, label)
            for key, label in other.items():
                if key[0] in SHOWN and korean[key] != english[key]:
                    # the other language's label as a whole element's text: "<dd>Goods</dd>" on a Korean page
                    assert not re.search(rf">\s*{re.escape(label)}\s*<", html), (path, label)
