"""Security headers for the server-rendered pages.

Applied per view (``web.urls`` wraps every route) rather than as a middleware, so the JSON API, Swagger UI
(which loads its own assets) and the Django admin keep their own behaviour untouched.
"""

from functools import wraps

# Everything the pages load comes from this site: no inline scripts or styles, no third-party hosts.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def security_headers(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if "Referrer-Policy" not in response:
            response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped
