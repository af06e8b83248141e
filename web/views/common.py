"""Pages every signed-in user shares: the start page and evidence downloads."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect

from accounts.adapter import next_step
from certification import selectors
from web.access import get_or_404, home_for


def home(request):
    if not request.user.is_authenticated:
        # the public catalog is the front door; signing in is one link away in the header
        return redirect("web:search")
    # a user without a role yet has a step to take first (register the company, await approval)
    return redirect(next_step(request.user) or home_for(request.user))


@login_required
def evidence_download(request, pk: int):
    """An evidence file, for the applying supplier and for reviewers (others: 404)."""
    document = get_or_404(selectors.visible_documents(request.user), pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
