"""Steps several browser journeys take the same way."""

import re


def fill_application(page, partner: str, product: str) -> None:
    """Opens a new application from the supplier dashboard and fills it for ``product`` with ``partner``
    (goods, a materials-and-parts task, joint development); the caller saves it."""
    page.get_by_role("link", name="새 인증 신청").first.click()
    page.get_by_label("협력기업").select_option(label=partner)
    page.get_by_label("기업 구분").select_option("mentor")
    page.get_by_label("분야").select_option("goods")
    page.get_by_label("과제 유형").select_option("materials_parts")
    page.get_by_label("협력 유형").select_option("joint_development")
    page.get_by_label(re.compile(r"^제품명")).fill(product)
    page.get_by_role("combobox", name=re.compile(r"^분류번호")).fill("3911160501")
    page.get_by_label("협약 시작일").fill("2025-03-01")
    page.get_by_label("협약 종료일").fill("2028-02-28")
