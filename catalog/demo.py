"""Demo data for `make run`: users for every role, Korean companies, applications in every state,
certificates and a few hundred listings across goods, construction and services, in a realistic catalog
of a few thousand generated products (``catalog.generator``).

The demo's own companies, applications, certificates and listings are created through the real services,
so they obey the same rules as users do; the generated catalog around them is written in bulk (as
``bench.generate`` does) and handed to search through ``listings_changed``, as every listing change is.
The same seed always gives the same data. Running it twice changes nothing. The data tables live in
``catalog.demo_data``; this module only loads them.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from catalog import services as catalog_services
from catalog.demo_data import DEMO_FAMILIES, GENERATED_LISTINGS, GENERATED_SEED, PARTNERS, REGIONS, SUPPLIERS
from catalog.demo_people import demo_company, demo_user, partner_member
from catalog.generator import FAMILIES_BY_KEY, Family
from catalog.generator.bulk import load_catalog
from catalog.generator.products import MODEL_LETTERS, describe
from catalog.models import ProductListing
from catalog.signals import listings_changed
from certification import services
from certification.calls import Call
from certification.codes import Sector, TaskType
from certification.models import Company, PartnerKind
from certification.panels import EvaluationCriterion, ReviewStageKind
from certification.roles import Role, ensure_role_groups

#: evaluator1 … evaluator5; the last is a member of the partner enterprise PARTNERS[TIED_PARTNER]
EVALUATOR_COUNT = 5
TIED_PARTNER = 2
SEED = 20261123
DEMO_PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _calls(admin) -> tuple[Call, Call]:
    """This year's first round, which the decided applications went through (closed once they are in),
    and the second round, open now, where the drafts and the applications under way are. The second
    round limits 혁신성장과제 to listed 세부품명번호, as the real calls limit it to SME-competition items."""
    now, year = timezone.now(), timezone.localdate().year
    every_task = [{"task_type": task, "any_item": True} for task in TaskType.values]
    listed_items = sorted({item_code(f) for f in _demo_families() if f.sector != "construction"})
    limited = [
        {"task_type": TaskType.INNOVATIVE_GROWTH, "eligible_items": listed_items},
        *(t for t in every_task if t["task_type"] != TaskType.INNOVATIVE_GROWTH),
    ]
    # round: (opened days ago, closes in days, task types); the first round is closed once filled
    rounds = {1: (120, 1, every_task), 2: (7, 60, limited)}
    first, second = (
        services.create_call(
            admin,
            title=f"{year}년 {number}차 상생협력제품 모집공고",
            year=year,
            round=number,
            opens_at=now - timedelta(days=opened),
            closes_at=now + timedelta(days=closes),
            sectors=Sector.values,
            task_types=task_types,
        )
        for number, (opened, closes, task_types) in rounds.items()
    )
    return first, second


def _demo_families() -> list[Family]:
    return [FAMILIES_BY_KEY[key] for key in DEMO_FAMILIES]


def item_code(family: Family) -> str:
    """The one item a demo certificate covers: the first 10-digit 세부품명번호 under the family's class, or
    its work type for construction."""
    return f"{family.code}01" if family.eight_digit else family.code


def _application(rng: random.Random, supplier_user, partner: Company, family: Family, call: Call):
    task = (
        "capacity_building"
        if family.sector == "construction"
        else rng.choice(["innovative_growth", "materials_parts", "tech_convergence"])
    )
    application = services.create_application(
        supplier_user,
        call=call,
        partner=partner,
        partner_kind=rng.choice(PartnerKind.values),
        sector=family.sector,
        task_type=task,
        cooperation_type=rng.choice(["joint_development", "technology_transfer", "performance_sharing"]),
        product_name=family.names[0],
        product_name_en=family.name_en,
        description=f"{partner.name}와(과) 공동개발한 {family.names[0]}",
        classification_code=item_code(family),
        agreement_start="2025-01-01",
        agreement_end="2028-12-31",
    )
    services.attach_evidence(
        supplier_user,
        application_id=application.pk,
        upload=SimpleUploadedFile("협약서.pdf", DEMO_PDF),
        kind="agreement",
    )
    return application


def _confirm(supplier_user, application, *, answer: bool = True):
    """The applicant asks its partner to confirm taking part; the partner's member confirms (``answer``)."""
    services.request_partner_confirmation(supplier_user, application_id=application.pk)
    if answer:
        member = partner_member(application.partner)
        services.confirm_partnership(
            member, application_id=application.pk, comment="협약 내용대로 참여합니다."
        )


