"""Template → filled → uploaded → committed: the listings are the rows; the same file again changes nothing."""

import io

import openpyxl
from django.conf import settings

from catalog.models import PriceChange, ProductListing
from catalog.uploads.columns import COLUMNS, KEYS, LABELS
from search.models import IndexOutbox
from tests.uploads.conftest import V1, issues_of
from tests.worlds import api_client


def test_the_template_has_labels_keys_lists_and_an_example(uworld):
    book = openpyxl.load_workbook(io.BytesIO(uworld.template()))
    data, example, lists = book.worksheets
    required = {column.label for column in COLUMNS if column.required}
    assert [cell.value for cell in data[1]] == [f"{x} *" if x in required else x for x in LABELS]
    assert tuple(cell.value for cell in data[2]) == KEYS
    assert data.max_row == 2  # rows to fill start empty: the example is on its own sheet
    example_row = dict(zip(KEYS, (cell.value for cell in example[3]), strict=True))
    assert example_row["certificate_number"] == uworld.cert_a.number
    # the lists name A's certificate and its item, the units and the 17 regions
    listed = {cell.value for row in lists.iter_rows() for cell in row}
    assert {uworld.cert_a.number, uworld.cert_a.classification_code, "EA", "11", "50"} <= listed
    assert uworld.cert_b.number not in listed
    validated = {
        str(validation.sqref): validation.type for validation in data.data_validations.dataValidation
    }
    unit_column = openpyxl.utils.get_column_letter(KEYS.index("unit") + 1)
    last = settings.BULK_UPLOAD_MAX_ROWS + 2  # every row a file may hold
    assert validated[f"{unit_column}3:{unit_column}{last}"] == "list"
    assert len(validated) >= 5


