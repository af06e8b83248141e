"""One list of what a supplier may edit on a listing (``catalog.services.EDITABLE_FIELDS``): the API reads
and writes exactly those, plus what rides beside them (certificate, delivery regions, image)."""

from catalog.api.serializers import ListingSerializer, ListingWriteSerializer
from catalog.services import EDITABLE_FIELDS

WRITTEN_BESIDE = {"certificate", "delivery_regions", "image"}


def test_the_write_serializer_takes_exactly_the_editable_fields():
    assert set(ListingWriteSerializer().fields) == set(EDITABLE_FIELDS) | WRITTEN_BESIDE


def test_the_read_serializer_shows_every_editable_field_once():
    fields = ListingSerializer.Meta.fields
    assert len(fields) == len(set(fields))
    assert set(EDITABLE_FIELDS) | WRITTEN_BESIDE <= set(fields)
