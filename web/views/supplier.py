"""Supplier pages: the company's applications, certificates and listings. Writes go through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import services as catalog_services
from catalog.models import ProductListing
from catalog.visibility import annotate_listed, certificate_valid_on, delist_reason
from certification import selectors
from certification import services as registry_services
from certification.models import ApplicationStatus, Certificate, CertificateStatus
from core.domain import Conflict, NotPermitted
from web.access import get_or_404, supplier_required
from web.errors import add_service_errors, report_domain_error, report_validation_error
from web.forms import ApplicationForm, EvidenceForm, ListingForm


def _applications(request):
    return selectors.application_list(
        selectors.visible_applications(request.user).filter(supplier=request.company)
    )


def _certificates(request):
    return selectors.visible_certificates(request.user).filter(supplier=request.company)


@supplier_required
def dashboard(request):
    applications = _applications(request).annotate(document_count=Count("documents"))
    certificates = _certificates(request).annotate(listing_count=Count("listings"))
    open_supplements = [a for a in applications if a.status == ApplicationStatus.SUPPLEMENT_REQUESTED]
    return render(
        request,
        "web/supplier/dashboard.html",
        {
            "company": request.company,
            "applications": applications,
            "certificates": certificates,
            "open_supplements": open_supplements,
        },
    )


def _application_form_page(request, form, application=None):
    return render(
        request,
        "web/supplier/application_form.html",
        {
            "form": form,
            "application": application,
            "classification_options": ApplicationForm.classification_options(),
        },
    )


@supplier_required
def application_create(request):
    form = ApplicationForm(request.POST or None, supplier=request.company)
    if request.method == "POST" and form.is_valid():
        try:
            application = registry_services.create_application(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            report_domain_error(request, exc)
        else:
            messages.success(request, _("신청서 초안을 저장했습니다. 증빙서류를 첨부한 뒤 제출하세요."))
            return redirect("web:application-detail", pk=application.pk)
    return _application_form_page(request, form)


@supplier_required
def application_edit(request, pk: int):
    application = get_or_404(_applications(request), pk=pk)
    if not application.is_editable:
        messages.error(request, _("작성중이거나 보완요청을 받은 신청서만 고칠 수 있습니다."))
        return redirect("web:application-detail", pk=pk)
    initial = {name: getattr(application, name) for name in registry_services.APPLICATION_FIELDS}
    form = ApplicationForm(request.POST or None, initial=initial, supplier=request.company)
    if request.method == "POST" and form.is_valid():
        try:
            registry_services.update_application(request.user, application.pk, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            report_domain_error(request, exc)
        else:
            messages.success(request, _("신청서를 저장했습니다."))
            return redirect("web:application-detail", pk=pk)
    return _application_form_page(request, form, application)


@supplier_required
def application_detail(request, pk: int):
    application = get_or_404(selectors.application_detail(_applications(request)), pk=pk)
    supplement = None
    if application.status == ApplicationStatus.SUPPLEMENT_REQUESTED:
        supplement = next(
            (e for e in reversed(application.audit_events.all()) if e.action == "request_supplement"), None
        )
    return render(
        request,
        "web/supplier/application_detail.html",
        {
            "application": application,
            "evidence_form": EvidenceForm(),
            "supplement": supplement,
        },
    )


@supplier_required
@require_POST
def application_evidence(request, pk: int):
    application = get_or_404(_applications(request), pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = registry_services.attach_evidence(
                request.user, application.pk, form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            report_domain_error(request, exc)
            return redirect("web:application-detail", pk=pk)
        else:
            messages.success(
                request, _("증빙서류 '%(name)s'을(를) 첨부했습니다.") % {"name": document.original_name}
            )
            return redirect("web:application-detail", pk=pk)
    application = get_or_404(selectors.application_detail(_applications(request)), pk=pk)
    return render(
        request,
        "web/supplier/application_detail.html",
        {"application": application, "evidence_form": form},
        status=400,
    )


@supplier_required
@require_POST
def evidence_remove(request, pk: int, document_pk: int):
    application = get_or_404(_applications(request), pk=pk)
    document = get_or_404(application.documents.all(), pk=document_pk)
    try:
        registry_services.remove_evidence(request.user, document.pk)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        messages.success(request, _("증빙서류를 삭제했습니다."))
    return redirect("web:application-detail", pk=pk)


def _simple_action(request, pk: int, action, success: str):
    application = get_or_404(_applications(request), pk=pk)
    try:
        action(request.user, application.pk, request.POST.get("comment", "").strip())
    except ValidationError as exc:
        report_validation_error(request, exc)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("web:application-detail", pk=pk)


@supplier_required
@require_POST
def application_submit(request, pk: int):
    return _simple_action(
        request,
        pk,
        registry_services.submit_application,
        _("신청서를 제출했습니다. 심사 결과를 기다려 주세요."),
    )


@supplier_required
@require_POST
def application_withdraw(request, pk: int):
    return _simple_action(request, pk, registry_services.withdraw_application, _("신청을 취하했습니다."))


@supplier_required
@require_POST
def certificate_renew(request, pk: int):
    certificate = get_or_404(_certificates(request), pk=pk)
    try:
        application = registry_services.start_renewal(request.user, certificate.pk)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
        return redirect("web:supplier-dashboard")
    messages.success(request, _("갱신 신청서 초안을 만들었습니다."))
    return redirect("web:application-detail", pk=application.pk)


# -------------------------------------------------------------------- listings
def _listings(request):
    return annotate_listed(
        ProductListing.objects.filter(supplier=request.company)
        .select_related("certificate", "supplier")
        .prefetch_related("delivery_regions")
        .order_by("-updated_at", "-id")
    )


@supplier_required
def listing_list(request):
    listings = list(_listings(request))
    for listing in listings:
        listing.delist_reason = delist_reason(listing)
    usable = _certificates(request).filter(status=CertificateStatus.ACTIVE)
    return render(
        request,
        "web/supplier/listings.html",
        {
            "listings": listings,
            "certificates": [c for c in usable if certificate_valid_on(c, timezone.localdate())],
        },
    )


def _listing_form_page(request, form, certificate: Certificate, listing=None, status=200):
    return render(
        request,
        "web/supplier/listing_form.html",
        {"form": form, "certificate": certificate, "listing": listing},
        status=status,
    )


@supplier_required
def listing_create(request):
    certificate = get_or_404(_certificates(request), pk=request.GET.get("certificate") or 0)
    form = ListingForm(request.POST or None, request.FILES or None, sector=certificate.sector)
    if request.method == "POST" and form.is_valid():
        values = form.service_fields()
        try:
            listing = catalog_services.create_listing(
                request.user,
                certificate.pk,
                delivery_regions=values["delivery_regions"],
                image=values["image"],
                **values["fields"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            report_domain_error(request, exc)
        else:
            messages.success(request, _("제품 '%(name)s'을(를) 등록했습니다.") % {"name": listing.name})
            return redirect("web:supplier-listings")
    return _listing_form_page(request, form, certificate)


@supplier_required
def listing_edit(request, pk: int):
    listing = get_or_404(_listings(request), pk=pk)
    fields = [name for name in ListingForm.base_fields if name not in ("delivery_regions", "image")]
    initial = {name: getattr(listing, name) for name in fields}
    initial["delivery_regions"] = [region.code for region in listing.delivery_regions.all()]
    form = ListingForm(request.POST or None, request.FILES or None, initial=initial, sector=listing.sector)
    if request.method == "POST" and form.is_valid():
        values = form.service_fields()
        try:
            catalog_services.update_listing(
                request.user,
                listing.pk,
                delivery_regions=values["delivery_regions"],
                image=values["image"],
                **values["fields"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            report_domain_error(request, exc)
        else:
            messages.success(request, _("제품 정보를 저장했습니다."))
            return redirect("web:supplier-listings")
    return _listing_form_page(request, form, listing.certificate, listing)


@supplier_required
@require_POST
def listing_publish(request, pk: int):
    listing = get_or_404(_listings(request), pk=pk)
    publish = request.POST.get("published") == "1"
    try:
        catalog_services.update_listing(request.user, listing.pk, published=publish)
    except ValidationError as exc:
        report_validation_error(request, exc)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        messages.success(request, _("게시했습니다.") if publish else _("게시를 중단했습니다."))
    return redirect("web:supplier-listings")


@supplier_required
@require_POST
def listing_delete(request, pk: int):
    listing = get_or_404(_listings(request), pk=pk)
    try:
        catalog_services.delete_listing(request.user, listing.pk)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        messages.success(request, _("제품을 삭제했습니다."))
    return redirect("web:supplier-listings")
