"""The index mapping and names: versioned indices (``<prefix>-products-v<timestamp>``) behind one alias."""

from django.conf import settings
from django.utils import timezone
from elasticsearch.dsl import Date, Document, Integer, Keyword, Long, MetaField, Text


def _morph_text(**kwargs) -> Text:
    # morpheme fields already hold Kiwi's analysis: the standard analyser only splits and lowercases
    return Text(analyzer="standard", **kwargs)


class ProductDocument(Document):
    """The mapping. Fields not declared here (description, origin, …) stay in ``_source`` unindexed
    (``dynamic: false``), available for hits and highlighting but costing no index space."""

    id = Long()
    name = Text(
        analyzer="standard",
        index_prefixes={"min_chars": 1, "max_chars": 10},
        fields={"raw": Keyword(ignore_above=256)},
    )
    name_morph = _morph_text(index_prefixes={"min_chars": 1, "max_chars": 10})
    spec_morph = _morph_text()
    body_morph = _morph_text()
    company_morph = _morph_text()
    codes = Keyword(normalizer="lowercase")
    name_chosung = Keyword(ignore_above=256)
    name_length = Integer()
    vocabulary = Keyword()
    sector = Keyword()
    classification_code = Keyword()
    classification_segment = Keyword()
    classification_family = Keyword()
    regions = Keyword()
    unit = Keyword()
    supplier_id = Long()
    supplier_name = Keyword()
    partner_id = Long()
    partner_name = Keyword()
    certificate_number = Keyword()
    unit_price = Long()
    issued_on = Date()
    expires_on = Date()
    created_at = Date()
    updated_at = Date()

    class Meta:
        dynamic = MetaField(False)


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"


def new_index_name() -> str:
    return f"{alias_name()}-v{timezone.now():%Y%m%d%H%M%S%f}"


def replicas() -> int:
    return int(getattr(settings, "ELASTICSEARCH_NUMBER_OF_REPLICAS", 0))
