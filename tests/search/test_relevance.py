"""Relevance rules of the query plan (search.plan), run against both backends: the same answers, the same order."""

import pytest

from search import synonyms
from search.models import Synonym
from tests.search.conftest import Catalog, ids, run, sync_now

pytestmark = pytest.mark.django_db


class Shop(Catalog):
    """The search catalog plus furniture and more lights: chairs and desks, a cabinet from a company with
    체어 in its name, a 60 W and a 150 W street light, a noise barrier and its installation works."""

    @staticmethod
    def _listing(user, certificate, **fields):
        return Catalog._listing(user, certificate, **{"keywords": "", **fields})  # not the factory's LED

    def __init__(self) -> None:
        super().__init__()
        user, cert = self.lighting_user, self.led_cert
        self.street_150 = self._listing(user, cert, name="LED 가로등 150W", specification="LED-ST-150, 150W")
        self.street_60 = self._listing(
            user, cert, name="LED 가로등 60W", specification="LED-ST-060, 60W", description="150 lm/W 고효율"
        )
        self.chair = self._listing(user, cert, name="사무용 의자", specification="회전형")
        self.desk = self._listing(user, cert, name="학생용 책상", specification="1200mm")
        self.lcd = self._listing(user, cert, name="LCD 모니터 27인치", specification="27인치")
        self.barrier = self._listing(user, cert, name="방음벽", specification="투명")
        self.barrier_works = self._listing(user, cert, name="방음벽 설치 공사", specification="도로변")
        self.outdoor = self._listing(user, cert, name="outdoor lights", specification="garden light")
        _company, chair_user, chair_cert = self._supplier("체어하우스", self.partner)
        self.cabinet = self._listing(chair_user, chair_cert, name="철제 캐비닛", specification="900mm")


@pytest.fixture
def shop(backend) -> Shop:
    catalog = Shop()
    sync_now(backend)
    return catalog


def test_synonyms_and_loanwords(backend, shop):
    assert ids(run(backend, "체어"))[0] == shop.chair.pk  # the chair before the cabinet of 체어하우스
    assert set(ids(run(backend, "체어"))) == {shop.chair.pk, shop.cabinet.pk}
    assert ids(run(backend, "디스플레이")) == [shop.lcd.pk]


def test_the_dictionary_applies_at_once_without_reindexing(backend, shop):
    assert run(backend, "걸상").total == 0
    Synonym.objects.create(variants="걸상, 의자")  # the save signal clears this process's cache
    assert ids(run(backend, "걸상")) == [shop.chair.pk]
    Synonym.objects.filter(variants="걸상, 의자").update(is_active=False)
    synonyms.clear_cache()
    assert run(backend, "걸상").total == 0


def test_korean_typo_is_corrected_and_suggested(backend, shop):
    result = run(backend, "공기청청기")
    assert ids(result) == [shop.purifier.pk]
    assert result.suggestion == "공기청정기"
    assert run(backend, "공기청정기").suggestion is None
    assert run(backend, "가로등").suggestion is None  # a known word is never "corrected"


def test_short_latin_words_are_not_fuzzy(backend, shop):
    assert shop.lcd.pk not in ids(run(backend, "LED"))
    assert set(ids(run(backend, "LCD"))) == {shop.lcd.pk}


def test_and_words_read_as_or(backend, shop):
    for text in ("책상과 의자", "책상 및 의자", "책상, 의자", "의자와 책상"):
        # then the cabinet of 체어하우스 (체어 = 의자), a company-name match
        assert set(ids(run(backend, text))[:2]) == {shop.chair.pk, shop.desk.pk}, text
        assert ids(run(backend, text))[2:] == [shop.cabinet.pk], text


def test_relaxed_when_strict_finds_nothing(backend, shop):
    result = run(backend, "방음벽 냉장고")
    assert result.relaxed
    assert set(ids(result)) == {shop.barrier.pk, shop.barrier_works.pk}
    assert not run(backend, "방음벽").relaxed


def test_number_and_unit_are_one_term(backend, shop):
    assert ids(run(backend, "LED 가로등 150W")) == [shop.street_150.pk]
    assert ids(run(backend, "150 W")) == [shop.street_150.pk]
    assert set(ids(run(backend, "150"))) >= {shop.street_150.pk, shop.street_60.pk}  # split form kept too
    assert ids(run(backend, "27인치 모니터")) == [shop.lcd.pk]


def test_english_plurals(backend, shop):
    assert shop.outdoor.pk in ids(run(backend, "light"))
    assert shop.panel.pk in ids(run(backend, "lights"))  # "High-efficiency LED flat panel light"


def test_identifiers(backend, shop):
    number = shop.air.business_number
    dashed = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    assert ids(run(backend, number)) == [shop.purifier.pk]
    assert ids(run(backend, dashed)) == [shop.purifier.pk]
    assert ids(run(backend, shop.air_cert.number.lower())) == [shop.purifier.pk]
    # an 8-digit class finds the 10-digit items under it
    assert shop.panel.pk in ids(run(backend, "39111605"))
    assert shop.purifier.pk not in ids(run(backend, "39111605"))


def test_ties_go_to_the_shorter_name_not_the_newest(backend, shop):
    assert ids(run(backend, "방음벽"))[:2] == [shop.barrier.pk, shop.barrier_works.pk]


def test_scores_are_the_same_integer_sums_on_both_backends(backend, shop):
    # relevance.py weights: the query part matched (40) + in the name (16)
    assert run(backend, "방음벽").hits[0].score == 56


def test_chosung_autocomplete(backend, shop):
    assert backend.suggest("ㄱㅊㅈ") == ["가정용 공기청정기"]
    assert backend.suggest("ㅂㅇㅂ") == ["방음벽", "방음벽 설치 공사"]  # starting with it, shorter first
    assert backend.suggest("ㅋㅋㅋ") == []


def test_words_about_the_purchase_do_not_filter(backend, shop):
    result = run(backend, "방음벽을 교체")
    assert not result.relaxed
    assert ids(result) == [shop.barrier.pk, shop.barrier_works.pk]