def _partner_examples(rng: random.Random, suppliers, partners: list[Company], call: Call) -> None:
    """The partner's side of the open call: a request the partner declined, with its reason (the applicant
    may change the application and ask again), and one to a partner with no users yet, invited at the
    contact e-mail the applicant gave (``signals.partner_invitation_needed``, after the commit)."""
    _company_row, supplier_user = suppliers[10]
    declined = _application(rng, supplier_user, partners[1], _demo_families()[1], call)
    services.request_partner_confirmation(supplier_user, application_id=declined.pk)
    services.decline_partnership(
        partner_member(partners[1]),
        application_id=declined.pk,
        reason="협약 기간이 협의한 내용과 다릅니다: 2027년 12월 31일까지로 고쳐 주세요.",
    )
    newcomer = demo_company(len(PARTNERS), "새봄소재", "44", "mid", "Saebom Materials")
    _company_row, supplier_user = suppliers[11]
    invited = _application(rng, supplier_user, newcomer, _demo_families()[2], call)
    services.request_partner_confirmation(
        supplier_user, application_id=invited.pk, contact_email="contact@saebom-materials.example"
    )


def _certify(reviewer, supplier_user, application, panel: list):
    _confirm(supplier_user, application)
    services.submit_application(supplier_user, application_id=application.pk)
    services.start_review(reviewer, application_id=application.pk)
    for stage in ReviewStageKind.values:
        _evaluate(reviewer, application, stage, panel, marks=(82, 85, 88))
    return services.approve_application(reviewer, application_id=application.pk, comment="상생협력제품 지정")


def _evaluators(partners: list[Company]) -> list:
    """The appointed evaluators: four independent experts, who sit on the demo's panels, and one who works
    at a partner enterprise, so the panel form shows a conflict of interest on that partner's applications
    (the open call's third application, under review with no panel yet, is one)."""
    demo_user(f"evaluator{EVALUATOR_COUNT}", Role.EVALUATOR, partners[TIED_PARTNER])
    return [demo_user(f"evaluator{n}", Role.EVALUATOR) for n in range(1, EVALUATOR_COUNT)]


def _evaluate(reviewer, application, stage: str, panel: list, marks, *, scored: int = 3, record: bool = True):
    """Runs one stage's panel through the services: the reviewer seats ``panel``, the first ``scored`` of
    them score every criterion at their mark's percentage of its points, and the reviewer
    closes the panel and records the result unless ``record`` is False."""
    services.form_panel(
        reviewer, application_id=application.pk, stage=stage, evaluators=[user.pk for user in panel]
    )
    criteria = list(EvaluationCriterion.objects.filter(call_id=application.call_id, stage=stage))
    for evaluator, mark in list(zip(panel, marks, strict=True))[:scored]:
        services.score_stage(
            evaluator,
            application_id=application.pk,
            stage=stage,
            scores={criterion.pk: Decimal(criterion.weight * mark) / 100 for criterion in criteria},
            comment="우수" if mark >= 85 else ("보통" if mark >= 70 else "미흡"),
        )
    if record:
        services.record_review_stage(reviewer, application_id=application.pk, stage=stage)


def _listings(rng: random.Random, supplier_user, certificate, family: Family, count: int) -> None:
    model_prefix = "".join(rng.choice(MODEL_LETTERS) for _ in range(2))
    for _ in range(count):
        text = describe(family, rng, model_prefix)
        extra = {}
        if family.sector == "services":
            extra = {
                "service_period_months": rng.choice([6, 12, 24]),
                "service_scope": f"{text.kind} {family.blurb}".strip(),
            }
        if family.sector == "construction":
            extra = {"licence_number": f"제{rng.randint(1000, 9999)}호"}
        low, high = family.price
        catalog_services.create_listing(
            supplier_user,
            certificate_id=certificate.pk,
            delivery_regions=rng.sample(REGIONS, rng.randint(1, 6)),
            name=text.name,
            name_en=family.name_en,
            specification=text.specification,
            manufacturer=certificate.supplier.name,
            unit=family.unit,
            unit_price=rng.randrange(low, high, 10),
            min_order_quantity=rng.choice([1, 1, 5, 10]),
            delivery_lead_days=rng.choice([7, 14, 30, 45, 60]),
            description=f"{family.blurb}. {certificate.partner.name}와(과) 공동개발한 상생협력제품. "
            f"{text.attribute_text}.",
            keywords=text.keywords,
            **extra,
        )


