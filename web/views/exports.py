"""The admin's Nara Marketplace feed page: run an export, see past jobs and their reports, download."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.feeds import downloads
from catalog.feeds import services as feed_services
from catalog.feeds.models import ExportJob, ExportKind, ExportStatus
from web.access import get_or_404, role_required
from web.errors import reported
from web.forms import ExportForm

ADMIN_ONLY = ()  # role_required() with no roles: administrators only


@role_required(*ADMIN_ONLY)
def exports(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {"export_format": data["export_format"], "kind": data["kind"]}
        if data["sector"]:
            kwargs["filters"] = {"sector": data["sector"]}
        if data["kind"] == ExportKind.DELTA:
            if data["since_job"] is not None:
                kwargs["since_job"] = data["since_job"]
                kwargs.pop("filters", None)  # a delta always uses its base job's filters
            else:
                kwargs["since"] = timezone.now()
        with reported(request, form) as done:
            job = feed_services.run_export(request.user, **kwargs)
        if done:
            if job.status == ExportStatus.SUCCEEDED:
                messages.success(
                    request,
                    _("내보내기 #%(id)s 완료: %(rows)s행, 제외 %(rejected)s행.")
                    % {"id": job.pk, "rows": job.row_count, "rejected": job.rejected_count},
                )
            else:
                messages.error(
                    request,
                    _("내보내기 #%(id)s 실패: %(error)s") % {"id": job.pk, "error": job.error_message},
                )
            return redirect("web:export-detail", pk=job.pk)
    page = Paginator(ExportJob.objects.order_by("-started_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "web/exports/exports.html", {"form": form, "page": page})


@role_required(*ADMIN_ONLY)
def export_detail(request, pk: int):
    job = get_or_404(ExportJob.objects.select_related("base_job"), pk=pk)
    return render(request, "web/exports/export_detail.html", {"job": job})


@role_required(*ADMIN_ONLY)
def export_download(request, pk: int):
    return downloads.feed_response(get_or_404(ExportJob.objects.all(), pk=pk))


@role_required(*ADMIN_ONLY)
def export_report(request, pk: int):
    return downloads.report_response(get_or_404(ExportJob.objects.all(), pk=pk))
