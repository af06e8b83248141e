"""The registry: companies, certification applications, review results, certificates, evidence, audit.

State changes happen only through ``certification.services``; these models hold data and the rules
that need nothing but the row itself.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certification.calls import Call
from certification.codes import Sector, TaskType
from certification.panels import ReviewStageKind
from certification.partners import PartnerConfirmation  # noqa: F401 (registers the model with the app)
from certification.rules import application_errors
from certification.validators import format_business_number, validate_business_number


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("this record is append-only")

    def delete(self):
        raise PermissionError("this record is append-only")


class AppendOnly(models.Model):
    """A trail that is only ever added to: no row is changed or deleted, one by one or in bulk."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("this record is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("this record is append-only")


class Region(models.TextChoices):
    """The 17 first-level administrative divisions (시·도)."""

    SEOUL = "11", pgettext_lazy("region", "서울특별시")
    BUSAN = "26", pgettext_lazy("region", "부산광역시")
    DAEGU = "27", pgettext_lazy("region", "대구광역시")
    INCHEON = "28", pgettext_lazy("region", "인천광역시")
    GWANGJU = "29", pgettext_lazy("region", "광주광역시")
    DAEJEON = "30", pgettext_lazy("region", "대전광역시")
    ULSAN = "31", pgettext_lazy("region", "울산광역시")
    SEJONG = "36", pgettext_lazy("region", "세종특별자치시")
    GYEONGGI = "41", pgettext_lazy("region", "경기도")
    GANGWON = "51", pgettext_lazy("region", "강원특별자치도")
    CHUNGBUK = "43", pgettext_lazy("region", "충청북도")
    CHUNGNAM = "44", pgettext_lazy("region", "충청남도")
    JEONBUK = "52", pgettext_lazy("region", "전북특별자치도")
    JEONNAM = "46", pgettext_lazy("region", "전라남도")
    GYEONGBUK = "47", pgettext_lazy("region", "경상북도")
    GYEONGNAM = "48", pgettext_lazy("region", "경상남도")
    JEJU = "50", pgettext_lazy("region", "제주특별자치도")


def region_name_ko(code: str) -> str:
    """The division's official Korean name whatever language the page is in: the Nara feed and the API
    give these; an unknown code is itself."""
    if code not in Region.values:
        return code
    with translation.override("ko"):
        return str(Region(code).label)


class CompanySize(models.TextChoices):
    SME = "sme", pgettext_lazy("company size", "중소기업")
    MID = "mid", pgettext_lazy("company size", "중견기업")
    LARGE = "large", pgettext_lazy("company size", "대기업")


