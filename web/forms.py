"""Forms check the shape of what a user typed; the services decide whether it is allowed and valid."""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.feeds.models import ExportFormat, ExportJob, ExportKind, ExportStatus
from catalog.feeds.versions import DEFAULT_VERSION, FeedVersionChoice
from catalog.models import Unit
from certification.calls import Call
from certification.codes import Sector, TaskType
from certification.models import (
    ClassificationCode,
    Company,
    CooperationType,
    EvidenceKind,
    PartnerKind,
    Region,
)
from certification.reference import is_known_classification
from core.identifiers import IdentifierFormField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def picker_attrs(*, sector: str = "", sector_field: str = "") -> dict:
    """The attributes web/static/web/classification-picker.js enhances a classification input by: the
    reference table's endpoint and the sector (fixed, or read from another field of the form)."""
    attrs = {"data-classification-url": reverse_lazy("reference-classifications")}
    if sector:
        attrs["data-sector"] = sector
    if sector_field:
        attrs["data-sector-field"] = sector_field
    return attrs


class ApplicationForm(forms.Form):
    """A draft certification application (create and edit)."""

    call = forms.ModelChoiceField(
        label=_("모집공고"),
        queryset=Call.objects.none(),
        help_text=_("접수 중인 공고에만 제출할 수 있습니다"),
    )
    partner = forms.ModelChoiceField(
        label=_("협력기업"),
        queryset=Company.objects.none(),
        help_text=_("제품을 함께 개발하거나 설비·자재를 지원한 기업"),
    )
    partner_kind = forms.ChoiceField(
        label=_("기업 구분 (멘토기업 / 소재·부품기업)"),
        choices=[("", "---------"), *PartnerKind.choices],
        required=False,
        help_text=_("제출할 때 필요합니다"),
    )
    sector = forms.ChoiceField(label=_("분야"), choices=Sector.choices)
    task_type = forms.ChoiceField(label=_("과제 유형"), choices=TaskType.choices)
    cooperation_type = forms.ChoiceField(label=_("협력 유형"), choices=CooperationType.choices)
    product_name = forms.CharField(label=_("제품명"), max_length=200)
    product_name_en = forms.CharField(label=_("영문 제품명"), max_length=200, required=False)
    description = forms.CharField(
        label=_("제품 설명"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    classification_code = IdentifierFormField(
        label=_("분류번호"),
        max_length=10,
        help_text=_("물품·용역: 8자리 물품분류번호 또는 10자리 세부품명번호, 공사: 건설업종 코드 (예: CS02)"),
        widget=forms.TextInput(
            attrs={
                "list": "classification-codes",
                "autocomplete": "off",
                **picker_attrs(sector_field="id_sector"),
            }
        ),
    )
    agreement_start = forms.DateField(label=_("협약 시작일"), widget=DATE_INPUT)
    agreement_end = forms.DateField(label=_("협약 종료일"), widget=DATE_INPUT)

    def __init__(self, *args, supplier: Company, current_call_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Company.objects.exclude(pk=supplier.pk).order_by("name")
        # the open calls, and the draft's own call even once it has closed (its supplement may be due)
        calls = Call.objects.filter(
            Q(pk__in=Call.objects.open_at(timezone.now()).values("pk")) | Q(pk=current_call_id)
        ).order_by("closes_at")
        self.fields["call"].queryset = calls
        # a new application starts in the call that closes first; the supplier may pick another
        self.fields["call"].initial = current_call_id or getattr(calls.first(), "pk", None)

    @staticmethod
    def classification_options():
        return ClassificationCode.objects.order_by("code").values_list("code", "name")


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("서류 종류"), choices=EvidenceKind.choices)
    file = forms.FileField(
        label=_("파일"),
        help_text=_("PDF, PNG, JPEG, XLSX, HWP, HWPX (파일 내용으로 형식을 확인합니다)"),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("의견"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(label=_("사유"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SupplementForm(forms.Form):
    comment = forms.CharField(label=_("보완할 내용"), max_length=4000)
    deadline = forms.DateTimeField(
        label=_("보완 제출 기한"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],  # datetime-local, read in Korean time
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class SuspendUntilForm(forms.Form):
    """The optional last day of a suspension, sent with the reason."""

    until = forms.DateField(label=_("정지 종료일"), required=False)


REGION_CHOICES = Region.choices


class ListingForm(forms.Form):
    """A product listing under one certificate; sector-specific fields appear only for that sector."""

    name = forms.CharField(label=_("제품명"), max_length=200)
    name_en = forms.CharField(label=_("영문 제품명"), max_length=200, required=False)
    specification = forms.CharField(label=_("규격"), max_length=300)
    manufacturer = forms.CharField(label=_("제조사"), max_length=200)
    origin = forms.CharField(label=_("원산지"), max_length=100, initial="대한민국")
    unit = forms.ChoiceField(label=_("단위"), choices=Unit.choices)
    unit_price = forms.IntegerField(label=_("단가 (원)"), min_value=1)
    min_order_quantity = forms.IntegerField(label=_("최소 주문 수량"), min_value=1, initial=1)
    delivery_lead_days = forms.IntegerField(label=_("납품기한 (일)"), min_value=1, initial=30)
    delivery_regions = forms.MultipleChoiceField(
        label=_("납품 지역"), choices=REGION_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    classification_code = IdentifierFormField(
        label=_("분류번호"),
        max_length=10,
        required=False,
        help_text=_("비워 두면 인증서의 분류번호를 씁니다"),
    )
    description = forms.CharField(label=_("설명"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    keywords = forms.CharField(
        label=_("검색어"), max_length=500, required=False, help_text=_("쉼표로 구분합니다")
    )
    service_period_months = forms.IntegerField(label=_("용역 기간 (개월)"), min_value=1, required=False)
    service_scope = forms.CharField(
        label=_("용역 범위"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    licence_number = forms.CharField(label=_("건설업 등록번호"), max_length=50, required=False)
    # a plain file field: the catalog's intake (catalog.images) decodes, checks and re-encodes the picture
    # and words every refusal; Django's ImageField would refuse first with a vaguer message
    image = forms.FileField(
        label=_("제품 이미지"),
        required=False,
        help_text=_("JPEG, PNG, WEBP"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    published = forms.BooleanField(
        label=_("게시 (검색과 나라장터 피드에 노출)"), required=False, initial=True
    )
    supplier_product_code = forms.CharField(
        label=_("자체 상품코드"),
        max_length=50,
        required=False,
        help_text=_("일괄 등록 파일의 행을 이 코드로 기존 제품에 맞춥니다"),
    )

    SERVICE_FIELDS = ("service_period_months", "service_scope")
    CONSTRUCTION_FIELDS = ("licence_number",)

    def __init__(self, *args, sector: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sector = sector
        self.fields["classification_code"].widget.attrs.update(picker_attrs(sector=sector))
        if sector != Sector.SERVICES:
            for name in self.SERVICE_FIELDS:
                del self.fields[name]
        if sector != Sector.CONSTRUCTION:
            for name in self.CONSTRUCTION_FIELDS:
                del self.fields[name]

    def clean_classification_code(self) -> str:
        # typed without the picker (no JavaScript): still only a number the reference table knows
        code = self.cleaned_data.get("classification_code") or ""
        if code and not is_known_classification(self.sector, code):
            raise forms.ValidationError(
                _("분류번호 목록에 없는 번호입니다: %(code)s") % {"code": code}, code="unknown_classification"
            )
        return code

    def service_fields(self) -> dict:
        """The cleaned values in the shape ``catalog.services`` takes."""
        data = dict(self.cleaned_data)
        regions = data.pop("delivery_regions", [])
        image = data.pop("image", None)
        if not data.get("classification_code"):
            data.pop("classification_code", None)
        return {"fields": data, "delivery_regions": regions, "image": image or None}


class ExportForm(forms.Form):
    export_format = forms.ChoiceField(
        label=_("형식"), choices=ExportFormat.choices, widget=forms.RadioSelect, initial=ExportFormat.CSV
    )
    kind = forms.ChoiceField(
        label=_("범위"), choices=ExportKind.choices, widget=forms.RadioSelect, initial=ExportKind.FULL
    )
    since_job = forms.ModelChoiceField(
        label=_("기준 내보내기 (변경분)"),
        queryset=ExportJob.objects.none(),
        required=False,
        help_text=_(
            "변경분은 이 작업 이후 추가·변경·삭제된 행만 담습니다. 비워 두면 같은 조건의 최근 작업을 씁니다."
        ),
    )
    sector = forms.MultipleChoiceField(
        label=_("분야"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    feed_version = forms.ChoiceField(
        label=_("피드 버전"),
        choices=FeedVersionChoice.choices,
        widget=forms.RadioSelect,
        initial=DEFAULT_VERSION,
        # left out: 2.0 for a full export, the base job's version for a delta
        required=False,
        help_text=_(
            "2.0은 조달청 형식입니다. 1.0은 폐지 예정입니다. 변경분은 기준 작업과 같은 버전이어야 합니다."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since_job"].queryset = ExportJob.objects.filter(status=ExportStatus.SUCCEEDED).order_by(
            "-started_at", "-id"
        )
        self.fields["since_job"].label_from_instance = lambda job: (
            f"#{job.pk} {job.get_kind_display()} {job.format} v{job.feed_version} · {job.started_at:%Y-%m-%d %H:%M}"
        )
