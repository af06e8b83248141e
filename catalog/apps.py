from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog (상품 목록)"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # connects the receivers that make listings follow certificate and company changes
        from catalog import services  # noqa: F401
        from catalog.reference import ensure_delivery_regions

        post_migrate.connect(ensure_delivery_regions, dispatch_uid="catalog.ensure_delivery_regions")