class ClassificationCode(models.Model):
    """Reference table of classification numbers (물품분류번호) and construction work types, with names."""

    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    business_number = models.CharField(
        _("business registration number"), max_length=10, unique=True, validators=[validate_business_number]
    )
    size = models.CharField(max_length=10, choices=CompanySize.choices)
    region = models.CharField(max_length=2, choices=Region.choices)
    representative = models.CharField(max_length=100)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    # the evidence of SME status (중소기업 확인서, issued by the SME ministry for a limited period)
    sme_confirmation_number = models.CharField(_("SME confirmation number"), max_length=40, blank=True)
    sme_confirmed_from = models.DateField(_("SME confirmation valid from"), null=True, blank=True)
    sme_confirmed_until = models.DateField(_("SME confirmation valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        has_dates = self.sme_confirmed_from is not None and self.sme_confirmed_until is not None
        if self.sme_confirmation_number and not has_dates:
            raise ValidationError(
                {
                    "sme_confirmed_until": [
                        "확인서의 유효기간을 입력하세요 (give the confirmation's validity)."
                    ]
                }
            )
        if has_dates and self.sme_confirmed_until < self.sme_confirmed_from:
            raise ValidationError(
                {
                    "sme_confirmed_until": [
                        "유효기간의 끝이 시작보다 앞섭니다 (validity ends before it starts)."
                    ]
                }
            )

    def sme_problem(self, day: date) -> str:
        """Why this company is not an SME with a 중소기업 확인서 valid on ``day`` (both ends included), or ""
        when it is; the submit check and the supplier's pages say the same sentence."""
        if self.size != CompanySize.SME:
            return f"{self.name}은(는) {self.get_size_display()}입니다 (not an SME)"
        if (
            not self.sme_confirmation_number
            or self.sme_confirmed_from is None
            or self.sme_confirmed_until is None
        ):
            return "중소기업 확인서가 등록되지 않았습니다 (no SME confirmation on record)"
        if day < self.sme_confirmed_from:
            return (
                f"중소기업 확인서는 {self.sme_confirmed_from}부터 유효합니다 "
                f"(the SME confirmation is not valid yet on {day})"
            )
        if day > self.sme_confirmed_until:
            return (
                f"중소기업 확인서가 {self.sme_confirmed_until}에 만료되었습니다 "
                f"(the SME confirmation expired before {day})"
            )
        return ""

    @property
    def business_number_display(self) -> str:
        return format_business_number(self.business_number)


class Membership(models.Model):
    """Which company a user acts for. A supplier user sees only its own company's records."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="members")
    # a company administrator invites colleagues and manages members (accounts.services); the first user
    # to register the company is one
    is_administrator = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application status", "작성중")
    SUBMITTED = "submitted", pgettext_lazy("application status", "접수")
    UNDER_REVIEW = "under_review", pgettext_lazy("application status", "심사중")
    SUPPLEMENT_REQUESTED = "supplement_requested", pgettext_lazy("application status", "보완요청")
    APPROVED = "approved", pgettext_lazy("application status", "승인")
    REJECTED = "rejected", pgettext_lazy("application status", "반려")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "취하")


class CooperationType(models.TextChoices):
    JOINT_DEVELOPMENT = "joint_development", pgettext_lazy("cooperation type", "공동개발")
    TECHNOLOGY_TRANSFER = "technology_transfer", pgettext_lazy("cooperation type", "기술이전")
    JOINT_PURCHASE = "joint_purchase", pgettext_lazy("cooperation type", "공동구매")
    PERFORMANCE_SHARING = "performance_sharing", pgettext_lazy("cooperation type", "성과공유")
    FACILITY_SUPPORT = "facility_support", pgettext_lazy("cooperation type", "설비·자재 지원")


class PartnerKind(models.TextChoices):
    MENTOR = "mentor", pgettext_lazy("partner kind", "멘토기업")
    MATERIALS_PARTS = "materials_parts", pgettext_lazy("partner kind", "소재·부품기업")


class CertificationApplication(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    supplier = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="applications")
    partner = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="partnered_applications")
    # required to submit, not to save a draft
    partner_kind = models.CharField(max_length=20, choices=PartnerKind.choices, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    # one of the task types the call offers (checked at submit)
    task_type = models.CharField(max_length=30, choices=TaskType.choices)
    cooperation_type = models.CharField(max_length=30, choices=CooperationType.choices)
    product_name = models.CharField(max_length=200)
    product_name_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    classification_code = models.CharField(max_length=10)
    agreement_start = models.DateField()
    agreement_end = models.DateField()
    status = models.CharField(
        max_length=30, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    renewal_of = models.ForeignKey(
        "Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal_applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # set by the reviewer with each supplement request: the resubmission may come after the call closes
    supplement_deadline = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "sector"]), models.Index(fields=["supplier", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.product_name} ({self.get_status_display()})"

    def clean(self) -> None:
        errors = application_errors(self, known_codes=ClassificationCode.objects.all())
        if errors:
            raise ValidationError(errors)


class ReviewStageResult(models.Model):
    """A stage's result: its panel's average score against the call's threshold, recorded when the panel
    closes while the application is under review."""

    application = models.ForeignKey(CertificationApplication, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=ReviewStageKind.choices)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField()
    comment = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="one_result_per_stage")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage}: {'passed' if self.passed else 'failed'}"


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("certificate status", "유효")
    SUSPENDED = "suspended", pgettext_lazy("certificate status", "정지")
    REVOKED = "revoked", pgettext_lazy("certificate status", "취소")
    EXPIRED = "expired", pgettext_lazy("certificate status", "만료")


class Certificate(models.Model):
    number = models.CharField(max_length=20, unique=True)
    application = models.OneToOneField(
        CertificationApplication, on_delete=models.PROTECT, related_name="certificate"
    )
    supplier = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="certificates")
    partner = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="partnered_certificates")
    sector = models.CharField(max_length=20, choices=Sector.choices)
    product_name = models.CharField(max_length=200)
    classification_code = models.CharField(max_length=10)
    issued_on = models.DateField()
    expires_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # the last day of a suspension that lifts by itself (the daily job reinstates it the day after)
    suspended_until = models.DateField(null=True, blank=True)
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return self.number

    def status_on(self, day: date | datetime) -> str | None:
        """The status in force on ``day`` by the history, ``expired`` outside the validity dates and None
        before the certificate existed; ``active`` means it was valid. A date means the end of that day
        (Korean time): a certificate suspended at 15:00 was not valid "on" that day's deadline of 18:00."""
        moment = day if isinstance(day, datetime) else end_of_day(day)
        change = self.history.filter(effective_at__lt=moment).order_by("-effective_at", "-id").first()
        if change is None:
            return None
        on = timezone.localtime(day).date() if isinstance(day, datetime) else day
        if change.to_status == CertificateStatus.ACTIVE and not self.issued_on <= on <= self.expires_on:
            return CertificateStatus.EXPIRED
        return change.to_status


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in Korean time: what "on that day" reads the history up to."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def active_at(moment: datetime) -> models.QuerySet:
    """Ids of the certificates whose last status change before ``moment`` left them active."""
    last = (
        CertificateStatusChange.objects.filter(certificate=models.OuterRef("pk"), effective_at__lt=moment)
        .order_by("-effective_at", "-id")
        .values("to_status")[:1]
    )
    return (
        Certificate.objects.annotate(status_then=models.Subquery(last))
        .filter(status_then=CertificateStatus.ACTIVE)
        .values("pk")
    )


class StatusChangeKind(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("status change kind", "발급")
    SUSPENDED = "suspended", pgettext_lazy("status change kind", "정지")
    REINSTATED = "reinstated", pgettext_lazy("status change kind", "정지 해제")
    AUTO_REINSTATED = "auto_reinstated", pgettext_lazy("status change kind", "정지 기간 종료")
    REVOKED = "revoked", pgettext_lazy("status change kind", "취소")
    EXPIRED = "expired", pgettext_lazy("status change kind", "만료")
    SUPERSEDED = "superseded", pgettext_lazy("status change kind", "갱신으로 대체")


class CertificateStatusChange(AppendOnly):
    """One change of a certificate's status, written with the change; its rows answer ``status_on``."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="history")
    kind = models.CharField(max_length=20, choices=StatusChangeKind.choices)
    from_status = models.CharField(max_length=20, choices=CertificateStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CertificateStatus.choices)
    effective_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="kept even if the user is deleted")
    reason = models.TextField(blank=True)
    suspended_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["effective_at", "id"]
        indexes = [models.Index(fields=["certificate", "effective_at"])]
        verbose_name_plural = "certificate status changes"

    def __str__(self) -> str:
        return f"{self.effective_at:%Y-%m-%d %H:%M} {self.certificate_id} {self.from_status}→{self.to_status}"


class CertificateNumberSequence(models.Model):
    """Per-year counter behind certificate numbers (``WW-2026-000123``); rows are locked while issuing."""

    year = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class EvidenceKind(models.TextChoices):
    AGREEMENT = "agreement", pgettext_lazy("evidence kind", "협력 협약서")
    TEST_REPORT = "test_report", pgettext_lazy("evidence kind", "시험성적서")
    BUSINESS_REGISTRATION = "business_registration", pgettext_lazy("evidence kind", "사업자등록증")
    PERFORMANCE = "performance", pgettext_lazy("evidence kind", "성과 증빙")
    OTHER = "other", pgettext_lazy("evidence kind", "기타")


def evidence_upload_to(instance: "EvidenceDocument", filename: str) -> str:
    # The stored name never uses the client's file name: it may carry path tricks or clash.
    return f"evidence/{instance.application_id}/{instance.sha256[:16]}.{instance.extension}"


class EvidenceDocument(models.Model):
    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices, default=EvidenceKind.OTHER)
    file = models.FileField(upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AuditEvent(AppendOnly):
    """Append-only trail of every transition and certificate change: who, when, from, to, why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="kept even if the user is deleted")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=50)
    application = models.ForeignKey(
        CertificationApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.from_state}→{self.to_state}"
