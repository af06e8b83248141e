"""The inbox (list, mark read, mark all read) and the notification preferences, for every signed-in user.
Each user sees only their own notifications: another user's is a 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.kinds import ESSENTIAL, OPTIONAL, Kind
from notifications.models import Language
from web.access import get_or_404
from web.errors import reported


@login_required
def inbox(request):
    notifications = selectors.inbox(request.user).order_by("-created_at", "-id")
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(request, "web/notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(request.user, notification_id=notification.pk)
    return redirect("web:notifications")


@login_required
@require_POST
def mark_all_read(request):
    marked = services.mark_all_read(request.user)
    messages.success(request, _("알림 %(count)s건을 읽음으로 표시했습니다.") % {"count": marked})
    return redirect("web:notifications")


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("알림 언어"), choices=Language.choices, widget=forms.RadioSelect
    )
    emailed = forms.MultipleChoiceField(
        label=gettext_lazy("e-메일로 받을 알림"),
        choices=[(kind, Kind(kind).label) for kind in OPTIONAL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("선택하지 않은 알림은 알림함에만 표시됩니다."),
    )


@login_required
def preferences(request):
    preference = services.preference_of(request.user)
    initial = {
        "language": preference.language,
        "emailed": [kind for kind in OPTIONAL if kind not in preference.muted_kinds],
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        emailed = set(form.cleaned_data["emailed"])
        with reported(request, form) as done:
            services.update_preferences(
                request.user,
                language=form.cleaned_data["language"],
                muted_kinds=[kind for kind in OPTIONAL if kind not in emailed],
            )
        if done:
            messages.success(request, _("알림 설정을 저장했습니다."))
            return redirect("web:notification-preferences")
    essential = [Kind(kind).label for kind in Kind.values if kind in ESSENTIAL]
    return render(request, "web/notifications/preferences.html", {"form": form, "essential": essential})
