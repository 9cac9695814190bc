"""The response headers Django's SecurityMiddleware does not set: Content-Security-Policy and
Permissions-Policy, on every answer including static files.

Django sets the rest from settings (config/settings.py): X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy, HSTS, and X-Frame-Options through its clickjacking middleware.

The policy allows scripts, styles, images and fonts from this site only: no inline script, no
`eval`, no style attribute, so markup injected into a page (an article's text is untrusted) can
neither run nor restyle anything. Our templates therefore keep every script in static/js/ and
every style in static/css/ (tests/security/test_headers.py checks the rendered pages).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# directive -> sources, as declared; `content_security_policy` joins them.
PUBLIC_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
}
ADMIN_PREFIX = "/admin/"
# Admin pages alone may use style attributes: django-simple-history's history page writes one
# (`<p class="paginator" style="border-top: 0">`) and the admin is only open to signed-in staff.
# Scripts stay 'self' only there too: the admin's scripts are all files.
ADMIN_POLICY = {**PUBLIC_POLICY, "style-src": ("'self'", "'unsafe-inline'")}

# No page of the archive needs any of these browser features; refusing them means an injected
# or third-party script could not ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in ("camera", "geolocation", "microphone", "payment", "usb")
)


def content_security_policy(path: str) -> str:
    """Return the Content-Security-Policy header value for a request to `path`."""
    policy = ADMIN_POLICY if path.startswith(ADMIN_PREFIX) else PUBLIC_POLICY
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy unless a view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.path)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
