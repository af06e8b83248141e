"""Certificate verification for anyone (no sign-in), and the certificate document for its holder.

``/verify/`` takes a certificate number or a business registration number and an optional reference
date; ``/verify/<number>/`` is the address a certificate document's QR code holds. The rules and the
parsing live in ``certification.public``; these views only put them on a page.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from certification import public, selectors
from certification.document import pdf_response
from core.domain import RuleViolation
from web.access import get_or_404


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("인증번호 또는 사업자등록번호"),
        max_length=40,
        required=False,
        help_text=_("예: WW-2026-000123 또는 123-45-67890 (붙임표 없이도 됩니다)"),
    )
    as_of = forms.CharField(
        label=_("기준일 (선택)"),
        max_length=10,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("그날 유효했는지 인증 이력으로 확인합니다 (YYYY-MM-DD)."),
    )

    def clean_as_of(self):
        return _checked(public.parse_as_of, self.cleaned_data["as_of"])

    def clean_number(self):
        value = self.cleaned_data["number"].strip()
        if not value:
            return None
        if public.looks_like_business_number(value):
            return ("business_number", _checked(public.parse_business_number, value))
        return ("certificate", _checked(public.parse_certificate_number, value))


def _checked(parse, value):
    try:
        return parse(value)
    except RuleViolation as exc:
        raise forms.ValidationError(str(exc), code=exc.code) from exc


def _answer(request, form: VerifyForm, lookup: tuple[str, str] | None, status: int = 200):
    context = {"form": form, "results": [], "not_found": False}
    if lookup is not None and form.is_valid():
        kind, value = lookup
        try:
            certificates = (
                [public.certificate_by_number(value)]
                if kind == "certificate"
                else public.certificates_of_holder(value)
            )
        except public.CertificateNotFound:
            context["not_found"] = True
            context["not_found_message"] = public.CertificateNotFound.message
            status = 404
        else:
            context["results"] = public.verify(certificates, form.cleaned_data["as_of"])
            context["by_holder"] = kind == "business_number"
    elif form.is_bound and not form.is_valid():
        status = 400
    return render(request, "web/verify/verify.html", context, status=status)


def verify(request):
    """The look-up form; with ``?number=`` it answers on the same page."""
    form = VerifyForm(request.GET if request.GET else None)
    lookup = form.cleaned_data.get("number") if form.is_bound and form.is_valid() else None
    return _answer(request, form, lookup)


def verify_certificate(request, number: str):
    """One certificate, by the number in the address (the QR code's target), with ``?as_of=``."""
    form = VerifyForm({"number": number, "as_of": request.GET.get("as_of", "")})
    if not form.is_valid():
        return _answer(request, form, None)
    return _answer(request, form, form.cleaned_data["number"])


@login_required
def certificate_document(request, number: str):
    """The certificate document (PDF) for its holder's members, reviewers and admins; others get 403."""
    certificate = get_or_404(public.public_certificates(), number=public.normalize_certificate_number(number))
    if not selectors.may_download_document(request.user, certificate):
        raise PermissionDenied
    return pdf_response(certificate)
