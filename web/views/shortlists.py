"""Officers' shortlists (관심 제품): the lists, one list with its items, adding a product from a result
card or the product page, and the read-only shared page anyone with the link may open.

Only officers (and administrators) keep lists; each list is its owner's alone, so another user's is a
404. The writes go through ``officers.shortlists``; what a shared page shows is
``officers.selectors.SHARED_ITEM_FIELDS``.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from catalog.models import Unit
from catalog.public import public_listings
from certification.roles import Role
from officers import selectors, shortlists
from officers.models import ShortlistItem
from web.access import get_or_404, role_required
from web.errors import report_form_errors, reported
from web.throttle import throttle_anonymous

officer_required = role_required(Role.OFFICER)
UNIT_LABELS = dict(Unit.choices)
NEW_LIST = "new"


class NameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("목록 이름"), max_length=100)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("메모"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddForm(forms.Form):
    shortlist = forms.ChoiceField(label=gettext_lazy("담을 목록"))
    new_name = forms.CharField(
        label=gettext_lazy("새 목록 이름"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("‘새 목록 만들기’를 고르면 이 이름으로 만듭니다."),
    )
    note = NoteForm.base_fields["note"]

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shortlist"].choices = [
            *((str(shortlist.pk), shortlist.name) for shortlist in lists),
            (NEW_LIST, _("새 목록 만들기")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("shortlist") == NEW_LIST and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("새 목록의 이름을 입력하세요."))
        return data


def _back(request, fallback: str) -> str:
    """Where to go after adding: the page the officer came from, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@officer_required
def shortlist_list(request):
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as done:
            shortlist = shortlists.create_shortlist(request.user, name=form.cleaned_data["name"])
        if done:
            messages.success(request, _("관심 목록 ‘%(name)s’을 만들었습니다.") % {"name": shortlist.name})
            return redirect("web:shortlist", pk=shortlist.pk)
    return render(
        request,
        "web/officers/shortlists.html",
        {"shortlists": selectors.shortlists_of(request.user), "form": form},
        status=400 if form.errors else 200,
    )


@officer_required
def shortlist_detail(request, pk: int):
    shortlist = get_or_404(selectors.shortlists_of(request.user), pk=pk)
    share_url = (
        request.build_absolute_uri(reverse("web:shortlist-shared", args=[shortlist.share_token]))
        if shortlist.share_token
        else ""
    )
    return render(
        request,
        "web/officers/shortlist.html",
        {
            "shortlist": shortlist,
            "entries": [{"id": entry.item.pk, **_shown(entry)} for entry in selectors.entries(shortlist)],
            "rename_form": NameForm(initial={"name": shortlist.name}),
            "share_url": share_url,
        },
    )


def _shown(entry: selectors.Entry) -> dict:
    """An item's allow-listed fields (``SHARED_ITEM_FIELDS``) and its unit's label."""
    shown = entry.public()
    return {**shown, "unit_label": UNIT_LABELS.get(shown["unit"], shown["unit"])}


def _apply(request, form: forms.Form, change: Callable[[dict], object], done_message: str) -> None:
    """A small form posted from the list's page, which redirects back: the change, or why not, as a
    message."""
    if not form.is_valid():
        report_form_errors(request, form)
        return
    with reported(request) as done:
        change(form.cleaned_data)
    if done:
        messages.success(request, done_message)


def _own(request, pk: int):
    return get_or_404(selectors.shortlists_of(request.user), pk=pk)


@officer_required
@require_POST
def shortlist_rename(request, pk: int):
    shortlist = _own(request, pk)
    _apply(
        request,
        NameForm(request.POST),
        lambda data: shortlists.rename_shortlist(request.user, shortlist_id=shortlist.pk, name=data["name"]),
        _("목록 이름을 바꿨습니다."),
    )
    return redirect("web:shortlist", pk=shortlist.pk)


@officer_required
@require_POST
def shortlist_delete(request, pk: int):
    shortlist = _own(request, pk)
    shortlists.delete_shortlist(request.user, shortlist_id=shortlist.pk)
    messages.success(request, _("관심 목록 ‘%(name)s’을 지웠습니다.") % {"name": shortlist.name})
    return redirect("web:shortlists")


@officer_required
@require_POST
def shortlist_share(request, pk: int, share: bool = True):
    """Makes the read-only link (``share``) or revokes it."""
    shortlist = _own(request, pk)
    if share:
        shortlists.share_shortlist(request.user, shortlist_id=shortlist.pk)
        message = _("읽기 전용 링크를 만들었습니다. 링크를 아는 사람은 누구나 이 목록을 볼 수 있습니다.")
    else:
        shortlists.revoke_share(request.user, shortlist_id=shortlist.pk)
        message = _("링크를 없앴습니다. 이전 링크로는 더 이상 열리지 않습니다.")
    messages.success(request, message)
    return redirect("web:shortlist", pk=shortlist.pk)


def _own_item(request, pk: int) -> ShortlistItem:
    return get_or_404(ShortlistItem.objects.filter(shortlist__owner=request.user), pk=pk)


@officer_required
@require_POST
def item_note(request, pk: int):
    item = _own_item(request, pk)
    _apply(
        request,
        NoteForm(request.POST),
        lambda data: shortlists.update_note(request.user, item_id=item.pk, note=data["note"]),
        _("메모를 저장했습니다."),
    )
    return redirect(f"{reverse('web:shortlist', args=[item.shortlist_id])}#item-{item.pk}")


@officer_required
@require_POST
def item_remove(request, pk: int):
    item = _own_item(request, pk)
    shortlists.remove_item(request.user, item_id=item.pk)
    messages.success(request, _("‘%(name)s’을 목록에서 뺐습니다.") % {"name": item.name})
    return redirect("web:shortlist", pk=item.shortlist_id)


@officer_required
def item_add(request, listing_pk: int):
    """Adding a listed product to a list, an existing one or a new one, with a note."""
    listing = get_or_404(public_listings(), pk=listing_pk)
    lists = list(selectors.shortlists_of(request.user))
    form = AddForm(
        request.POST or None, lists=lists, initial={"shortlist": lists[0].pk if lists else NEW_LIST}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # a new list and its first item together: a refused item leaves no empty list behind
        with reported(request, form) as done, transaction.atomic():
            if data["shortlist"] == NEW_LIST:
                shortlist_id = shortlists.create_shortlist(request.user, name=data["new_name"]).pk
            else:
                # one of the officer's own lists: the choices hold nothing else
                shortlist_id = int(data["shortlist"])
            item = shortlists.add_item(
                request.user, shortlist_id=shortlist_id, listing_id=listing.pk, note=data["note"]
            )
        if done:
            messages.success(
                request,
                _("‘%(product)s’을 ‘%(list)s’에 담았습니다.")
                % {"product": listing.name, "list": item.shortlist.name},
            )
            return redirect(_back(request, reverse("web:shortlist", args=[item.shortlist_id])))
    return render(
        request,
        "web/officers/add.html",
        {"listing": listing, "form": form, "next": _back(request, "")},
        status=400 if form.errors else 200,
    )


@require_safe
@throttle_anonymous
def shortlist_shared(request, token: str):
    """Anyone holding the link reads the list: the products' public fields and the notes, nothing to edit.
    A revoked or made-up link is a 404."""
    shortlist = selectors.shared_shortlist(token)
    if shortlist is None:
        raise Http404
    response = render(
        request,
        "web/officers/shared.html",
        {
            "shortlist": shortlist,
            "entries": [_shown(entry) for entry in selectors.entries(shortlist)],
        },
    )
    # a revoked link must stop working at once: no shared cache keeps the page
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
