from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "catalog.uploads"
    label = "uploads"
    verbose_name = "Supplier bulk upload (제품 일괄 등록)"
