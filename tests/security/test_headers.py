"""Security headers on every answer, and pages that need no inline script or style to work."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse

from config.security import content_security_policy
from tests.conftest import REPO_ROOT
from tests.search.pages.conftest import archive  # noqa: F401  (indexed reports with tags and years)

TEMPLATES = REPO_ROOT / "templates"


def directives(header: str) -> dict[str, list[str]]:
    """Return a Content-Security-Policy header as {directive: [sources]}."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


# --- The policy -------------------------------------------------------------------------------


def test_the_public_policy_allows_only_our_own_files():
    policy = directives(content_security_policy("/"))
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


def test_only_the_admin_may_use_style_attributes_and_nowhere_inline_scripts():
    admin = directives(content_security_policy("/admin/archive/article/"))
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["script-src"] == ["'self'"]
    assert directives(content_security_policy("/administrators/"))["style-src"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/articles/", "/api/v1/", "/healthz", "/no-such-page/"])
def test_every_answer_carries_the_headers(client, search_index, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == content_security_policy(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_static_files_carry_the_policy_too(client):
    response = client.get("/static/css/archive.css")
    response.close()  # streamed from an open file
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == content_security_policy("/static/")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_admin_login_carries_the_admin_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "'unsafe-inline'" in directives(response["Content-Security-Policy"])["style-src"]


@pytest.mark.django_db
def test_hsts_is_sent_over_https_for_a_year_with_subdomains_and_preload(client):
    secure = client.get("/healthz", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/healthz")


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/articles/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/articles/?page=2"
    assert client.get("/healthz").status_code == 200


# --- No inline script or style in what we render ----------------------------------------------


class InlineCode(HTMLParser):
    """Collect what a strict Content-Security-Policy would block in a page."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, _ in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "script" and not dict(attrs).get("src"):
            self.problems.append("<script> without src")
        if tag in ("script", "style"):
            self._inside = tag

    def handle_endtag(self, tag):
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data):
        if self._inside and data.strip():
            self.problems.append(f"inline <{self._inside}>: {data.strip()[:60]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_the_checker_finds_what_the_policy_would_block():
    html = (
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        "<style>p{}</style><svg><a onmouseover='y()'></a></svg>"
        '<script src="/static/js/copy.js" defer></script>'
    )
    assert inline_code(html) == [
        "<p style=...>",
        "<p onclick=...>",
        "<script> without src",
        "inline <script>: alert(1)",
        "inline <style>: p{}",
        "<a onmouseover=...>",
    ]


@pytest.mark.django_db
def test_no_public_page_has_inline_script_style_or_handlers(client, archive):  # noqa: F811
    article = archive["casino"]
    pages = [
        reverse("search:search"),
        reverse("search:search") + "?q=police&country=KH",
        reverse("search:search") + "?sort=added&show=source",
        reverse("archive:article_detail", args=[article.pk]),
        reverse("archive:article_detail", args=[article.pk]) + "?raw=1",
        reverse("search:browse"),
        reverse("search:tag_page", args=["country", "KH"]),
        reverse("search:tag_page", args=["crime_type", "gambling"]),
        reverse(
            "search:tag_page",
            args=["ministry", archive["casino"].ministry_tags.first().ministry.slug],
        ),
        reverse("search:overview"),
        "/no-such-page/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert response["Content-Type"].startswith("text/html"), path
        assert inline_code(response.content.decode()) == [], path
    # The search page drew its year histogram, and the tag pages their charts, without styles.
    assert b"bar-fill" in client.get(reverse("search:search")).content
    assert b"<svg" in client.get(reverse("search:tag_page", args=["country", "KH"])).content


@pytest.mark.django_db
def test_the_error_pages_have_no_inline_code_either(rf):
    request = rf.get("/")
    request.user = User(username="anyone")
    rendered = [
        render_to_string("500.html"),
        render_to_string("429.html", {"message": "Too many.", "retry_after": 5}, request),
        render_to_string("locked_out.html", {"failure_limit": 5, "username": "u"}, request),
    ]
    for html in rendered:
        assert "<h1>" in html
        assert inline_code(html) == []


def test_no_template_of_ours_writes_inline_script_style_or_handlers():
    for template in TEMPLATES.rglob("*.html"):
        assert inline_code(template.read_text()) == [], template.relative_to(REPO_ROOT)
