"""Officers take search results away: the search page's query and filters as CSV or XLSX. Small results
are the response itself; larger ones become a worker job whose page shows progress and, to the officer
who asked only, the download. The rules (who, how many, what a row holds) are ``search.exports``'."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from catalog.feeds.downloads import NoDownload
from core.domain import NotPermitted, RuleViolation
from search.backends.base import InvalidQuery, SearchUnavailable
from search.exports import services, tasks
from search.exports.columns import language_of
from search.exports.models import ResultExportFormat
from search.exports.writing import CONTENT_TYPES
from web.access import get_or_404
from web.progress import progress_json
from web.search_page import read_state, search_error


def _query_string(request) -> str:
    """The page's query without its page number: the export holds every page."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def export_results(request, export_format: str):
    """GET: the file (within the inline bound) or the page offering a job; POST: start that job."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if export_format not in ResultExportFormat.values:
        raise Http404
    if not services.may_export(request.user):
        raise PermissionDenied
    query = read_state(request.GET).to_query()
    language = language_of(get_language())
    context = {
        "export_format": export_format,
        "query_string": _query_string(request),
        "plan": None,
        "inline_limit": settings.SEARCH_EXPORT_INLINE_ROWS,
    }
    status = 200
    try:
        plan = services.plan_export(request.user, query)
        context["plan"] = plan
        if plan.refusal:
            status = 400
        elif plan.inline:
            made = services.export_now(
                request.user, query=query, export_format=export_format, language=language
            )
            response = HttpResponse(made.content, content_type=made.content_type)
            response["Content-Disposition"] = f'attachment; filename="{made.name}"'
            response["Cache-Control"] = "no-store"
            response["X-Result-Rows"] = str(made.rows)
            return response
        elif request.method == "POST":
            job = tasks.start_result_export(
                request.user,
                query=query,
                export_format=export_format,
                language=language,
                query_string=context["query_string"],
            )
            return redirect("web:result-export", pk=job.pk)
    except (InvalidQuery, SearchUnavailable) as exc:
        context["error"], status = search_error(exc)
    except (NotPermitted, RuleViolation) as exc:
        context["error"] = str(exc)
        status = 400
    return render(request, "web/tools/export_offer.html", context, status=status)


def _job(request, pk: int):
    if not request.user.is_authenticated:
        return None
    return get_or_404(services.my_exports(request.user), pk=pk)


def result_export(request, pk: int):
    job = _job(request, pk)
    if job is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "web/tools/export_job.html", {"job": job})


def result_export_progress(request, pk: int):
    """Polled by the job page's progress bar (web/static/web/job-progress.js)."""
    job = _job(request, pk)
    if job is None:
        return redirect_to_login(request.get_full_path())
    return progress_json(job)


def result_export_download(request, pk: int):
    job = _job(request, pk)
    if job is None:
        return redirect_to_login(request.get_full_path())
    if not job.has_file:
        raise NoDownload(f"result export {job.pk} has no file ({job.status})")
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[job.export_format],
    )
