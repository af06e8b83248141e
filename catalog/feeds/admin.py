"""Django admin for export jobs: read-only history, download links, and buttons that start exports
(queued for a worker, as from the pages)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from catalog.feeds import downloads, tasks
from catalog.feeds.models import ExportFormat, ExportJob, ExportKind, ExportStatus
from certification.roles import is_admin
from core.domain import DomainError


def _report(modeladmin: admin.ModelAdmin, request: HttpRequest, job: ExportJob) -> None:
    if job.status == ExportStatus.SUCCEEDED:
        modeladmin.message_user(
            request,
            f"Export job #{job.pk}: {job.row_count} rows, {job.rejected_count} rejected, sha256 {job.sha256[:12]}…",
            messages.SUCCESS,
        )
    elif job.status == ExportStatus.FAILED:
        modeladmin.message_user(request, f"Export job #{job.pk} failed: {job.error_message}", messages.ERROR)
    else:
        modeladmin.message_user(request, f"Export job #{job.pk} started ({job.status}).", messages.INFO)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "started_at",
        "kind",
        "format",
        "feed_version",
        "status",
        "row_count",
        "added_count",
        "changed_count",
        "delisted_count",
        "rejected_count",
        "created_by_name",
        "download_link",
    ]
    list_filter = ["status", "kind", "format", "feed_version"]
    date_hierarchy = "started_at"
    actions = ["run_full_csv_export", "run_full_csv_export_v1", "run_delta_csv_export"]
    change_list_template = "admin/feeds/exportjob/change_list.html"
    exclude = ["file", "report_file", "created_by"]

    # the record of an export is evidence of what Nara was given: nobody edits it
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude] + [
            "download_link",
            "report_link",
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    @admin.display(description="file")
    def download_link(self, job: ExportJob) -> str:
        if not job.has_file:
            return "—"
        url = reverse("admin:feeds_exportjob_download", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, job.format.upper())

    @admin.display(description="validation report")
    def report_link(self, job: ExportJob) -> str:
        if not job.has_file or not job.report_file:
            return "—"
        url = reverse("admin:feeds_exportjob_report", args=[job.pk])
        return format_html('<a href="{}">report.json ({} rejected)</a>', url, job.rejected_count)

    # ------------------------------------------------------------- running exports
    @admin.action(description="Run a full CSV export (whole catalog, feed 2.0)")
    def run_full_csv_export(self, request: HttpRequest, queryset) -> None:
        self._run(request, export_format=ExportFormat.CSV, kind=ExportKind.FULL)

    @admin.action(description="Run a full CSV export (whole catalog, feed 1.0, deprecated)")
    def run_full_csv_export_v1(self, request: HttpRequest, queryset) -> None:
        self._run(request, export_format=ExportFormat.CSV, kind=ExportKind.FULL, feed_version="1.0")

    @admin.action(description="Run a delta CSV export since the selected job (in that job's feed version)")
    def run_delta_csv_export(self, request: HttpRequest, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one base job.", messages.WARNING)
            return
        self._run(request, export_format=ExportFormat.CSV, kind=ExportKind.DELTA, since_job=queryset.get())

    def _run(self, request: HttpRequest, **options) -> None:
        try:
            job = tasks.start_export(request.user, **options)
        except (ValidationError, DomainError) as exc:
            self.message_user(request, f"Export not started: {exc}", messages.ERROR)
            return
        _report(self, request, job)

    # admin actions need a selection, so an empty history could never start one: a button does
    def get_urls(self):
        own = [
            path(
                "run-full-csv/",
                self.admin_site.admin_view(require_POST(self.run_full_csv_view)),
                name="feeds_exportjob_run_full_csv",
            ),
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="feeds_exportjob_download",
            ),
            path(
                "<int:pk>/report/",
                self.admin_site.admin_view(self.report_view),
                name="feeds_exportjob_report",
            ),
        ]
        return own + super().get_urls()

    def run_full_csv_view(self, request: HttpRequest):
        if not is_admin(request.user):
            raise Http404
        self._run(request, export_format=ExportFormat.CSV, kind=ExportKind.FULL)
        return HttpResponseRedirect(reverse("admin:feeds_exportjob_changelist"))

    def _job(self, request: HttpRequest, pk: int) -> ExportJob:
        job = ExportJob.objects.filter(pk=pk).first()
        if job is None or not is_admin(request.user):
            raise Http404
        return job

    def download_view(self, request: HttpRequest, pk: int) -> FileResponse:
        return downloads.feed_response(self._job(request, pk))

    def report_view(self, request: HttpRequest, pk: int) -> FileResponse:
        return downloads.report_response(self._job(request, pk))
