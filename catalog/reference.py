"""The catalog's own reference rows: one ``DeliveryRegion`` per 시·도."""


def ensure_delivery_regions(**kwargs) -> None:
    """post_migrate handler: every region exists, also after a test flush (which empties the table)."""
    from catalog.models import DeliveryRegion
    from certification.models import Region

    if DeliveryRegion.objects.count() < len(Region.values):
        DeliveryRegion.objects.bulk_create(
            [DeliveryRegion(code=code) for code in Region.values], ignore_conflicts=True
        )
