"""The partner's pages (협력 요청) and the applicant's request for confirmation, through the pages: the
partner's member reads what names its company without the applicant's evidence, confirms or declines
with a reason; the applicant reads the reason and asks again; forbidden cases answer 403/404."""

import pytest

from certification.models import AuditEvent
from certification.partners import PartnerConfirmation
from certification.roles import Role
from tests.factories import make_application, make_company, make_user


@pytest.fixture
def asked(world):
    """Supplier A's new application, whose partner is asked for its confirmation through the page."""
    application = world.draft(product_name="협력 확인 대기 제품", confirmed=False)
    response = world.client(world.supplier_a).post(
        f"/supplier/applications/{application.pk}/partner-confirmation/"
    )
    assert response.status_code == 302
    return application


def test_the_partner_reads_the_request_without_the_evidence_and_confirms(world, asked):
    client = world.client(world.partner_member)
    listing = client.get("/partner/").content.decode()
    assert "협력 확인 대기 제품" in listing and "답변을 기다리는 참여 확인 요청" in listing
    page = client.get(f"/partner/requests/{asked.pk}/").content.decode()
    assert world.company_a.name in page and "참여 확인" in page
    document = asked.documents.get()
    assert document.original_name not in page and f"/documents/{document.pk}/" not in page
    assert client.get(f"/documents/{document.pk}/").status_code == 404

    response = client.post(f"/partner/requests/{asked.pk}/confirm/", {"comment": "참여합니다"}, follow=True)
    assert "참여를 확인했습니다" in response.content.decode()
    assert PartnerConfirmation.objects.get(application=asked).status == "confirmed"
    # answered: the forms are gone
    assert 'action="/partner/requests/' not in client.get(f"/partner/requests/{asked.pk}/").content.decode()

    submitted = world.client(world.supplier_a).post(f"/supplier/applications/{asked.pk}/submit/", follow=True)
    assert "신청서를 제출했습니다" in submitted.content.decode()


def test_a_decline_needs_a_reason_and_the_applicant_reads_it(world, asked):
    client = world.client(world.partner_member)
    blank = client.post(f"/partner/requests/{asked.pk}/decline/", {"reason": " "}, follow=True)
    assert "거절 사유를 입력하세요" in blank.content.decode()
    assert PartnerConfirmation.objects.get(application=asked).status == "requested"
    client.post(f"/partner/requests/{asked.pk}/decline/", {"reason": "공동개발 범위가 다릅니다"})
    assert AuditEvent.objects.filter(application=asked, action="partner_declined").exists()

    applicant = world.client(world.supplier_a)
    dashboard = applicant.get("/supplier/").content.decode()
    assert "협력기업이 참여를 거절한 신청" in dashboard and "참여 거절" in dashboard
    page = applicant.get(f"/supplier/applications/{asked.pk}/").content.decode()
    assert "공동개발 범위가 다릅니다" in page and "참여 확인 다시 요청" in page
    refused = applicant.post(f"/supplier/applications/{asked.pk}/submit/", follow=True).content.decode()
    assert "공동개발 범위가 다릅니다" in refused
    applicant.post(f"/supplier/applications/{asked.pk}/partner-confirmation/")
    assert PartnerConfirmation.objects.filter(application=asked, status="requested").count() == 1


def test_others_cannot_see_or_answer_the_request(world, asked):
    stranger = make_user(Role.SUPPLIER, make_company("무관한회사", size="large"), "stranger")
    for user in (stranger, world.supplier_a, world.supplier_b):
        client = world.client(user)
        assert client.get(f"/partner/requests/{asked.pk}/").status_code == 404
        assert client.post(f"/partner/requests/{asked.pk}/confirm/").status_code == 404
        assert client.post(f"/partner/requests/{asked.pk}/decline/", {"reason": "x"}).status_code == 404
    for user in (world.reviewer, world.officer, world.admin):  # no company: no partner pages
        assert world.client(user).post(f"/partner/requests/{asked.pk}/confirm/").status_code == 403
    assert world.client().post(f"/partner/requests/{asked.pk}/confirm/").status_code == 302  # sign in
    # the partner never edits, submits or asks on the applicant's pages
    partner = world.client(world.partner_member)
    assert partner.post(f"/supplier/applications/{asked.pk}/submit/").status_code == 404
    assert partner.get(f"/supplier/applications/{asked.pk}/edit/").status_code == 404
    assert partner.post(f"/supplier/applications/{asked.pk}/partner-confirmation/").status_code == 404
    assert PartnerConfirmation.objects.get(application=asked).status == "requested"


def test_a_partner_without_users_needs_a_contact_email(world):
    newcomer = make_company("신규협력사", size="large")
    application = make_application(world.supplier_a, newcomer, confirmed=False)
    applicant = world.client(world.supplier_a)
    page = applicant.get(f"/supplier/applications/{application.pk}/").content.decode()
    assert 'name="contact_email"' in page
    refused = applicant.post(f"/supplier/applications/{application.pk}/partner-confirmation/", follow=True)
    assert "초대할 담당자 이메일을 입력하세요" in refused.content.decode()
    assert not PartnerConfirmation.objects.filter(application=application).exists()
    applicant.post(
        f"/supplier/applications/{application.pk}/partner-confirmation/", {"contact_email": "ceo@new.example"}
    )
    assert PartnerConfirmation.objects.get(application=application).contact_email == "ceo@new.example"


def test_the_partner_lists_certificates_naming_its_company(world):
    page = world.client(world.partner_member).get("/partner/").content.decode()
    assert world.cert_a.number in page and world.cert_b.number in page
    assert world.cert_a.number not in world.client(world.supplier_b).get("/partner/").content.decode()


def test_the_navigation_offers_the_partners_pages_to_company_members(world):
    def nav(user) -> str:
        html = world.client(user).get("/search/").content.decode()
        start = html.index('id="site-nav"')
        return html[start : html.index("</nav>", start)]

    assert 'href="/partner/"' in nav(world.partner_member)
    assert 'href="/partner/"' not in nav(world.reviewer)
    assert 'href="/partner/"' not in nav(world.officer)


def test_a_withdrawn_application_waits_for_no_answer(world, asked):
    from certification import services

    services.withdraw_application(world.supplier_a, application_id=asked.pk)
    client = world.client(world.partner_member)
    assert "답변을 기다리는 참여 확인 요청" not in client.get("/partner/").content.decode()
    assert 'action="/partner/requests/' not in client.get(f"/partner/requests/{asked.pk}/").content.decode()
    refused = client.post(f"/partner/requests/{asked.pk}/confirm/", follow=True).content.decode()
    assert "현재 상태에서는 이 작업을 할 수 없습니다" in refused
    assert PartnerConfirmation.objects.get(application=asked).status == "requested"
