"""The admin's Nara Marketplace feed page: start an export (a worker runs it), watch its progress, cancel
it, see past jobs and their reports, download."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.feeds import downloads, lifecycle
from catalog.feeds import tasks as feed_tasks
from catalog.feeds.models import ExportJob, ExportKind, ExportStatus
from web.access import get_or_404, role_required
from web.errors import reported
from web.forms import ExportForm
from web.progress import progress_json

ADMIN_ONLY = ()  # role_required() with no roles: administrators only


@role_required(*ADMIN_ONLY)
def exports(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {
            "export_format": data["export_format"],
            "kind": data["kind"],
            "feed_version": data["feed_version"] or None,
        }
        if data["sector"]:
            kwargs["filters"] = {"sector": data["sector"]}
        if data["kind"] == ExportKind.DELTA:
            if data["since_job"] is not None:
                kwargs["since_job"] = data["since_job"]
                kwargs.pop("filters", None)  # a delta always uses its base job's filters
            else:
                kwargs["since"] = timezone.now()
        with reported(request, form) as done:
            job = feed_tasks.start_export(request.user, **kwargs)
        if done:
            if not job.is_finished:
                messages.info(request, _("내보내기 #%(id)s를 시작했습니다.") % {"id": job.pk})
            elif job.status == ExportStatus.SUCCEEDED:
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
def export_progress(request, pk: int):
    """The job's progress as JSON, polled by the detail page's progress bar (web/static/web/job-progress.js)."""
    job = get_or_404(ExportJob.objects.all(), pk=pk)
    return progress_json(
        job,
        claimed_at=job.claimed_at.isoformat() if job.claimed_at else None,
        cancel_requested=job.cancel_requested,
    )


@require_POST
@role_required(*ADMIN_ONLY)
def export_cancel(request, pk: int):
    job = get_or_404(ExportJob.objects.all(), pk=pk)
    with reported(request) as done:
        job = lifecycle.cancel_export(request.user, job_id=job.pk)
    if done:
        if job.status == ExportStatus.CANCELLED:
            messages.success(request, _("내보내기 #%(id)s를 취소했습니다.") % {"id": job.pk})
        else:
            messages.info(request, _("내보내기 #%(id)s의 취소를 요청했습니다.") % {"id": job.pk})
    return redirect("web:export-detail", pk=job.pk)


@role_required(*ADMIN_ONLY)
def export_download(request, pk: int):
    return downloads.feed_response(get_or_404(ExportJob.objects.all(), pk=pk))


@role_required(*ADMIN_ONLY)
def export_report(request, pk: int):
    return downloads.report_response(get_or_404(ExportJob.objects.all(), pk=pk))
