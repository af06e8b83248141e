"""Officers' saved searches: saving the search page's query and filters under a name (from the search
page), the list, running one again, turning its e-mail alert on or off, deleting it. Writes go through
``officers.saved_searches``; the alert itself is the daily job (``officers.alerts``)."""

from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification.roles import Role
from officers import saved_searches, selectors
from web.access import get_or_404, role_required
from web.errors import reported
from web.search_page import read_state

officer_required = role_required(Role.OFFICER)


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("검색 이름"), max_length=100)
    alert = forms.BooleanField(label=gettext_lazy("새 제품이 나오면 e-메일로 알림"), required=False)
    # the search page's query string (q, filters, sort), as the page sends it
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


@officer_required
def saved_search_list(request):
    form = SaveSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        query = read_state(QueryDict(form.cleaned_data["query"])).to_query()
        with reported(request, form) as done:
            saved = saved_searches.save_search(
                request.user, name=form.cleaned_data["name"], query=query, alert=form.cleaned_data["alert"]
            )
        if done:
            messages.success(request, _("검색 ‘%(name)s’을 저장했습니다.") % {"name": saved.name})
            return redirect("web:saved-searches")
    searches = [
        {
            "saved": saved,
            "summary": saved_searches.describe(saved),
            "url": f"{reverse('web:search')}?{saved_searches.page_query_string(saved)}",
        }
        for saved in selectors.saved_searches_of(request.user)
    ]
    return render(
        request,
        "web/officers/saved_searches.html",
        {"searches": searches, "form": form},
        status=400 if form.errors else 200,
    )


@officer_required
def saved_search_run(request, pk: int):
    saved = get_or_404(selectors.saved_searches_of(request.user), pk=pk)
    return redirect(f"{reverse('web:search')}?{saved_searches.page_query_string(saved)}")


@officer_required
@require_POST
def saved_search_alert(request, pk: int):
    saved = get_or_404(selectors.saved_searches_of(request.user), pk=pk)
    alert = request.POST.get("alert") == "1"
    saved_searches.set_alert(request.user, saved_search_id=saved.pk, alert=alert)
    if alert:
        messages.success(
            request, _("새 제품 알림을 켰습니다. 지금부터 새로 나오는 제품을 e-메일로 알려 드립니다.")
        )
    else:
        messages.success(request, _("새 제품 알림을 껐습니다."))
    return redirect("web:saved-searches")


@officer_required
@require_POST
def saved_search_delete(request, pk: int):
    saved = get_or_404(selectors.saved_searches_of(request.user), pk=pk)
    saved_searches.delete_saved_search(request.user, saved_search_id=saved.pk)
    messages.success(request, _("저장한 검색 ‘%(name)s’을 지웠습니다.") % {"name": saved.name})
    return redirect("web:saved-searches")
