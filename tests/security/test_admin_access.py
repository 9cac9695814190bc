"""The admin: only for signed-in staff, every form protected against forgery, curators limited."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, reverse

from archive.models import Article, ArticleCountry, TagAssignment
from archive.permissions import CURATOR_GROUP
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
ARTICLES = reverse("admin:archive_article_changelist")


def model_admin_urls(pk="1") -> list[str]:
    """Return every URL of every registered model's admin: lists, forms, history, custom views."""
    urls = []
    for model_admin in admin.site._registry.values():
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue  # the catch-all redirect to the change view
            regex = pattern.pattern.regex
            # Every parameter of an admin URL is an object's id (an article, a history version).
            kwargs = dict.fromkeys(regex.groupindex, pk)
            args = [] if kwargs else [pk] * regex.groups
            urls.append(reverse(f"admin:{pattern.name}", args=args, kwargs=kwargs))
    return urls


def test_every_model_admin_url_is_listed():
    urls = model_admin_urls()
    # Articles: list, add, history, delete, change; and the review queue's own decide view.
    assert ARTICLES in urls
    assert reverse("admin:archive_article_delete", args=[1]) in urls
    assert reverse("admin:archive_reviewitem_decide") in urls
    assert reverse("admin:auth_user_changelist") in urls
    assert len(urls) >= 5 * len(admin.site._registry) - 5  # a few admins have fewer views


def test_anonymous_visitors_are_sent_to_the_login_form_from_every_admin_page(client):
    article = factories.make_article()
    for url in [reverse("admin:index"), *model_admin_urls(pk=str(article.pk))]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{LOGIN}?next="), url


@pytest.fixture
def strict_admin_client():
    """A signed-in superuser whose client sends no CSRF token unless told to."""
    user = User.objects.create_superuser("boss", password="a-long-test-password")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_login_form_refuses_a_post_without_a_csrf_token():
    User.objects.create_superuser("boss", password="a-long-test-password")
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "boss", "password": "a-long-test-password"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_every_admin_form_action_and_view_refuses_a_post_without_a_csrf_token(
    strict_admin_client,
):
    article = factories.make_article()
    posts = [
        (url, {"title": "changed", "post": "yes"})
        for url in [
            *model_admin_urls(pk=str(article.pk)),
            reverse("admin:logout"),
            reverse("admin:password_change"),
        ]
    ]
    for model, model_admin in admin.site._registry.items():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for action in model_admin.get_actions(_request_as(strict_admin_client)):
            posts.append((changelist, {"action": action, "_selected_action": [article.pk]}))
    posts.append((reverse("admin:archive_reviewitem_decide"), {"decide": "confirm-all:1"}))
    for url, data in posts:
        response = strict_admin_client.post(url, data)
        assert response.status_code == 403, (url, data)
        assert b"CSRF" in response.content, url
    article.refresh_from_db()
    assert article.title != "changed"


def test_a_post_with_the_csrf_token_is_accepted(strict_admin_client):
    """The check above fails for the missing token, not for some other reason."""
    article = factories.make_article()
    strict_admin_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    token = strict_admin_client.cookies["csrftoken"].value
    response = strict_admin_client.post(
        ARTICLES,
        {"action": "mark_reviewed_action", "_selected_action": [article.pk]},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 302


def _request_as(client):
    """Return a request carrying the client's user, for ModelAdmin.get_actions."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


# --- The curator group ------------------------------------------------------------------------


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("cura", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:auth_group_changelist",
        "admin:auth_group_add",
        "admin:axes_accessattempt_changelist",
    ],
)
def test_curators_cannot_reach_users_groups_or_login_records(curator_client, url_name):
    assert curator_client.get(reverse(url_name)).status_code == 403


def test_curators_cannot_open_a_user_or_group(curator_client):
    user = User.objects.get(username="cura")
    group = Group.objects.get(name=CURATOR_GROUP)
    assert curator_client.get(reverse("admin:auth_user_change", args=[user.pk])).status_code == 403
    assert (
        curator_client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403
    )
    index = curator_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index


def test_curators_cannot_delete_articles(curator_client):
    article = factories.make_article()
    delete = reverse("admin:archive_article_delete", args=[article.pk])
    assert curator_client.get(delete).status_code == 403
    assert curator_client.post(delete, {"post": "yes"}).status_code == 403
    response = curator_client.get(ARTICLES)
    assert response.status_code == 200
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions and "add_tag_action" in actions
    curator_client.post(
        ARTICLES, {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=article.pk).exists()


def test_curators_can_edit_tags_but_not_delete_them(curator_client):
    article = factories.make_article()
    factories.tag(article, factories.country("KH"))
    response = curator_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="country_tags-0-status"' in content  # editable
    assert 'name="country_tags-0-DELETE"' not in content  # rejected instead, never deleted
    assert 'name="country_tags-TOTAL_FORMS"' in content
    decide = reverse("admin:archive_reviewitem_decide")
    tag = ArticleCountry.objects.get(article=article)
    response = curator_client.post(decide, {"decide": f"confirm:country:{tag.pk}"})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.status == TagAssignment.Status.CONFIRMED


def test_the_curator_group_has_no_delete_and_no_user_permission():
    codenames = set(
        Group.objects.get(name=CURATOR_GROUP).permissions.values_list("codename", flat=True)
    )
    assert codenames
    assert not {name for name in codenames if name.startswith("delete_")}
    assert not {name for name in codenames if name.endswith(("_user", "_group", "_permission"))}
