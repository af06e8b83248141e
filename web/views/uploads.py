"""Supplier pages of the bulk upload: the template, the upload form and history, an upload's report
(progress while its job runs), commit, the report workbook. Work happens in ``catalog.uploads``."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalog.uploads import tasks
from catalog.uploads.api.views import attachment
from catalog.uploads.columns import COLUMNS
from catalog.uploads.issues import Code
from catalog.uploads.models import BulkUpload
from catalog.uploads.readiness import in_language
from catalog.uploads.report import report_workbook
from catalog.uploads.template import CSV_TYPE, XLSX_TYPE, template_csv, template_workbook
from core.domain import Conflict, NotPermitted, RuleViolation
from web.access import get_or_404, supplier_required
from web.errors import report_domain_error

HISTORY = 20


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("작성한 양식 파일"),
        help_text=gettext_lazy(".xlsx 또는 .csv"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


def _uploads(request):
    return BulkUpload.objects.filter(supplier=request.company)


@supplier_required
def upload_home(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = tasks.start_upload(request.user, upload=form.cleaned_data["file"])
        except RuleViolation as exc:
            form.add_error("file", in_language(str(exc)))
        except NotPermitted as exc:
            report_domain_error(request, exc)
        else:
            return redirect("web:listing-upload", pk=upload.pk)
    return render(
        request,
        "web/supplier/upload_home.html",
        {
            "form": form,
            "uploads": _uploads(request)[:HISTORY],
            "columns": COLUMNS,
            "max_rows": settings.BULK_UPLOAD_MAX_ROWS,
            "max_bytes": settings.BULK_UPLOAD_MAX_BYTES,
        },
        status=400 if form.errors else 200,
    )


@supplier_required
def upload_template(request, kind: str):
    if kind not in ("xlsx", "csv"):
        raise Http404
    if kind == "csv":
        return attachment(template_csv(), CSV_TYPE, "listing-upload-template.csv")
    content = template_workbook(request.company, timezone.localdate(), settings.BULK_UPLOAD_MAX_ROWS)
    return attachment(content, XLSX_TYPE, "listing-upload-template.xlsx")


def _issue_rows(upload: BulkUpload) -> list[dict]:
    labels = {column.key: column.label for column in COLUMNS}
    return [
        {**issue, "label": labels.get(issue["column"], ""), "text": in_language(issue["message"])}
        for issue in upload.issues
    ]


@supplier_required
def upload_detail(request, pk: int):
    upload = get_or_404(_uploads(request), pk=pk)
    issues = _issue_rows(upload)
    return render(
        request,
        "web/supplier/upload_detail.html",
        {
            "upload": upload,
            "file_issues": [issue for issue in issues if issue["row"] is None],
            "row_issues": [issue for issue in issues if issue["row"] is not None],
            "refused_codes": [Code.FORMULA, Code.INJECTION, Code.LOOKALIKE_DIGITS, Code.DUPLICATE_CODE],
        },
    )


@supplier_required
def upload_progress(request, pk: int):
    """Progress as JSON, in the shape web/static/web/job-progress.js polls."""
    upload = get_or_404(_uploads(request), pk=pk)
    return JsonResponse(
        {
            "id": upload.pk,
            "status": upload.status,
            "phase_display": upload.get_status_display(),
            "rows_done": upload.rows_done,
            "rows_total": upload.rows_total,
            "percent": upload.percent,
            "eta": None,
            "finished": not upload.running,
        },
        headers={"Cache-Control": "no-store"},
    )


@require_POST
@supplier_required
def upload_commit(request, pk: int):
    upload = get_or_404(_uploads(request), pk=pk)
    try:
        upload = tasks.start_commit(request.user, upload_id=upload.pk)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        if upload.status == "committed":
            counts = upload.counts
            messages.success(
                request,
                _(
                    "반영했습니다: 새 제품 %(create)s건, 수정 %(update)s건, 변경 없음 %(unchanged)s건, 제외 %(invalid)s건."
                )
                % {key: counts.get(key, 0) for key in ("create", "update", "unchanged", "invalid")},
            )
    return redirect("web:listing-upload", pk=upload.pk)


@supplier_required
def upload_report(request, pk: int):
    upload = get_or_404(_uploads(request), pk=pk)
    return attachment(report_workbook(upload), XLSX_TYPE, f"upload-{upload.pk}-report.xlsx")
