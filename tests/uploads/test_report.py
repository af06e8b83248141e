"""The dry run's per-row report (row number, column, code, message), the report workbook, and a commit
that applies the valid rows and lists the rest."""

import io

import openpyxl

from catalog.models import ProductListing
from tests.uploads.conftest import V1, issues_of
from tests.worlds import api_client


def _rows(uworld) -> list[dict]:
    return [
        uworld.row("OK-1"),  # row 3
        uworld.row("E-4", name=None),  # 4: required
        uworld.row("E-5", unit_price=0),  # 5: the feed's price check
        uworld.row("E-6", certificate_number="WW-1999-000001"),  # 6: no such certificate
        uworld.row("E-7", unit="BOGUS"),  # 7: not a unit
        uworld.row("E-8", delivery_regions="11;99"),  # 8: no region 99
        uworld.row("E-9", classification_code="4321150101"),  # 9: another item than the certificate's
        uworld.row("E-10", certificate_number=uworld.cert_b.number),  # 10: B's certificate
        uworld.row("E-11", unit_price="12,000원"),  # 11: not a number
        uworld.row("OK-12", unit_price="15000"),  # 12: a number typed as text is fine
    ]


def test_every_row_is_checked_and_reported_with_row_column_code_and_message(uworld):
    upload = uworld.checked(uworld.workbook(_rows(uworld)))
    assert upload["status"] == "checked"
    found = issues_of(upload)
    expected = {
        (4, "name", "missing_field"),
        (5, "unit_price", "non_positive"),
        (6, "certificate_number", "unknown_certificate"),
        (7, "unit", "invalid_choice"),
        (8, "delivery_regions", "unknown_region"),
        (9, "classification_code", "listing_rule"),
        (10, "certificate_number", "unknown_certificate"),
        (11, "unit_price", "invalid_number"),
    }
    assert expected <= found
    assert {row for row, _column, _code in found} == {4, 5, 6, 7, 8, 9, 10, 11}
    # the feed's wording, exactly as the export report gives it
    price = next(issue for issue in upload["issues"] if issue["row"] == 5)
    assert price["message"] == "계약가격금액은(는) 1 이상이어야 합니다 (> 0)."
    assert upload["counts"] == {"rows": 10, "invalid": 8, "create": 2, "update": 0, "unchanged": 0}


def test_the_report_workbook_puts_the_issues_beside_the_rows(uworld):
    upload = uworld.checked(uworld.workbook(_rows(uworld)))
    response = api_client(uworld.supplier_a).get(upload["report_url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    by_row = {row[3]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert by_row[3][0].startswith("정상") and by_row[12][0].startswith("정상")
    assert by_row[4][0].startswith("오류") and "missing_field" in by_row[4][1]
    assert "[unit_price]" in by_row[5][2]
    # the row's own values follow, as uploaded
    assert by_row[5][4] == "E-5"


def test_commit_applies_the_valid_rows_and_lists_the_left_out_ones(uworld):
    upload = uworld.checked(uworld.workbook(_rows(uworld)))
    done = uworld.commit(upload["id"]).json()
    assert done["status"] == "committed"
    assert sorted(
        ProductListing.objects.exclude(supplier_product_code="").values_list(
            "supplier_product_code", flat=True
        )
    ) == ["OK-1", "OK-12"]
    assert {row for row, _c, _code in issues_of(done)} == {4, 5, 6, 7, 8, 9, 10, 11}
    assert [row["row"] for row in done["outcome"]] == [3, 12]
    assert api_client(uworld.supplier_a).get(f"{V1}{upload['id']}/").json()["status"] == "committed"
    # committed once: a second commit is refused
    assert uworld.commit(upload["id"]).status_code == 409


def test_a_code_of_another_company_is_its_own(uworld):
    """Product codes are unique per supplier: B's P-1 and A's P-1 are two listings."""
    b_row = uworld.row(
        "P-1",
        certificate_number=uworld.cert_b.number,
        unit="월",
        service_period_months=12,
        service_scope="유지관리",
        delivery_regions="26",
    )
    b_upload = uworld.checked(uworld.workbook([b_row], user=uworld.supplier_b), user=uworld.supplier_b)
    assert b_upload["issues"] == [], b_upload["issues"]
    uworld.commit(b_upload["id"], user=uworld.supplier_b)
    a_upload = uworld.checked(uworld.workbook([uworld.row("P-1")]))
    assert a_upload["counts"]["create"] == 1
    uworld.commit(a_upload["id"])
    assert ProductListing.objects.filter(supplier_product_code="P-1").count() == 2


def test_a_row_missing_the_services_fields_is_reported_by_the_listing_rules(uworld):
    b_row = uworld.row("S-1", certificate_number=uworld.cert_b.number, unit="월", delivery_regions="26")
    upload = uworld.checked(uworld.workbook([b_row], user=uworld.supplier_b), user=uworld.supplier_b)
    assert {(3, "service_period_months", "listing_rule"), (3, "service_scope", "listing_rule")} <= issues_of(
        upload
    )
