from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_tables(using: str = "default", **kwargs) -> None:
    """The shared cache (CACHE_URL=db://…) is a table: ``migrate`` creates it, so a fresh checkout, ``make
    run`` and the test databases need no extra step (``createcachetable`` skips tables that exist)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Web pages"

    def ready(self) -> None:
        # post_migrate is sent once per app with models (web has none, so no sender filter); the command
        # is idempotent and cheap
        post_migrate.connect(create_cache_tables, dispatch_uid="web.create_cache_tables")
