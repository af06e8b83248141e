"""Template helpers of the officers' tools on shared pages (search results, product page)."""

from django import template

from officers.access import keeps_lists as user_keeps_lists

register = template.Library()


@register.simple_tag(takes_context=True)
def keeps_lists(context) -> bool:
    """Whether the page's user keeps shortlists and saved searches; asked once per request (the search
    page asks on every result card)."""
    request = context.get("request")
    if request is None:
        return False
    if not hasattr(request, "_keeps_lists"):
        request._keeps_lists = user_keeps_lists(request.user)
    return request._keeps_lists
