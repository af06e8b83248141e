from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification registry (상생협력제품 인증)"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from certification.roles import ensure_role_groups

        # after every app's migrations, when their permissions exist
        post_migrate.connect(ensure_role_groups, dispatch_uid="certification.ensure_role_groups")
