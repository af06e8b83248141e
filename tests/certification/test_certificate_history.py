"""Calendar validity (Civil Act art. 160), the status history and ``status_on``, suspensions that end
by themselves, and the backfill of the history from the audit trail."""

import importlib
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from certification import services
from certification.models import AuditEvent, Certificate, CertificateStatusChange
from certification.validity import valid_through
from core.domain import RuleViolation
from tests.factories import confirm_partner, pass_all_stages

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ validity
@pytest.mark.parametrize(
    ("issued_on", "last_day"),
    [
        (date(2020, 10, 12), date(2023, 10, 11)),  # the scheme's own example
        (date(2020, 2, 29), date(2023, 2, 28)),  # art. 160 ③: no 29 February in 2023
        (date(2020, 2, 28), date(2023, 2, 27)),
        (date(2020, 3, 1), date(2023, 2, 28)),
        (date(2021, 3, 1), date(2024, 2, 29)),  # the day before 1 March in a leap year
        (date(2023, 1, 1), date(2025, 12, 31)),
    ],
)
def test_validity_is_three_calendar_years_minus_one_day(issued_on, last_day):
    assert valid_through(issued_on) == last_day


def test_leap_day_issue_with_a_leap_final_year_ends_the_day_before(settings):
    settings.CERTIFICATE_VALIDITY_YEARS = 4
    assert valid_through(date(2020, 2, 29)) == date(2024, 2, 28)


def test_issued_certificate_uses_the_calendar_rule(reg, settings):
    settings.CERTIFICATE_VALIDITY_YEARS = 2
    certificate = reg.certificate()
    assert certificate.issued_on == timezone.localdate()
    assert certificate.expires_on == valid_through(certificate.issued_on, 2)


# ------------------------------------------------------------------- history
def test_every_status_change_is_a_history_row(reg):
    certificate = reg.certificate()
    until = timezone.localdate() + timedelta(days=10)
    services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="품질 점검", until=until)
    services.reinstate_certificate(reg.reviewer, certificate_id=certificate.pk, reason="점검 완료")
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정 취득")
    rows = list(certificate.history.values_list("kind", "from_status", "to_status", "actor_name", "reason"))
    assert rows == [
        ("issued", "", "active", "reviewer", certificate.number),
        ("suspended", "active", "suspended", "reviewer", "품질 점검"),
        ("reinstated", "suspended", "active", "reviewer", "점검 완료"),
        ("revoked", "active", "revoked", "reviewer", "부정 취득"),
    ]
    assert certificate.history.get(kind="suspended").suspended_until == until
    change = certificate.history.first()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        CertificateStatusChange.objects.filter(pk=change.pk).update(reason="x")


def test_renewal_writes_superseded_and_issued(reg):
    old = reg.certificate()
    renewal = services.start_renewal(reg.supplier_a, certificate_id=old.pk)
    services.attach_evidence(reg.supplier_a, application_id=renewal.pk, upload=_pdf())
    confirm_partner(reg.supplier_a, renewal)
    services.submit_application(reg.supplier_a, application_id=renewal.pk)
    services.start_review(reg.reviewer, application_id=renewal.pk)
    pass_all_stages(reg.reviewer, renewal)
    new = services.approve_application(reg.reviewer, application_id=renewal.pk)
    assert list(old.history.values_list("kind", flat=True)) == ["issued", "superseded"]
    assert list(new.history.values_list("kind", flat=True)) == ["issued"]


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("갱신.pdf", b"%PDF-1.4\n%%EOF\n")


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _past_certificate(reg, issued_on: date) -> Certificate:
    """A certificate whose life is written into the past (the services only ever write 'now')."""
    current = reg.certificate()
    return Certificate.objects.create(
        number=f"WW-PAST-{current.pk}",
        application=reg.under_review(),
        supplier=current.supplier,
        partner=current.partner,
        sector=current.sector,
        product_name=current.product_name,
        classification_code=current.classification_code,
        issued_on=issued_on,
        expires_on=valid_through(issued_on),
    )


def _change(certificate, kind, from_status, to_status, at):
    CertificateStatusChange.objects.create(
        certificate=certificate,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        effective_at=at,
        actor_name="reviewer",
    )


def test_status_on_reads_the_history_and_the_validity_dates(reg):
    issued = date(2022, 3, 2)
    certificate = _past_certificate(reg, issued)
    _change(certificate, "issued", "", "active", _at(issued, 0))
    _change(certificate, "suspended", "active", "suspended", _at(date(2023, 5, 10), 15))
    _change(certificate, "reinstated", "suspended", "active", _at(date(2023, 6, 1), 9))
    assert certificate.status_on(issued - timedelta(days=1)) is None
    assert certificate.status_on(issued) == "active"
    assert certificate.status_on(date(2023, 5, 9)) == "active"
    # suspended at 15:00: the day counts as suspended, the morning before was still valid
    assert certificate.status_on(date(2023, 5, 10)) == "suspended"
    assert certificate.status_on(_at(date(2023, 5, 10), 10)) == "active"
    assert certificate.status_on(date(2023, 5, 31)) == "suspended"
    assert certificate.status_on(date(2023, 6, 1)) == "active"
    assert certificate.status_on(date(2025, 3, 1)) == "active"  # the last day of validity
    assert certificate.status_on(date(2025, 3, 2)) == "expired"  # active by history, past its dates


