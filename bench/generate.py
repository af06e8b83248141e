"""Deterministic, realistic catalog data at scale, loaded with bulk inserts.

    DJANGO_SETTINGS_MODULE=config.settings python -m bench.generate --listings 100000

Creates suppliers, partner enterprises, approved applications, active certificates (a few suspended,
revoked or expired) and N listings across goods, construction and services, in Korean and English.
It writes rows directly (no services, no outbox): benchmarks then index or export them in bulk.
The same --seed always gives the same data.
"""

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta

import django

LISTINGS_PER_CERTIFICATE = 20
BATCH = 5000


def _words():
    from catalog.demo_data import TEMPLATES

    return TEMPLATES


def generate(listings: int, seed: int = 7, today: date | None = None) -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from catalog.models import DeliveryRegion, ProductListing
    from certification.calls import Call, CallTaskType
    from certification.codes import Sector, TaskType
    from certification.models import (
        ApplicationStatus,
        Certificate,
        CertificateStatus,
        CertificationApplication,
        Company,
        Region,
    )
    from certification.validators import business_number_check_digit

    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or date.today()
    templates = _words()
    certificates_needed = max(1, listings // LISTINGS_PER_CERTIFICATE)
    supplier_count = max(2, certificates_needed // 4)
    partner_count = max(2, supplier_count // 10)
    regions = list(Region.values)
    base = rng.randrange(100_000, 800_000) * 1000

    def bizno(i: int) -> str:
        first = f"{(base + i) % 10**9:09d}"
        return first + str(business_number_check_digit(first))

    with transaction.atomic():
        reviewer, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
        # every generated application was decided in one closed bench call that took everything
        first_day = today - timedelta(days=1000)
        opened = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
        call, created = Call.objects.get_or_create(
            year=today.year,
            round=99,
            defaults={
                "title": "벤치마크 데이터 공고",
                "opens_at": opened,
                "closes_at": opened + timedelta(days=90),
                "sectors": Sector.values,
            },
        )
        if created:
            CallTaskType.objects.bulk_create(
                CallTaskType(call=call, task_type=task, any_item=True) for task in TaskType.values
            )
        partners = Company.objects.bulk_create(
            Company(
                name=f"협력대기업{i:04d}",
                name_en=f"Partner Enterprise {i}",
                business_number=bizno(i),
                size="large",
                region=rng.choice(regions),
                representative="김대표",
            )
            for i in range(partner_count)
        )
        suppliers = Company.objects.bulk_create(
            (
                Company(
                    name=f"상생중소기업{i:05d}",
                    name_en=f"SME Supplier {i}",
                    business_number=bizno(partner_count + i),
                    size="sme",
                    region=rng.choice(regions),
                    representative="이대표",
                )
                for i in range(supplier_count)
            ),
            batch_size=BATCH,
        )
        plans = []
        for i in range(certificates_needed):
            template = templates[i % len(templates)]
            plans.append((template, suppliers[i % supplier_count], partners[i % partner_count]))
        applications = CertificationApplication.objects.bulk_create(
            (
                CertificationApplication(
                    call=call,
                    supplier=supplier,
                    partner=partner,
                    partner_kind="mentor",
                    sector=template.sector,
                    task_type="capacity_building"
                    if template.sector == "construction"
                    else "innovative_growth",
                    cooperation_type="joint_development",
                    product_name=template.name,
                    product_name_en=template.name_en,
                    classification_code=template.code,
                    agreement_start=date(2025, 1, 1),
                    agreement_end=date(2028, 12, 31),
                    status=ApplicationStatus.APPROVED,
                    created_by=reviewer,
                )
                for template, supplier, partner in plans
            ),
            batch_size=BATCH,
        )
        year = today.year
        certificates = []
        for i, ((template, supplier, partner), application) in enumerate(
            zip(plans, applications, strict=True)
        ):
            roll = rng.random()
            status = (
                CertificateStatus.SUSPENDED
                if roll < 0.02
                else CertificateStatus.REVOKED
                if roll < 0.03
                else CertificateStatus.ACTIVE
            )
            issued = today - timedelta(days=rng.randint(1, 900))
            certificates.append(
                Certificate(
                    number=f"WB-{year}-{seed:03d}{i:07d}",
                    application=application,
                    supplier=supplier,
                    partner=partner,
                    sector=template.sector,
                    product_name=template.name,
                    classification_code=template.code,
                    issued_on=issued,
                    expires_on=issued + timedelta(days=1095 if roll > 0.05 else rng.randint(1, 60)),
                    status=status,
                )
            )
        certificates = Certificate.objects.bulk_create(certificates, batch_size=BATCH)

        region_rows = {region.code: region for region in DeliveryRegion.objects.all()}
        through = ProductListing.delivery_regions.through
        created = 0
        generated_at = datetime.now(UTC)
        while created < listings:
            chunk = []
            for n in range(created, min(listings, created + BATCH)):
                certificate = certificates[n // LISTINGS_PER_CERTIFICATE % len(certificates)]
                template = templates[(n // LISTINGS_PER_CERTIFICATE) % len(templates)]
                spec = template.specs[n % len(template.specs)]
                low, high = template.price
                chunk.append(
                    ProductListing(
                        certificate=certificate,
                        supplier_id=certificate.supplier_id,
                        sector=certificate.sector,
                        name=template.name,
                        name_en=template.name_en,
                        specification=f"{spec} 모델 {n:06d}",
                        manufacturer=f"상생중소기업{certificate.supplier_id:05d}",
                        unit=template.unit,
                        unit_price=rng.randint(low, high),
                        delivery_lead_days=rng.choice([7, 14, 30, 45]),
                        description=f"{template.name} ({template.name_en}) 대기업 협력 공동개발 제품. {spec}.",
                        keywords=template.keywords,
                        classification_code=template.code,
                        service_period_months=12 if template.sector == "services" else None,
                        service_scope="전 과정 수행" if template.sector == "services" else "",
                        work_type=template.code if template.sector == "construction" else "",
                        licence_number="제1234호" if template.sector == "construction" else "",
                        published=(published := rng.random() > 0.02),
                        # services would record it on the first write that found the listing listed
                        first_listed_at=generated_at if published else None,
                    )
                )
            rows = ProductListing.objects.bulk_create(chunk, batch_size=BATCH)
            through.objects.bulk_create(
                (
                    through(productlisting_id=row.pk, deliveryregion_id=code)
                    for row in rows
                    for code in rng.sample(list(region_rows), rng.randint(1, 4))
                ),
                batch_size=BATCH,
            )
            created += len(rows)
    return {
        "listings": listings,
        "certificates": len(certificates),
        "suppliers": supplier_count,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    django.setup()
    print(generate(args.listings, args.seed))


if __name__ == "__main__":
    main()
