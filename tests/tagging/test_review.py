"""The review queue end to end: decide proposals, retag, and the decisions hold."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from archive.models import Article, ArticleCountry, ArticleCrimeType
from archive.models import TagAssignment as Tag
from archive.permissions import CURATOR_GROUP
from archive.tagging.store import load_lexicon, tag_article
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:archive_reviewitem_changelist")
DECIDE = reverse("admin:archive_reviewitem_decide")
TEXT = (
    "Police in Kampot seized crystal meth on March 26, a provincial official said.\n\n"
    "The drugs had come from Thailand, police said."
)


@pytest.fixture
def curator(client):
    user = User.objects.create_user("reviewer", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    client.force_login(user)
    return user


@pytest.fixture
def queued():
    article = factories.make_article(raw_text=TEXT, body=TEXT, title="Meth seized in Kampot")
    tag_article(article, lexicon=load_lexicon())
    assert article.review_status == Article.ReviewStatus.NEEDS_REVIEW
    return article


def test_the_queue_shows_proposals_beside_their_evidence(client, curator, queued):
    content = client.get(QUEUE).content.decode()
    assert queued.title in content
    assert "Methamphetamine trafficking" in content
    assert "<mark>Meth</mark> seized in Kampot" in content
    assert "unknown" in content  # the year
    assert f'value="confirm-all:{queued.pk}"' in content


def test_confirm_one_reject_another_then_retag(client, curator, queued):
    cambodia = ArticleCountry.objects.get(article=queued, country__code="KH")
    thailand = ArticleCountry.objects.get(article=queued, country__code="TH")
    assert client.post(DECIDE, {"decide": f"confirm:country:{cambodia.pk}"}).status_code == 302
    assert client.post(DECIDE, {"decide": f"reject:country:{thailand.pk}"}).status_code == 302
    cambodia.refresh_from_db()
    thailand.refresh_from_db()
    assert (cambodia.status, cambodia.reviewed_by) == (Tag.Status.CONFIRMED, curator)
    assert (thailand.status, thailand.reviewed_by) == (Tag.Status.REJECTED, curator)

    tag_article(Article.objects.get(pk=queued.pk), lexicon=load_lexicon())
    assert ArticleCountry.objects.get(pk=thailand.pk).status == Tag.Status.REJECTED
    assert ArticleCountry.objects.get(pk=cambodia.pk).status == Tag.Status.CONFIRMED
    assert ArticleCountry.objects.filter(article=queued).count() == 2  # nothing re-proposed


def test_confirm_all_and_accepting_a_year_empty_the_queue(client, curator, queued):
    client.post(DECIDE, {"decide": f"confirm-all:{queued.pk}"})
    assert Tag.Status.PROPOSED not in ArticleCrimeType.objects.values_list("status", flat=True)
    queued.refresh_from_db()
    assert queued.review_status == Article.ReviewStatus.NEEDS_REVIEW  # the year is unknown
    queued.proposed_year = 2021
    queued.save()
    client.post(QUEUE, {"action": "accept_year_action", "_selected_action": [queued.pk]})
    queued.refresh_from_db()
    assert (queued.year, queued.date_origin) == (2021, "curator")
    assert queued.review_status == Article.ReviewStatus.REVIEWED
    assert queued.title not in client.get(QUEUE).content.decode()


def test_bulk_confirm_of_selected_articles(client, curator, queued):
    other = factories.make_article(raw_text=TEXT, body=TEXT)
    tag_article(other, lexicon=load_lexicon())
    client.post(QUEUE, {"action": "confirm_all_action", "_selected_action": [queued.pk, other.pk]})
    assert not ArticleCountry.objects.filter(status=Tag.Status.PROPOSED).exists()


def test_a_reviewed_article_with_an_unknown_year_leaves_the_queue(client, curator, queued):
    client.post(QUEUE, {"action": "mark_reviewed_action", "_selected_action": [queued.pk]})
    queued.refresh_from_db()
    assert queued.year is None and queued.review_status == Article.ReviewStatus.REVIEWED


def test_bad_decisions_are_refused_clearly(client, curator, queued):
    assert client.get(DECIDE).status_code == 400
    response = client.post(DECIDE, {"decide": "confirm:country:999999"})
    assert response.status_code == 400 and b"no longer exists" in response.content
    assert client.post(DECIDE, {"decide": "explode:1"}).status_code == 400


def test_people_without_change_rights_cannot_decide(client, queued):
    viewer = User.objects.create_user("viewer", password="pw-for-tests", is_staff=True)
    client.force_login(viewer)
    tag = ArticleCountry.objects.filter(article=queued).first()
    assert client.post(DECIDE, {"decide": f"confirm:country:{tag.pk}"}).status_code == 403


def test_the_admin_index_counts_what_awaits_review(client, curator, queued):
    content = client.get(reverse("admin:index")).content.decode()
    assert "1</strong> article in the review queue" in content
    pending = sum(
        m.objects.filter(status=Tag.Status.PROPOSED).count()
        for m in (ArticleCountry, ArticleCrimeType)
    )
    assert f"{pending} proposed tags not yet confirmed or rejected" in content
