from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog (상품 목록)"

    def ready(self) -> None:
        # connects the receivers that make listings follow certificate and company changes
        from catalog import services  # noqa: F401
