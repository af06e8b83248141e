"""The procurement starter set of the synonym dictionary: spellings, loanwords and the native word, and
abbreviations as they appear in Nara Marketplace names and officers' queries. Administrators edit it in
the admin; a query reads it at once (no reindex)."""

from django.db import migrations

STARTER_SET: list[tuple[str, str]] = [
    ("CCTV, 씨씨티비, 폐쇄회로카메라, 감시카메라", "영상감시장치"),
    ("PC, 컴퓨터, 피씨, computer", "개인용 컴퓨터"),
    ("SW, 소프트웨어, software", ""),
    ("HW, 하드웨어, hardware", ""),
    ("유지보수, 유지관리", "정보시스템·시설 용역"),
    ("블럭, 블록", "표준어 블록"),
    ("승강기, 엘리베이터, elevator", ""),
    ("체어, 의자, chair", ""),
    ("사무용의자, 사무용 의자, office chair", ""),
    ("테이블, 탁자, table", ""),
    ("모니터, 디스플레이, display, monitor, PC 모니터, 컴퓨터 모니터", "PC 모니터는 모니터"),
    ("노트북, 노트북컴퓨터, 노트북 컴퓨터, notebook, notebook computer, 랩탑, 랩톱, laptop", ""),
    ("프린터, 프린트기, 인쇄기, printer", ""),
    ("복합기, 복사기", "사무용 출력장비"),
    ("에어컨, 냉방기, 에어컨디셔너", ""),
    ("히터, 난방기, 온풍기", ""),
    ("공기청정기, 공기정화기", ""),
    ("정수기, 음용수기", ""),
    ("LED, 엘이디", ""),
    ("형광등, 직관형램프", ""),
    ("조명, 조명기구, 등기구", ""),
    ("태양광, 솔라, 태양전지, solar", ""),
    ("UPS, 무정전전원장치", ""),
    ("배전반, 분전반", ""),
    ("변압기, 트랜스", ""),
    ("보도블록, 보도블럭", ""),
    ("투수블록, 투수블럭", ""),
    ("방음벽, 방음판", ""),
    ("펜스, 울타리, 휀스", ""),
    ("데크, 데크재, 목재데크", ""),
    ("페인트, 도료", ""),
    ("아스콘, 아스팔트콘크리트", ""),
    ("레미콘, 레디믹스트콘크리트", ""),
    ("파고라, 퍼걸러, 그늘막", ""),
    ("캐비닛, 캐비넷, 수납장", ""),
    ("책장, 서가", ""),
    ("칠판, 전자칠판, 스마트보드", ""),
    ("청소, 미화, cleaning", "시설 용역"),
    ("용역, 서비스, service", "용역 = 서비스 계약"),
    ("소화기, fire extinguisher", ""),
    ("가로등, street light, streetlight", ""),
    ("데스크탑, 데스크톱, desktop", ""),
    ("사물함, locker", ""),
    ("경비, 보안경비", ""),
    ("방역, 소독", ""),
    ("홈페이지, 웹사이트", ""),
    ("클라우드, cloud", ""),
    ("서버, server", ""),
    ("네트워크, 통신망, network", ""),
    ("드론, 무인비행장치, drone", ""),
    ("마스크, 방진마스크", ""),
    ("키오스크, 무인단말기, kiosk", ""),
]


def load(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create(
        [Synonym(variants=variants, note=note) for variants, note in STARTER_SET],
    )


def unload(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(variants__in=[variants for variants, _note in STARTER_SET]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_searchentry_name_chosung_and_synonyms")]

    operations = [migrations.RunPython(load, unload)]
