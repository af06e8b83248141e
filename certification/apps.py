from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification registry (상생협력제품 인증)"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from certification.document import check_font
        from certification.reference import ensure_reference_data

        # after every app's migrations (and every test flush), when their tables and permissions exist
        post_migrate.connect(ensure_reference_data, dispatch_uid="certification.ensure_reference_data")
        # the certificate document cannot be drawn without its font: say so at start, not at a download
        checks.register(check_font)
