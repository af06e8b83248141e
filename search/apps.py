from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from catalog.signals import listings_changed
        from search import synonyms  # noqa: F401 - connects the dictionary's cache invalidation
        from search.sync import on_listings_changed

        # the catalog sends this inside its transaction: the outbox row shares the change's fate
        listings_changed.connect(on_listings_changed, dispatch_uid="search.outbox")