# ------------------------------------------------------------ suspension end
def test_suspension_with_an_end_date_lifts_after_it(reg):
    certificate = reg.certificate()
    today = timezone.localdate()
    services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="점검", until=today)
    assert services.lift_ended_suspensions(today) == 0  # the end date is the suspension's last day
    out = StringIO()
    call_command("expire_certificates", "--today", (today + timedelta(days=1)).isoformat(), stdout=out)
    assert "Reinstated 1 certificate(s) whose suspension ended." in out.getvalue()
    certificate.refresh_from_db()
    assert certificate.status == "active"
    assert certificate.suspended_until is None
    last = certificate.history.last()
    assert (last.kind, last.from_status, last.to_status, last.actor_name) == (
        "auto_reinstated",
        "suspended",
        "active",
        "system",
    )
    assert services.lift_ended_suspensions(today + timedelta(days=1)) == 0  # idempotent


def test_open_ended_or_revoked_suspensions_are_not_lifted(reg):
    open_ended = reg.certificate()
    revoked = reg.certificate()
    today = timezone.localdate()
    services.suspend_certificate(reg.reviewer, certificate_id=open_ended.pk, reason="점검")
    services.suspend_certificate(reg.reviewer, certificate_id=revoked.pk, reason="점검", until=today)
    services.revoke_certificate(reg.reviewer, certificate_id=revoked.pk, reason="부정")
    assert services.lift_ended_suspensions(today + timedelta(days=30)) == 0
    for certificate, status in ((open_ended, "suspended"), (revoked, "revoked")):
        certificate.refresh_from_db()
        assert certificate.status == status


def test_suspension_end_in_the_past_is_refused(reg):
    certificate = reg.certificate()
    with pytest.raises(RuleViolation) as refused:
        services.suspend_certificate(
            reg.reviewer,
            certificate_id=certificate.pk,
            reason="점검",
            until=timezone.localdate() - timedelta(days=1),
        )
    assert (refused.value.code, refused.value.field) == ("suspension_end_in_past", "until")
    certificate.refresh_from_db()
    assert certificate.status == "active"


def test_api_suspends_with_an_end_date_and_shows_the_history(reg):
    certificate = reg.certificate()
    until = (timezone.localdate() + timedelta(days=7)).isoformat()
    client = reg.client(reg.reviewer)
    response = client.post(
        f"/api/v1/certificates/{certificate.pk}/suspend/", {"reason": "점검", "until": until}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["suspended_until"] == until
    assert [(c["kind"], c["to_status"]) for c in body["history"]] == [
        ("issued", "active"),
        ("suspended", "suspended"),
    ]
    assert body["history"][1]["suspended_until"] == until
    past = client.post(
        f"/api/v1/certificates/{certificate.pk}/reinstate/", {"reason": "x", "until": until}, format="json"
    )
    assert past.status_code == 400  # only a suspension takes an end date


def test_reviewer_page_lists_the_history_and_takes_the_end_date(reg):
    from tests.worlds import page_client

    certificate = reg.certificate()
    client = page_client(reg.reviewer)
    until = timezone.localdate() + timedelta(days=5)
    client.post(
        f"/review/certificates/{certificate.pk}/suspend/", {"reason": "현장 점검", "until": until.isoformat()}
    )
    certificate.refresh_from_db()
    assert (certificate.status, certificate.suspended_until) == ("suspended", until)
    page = client.get(f"/review/certificates/{certificate.pk}/").content.decode()
    assert 'id="certificate-history"' in page
    assert "현장 점검" in page and "정지" in page and "(suspended)" not in page


# ------------------------------------------------------------------ backfill
def test_backfill_rebuilds_the_history_from_the_audit_trail(reg):
    backfill = importlib.import_module("certification.migrations.0004_history_backfill").backfill
    audited = _past_certificate(reg, date(2022, 3, 2))
    bare = _past_certificate(reg, date(2021, 7, 1))
    Certificate.objects.filter(pk=bare.pk).update(
        status="revoked", status_reason="부정", status_changed_at=_at(date(2022, 1, 5))
    )
    # the audit events exactly as the old services wrote them
    trail = [
        ("issue", "", "active", audited.number, _at(date(2022, 3, 2), 10)),
        ("suspend", "active", "suspended", "품질 점검", _at(date(2023, 5, 10), 15)),
        ("reinstate", "suspended", "active", "점검 완료", _at(date(2023, 6, 1), 9)),
        ("create_renewal", "", "draft", "renewal of …", _at(date(2024, 12, 1))),
        ("superseded", "active", "expired", "renewed as WW-2025-000001", _at(date(2025, 1, 2))),
    ]
    for action, from_state, to_state, comment, at in trail:
        AuditEvent.objects.create(
            actor=reg.reviewer if action != "create_renewal" else reg.supplier_a,
            actor_name="reviewer",
            at=at,
            action=action,
            certificate=audited,
            application=audited.application,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
        )

    backfill(apps, None)

    rows = list(
        audited.history.values_list("kind", "from_status", "to_status", "effective_at", "reason", "actor")
    )
    assert rows == [
        ("issued", "", "active", trail[0][4], audited.number, reg.reviewer.pk),
        ("suspended", "active", "suspended", trail[1][4], "품질 점검", reg.reviewer.pk),
        ("reinstated", "suspended", "active", trail[2][4], "점검 완료", reg.reviewer.pk),
        ("superseded", "active", "expired", trail[4][4], "renewed as WW-2025-000001", reg.reviewer.pk),
    ]
    assert list(bare.history.values_list("kind", "to_status", "reason")) == [
        ("issued", "active", bare.number),
        ("revoked", "revoked", "부정"),
    ]
    assert audited.status_on(date(2023, 5, 20)) == "suspended"
    assert bare.status_on(date(2021, 12, 31)) == "active"
    assert bare.status_on(date(2022, 1, 5)) == "revoked"

    # running it again adds nothing
    count = CertificateStatusChange.objects.count()
    backfill(apps, None)
    assert CertificateStatusChange.objects.count() == count
