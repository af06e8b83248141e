from django.apps import AppConfig


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = "Officer tools (관심 제품, 저장한 검색)"
