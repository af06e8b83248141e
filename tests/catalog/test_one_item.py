"""A certificate covers one 10-digit item (goods, services): an application names it at submit, and
listings carry exactly that item; certificates issued on an 8-digit class before the rule keep covering
the whole class until renewed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.selectors import listed_listings
from certification import services
from certification.models import Certificate, CertificationApplication
from core.domain import RuleViolation
from tests.factories import confirm_partner, listing_fields, make_application, make_listing

URL = "/api/v1/listings/"


def _post(world, certificate, code):
    body = {"certificate": certificate.pk, **listing_fields(certificate.sector, classification_code=code)}
    return world.client(world.supplier_a).post(URL, body, format="json")


def test_listing_must_carry_exactly_the_certificates_item(world):
    assert world.cert_a.classification_code == "3911160501"
    assert _post(world, world.cert_a, "3911160501").status_code == 201
    other_item = _post(world, world.cert_a, "3911160502")  # same 8-digit class, another item
    assert other_item.status_code == 400
    assert "classification_code" in other_item.json()["errors"]
    assert _post(world, world.cert_a, "39111605").status_code == 400  # the class is not the item


def test_certificate_issued_on_an_8_digit_class_keeps_covering_the_class(world):
    # as issued before the one-item rule: the certificate keeps its number until renewed
    Certificate.objects.filter(pk=world.cert_a.pk).update(classification_code="39111605")
    world.cert_a.refresh_from_db()
    for code in ("39111605", "3911160501", "3911160502"):
        assert _post(world, world.cert_a, code).status_code == 201, code
    other_class = _post(world, world.cert_a, "3911160601")
    assert other_class.status_code == 400
    listing = make_listing(world.supplier_a, world.cert_a)  # defaults to the certificate's number
    assert listing.classification_code == "39111605"
    assert listed_listings().filter(pk=listing.pk).exists()


@pytest.mark.parametrize(("sector", "code"), [("goods", "39111605"), ("services", "81111500")])
def test_submit_needs_a_10_digit_item(world, sector, code):
    application = make_application(world.supplier_a, world.partner, sector, classification_code=code)
    with pytest.raises(RuleViolation) as refused:
        services.submit_application(world.supplier_a, application_id=application.pk)
    assert (refused.value.code, refused.value.field) == ("detailed_item_required", "classification_code")
    response = world.client(world.supplier_a).post(f"/api/v1/applications/{application.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["code"] == "detailed_item_required"
    assert "classification_code" in response.json()["errors"]
    application.refresh_from_db()
    assert application.status == "draft"


def test_renewal_of_an_8_digit_certificate_must_name_one_item(world):
    # certified before the rule: the application and its certificate both on the 8-digit class
    Certificate.objects.filter(pk=world.cert_a.pk).update(classification_code="39111605")
    CertificationApplication.objects.filter(pk=world.cert_a.application_id).update(
        classification_code="39111605"
    )
    renewal = services.start_renewal(world.supplier_a, certificate_id=world.cert_a.pk)
    services.attach_evidence(
        world.supplier_a, application_id=renewal.pk, upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n")
    )
    with pytest.raises(RuleViolation):
        services.submit_application(world.supplier_a, application_id=renewal.pk)
    services.update_application(world.supplier_a, application_id=renewal.pk, classification_code="3911160501")
    confirm_partner(world.supplier_a, renewal)  # a renewal is a new agreement, on the item it now names
    assert services.submit_application(world.supplier_a, application_id=renewal.pk).status == "submitted"


def test_construction_keeps_its_work_type(world):
    application = make_application(world.supplier_a, world.partner, "construction")
    assert services.submit_application(world.supplier_a, application_id=application.pk).status == "submitted"
