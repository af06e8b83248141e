"""The program dashboard (admins and program staff): figures as charts beside their tables, each table
as CSV, and the search insight with the zero-result → synonym form (admins). Figures: ``program``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification.roles import Role, is_admin
from core.domain import NotPermitted, RuleViolation
from program import figures, insight
from program.downloads import table_csv
from program.public import public_statistics
from program.tables import few_results_table, program_tables, public_table, table_named, top_queries_table
from web.access import role_required
from web.throttle import throttle_anonymous


class SynonymForm(forms.Form):
    query = forms.CharField(max_length=200, widget=forms.HiddenInput)
    means = forms.CharField(
        label=gettext_lazy("같은 뜻의 낱말"),
        max_length=200,
        help_text=gettext_lazy("카탈로그에서 쓰는 낱말; 여러 개는 쉼표로 구분"),
    )


@role_required(Role.PROGRAM_STAFF)
def dashboard(request):
    today = timezone.localdate()
    tables = program_tables(today)
    renewal_labels = figures.Renewal.LABELS
    soonest = [
        {"certificate": certificate, "renewal": renewal_labels[certificate.renewal]}
        for certificate in figures.expiring_soonest(today)
    ]
    return render(
        request, "web/program/dashboard.html", {"tables": tables, "soonest": soonest, "today": today}
    )


@role_required(Role.PROGRAM_STAFF)
def table_download(request, key: str):
    table = table_named(key)
    if table is None:
        raise Http404
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="program-{key}-{timezone.localdate()}.csv"'
    return response


def _insight(request, form: SynonymForm | None = None, status: int = 200):
    zero = insight.zero_result_queries()
    context = {
        "tables": [top_queries_table(), few_results_table()],
        "zero": zero,
        "can_add_synonym": is_admin(request.user),
        "form": form,
        "days": insight.INSIGHT_DAYS,
    }
    return render(request, "web/program/insight.html", context, status=status)


@role_required(Role.PROGRAM_STAFF)
def search_insight(request):
    return _insight(request)


@require_POST
@role_required(Role.PROGRAM_STAFF)
def add_synonym(request):
    """The second click: the zero-result query and the word the catalog uses become one synonym entry."""
    form = SynonymForm(request.POST)
    if not form.is_valid():
        return _insight(request, form, status=400)
    try:
        synonym = insight.add_synonym(
            request.user, query=form.cleaned_data["query"], means=form.cleaned_data["means"]
        )
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except RuleViolation as exc:
        form.add_error("means" if exc.field == "means" else None, str(exc))
        return _insight(request, form, status=400)
    messages.success(request, _("동의어를 등록했습니다: %(variants)s") % {"variants": synonym.variants})
    return redirect("web:program-search")


@throttle_anonymous
def statistics(request):
    """Public statistics (anyone): the open-data numbers as a chart and a table, with their CSV and JSON."""
    numbers = public_statistics()
    table = public_table(numbers)
    response = render(request, "web/program/statistics.html", {"table": table, "numbers": numbers})
    response["Cache-Control"] = "public, max-age=3600" if not request.user.is_authenticated else "private"
    return response
