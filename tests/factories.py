"""Builders for test data that go through the real services, so tests exercise the same rules as users."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import ProductListing
from certification import services
from certification.calls import Call, CallTaskType
from certification.codes import Sector, TaskType
from certification.models import Certificate, CertificationApplication, Company, Membership, ReviewStageKind
from certification.panels import EvaluationCriterion
from certification.roles import Role, ensure_role_groups
from certification.services.calls import default_criteria
from certification.validators import business_number_check_digit

_sequence = itertools.count(1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "pw-for-tests-123"  # every test user's, so a test can sign in through the login form


def valid_business_number(seed: int | None = None) -> str:
    seed = next(_sequence) if seed is None else seed
    first_nine = f"{(123450000 + seed * 7919) % 10**9:09d}"
    return first_nine + str(business_number_check_digit(first_nine))


def make_company(name: str | None = None, size: str = "sme", region: str = "11", **fields) -> Company:
    """An SME gets a 중소기업 확인서 valid from a year ago to a year ahead, unless ``fields`` say otherwise."""
    number = next(_sequence)
    if size == "sme":
        fields.setdefault("sme_confirmation_number", f"0012-{number:06d}")
        fields.setdefault("sme_confirmed_from", today_plus(-365))
        fields.setdefault("sme_confirmed_until", today_plus(365))
    return Company.objects.create(
        name=name or f"테스트기업{number}",
        business_number=fields.pop("business_number", valid_business_number(number)),
        size=size,
        region=region,
        representative="홍길동",
        **fields,
    )


def open_call(**overrides) -> Call:
    """The default call of the tests: open from a year ago to a year ahead, every sector, every task type
    for any item (made once per database; ``overrides`` make a call of their own through the service's
    model rules)."""
    if not overrides:
        existing = Call.objects.filter(year=2000, round=1).first()
        if existing is not None:
            return existing
    number = next(_sequence)
    now = timezone.now()
    fields = {
        "title": f"테스트 공고 {number}",
        "year": 2000 if not overrides else 2001,
        "round": 1 if not overrides else number,
        "opens_at": now - timedelta(days=365),
        "closes_at": now + timedelta(days=365),
        "sectors": [s.value for s in Sector],
    }
    task_types = overrides.pop("task_types", [{"task_type": t.value, "any_item": True} for t in TaskType])
    fields.update(overrides)
    call = Call(**fields)
    call.full_clean()
    call.save()
    for values in task_types:
        offered = CallTaskType(call=call, **values)
        offered.full_clean()
        offered.save()
    EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(call=call, position=position, **row)
        for position, row in enumerate(default_criteria())
    )
    return call


def make_user(role: Role, company: Company | None = None, username: str | None = None):
    ensure_role_groups()
    user = get_user_model().objects.create_user(
        username=username or f"{role.value}-{next(_sequence)}", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name=role.value))
    if company is not None:
        Membership.objects.create(user=user, company=company)
    return user


def application_fields(sector: str = "goods", **overrides) -> dict:
    codes = {"goods": "3911160501", "services": "8111150001", "construction": "CS02"}
    task = "capacity_building" if sector == "construction" else "innovative_growth"
    fields = {
        "sector": sector,
        "partner_kind": "mentor",
        "task_type": task,
        "cooperation_type": "joint_development",
        "product_name": "고효율 LED 평판조명" if sector == "goods" else f"{sector} 상생협력 과제",
        "description": "대기업과 공동개발한 제품",
        "classification_code": codes[sector],
        "agreement_start": date(2025, 1, 1),
        "agreement_end": date(2027, 12, 31),
    }
    fields.update(overrides)
    return fields


def partner_member(company: Company):
    """A member of ``company`` to answer for it as a partner: its first member, or a new supplier user of
    that company when it has none yet."""
    member = get_user_model().objects.filter(membership__company=company).order_by("pk").first()
    return member or make_user(Role.SUPPLIER, company, f"partner-{company.pk}-{next(_sequence)}")


def confirm_partner(supplier_user, application: CertificationApplication) -> None:
    """What every application needs before it is submitted: the applicant asks its partner, and a member
    of the partner company confirms (the one helper the tests use for it)."""
    member = partner_member(application.partner)
    services.request_partner_confirmation(supplier_user, application_id=application.pk)
    services.confirm_partnership(member, application_id=application.pk)


def make_application(
    supplier_user,
    partner: Company,
    sector: str = "goods",
    with_evidence: bool = True,
    confirmed: bool = True,
    **overrides,
) -> CertificationApplication:
    """A draft with evidence attached (``with_evidence``) whose partner has confirmed (``confirmed``):
    ready to be submitted."""
    overrides.setdefault("call", open_call())
    application = services.create_application(
        supplier_user, partner=partner, **application_fields(sector, **overrides)
    )
    if with_evidence:
        services.attach_evidence(
            supplier_user,
            application_id=application.pk,
            upload=SimpleUploadedFile("협약서.pdf", PDF_BYTES, "application/pdf"),
            kind="agreement",
        )
    if confirmed:
        confirm_partner(supplier_user, application)
    return application


def make_certificate(
    supplier_user, partner: Company, reviewer, sector: str = "goods", **overrides
) -> Certificate:
    """A real certificate: draft → submitted → under review → three passed stages → approved, through
    the services."""
    application = make_application(supplier_user, partner, sector, **overrides)
    services.submit_application(supplier_user, application_id=application.pk)
    services.start_review(reviewer, application_id=application.pk)
    pass_all_stages(reviewer, application)
    return services.approve_application(reviewer, application_id=application.pk, comment="적합")


def make_evaluators(count: int | None = None) -> list:
    """``count`` users appointed as evaluators (default: the smallest panel allowed)."""
    return [make_user(Role.EVALUATOR) for _ in range(count or settings.EVALUATION_PANEL_MINIMUM)]


def evaluate_stage(reviewer, application, stage: str, marks: tuple[int, ...] = (85, 85, 85), evaluators=None):
    """Runs one stage's panel: seats one evaluator per mark (or ``evaluators``), each scores every criterion
    at that percentage of its points, and the reviewer records the result. Returns the result."""
    evaluators = evaluators or make_evaluators(len(marks))
    services.form_panel(
        reviewer, application_id=application.pk, stage=stage, evaluators=[user.pk for user in evaluators]
    )
    criteria = EvaluationCriterion.objects.filter(call_id=application.call_id, stage=stage)
    for evaluator, mark in zip(evaluators, marks, strict=True):
        services.score_stage(
            evaluator,
            application_id=application.pk,
            stage=stage,
            scores={c.pk: Decimal(c.weight * mark) / 100 for c in criteria},
        )
    return services.record_review_stage(reviewer, application_id=application.pk, stage=stage)


def pass_all_stages(reviewer, application) -> None:
    """Passes each review stage in order (대면평가 → 현장평가 → 심의위원회), each by a panel of three
    scoring 85 of 100; the same three evaluators sit on every panel."""
    evaluators = make_evaluators()
    for stage in ReviewStageKind.values:
        evaluate_stage(reviewer, application, stage, evaluators=evaluators)


def listing_fields(sector: str = "goods", **overrides) -> dict:
    fields = {
        "name": "LED 평판조명",
        "specification": "LED-PL-640, 40W, 640x640mm",
        "manufacturer": "테스트조명",
        "unit": "EA",
        "unit_price": 125000,
        "delivery_lead_days": 14,
        "keywords": "LED,조명,절전",
    }
    if sector == "services":
        fields.update(
            name="정보시스템 유지관리",
            unit="월",
            service_period_months=12,
            service_scope="서버 및 응용 프로그램 유지관리",
            specification="월 정기점검 포함",
        )
    if sector == "construction":
        fields.update(
            name="학교 실내건축 공사",
            unit="식",
            licence_number="서울-02-1234",
            specification="교실 리모델링 표준안",
        )
    fields.update(overrides)
    return fields


def make_listing(supplier_user, certificate: Certificate, regions=("11",), **overrides) -> ProductListing:
    return catalog_services.create_listing(
        supplier_user,
        certificate_id=certificate.pk,
        delivery_regions=list(regions),
        **listing_fields(certificate.sector, **overrides),
    )


def today_plus(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def bulk_listings(template: ProductListing, count: int, regions=("11",)) -> list[int]:
    """``count`` copies of a listing inserted with bulk_create (no services, no signals): volume for
    streaming and memory tests. Returns the new ids."""
    from catalog.models import DeliveryRegion

    skip = {"id", "goods_identification_number", "created_at", "updated_at"}
    values = {
        field.attname: getattr(template, field.attname)
        for field in ProductListing._meta.concrete_fields
        if field.name not in skip
    }
    created = ProductListing.objects.bulk_create(
        [ProductListing(**{**values, "name": f"{template.name} {index}"}) for index in range(count)],
        batch_size=1000,
    )
    through = ProductListing.delivery_regions.through
    region_objects = list(DeliveryRegion.objects.filter(code__in=regions))
    through.objects.bulk_create(
        [
            through(productlisting_id=listing.pk, deliveryregion_id=region.pk)
            for listing in created
            for region in region_objects
        ],
        batch_size=1000,
    )
    return [listing.pk for listing in created]