def test_the_csv_template_has_the_same_columns(uworld):
    response = api_client(uworld.supplier_a).get(V1 + "template/", {"type": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig").splitlines()
    assert text[0].split(",") == list(LABELS)
    assert text[1].split(",") == list(KEYS)


def _listing_values(listing: ProductListing) -> dict:
    return {
        "supplier_product_code": listing.supplier_product_code,
        "certificate_number": listing.certificate.number,
        "name": listing.name,
        "specification": listing.specification,
        "manufacturer": listing.manufacturer,
        "unit": listing.unit,
        "unit_price": listing.unit_price,
        "delivery_lead_days": listing.delivery_lead_days,
        "delivery_regions": ";".join(sorted(r.code for r in listing.delivery_regions.all())),
        "keywords": listing.keywords,
    }


def test_round_trip_creates_exactly_the_rows_and_a_second_upload_changes_nothing(uworld):
    rows = [uworld.row("P-1"), uworld.row("P-2", unit_price=120000, delivery_regions="26")]
    content = uworld.workbook(rows)
    upload = uworld.checked(content)
    assert upload["status"] == "checked", upload["issues"]
    assert upload["issues"] == []
    assert upload["counts"] == {"rows": 2, "invalid": 0, "create": 2, "update": 0, "unchanged": 0}
    assert not ProductListing.objects.filter(supplier_product_code__in=["P-1", "P-2"]).exists()  # dry run

    committed = uworld.commit(upload["id"])
    assert committed.status_code == 202
    assert committed.json()["status"] == "committed"
    listings = ProductListing.objects.filter(supplier=uworld.company_a).exclude(supplier_product_code="")
    assert sorted(_listing_values(listing)["supplier_product_code"] for listing in listings) == ["P-1", "P-2"]
    for row in rows:
        listing = listings.get(supplier_product_code=row["supplier_product_code"])
        assert _listing_values(listing) == row
        assert listing.classification_code == uworld.cert_a.classification_code  # empty cell: the item
        assert listing.first_listed_at is not None  # through the services: listed and announced
    assert IndexOutbox.objects.filter(listing_id__in=listings.values("pk")).exists()
    outcome = {row["row"]: row["action"] for row in committed.json()["outcome"]}
    assert outcome == {3: "create", 4: "create"}

    before = {listing.pk: listing.updated_at for listing in listings}
    prices, outbox = PriceChange.objects.count(), IndexOutbox.objects.count()
    again = uworld.checked(content)
    assert again["counts"] == {"rows": 2, "invalid": 0, "create": 0, "update": 0, "unchanged": 2}
    assert again["status"] == "checked"
    second = uworld.commit(again["id"]).json()
    assert second["status"] == "committed"
    assert {row["action"] for row in second["outcome"]} == {"unchanged"}
    assert {listing.pk: listing.updated_at for listing in listings.all()} == before
    assert (PriceChange.objects.count(), IndexOutbox.objects.count()) == (prices, outbox)


def test_a_changed_price_updates_the_listing_and_records_the_price_history(uworld):
    upload = uworld.checked(uworld.workbook([uworld.row("P-1")]))
    uworld.commit(upload["id"])
    listing = ProductListing.objects.get(supplier_product_code="P-1")
    changed = uworld.checked(uworld.workbook([uworld.row("P-1", unit_price=91000)]))
    assert changed["counts"]["update"] == 1
    done = uworld.commit(changed["id"]).json()
    assert done["outcome"] == [{"row": 3, "action": "update", "listing": listing.pk}]
    listing.refresh_from_db()
    assert listing.unit_price == 91000
    change = PriceChange.objects.get(listing=listing)
    assert (change.old_price, change.new_price, change.changed_by) == (98000, 91000, uworld.supplier_a)


def test_a_csv_file_in_cp949_reads_like_the_workbook(uworld):
    upload = uworld.checked(uworld.csv([uworld.row("P-9")], encoding="cp949"), "products.csv")
    assert upload["status"] == "checked", upload["issues"]
    assert upload["file_kind"] == "csv"
    assert upload["counts"]["create"] == 1


def test_full_width_digits_are_read_as_digits(uworld):
    upload = uworld.checked(uworld.csv([uworld.row("P-1", unit_price="９８０００")]), "p.csv")
    assert upload["status"] == "checked", upload["issues"]
    uworld.commit(upload["id"])
    assert ProductListing.objects.get(supplier_product_code="P-1").unit_price == 98000


def test_the_example_row_passes_when_copied_to_the_first_sheet(uworld):
    book = openpyxl.load_workbook(io.BytesIO(uworld.template()))
    example = dict(zip(KEYS, (cell.value for cell in book.worksheets[1][3]), strict=True))
    upload = uworld.checked(uworld.workbook([example]))
    assert upload["status"] == "checked", upload["issues"]
    assert issues_of(upload) == set()


def test_a_job_is_claimed_once(uworld):
    """A message delivered twice runs the job once: the second claim finds it no longer queued."""
    from catalog.uploads import services

    upload = uworld.checked(uworld.workbook([uworld.row("P-1")]))
    assert services.check_upload(upload["id"]) is None
    assert uworld.commit(upload["id"]).json()["status"] == "committed"
    assert services.commit_upload(upload["id"]) is None
    assert ProductListing.objects.filter(supplier_product_code="P-1").count() == 1


def test_a_commit_whose_worker_died_runs_again_safely(uworld):
    """Late acks deliver the message again when a worker died mid-commit: the job, left ``committing``,
    is taken again, and the row the dead worker had applied comes out unchanged."""
    from catalog import services as catalog_services
    from catalog.uploads import services
    from catalog.uploads.models import BulkUpload

    upload = uworld.checked(uworld.workbook([uworld.row("P-1"), uworld.row("P-2")]))
    services.request_commit(uworld.supplier_a, upload_id=upload["id"])
    # the dead worker: claimed the job and applied the first row, as the services would
    BulkUpload.objects.filter(pk=upload["id"]).update(status="committing")
    row = uworld.row("P-1")
    catalog_services.create_listing(
        uworld.supplier_a,
        certificate_id=uworld.cert_a.pk,
        delivery_regions=row.pop("delivery_regions").split(";"),
        **{key: value for key, value in row.items() if key != "certificate_number"},
    )
    done = services.commit_upload(upload["id"])
    assert done.status == "committed"
    assert [(row["row"], row["action"]) for row in done.outcome] == [(3, "unchanged"), (4, "create")]
    assert ProductListing.objects.filter(supplier_product_code__in=["P-1", "P-2"]).count() == 2
