"""Template tags of the officer tools' partials on the search page (``web/tools/search_tools.html``)."""

from django import template

from catalog.comparison import MAX_COMPARED
from search.exports.services import may_export

register = template.Library()


@register.simple_tag(takes_context=True)
def may_export_results(context) -> bool:
    request = context.get("request")
    return request is not None and may_export(request.user)


@register.simple_tag(takes_context=True)
def export_query(context) -> str:
    """The page's query string without its page number ("?q=…&sector=…"), for the export links."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.simple_tag
def max_compared() -> int:
    return MAX_COMPARED
