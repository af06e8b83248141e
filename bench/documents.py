"""What a Django user would write with django-elasticsearch-dsl for the same index (bench only).

Loaded by django-elasticsearch-dsl's autodiscovery when ``bench.settings`` adds it and ``bench`` to
INSTALLED_APPS. The mapping mirrors ``search.backends.elasticsearch.mapping.ProductDocument`` (same analysers,
``index_prefixes``, keyword and date fields, dynamic off) and the ``_source`` holds the same fields
as our document source, built with the same Kiwi morpheme analysis: fields the application leaves unindexed
are declared ``index=False``. The queryset is the listed catalog with the same select/prefetch, paged in
chunks of 500 as our rebuild; everything else is django-elasticsearch-dsl's defaults. ``python -m
bench.same_documents`` checks, after ``bench.reindex --keep``, that both indices hold the same documents
under the same mapping.
"""

from django.conf import settings
from django_elasticsearch_dsl import Document, fields
from django_elasticsearch_dsl.registries import registry

from catalog.models import ProductListing
from catalog.selectors import listed_listings, with_related
from search.analysis import morpheme_text
from search.documents import classification_parts
from search.hangul import chosung
from search.vocabulary import words_of

PREFIXES = {"min_chars": 1, "max_chars": 10}


def _stored(field=fields.TextField, **kwargs):
    return field(index=False, **kwargs)


@registry.register_document
class DedProductDocument(Document):
    id = fields.LongField()
    name = fields.TextField(
        analyzer="standard", index_prefixes=PREFIXES, fields={"raw": fields.KeywordField(ignore_above=256)}
    )
    name_en = _stored()
    specification = _stored()
    manufacturer = _stored()
    origin = _stored()
    description = _stored()
    keywords = _stored(attr="keyword_list")
    unit = fields.KeywordField()
    unit_price = fields.LongField()
    sector = fields.KeywordField()
    classification_code = fields.KeywordField()
    classification_segment = fields.KeywordField()
    classification_family = fields.KeywordField()
    goods_identification_number = _stored(fields.KeywordField)
    work_type = _stored(fields.KeywordField)
    regions = fields.KeywordField()
    supplier_id = fields.LongField(attr="supplier.pk")
    supplier_name = fields.KeywordField(attr="supplier.name")
    partner_id = fields.LongField(attr="certificate.partner.pk")
    partner_name = fields.KeywordField(attr="certificate.partner.name")
    certificate_id = _stored(fields.LongField, attr="certificate.pk")
    certificate_number = fields.KeywordField(attr="certificate.number")
    issued_on = fields.DateField(attr="certificate.issued_on")
    expires_on = fields.DateField(attr="certificate.expires_on")
    created_at = fields.DateField()
    updated_at = fields.DateField()
    name_morph = fields.TextField(analyzer="standard", index_prefixes=PREFIXES)
    spec_morph = fields.TextField(analyzer="standard")
    body_morph = fields.TextField(analyzer="standard")
    company_morph = fields.TextField(analyzer="standard")
    codes = fields.KeywordField(normalizer="lowercase")
    name_chosung = fields.KeywordField(ignore_above=256)
    name_length = fields.IntegerField()
    vocabulary = fields.KeywordField()

    class Index:
        name = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-ded-products"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    class Django:
        model = ProductListing
        queryset_pagination = 500

    class Meta:
        dynamic = False

    def get_queryset(self):
        return with_related(listed_listings()).order_by("pk")

    def prepare_goods_identification_number(self, instance):
        return instance.goods_identification_number or ""

    def prepare_classification_segment(self, instance):
        return classification_parts(instance.classification_code)[0]

    def prepare_classification_family(self, instance):
        return classification_parts(instance.classification_code)[1]

    def prepare_regions(self, instance):
        return sorted(region.code for region in instance.delivery_regions.all())

    def prepare_name_morph(self, instance):
        return morpheme_text(instance.name, instance.name_en)

    def prepare_spec_morph(self, instance):
        return morpheme_text(instance.specification, instance.manufacturer)

    def prepare_body_morph(self, instance):
        return morpheme_text(instance.description, " ".join(instance.keyword_list), instance.service_scope)

    def prepare_company_morph(self, instance):
        supplier, partner = instance.supplier, instance.certificate.partner
        return morpheme_text(supplier.name, supplier.name_en, partner.name, partner.name_en)

    def prepare_codes(self, instance):
        values = (
            instance.classification_code,
            instance.goods_identification_number,
            instance.certificate.number,
            instance.supplier.business_number,
            instance.certificate.partner.business_number,
        )
        return [code for code in values if code]

    def prepare_name_chosung(self, instance):
        return chosung("".join(instance.name.split()))

    def prepare_name_length(self, instance):
        return len(instance.name)

    def prepare_vocabulary(self, instance):
        # the name's and specification's morpheme texts again: a prepare method sees only the instance
        morph = self.prepare_name_morph(instance), self.prepare_spec_morph(instance)
        return sorted(words_of(instance.name, *morph))
