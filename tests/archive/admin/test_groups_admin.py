"""Incidents and story threads in admin: listed, read with their reasons, confirmed, split,
merged and added to, each decision kept in the database and announced to the search index."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from archive.ingest.batch import ingest_paths
from archive.models import Article, GroupKind, GroupMember, GroupStatus, ReportGroup
from archive.permissions import CURATOR_GROUP
from archive.signals import articles_changed
from tests import factories

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "incidents" / "reports.jsonl"
CHANGELIST = reverse("admin:archive_reportgroup_changelist")


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("cura", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def announced():
    """Collect the article ids announced to the search index."""
    ids: list[int] = []

    def receive(sender, article_ids, **kwargs):
        ids.extend(article_ids)

    articles_changed.connect(receive, dispatch_uid="test-groups-admin")
    yield ids
    articles_changed.disconnect(dispatch_uid="test-groups-admin")


def make_group(size=3, *, kind=GroupKind.INCIDENT, day=dt.date(2024, 3, 12)) -> ReportGroup:
    """Make a proposed group of `size` reports, the first the one the others matched."""
    group = ReportGroup.objects.create(kind=kind, first_published=day)
    source = factories.make_source(f"Gazette {ReportGroup.objects.count()}")
    first = None
    for number in range(size):
        article = factories.make_article(
            title=f"Raid report {group.pk}.{number}", source=source, published_date=day
        )
        GroupMember.objects.create(
            group=group,
            article=article,
            kind=kind,
            tier=GroupMember.Tier.SAME if first else GroupMember.Tier.FIRST,
            matched_with=first,
            score=0.82 if first else None,
            reasons=["same drug, 105 kg", "same province, Koh Kong"] if first else [],
        )
        first = first or article
    return group


def decide(client, group, **data):
    url = reverse("admin:archive_reportgroup_decide", args=[group.pk])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def statuses(group) -> list[str]:
    return list(group.members.order_by("pk").values_list("status", flat=True))


def test_the_list_shows_ingested_incidents_with_sources_and_first_title(admin_client):
    ingest_paths([FIXTURES])
    incidents = ReportGroup.objects.filter(kind=GroupKind.INCIDENT)
    assert incidents.exists()
    response = admin_client.get(CHANGELIST, {"kind__exact": GroupKind.INCIDENT})
    assert response.status_code == 200
    assert {g.pk for g in response.context["cl"].result_list} == set(
        incidents.values_list("pk", flat=True)
    )
    group = incidents.first()
    first = group.live_members().order_by("article__published_date", "article_id").first()
    page = response.content.decode()
    assert first.article.title in page and str(first.article.source) in page
    found = admin_client.get(CHANGELIST, {"q": first.article.title})
    assert group in found.context["cl"].result_list


def test_the_group_page_shows_each_reports_reasons_and_match(admin_client):
    group = make_group()
    matched = group.members.get(tier=GroupMember.Tier.FIRST).article
    page = admin_client.get(reverse("admin:archive_reportgroup_change", args=[group.pk]))
    html = page.content.decode()
    assert "same drug, 105 kg; same province, Koh Kong" in html
    assert "0.82" in html and "same incident, reported independently" in html
    assert reverse("admin:archive_article_change", args=[matched.pk]) in html
    assert 'value="confirm"' in html and "Split out" in html
    assert 'id="group-decisions"' in html and 'id="group-add"' in html  # the buttons' forms


def test_confirming_a_group_confirms_its_live_reports(curator_client, announced):
    group = make_group()
    split = group.members.last()
    split.status = GroupStatus.REJECTED
    split.save()
    messages = decide(curator_client, group, **{"decide-group": "confirm"})
    group.refresh_from_db()
    assert group.status == GroupStatus.CONFIRMED
    assert statuses(group) == ["confirmed", "confirmed", "rejected"]
    confirmed = group.members.filter(status=GroupStatus.CONFIRMED)
    assert {m.decided_by for m in confirmed} == {curator_client.user}
    assert all(m.decided_at for m in confirmed)
    assert messages == [f"Confirmed incident #{group.pk}: 2 reports confirmed."]
    assert sorted(announced) == sorted(m.article_id for m in confirmed)


def test_splitting_a_report_out_keeps_its_row_rejected(curator_client, announced):
    group = make_group(size=2)
    member = group.members.last()
    messages = decide(curator_client, group, **{"decide-group": f"split:{member.pk}"})
    member.refresh_from_db()
    assert member.status == GroupStatus.REJECTED
    assert member.decided_by == curator_client.user and member.decided_at
    assert GroupMember.objects.filter(group=group).count() == 2  # nothing deleted
    assert ReportGroup.objects.filter(pk=group.pk).exists()  # one report left: it stays
    assert messages == [f"Split article #{member.article_id} out of incident #{group.pk}."]
    assert announced == [member.article_id]


def test_merging_moves_live_reports_into_the_earliest_group(curator_client, announced):
    target, other = make_group(size=2), make_group(size=3)
    other.members.filter(tier=GroupMember.Tier.FIRST).update(status=GroupStatus.REJECTED)
    moving = list(other.live_members().values_list("article_id", flat=True))
    response = curator_client.post(
        CHANGELIST,
        {"action": "merge_action", "_selected_action": [other.pk, target.pk]},
        follow=True,
    )
    other.refresh_from_db()
    assert other.merged_into == target
    assert statuses(other) == ["rejected"] * 3  # the old rows stay, rejected
    added = target.members.filter(article_id__in=moving)
    assert added.count() == 2
    for member in added:
        assert (member.tier, member.status, member.matched_with) == ("curated", "confirmed", None)
        assert member.reasons == [f"merged from incident #{other.pk} by cura"]
        assert member.decided_by == curator_client.user
    assert target.live_members().count() == 4
    assert sorted(announced) == sorted(moving)
    assert [str(m) for m in response.context["messages"]] == [
        f"Merged incident #{other.pk} into incident #{target.pk}: 2 reports moved."
    ]


def test_merging_an_incident_with_a_thread_is_refused(curator_client):
    incident, thread = make_group(), make_group(kind=GroupKind.THREAD)
    response = curator_client.post(
        CHANGELIST,
        {"action": "merge_action", "_selected_action": [incident.pk, thread.pk]},
        follow=True,
    )
    assert "Only groups of one kind can be merged" in response.content.decode()
    assert not ReportGroup.objects.exclude(merged_into=None).exists()
    assert not GroupMember.objects.filter(tier=GroupMember.Tier.CURATED).exists()


def test_adding_a_report_already_in_another_incident_is_refused(curator_client, announced):
    group, other = make_group(), make_group()
    article = other.members.first().article
    messages = decide(curator_client, group, **{"decide-group": "add", "article": article.pk})
    assert messages == [
        f"Article #{article.pk} is already in incident #{other.pk}, and a report is in one "
        f"incident at a time: split it out of incident #{other.pk} first, then add it here."
    ]
    assert not group.members.filter(article=article).exists()
    assert announced == []


def test_adding_a_report_makes_it_a_confirmed_curated_member(curator_client, announced):
    group = make_group()
    article = factories.make_article(published_date=dt.date(2024, 3, 10))
    messages = decide(curator_client, group, **{"decide-group": "add", "article": f"#{article.pk}"})
    member = group.members.get(article=article)
    assert (member.tier, member.status, member.kind) == ("curated", "confirmed", "incident")
    assert member.reasons == ["added by cura"]
    group.refresh_from_db()
    assert group.first_published == dt.date(2024, 3, 10)
    assert messages == [f"Added article #{article.pk} to incident #{group.pk}."]
    assert announced == [article.pk]


def test_a_report_split_out_can_be_added_back_on_its_own_row(curator_client):
    group = make_group()
    member = group.members.last()
    decide(curator_client, group, **{"decide-group": f"split:{member.pk}"})
    decide(curator_client, group, **{"decide-group": "add", "article": member.article_id})
    member.refresh_from_db()
    assert member.status == GroupStatus.CONFIRMED and member.tier == GroupMember.Tier.CURATED
    assert member.reasons == ["same drug, 105 kg", "same province, Koh Kong", "added by cura"]
    assert group.members.count() == 3


def test_an_unknown_article_number_is_explained(curator_client):
    group = make_group()
    messages = decide(curator_client, group, **{"decide-group": "add", "article": "twelve"})
    assert messages == ['"twelve" is not the number of an article: write the number its page '
                        "shows (#12 is 12)."]  # fmt: skip


def test_the_article_page_links_its_incident(admin_client):
    group = make_group()
    article = group.members.first().article
    html = admin_client.get(reverse("admin:archive_article_change", args=[article.pk])).content
    assert f"Incident #{group.pk}</a> (3 reports)" in html.decode()


def test_staff_without_the_curator_group_cannot_decide(client):
    user = User.objects.create_user("visitor", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    group = make_group()
    url = reverse("admin:archive_reportgroup_decide", args=[group.pk])
    assert client.post(url, {"decide-group": "confirm"}).status_code == 403
    assert statuses(group) == ["proposed"] * 3
    assert Article.objects.count() == 3
