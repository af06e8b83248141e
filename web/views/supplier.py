"""Supplier pages: the company's applications, certificates and listings. Writes go through services."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalog import services as catalog_services
from catalog.feeds.nara import ClassificationNames
from catalog.models import ProductListing
from catalog.uploads.readiness import nara_readiness
from catalog.visibility import annotate_listed, certificate_valid_on, certificate_valid_q, delist_reason
from certification import eligibility, selectors, workflow
from certification import services as registry_services
from certification.models import ApplicationStatus, Certificate
from certification.partners import ConfirmationStatus
from core.identifiers import is_ascii_digits
from web.access import get_or_404, supplier_required
from web.errors import reported
from web.forms import ApplicationForm, EvidenceForm, ListingForm
from web.panels import stage_progress


def _applications(request):
    return selectors.application_list(
        selectors.visible_applications(request.user).filter(supplier=request.company)
    )


def _certificates(request):
    return selectors.visible_certificates(request.user).filter(supplier=request.company)


@supplier_required
def dashboard(request):
    applications = selectors.with_partner_answer(_applications(request)).annotate(
        document_count=Count("documents")
    )
    certificates = list(_certificates(request).annotate(listing_count=Count("listings")))
    today = timezone.localdate()
    for certificate in certificates:
        certificate.actions = workflow.available_actions(certificate, request.user)
        # listings may be added only under a certificate that is valid today (catalog.services checks too)
        certificate.takes_listings = certificate_valid_on(certificate, today)
    open_supplements = [a for a in applications if a.status == ApplicationStatus.SUPPLEMENT_REQUESTED]
    editable = [a for a in applications if a.status in workflow.EDITABLE_STATUSES]
    partner_declined = [a for a in editable if a.partner_answer == ConfirmationStatus.DECLINED]
    return render(
        request,
        "web/supplier/dashboard.html",
        {
            "company": request.company,
            "applications": applications,
            "certificates": certificates,
            "open_supplements": open_supplements,
            "partner_declined": partner_declined,
            "open_calls": selectors.open_calls(),
            "sme_problem": request.company.sme_problem(today),
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
            "company": request.company,
            "sme_problem": request.company.sme_problem(timezone.localdate()),
            "open_calls": selectors.open_calls(),
        },
    )


@supplier_required
def application_create(request):
    form = ApplicationForm(request.POST or None, supplier=request.company)
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as done:
            application = registry_services.create_application(request.user, **form.cleaned_data)
        if done:
            messages.success(request, _("신청서 초안을 저장했습니다. 증빙서류를 첨부한 뒤 제출하세요."))
            return redirect("web:application-detail", pk=application.pk)
    return _application_form_page(request, form)


@supplier_required
def application_edit(request, pk: int):
    application = get_or_404(_applications(request), pk=pk)
    if not workflow.allows(application, "edit"):
        messages.error(request, _("작성중이거나 보완요청을 받은 신청서만 고칠 수 있습니다."))
        return redirect("web:application-detail", pk=pk)
    initial = {name: getattr(application, name) for name in registry_services.APPLICATION_FIELDS}
    form = ApplicationForm(
        request.POST or None, initial=initial, supplier=request.company, current_call_id=application.call_id
    )
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as done:
            registry_services.update_application(
                request.user, application_id=application.pk, **form.cleaned_data
            )
        if done:
            messages.success(request, _("신청서를 저장했습니다."))
            return redirect("web:application-detail", pk=pk)
    return _application_form_page(request, form, application)


def _detail_page(request, pk: int, evidence_form: EvidenceForm, status: int = 200):
    application = get_or_404(selectors.application_detail(_applications(request), request.user), pk=pk)
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
            "actions": workflow.available_actions(application, request.user),
            "resubmission": application.status == ApplicationStatus.SUPPLEMENT_REQUESTED,
            "evidence_form": evidence_form,
            "supplement": supplement,
            "stages": stage_progress(application),
            # newest first (selectors.application_detail): the partner's latest answer leads
            "confirmations": application.partner_confirmations.all(),
            "partner_needs_contact": not eligibility.partner_has_members(application),
        },
        status=status,
    )


@supplier_required
def application_detail(request, pk: int):
    return _detail_page(request, pk, EvidenceForm())


@supplier_required
@require_POST
def application_evidence(request, pk: int):
    application = get_or_404(_applications(request), pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, pk, form, status=400)
    with reported(request, form) as done:
        document = registry_services.attach_evidence(
            request.user,
            application_id=application.pk,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
        )
    if done:
        messages.success(
            request, _("증빙서류 '%(name)s'을(를) 첨부했습니다.") % {"name": document.original_name}
        )
    elif form.errors:  # the service refused the file itself: show why beside the upload field
        return _detail_page(request, pk, form, status=400)
    return redirect("web:application-detail", pk=pk)


@supplier_required
@require_POST
def evidence_remove(request, pk: int, document_pk: int):
    application = get_or_404(_applications(request), pk=pk)
    document = get_or_404(application.documents.all(), pk=document_pk)
    with reported(request) as done:
        registry_services.remove_evidence(request.user, document_id=document.pk)
    if done:
        messages.success(request, _("증빙서류를 삭제했습니다."))
    return redirect("web:application-detail", pk=pk)


@supplier_required
@require_POST
def application_partner_request(request, pk: int):
    """Asks the partner to confirm; a partner without users yet is invited at the contact e-mail."""
    application = get_or_404(_applications(request), pk=pk)
    email = request.POST.get("contact_email", "").strip()[:254]
    with reported(request) as done:
        registry_services.request_partner_confirmation(
            request.user, application_id=application.pk, contact_email=email
        )
    if done:
        messages.success(request, _("협력기업에 참여 확인을 요청했습니다."))
    return redirect("web:application-detail", pk=pk)


# what the supplier is told when an action of the workflow went through
DONE = {
    "submit": gettext_lazy("신청서를 제출했습니다. 심사 결과를 기다려 주세요."),
    "withdraw": gettext_lazy("신청을 취하했습니다."),
}


def _act(request, pk: int, action: str):
    application = get_or_404(_applications(request), pk=pk)
    comment = request.POST.get("comment", "").strip()
    with reported(request) as done:
        registry_services.perform(request.user, action, record_id=application.pk, comment=comment)
    if done:
        messages.success(request, DONE[action])
    return redirect("web:application-detail", pk=pk)


@supplier_required
@require_POST
def application_submit(request, pk: int):
    return _act(request, pk, "submit")


@supplier_required
@require_POST
def application_withdraw(request, pk: int):
    return _act(request, pk, "withdraw")


@supplier_required
@require_POST
def certificate_renew(request, pk: int):
    certificate = get_or_404(_certificates(request), pk=pk)
    with reported(request) as done:
        application = registry_services.start_renewal(request.user, certificate_id=certificate.pk)
    if not done:
        return redirect("web:supplier-dashboard")
    messages.success(request, _("갱신 신청서 초안을 만들었습니다."))
    return redirect("web:application-detail", pk=application.pk)


# -------------------------------------------------------------------- listings
def _listings(request):
    return annotate_listed(
        ProductListing.objects.filter(supplier=request.company)
        .select_related("certificate", "certificate__partner", "supplier")
        .prefetch_related("delivery_regions")
        .order_by("-updated_at", "-id")
    )


@supplier_required
def listing_list(request):
    listings = list(_listings(request))
    names = ClassificationNames()
    for listing in listings:
        listing.delist_reason = delist_reason(listing)
        listing.readiness = nara_readiness(listing, names)
    usable = _certificates(request).filter(certificate_valid_q(timezone.localdate()))
    return render(request, "web/supplier/listings.html", {"listings": listings, "certificates": usable})


def _listing_form_page(request, form, certificate: Certificate, listing=None, status=200):
    # whether the saved listing would pass the Nara feed's validation today, and why not
    readiness = nara_readiness(listing) if listing is not None else None
    return render(
        request,
        "web/supplier/listing_form.html",
        {"form": form, "certificate": certificate, "listing": listing, "readiness": readiness},
        status=status,
    )


@supplier_required
def listing_create(request):
    chosen = request.GET.get("certificate", "")
    if not (is_ascii_digits(chosen) and len(chosen) <= 18):
        # opened from a bookmark or the menu without a certificate: offer the ones a listing may use
        usable = _certificates(request).filter(certificate_valid_q(timezone.localdate()))
        return render(request, "web/supplier/listing_choose_certificate.html", {"certificates": usable})
    certificate = get_or_404(_certificates(request), pk=chosen)
    form = ListingForm(request.POST or None, request.FILES or None, sector=certificate.sector)
    if request.method == "POST" and form.is_valid():
        values = form.service_fields()
        with reported(request, form) as done:
            listing = catalog_services.create_listing(
                request.user,
                certificate_id=certificate.pk,
                delivery_regions=values["delivery_regions"],
                image=values["image"],
                **values["fields"],
            )
        if done:
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
        with reported(request, form) as done:
            catalog_services.update_listing(
                request.user,
                listing_id=listing.pk,
                delivery_regions=values["delivery_regions"],
                image=values["image"],
                **values["fields"],
            )
        if done:
            messages.success(request, _("제품 정보를 저장했습니다."))
            return redirect("web:supplier-listings")
    return _listing_form_page(request, form, listing.certificate, listing)


@supplier_required
@require_POST
def listing_publish(request, pk: int):
    listing = get_or_404(_listings(request), pk=pk)
    publish = request.POST.get("published") == "1"
    with reported(request) as done:
        catalog_services.update_listing(request.user, listing_id=listing.pk, published=publish)
    if done:
        messages.success(request, _("게시했습니다.") if publish else _("게시를 중단했습니다."))
    return redirect("web:supplier-listings")


@supplier_required
@require_POST
def listing_delete(request, pk: int):
    listing = get_or_404(_listings(request), pk=pk)
    with reported(request) as done:
        catalog_services.delete_listing(request.user, listing_id=listing.pk)
    if done:
        messages.success(request, _("제품을 삭제했습니다."))
    return redirect("web:supplier-listings")
