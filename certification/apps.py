from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification registry (상생협력제품 인증)"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from certification.reference import ensure_reference_data

        # after every app's migrations (and every test flush), when their tables and permissions exist
        post_migrate.connect(ensure_reference_data, dispatch_uid="certification.ensure_reference_data")
