from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "catalog.feeds"
    label = "feeds"
    verbose_name = "Nara Marketplace feed (나라장터 피드)"
