"""The bulk upload's world: the listed world (A's goods certificate, B's services certificate), files
built from the template the API hands out, and helpers to upload and commit them."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.uploads.columns import KEYS, LABELS
from tests.worlds import ListedWorld, api_client

V1 = "/api/v1/listing-uploads/"


class UploadWorld(ListedWorld):
    def row(self, code: str = "P-1", **overrides) -> dict:
        """A valid row under supplier A's goods certificate."""
        values = {
            "supplier_product_code": code,
            "certificate_number": self.cert_a.number,
            "name": f"LED 투광등 {code}",
            "specification": f"FL-{code}, 100W",
            "manufacturer": "가나조명",
            "unit": "EA",
            "unit_price": 98000,
            "delivery_lead_days": 20,
            "delivery_regions": "11;41",
            "keywords": "LED,투광등",
        }
        values.update(overrides)
        return values

    def template(self, user=None) -> bytes:
        response = api_client(user or self.supplier_a).get(V1 + "template/")
        assert response.status_code == 200, response.content
        return response.content

    def workbook(self, rows: list[dict], user=None, as_text: tuple[str, ...] = ()) -> bytes:
        """The downloaded template with ``rows`` filled in from row 3; ``as_text`` keys are forced to
        text cells (openpyxl would store a leading = as a formula)."""
        book = openpyxl.load_workbook(io.BytesIO(self.template(user)))
        sheet = book.worksheets[0]
        for number, row in enumerate(rows, start=3):
            for index, key in enumerate(KEYS, start=1):
                if key in row and row[key] is not None:
                    cell = sheet.cell(number, index, row[key])
                    if key in as_text:
                        cell.data_type = "s"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def csv(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(LABELS)
        writer.writerow(KEYS)
        for row in rows:
            writer.writerow(["" if row.get(key) is None else row.get(key) for key in KEYS])
        return buffer.getvalue().encode(encoding)

    def upload(self, content: bytes, name: str = "products.xlsx", user=None):
        client = api_client(user or self.supplier_a)
        return client.post(V1, {"file": SimpleUploadedFile(name, content)}, format="multipart")

    def checked(self, content: bytes, name: str = "products.xlsx", user=None) -> dict:
        response = self.upload(content, name, user)
        assert response.status_code == 202, response.content
        return response.json()

    def commit(self, upload_id: int, user=None):
        return api_client(user or self.supplier_a).post(f"{V1}{upload_id}/commit/")


@pytest.fixture
def uworld(db, media_in_tmp, settings) -> UploadWorld:
    settings.SEARCH_BACKEND = "database"
    return UploadWorld()


def issues_of(upload: dict) -> set[tuple]:
    return {(issue["row"], issue["column"], issue["code"]) for issue in upload["issues"]}
