"""Writes a generated catalog into the database with bulk inserts: companies, one closed call, approved
applications, certificates (a few suspended, revoked or expired), listings and their delivery regions.

No services and no outbox: whoever loads in bulk indexes in bulk afterwards (``search_index rebuild``),
or tells search about the new listings through ``catalog.signals.listings_changed`` (the demo).
"""

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.generator import FAMILIES_BY_KEY
from catalog.generator.products import GeneratedCatalog, GeneratedCompany, generate_catalog
from catalog.models import ProductListing
from certification.calls import Call, CallTaskType
from certification.codes import Sector, TaskType
from certification.models import (
    ApplicationStatus,
    Certificate,
    CertificationApplication,
    Company,
)
from certification.partners import ConfirmationStatus, PartnerConfirmation, agreed_terms

BATCH = 5000


@dataclass
class LoadedCatalog:
    """A generated catalog and the database ids of its rows: ``listing_ids[i]`` is product ``i``'s."""

    catalog: GeneratedCatalog
    listing_ids: list[int]
    supplier_ids: list[int]
    partner_ids: list[int]
    seconds: float

    def product_of(self) -> dict[int, int]:
        """listing id → product index."""
        return {listing_id: index for index, listing_id in enumerate(self.listing_ids)}


def _companies(companies: list[GeneratedCompany], today: date) -> list[Company]:
    # suppliers are SMEs with a 중소기업 확인서 for this year and next, as the real ones hold about a year at
    # a time; their confirmation numbers follow the registry's 0012-year-sequence
    return Company.objects.bulk_create(
        (
            Company(
                name=c.name,
                name_en=c.name_en,
                business_number=c.business_number,
                size=c.size,
                region=c.region,
                representative="김대표" if c.size == "large" else "이대표",
                **(
                    {
                        "sme_confirmation_number": f"0012-{today.year}-{50_000 + c.index:05d}",
                        "sme_confirmed_from": today.replace(month=1, day=1),
                        "sme_confirmed_until": today.replace(year=today.year + 1, month=12, day=31),
                    }
                    if c.size == "sme"
                    else {}
                ),
            )
            for c in companies
        ),
        batch_size=BATCH,
    )


def _call(today: date) -> Call:
    """The closed call every generated application was decided in (it took every task type and item)."""
    first_day = today - timedelta(days=1000)
    opened = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    call, created = Call.objects.get_or_create(
        year=first_day.year,
        round=1,
        defaults={
            "title": f"{first_day.year}년 1차 상생협력제품 모집공고",
            "opens_at": opened,
            "closes_at": opened + timedelta(days=90),
            "sectors": Sector.values,
        },
    )
    if created:
        CallTaskType.objects.bulk_create(
            CallTaskType(call=call, task_type=task, any_item=True) for task in TaskType.values
        )
    return call


@transaction.atomic
def load_catalog(
    catalog: GeneratedCatalog | None = None, *, size: int = 0, seed: int = 7, today: date | None = None
) -> LoadedCatalog:
    """Writes ``catalog`` (or a new one of ``size`` products from ``seed``) and returns the row ids."""
    started = time.perf_counter()
    today = today or date.today()
    catalog = catalog or generate_catalog(size, seed, today)
    reviewer, _ = get_user_model().objects.get_or_create(username="catalog-generator")
    call = _call(today)
    partners = _companies(catalog.partners, today)
    suppliers = _companies(catalog.suppliers, today)
    families = FAMILIES_BY_KEY
    applications = CertificationApplication.objects.bulk_create(
        (
            CertificationApplication(
                call=call,
                supplier=suppliers[c.supplier],
                partner=partners[c.partner],
                partner_kind="mentor",
                sector=families[c.family].sector,
                task_type="capacity_building"
                if families[c.family].sector == Sector.CONSTRUCTION
                else "innovative_growth",
                cooperation_type="joint_development",
                product_name=families[c.family].names[0],
                product_name_en=families[c.family].name_en,
                classification_code=c.code,
                agreement_start=date(2024, 1, 1),
                agreement_end=date(2028, 12, 31),
                status=ApplicationStatus.APPROVED,
                created_by=reviewer,
            )
            for c in catalog.certificates
        ),
        batch_size=BATCH,
    )
    # every approved application had its partner's confirmation of the terms it was certified on
    PartnerConfirmation.objects.bulk_create(
        (
            PartnerConfirmation(
                application=application,
                partner=application.partner,
                status=ConfirmationStatus.CONFIRMED,
                terms=agreed_terms(application),
                requested_by=reviewer,
                answered_at=timezone.now(),
            )
            for application in applications
        ),
        batch_size=BATCH,
    )
    certificates = Certificate.objects.bulk_create(
        (
            Certificate(
                number=c.number,
                application=application,
                supplier=suppliers[c.supplier],
                partner=partners[c.partner],
                sector=families[c.family].sector,
                product_name=families[c.family].names[0],
                classification_code=c.code,
                issued_on=today - timedelta(days=c.issued_days_ago),
                expires_on=today - timedelta(days=c.issued_days_ago) + timedelta(days=c.valid_days),
                status=c.status,
            )
            for c, application in zip(catalog.certificates, applications, strict=True)
        ),
        batch_size=BATCH,
    )
    listing_ids = _listings(catalog, certificates, suppliers)
    return LoadedCatalog(
        catalog=catalog,
        listing_ids=listing_ids,
        supplier_ids=[s.pk for s in suppliers],
        partner_ids=[p.pk for p in partners],
        seconds=round(time.perf_counter() - started, 2),
    )


def _listings(
    catalog: GeneratedCatalog, certificates: list[Certificate], suppliers: list[Company]
) -> list[int]:
    through = ProductListing.delivery_regions.through
    listed_at = datetime.now(UTC)
    ids: list[int] = []
    for start in range(0, len(catalog.products), BATCH):
        chunk = catalog.products[start : start + BATCH]
        rows = ProductListing.objects.bulk_create(
            ProductListing(
                certificate=certificates[p.certificate],
                supplier_id=suppliers[p.supplier].pk,
                sector=p.sector,
                name=p.name,
                name_en=p.name_en,
                specification=p.specification,
                manufacturer=suppliers[p.supplier].name,
                unit=p.unit,
                unit_price=p.unit_price,
                delivery_lead_days=(7, 14, 30, 45)[p.index % 4],
                description=p.description,
                keywords=p.keywords,
                classification_code=p.code,
                goods_identification_number=p.goods_identification_number,
                service_period_months=p.service_period_months,
                service_scope=p.service_scope,
                work_type=p.code if p.sector == Sector.CONSTRUCTION else "",
                licence_number=p.licence_number,
                published=p.published,
                # services would record it on the first write that found the listing listed
                first_listed_at=listed_at if p.listed else None,
            )
            for p in chunk
        )
        through.objects.bulk_create(
            (
                through(productlisting_id=row.pk, deliveryregion_id=code)
                for row, product in zip(rows, chunk, strict=True)
                for code in product.regions
            ),
            batch_size=BATCH,
        )
        ids.extend(row.pk for row in rows)
    return ids
