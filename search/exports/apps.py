from django.apps import AppConfig


class ResultExportsConfig(AppConfig):
    name = "search.exports"
    label = "search_exports"
    verbose_name = "Search result exports (검색 결과 내보내기)"
