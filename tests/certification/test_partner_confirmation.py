"""The partner enterprise as a party: the applicant asks, a member of the partner company confirms or
declines with a reason, and only a confirmed application is submitted; an edit of the agreed terms voids
the answer. Every step is audited under the names the notifications key on."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import selectors, services, signals
from certification.models import ApplicationStatus, AuditEvent, CertificationApplication
from certification.partners import PartnerConfirmation
from certification.roles import Role
from core.domain import Conflict, NotPermitted, RuleViolation
from tests.factories import PDF_BYTES, make_application, make_company, make_user

pytestmark = pytest.mark.django_db

V = "/api/v1"


def ask(reg, application, **body):
    return reg.client(reg.supplier_a).post(
        f"{V}/applications/{application.pk}/request-partner-confirmation/", body, format="json"
    )


def answer(reg, application, action: str, user=None, **body):
    return reg.client(user or reg.partner_member).post(
        f"{V}/partner-requests/{application.pk}/{action}/", body, format="json"
    )


def submit(reg, application):
    return reg.client(reg.supplier_a).post(f"{V}/applications/{application.pk}/submit/", {}, format="json")


def actions_of(application) -> list[str]:
    return list(AuditEvent.objects.filter(application=application).values_list("action", flat=True))


def test_an_application_is_submitted_only_after_its_partner_confirms(reg):
    application = reg.draft(confirmed=False)
    refused = submit(reg, application)
    assert refused.status_code == 409
    assert refused.json()["code"] == "partner_not_confirmed"
    assert "ask the partner to confirm first" in refused.json()["detail"]

    assert ask(reg, application).status_code == 200
    waiting = submit(reg, application)
    assert waiting.json()["code"] == "partner_not_confirmed"
    assert "has not answered yet" in waiting.json()["detail"]

    confirmed = answer(reg, application, "confirm-partnership", comment="협약대로 참여합니다")
    assert confirmed.status_code == 200
    assert confirmed.json()["confirmations"][0]["status"] == "confirmed"
    assert confirmed.json()["available_actions"] == []
    assert submit(reg, application).json()["status"] == "submitted"
    assert actions_of(application)[-3:] == [
        "partner_confirmation_requested",
        "partner_confirmed",
        "submit",
    ]
    event = AuditEvent.objects.get(application=application, action="partner_confirmed")
    assert event.actor == reg.partner_member and event.comment == "협약대로 참여합니다"


def test_a_decline_carries_its_reason_to_the_applicant_who_may_ask_again(reg):
    application = reg.draft(confirmed=False)
    ask(reg, application)
    blank = answer(reg, application, "decline-partnership", reason="  ")
    assert blank.status_code == 400
    assert "reason" in blank.json()["errors"]
    assert PartnerConfirmation.objects.get(application=application).status == "requested"

    declined = answer(reg, application, "decline-partnership", reason="협약 기간이 다릅니다")
    assert declined.status_code == 200
    detail = reg.client(reg.supplier_a).get(f"{V}/applications/{application.pk}/").json()
    assert detail["partner_confirmations"][0]["status"] == "declined"
    assert detail["partner_confirmations"][0]["reason"] == "협약 기간이 다릅니다"
    refused = submit(reg, application)
    assert refused.json()["code"] == "partner_not_confirmed"
    assert "협약 기간이 다릅니다" in refused.json()["detail"]
    event = AuditEvent.objects.get(application=application, action="partner_declined")
    assert event.comment == "협약 기간이 다릅니다"

    # answering again once declined: there is nothing open to answer
    again = answer(reg, application, "confirm-partnership")
    assert again.status_code == 409 and again.json()["code"] == "no_partner_request"

    services.update_application(
        reg.supplier_a,
        application_id=application.pk,
        agreement_end=application.agreement_end.replace(year=2028),
    )
    assert ask(reg, application).status_code == 200
    assert answer(reg, application, "confirm-partnership").status_code == 200
    assert submit(reg, application).json()["status"] == "submitted"


def test_confirming_twice_and_asking_twice_are_conflicts(reg):
    application = reg.draft(confirmed=False)
    ask(reg, application)
    pending = ask(reg, application)
    assert pending.status_code == 409 and pending.json()["code"] == "partner_confirmation_pending"
    answer(reg, application, "confirm-partnership")
    twice = answer(reg, application, "confirm-partnership")
    assert twice.status_code == 409 and twice.json()["code"] == "partner_already_confirmed"
    late_decline = answer(reg, application, "decline-partnership", reason="번복")
    assert late_decline.status_code == 409 and late_decline.json()["code"] == "partner_already_confirmed"
    asked_again = ask(reg, application)
    assert asked_again.status_code == 409 and asked_again.json()["code"] == "partner_already_confirmed"
    assert actions_of(application).count("partner_confirmed") == 1


def test_answering_without_a_request_is_a_conflict(reg):
    application = reg.draft(confirmed=False)
    with pytest.raises(Conflict) as raised:
        services.confirm_partnership(reg.partner_member, application_id=application.pk)
    assert raised.value.code == "no_partner_request"


def test_only_a_member_of_the_partner_answers_for_it(reg):
    """Another company's user, the applicant and even an admin cannot confirm for the partner: the
    service refuses them (403); the API does not even find the request for them (404)."""
    application = reg.draft(confirmed=False)
    ask(reg, application)
    for user in (reg.supplier_a, reg.supplier_b, reg.admin, reg.reviewer):
        with pytest.raises(NotPermitted):
            services.confirm_partnership(user, application_id=application.pk)
        assert answer(reg, application, "confirm-partnership", user=user).status_code == 404
    assert PartnerConfirmation.objects.get(application=application).status == "requested"


def test_the_partner_cannot_edit_or_submit_the_application(reg):
    application = reg.draft()
    partner = reg.client(reg.partner_member)
    edit = partner.patch(f"{V}/applications/{application.pk}/", {"product_name": "바꿈"}, format="json")
    assert edit.status_code == 404
    assert partner.post(f"{V}/applications/{application.pk}/submit/").status_code == 404
    with pytest.raises(NotPermitted):
        services.update_application(reg.partner_member, application_id=application.pk, product_name="바꿈")
    with pytest.raises(NotPermitted):
        services.submit_application(reg.partner_member, application_id=application.pk)
    # the partner's own routes are reads and answers: no update, no delete
    assert partner.patch(f"{V}/partner-requests/{application.pk}/", {}, format="json").status_code == 405
    assert partner.delete(f"{V}/partner-requests/{application.pk}/").status_code == 405


def test_changing_the_agreed_terms_or_the_partner_voids_the_answer(reg):
    application = reg.draft()
    # the description is the applicant's wording, not a term the partner agreed to
    services.update_application(reg.supplier_a, application_id=application.pk, description="문구 수정")
    assert PartnerConfirmation.objects.get(application=application).status == "confirmed"

    services.update_application(reg.supplier_a, application_id=application.pk, product_name="다른 제품")
    confirmation = PartnerConfirmation.objects.get(application=application)
    assert confirmation.status == "invalidated" and confirmation.invalidated_at is not None
    event = AuditEvent.objects.get(application=application, action="partner_confirmation_invalidated")
    assert event.comment == "changed: product_name"
    assert submit(reg, application).json()["code"] == "partner_not_confirmed"

    # a new partner: the old one no longer sees the application, the new one is asked
    other = make_company("새협력사", size="large")
    other_member = make_user(Role.SUPPLIER, other, "other-member")
    ask(reg, application)
    services.update_application(reg.supplier_a, application_id=application.pk, partner=other)
    assert not selectors.partner_requests(reg.partner_member).filter(pk=application.pk).exists()
    assert submit(reg, application).json()["code"] == "partner_not_confirmed"
    ask(reg, application)
    assert selectors.partner_requests(other_member).filter(pk=application.pk).exists()
    assert answer(reg, application, "confirm-partnership", user=reg.partner_member).status_code == 404
    assert answer(reg, application, "confirm-partnership", user=other_member).status_code == 200
    assert submit(reg, application).json()["status"] == "submitted"


def test_a_supplement_keeps_the_confirmation_unless_the_terms_change(reg):
    application = reg.under_review()
    services.request_supplement(reg.reviewer, application_id=application.pk, comment="실적 보완")
    services.update_application(reg.supplier_a, application_id=application.pk, description="보완함")
    assert submit(reg, application).json()["status"] == "submitted"


def test_a_partner_without_members_is_invited_after_the_commit(reg, django_capture_on_commit_callbacks):
    newcomer = make_company("신규협력사", size="large")
    application = make_application(reg.supplier_a, newcomer, confirmed=False)
    missing = ask(reg, application)
    assert missing.status_code == 400
    assert missing.json()["code"] == "partner_contact_required"
    assert "contact_email" in missing.json()["errors"]
    invalid = ask(reg, application, contact_email="not-an-address")
    assert invalid.status_code == 400 and "contact_email" in invalid.json()["errors"]

    sent = []

    def receiver(sender, application, email, **kwargs):
        sent.append((application.pk, email))

    signals.partner_invitation_needed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.request_partner_confirmation(
                reg.supplier_a, application_id=application.pk, contact_email=" ceo@newcomer.example "
            )
        assert sent == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert sent == [(application.pk, "ceo@newcomer.example")]
        assert (
            PartnerConfirmation.objects.get(application=application).contact_email == "ceo@newcomer.example"
        )

        # a partner with members is asked directly: no invitation
        with django_capture_on_commit_callbacks(execute=True):
            ask(reg, reg.draft(confirmed=False))
        assert len(sent) == 1
    finally:
        signals.partner_invitation_needed.disconnect(receiver)


def test_a_request_to_the_applicant_itself_is_refused(reg):
    application = reg.draft(confirmed=False)
    # the forms and the API refuse such a partner when it is set; a row changed behind them is refused too
    CertificationApplication.objects.filter(pk=application.pk).update(partner=reg.company_a)
    with pytest.raises(RuleViolation) as raised:
        services.request_partner_confirmation(reg.supplier_a, application_id=application.pk)
    assert raised.value.code == "self_partnership"
    response = reg.client(reg.supplier_a).patch(
        f"{V}/applications/{application.pk}/", {"partner": reg.company_a.pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "self_partnership"


def test_the_partner_sees_a_draft_only_once_asked(reg):
    draft = reg.draft(confirmed=False)
    assert not selectors.partner_requests(reg.partner_member).filter(pk=draft.pk).exists()
    ask(reg, draft)
    listed = reg.client(reg.partner_member).get(f"{V}/partner-requests/").json()["results"]
    assert [row["id"] for row in listed] == [draft.pk]
    assert listed[0]["available_actions"] == ["confirm_partnership", "decline_partnership"]
    # nobody without a company sees any
    assert selectors.partner_requests(reg.reviewer).count() == 0


def test_a_renewal_needs_the_partners_confirmation_again(reg):
    old = reg.certificate()
    renewal = services.start_renewal(reg.supplier_a, certificate_id=old.pk)
    assert not renewal.partner_confirmations.exists()
    services.attach_evidence(
        reg.supplier_a, application_id=renewal.pk, upload=SimpleUploadedFile("갱신.pdf", PDF_BYTES)
    )
    with pytest.raises(Conflict) as raised:
        services.submit_application(reg.supplier_a, application_id=renewal.pk)
    assert raised.value.code == "partner_not_confirmed"
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.DRAFT


def test_a_declined_request_needs_a_reason_in_the_service_too(reg):
    application = reg.draft(confirmed=False)
    services.request_partner_confirmation(reg.supplier_a, application_id=application.pk)
    with pytest.raises(ValidationError) as raised:
        services.decline_partnership(reg.partner_member, application_id=application.pk, reason="")
    assert "reason" in raised.value.message_dict
