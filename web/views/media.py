"""A listing's image, served apart from the pages."""

from django.http import FileResponse, Http404

from catalog.selectors import visible_listings
from certification.roles import Role
from web.access import get_or_404, role_required

SEARCHERS = (Role.OFFICER, Role.REVIEWER, Role.SUPPLIER)


@role_required(*SEARCHERS)
def product_image(request, pk: int):
    listing = get_or_404(visible_listings(request.user), pk=pk)
    if not listing.image:
        raise Http404
    return FileResponse(listing.image.open("rb"))