def _generated_catalog() -> int:
    """The realistic catalog around the demo's own products, written in bulk and handed to search."""
    loaded = load_catalog(size=GENERATED_LISTINGS, seed=GENERATED_SEED)
    # search indexes what is listed when it applies the outbox, so every new id is handed over
    listings_changed.send(sender=ProductListing, listing_ids=loaded.listing_ids)
    return len(loaded.listing_ids)


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    ensure_role_groups()
    admin = demo_user("admin", Role.ADMIN)
    reviewer = demo_user("reviewer", Role.REVIEWER)
    demo_user("officer", Role.OFFICER)
    demo_user("program", Role.PROGRAM_STAFF)  # reads the program dashboard (/program/)
    if ProductListing.objects.exists():
        return _summary()

    rng = random.Random(SEED)
    partners = [
        demo_company(i, name, region, "large", name_en) for i, (name, name_en, region) in enumerate(PARTNERS)
    ]
    suppliers = []
    for i, (name, region) in enumerate(SUPPLIERS):
        company = demo_company(100 + i, name, region, "sme")
        suppliers.append((company, demo_user(f"supplier{i + 1}", Role.SUPPLIER, company)))
    # one user per partner enterprise (partner1 …), who confirms its participation
    for i, partner in enumerate(partners):
        demo_user(f"partner{i + 1}", Role.SUPPLIER, partner)
    first_call, second_call = _calls(admin)
    evaluators = _evaluators(partners)

    for i, family in enumerate(_demo_families()):
        _company_row, supplier_user = suppliers[i % len(suppliers)]
        partner = partners[i % len(partners)]
        # two certificates per family, each with a few products of it
        for _ in range(2):
            application = _application(rng, supplier_user, partner, family, first_call)
            certificate = _certify(reviewer, supplier_user, application, rng.sample(evaluators, 3))
            _listings(rng, supplier_user, certificate, family, rng.randint(6, 10))

    _applications_in_progress(rng, reviewer, suppliers, partners, first_call, second_call, evaluators)
    _partner_examples(rng, suppliers, partners, second_call)
    services.update_call(admin, call_id=first_call.pk, closes_at=timezone.now())  # the first round is over
    _certificate_lifecycle_examples(reviewer)
    _generated_catalog()
    return _summary()


# The review queue's examples, each with how far its panels got: (stage, the three evaluators' marks, how
# many of them have scored, whether the reviewer recorded the result). Decided ones went through the first
# call; the last is rejected by its failed site visit (average 63.33 against the pass score of 70).
PASSING = (78, 84, 90)
IN_PROGRESS = (
    ("draft", ()),
    ("submitted", ()),
    ("under_review", ()),
    ("supplement_requested", ()),
    ("under_review", (("presentation", PASSING, 1, False),)),
    ("under_review", (("presentation", PASSING, 3, True), ("site", (88, 81, 75), 2, False))),
    (
        "under_review",
        (
            ("presentation", PASSING, 3, True),
            ("site", PASSING, 3, True),
            ("committee", (86, 90, 83), 3, False),
        ),
    ),
    ("under_review", tuple((stage, PASSING, 3, True) for stage in ReviewStageKind.values)),
    ("rejected", ()),
    ("rejected", (("presentation", PASSING, 3, True), ("site", (62, 58, 70), 3, True))),
)


def _applications_in_progress(
    rng, reviewer, suppliers, partners, first_call, second_call, evaluators
) -> None:
    """A review queue worth looking at: applications in every open state and at every panel stage, in
    the open call; the rejected ones were decided in the first call."""
    families = _demo_families()
    for index, (state, stages) in enumerate(IN_PROGRESS):
        _company_row, supplier_user = suppliers[index]
        call = first_call if state == "rejected" else second_call
        application = _application(
            rng, supplier_user, partners[index % len(partners)], families[(index * 3) % len(families)], call
        )
        # the draft waits for its partner's answer; the others were confirmed before they were submitted
        _confirm(supplier_user, application, answer=state != "draft")
        if state == "draft":
            continue
        services.submit_application(supplier_user, application_id=application.pk)
        if state == "submitted":
            continue
        services.start_review(reviewer, application_id=application.pk)
        panel = evaluators[index % 2 : index % 2 + 3]
        for stage, marks, scored, record in stages:
            _evaluate(reviewer, application, stage, panel, marks, scored=scored, record=record)
        if state == "supplement_requested":
            services.request_supplement(
                reviewer, application_id=application.pk, comment="시험성적서를 보완해 주세요."
            )
        if state == "rejected" and not stages:
            services.reject_application(
                reviewer, application_id=application.pk, comment="협력 실적이 확인되지 않습니다."
            )


def _certificate_lifecycle_examples(reviewer) -> None:
    from certification.models import Certificate

    # the second certificate of two products, so every product still has listed offers to find (the
    # generated catalog comes after: its certificates are not among these)
    certificates = list(Certificate.objects.order_by("pk"))
    services.suspend_certificate(reviewer, certificate_id=certificates[5].pk, reason="품질 점검 중")
    services.revoke_certificate(reviewer, certificate_id=certificates[9].pk, reason="허위 서류 제출 확인")


def _summary() -> dict[str, int]:
    from certification.models import Certificate, CertificationApplication

    return {
        "users": get_user_model().objects.count(),
        "evaluators": get_user_model().objects.filter(groups__name=Role.EVALUATOR.value).count(),
        "companies": Company.objects.count(),
        "applications": CertificationApplication.objects.count(),
        "certificates": Certificate.objects.count(),
        "listings": ProductListing.objects.count(),
    }
