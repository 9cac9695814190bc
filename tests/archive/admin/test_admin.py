"""Curation through the admin: lists, filters with counts, inline tags, bulk actions, groups."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from archive.models import (
    Article,
    ArticleCountry,
    ArticleCrimeType,
    Country,
    CrimeType,
    Origin,
    TagAssignment,
    TaxonomyMerge,
)
from archive.permissions import CURATOR_GROUP
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:archive_article_changelist")


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("cura", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    client.force_login(user)
    client.user = user
    return client


def test_changelist_filters_show_counts(admin_client):
    article = factories.make_article(year=2020)
    factories.make_article(year=2021)
    factories.tag(article, factories.country("KH"))
    response = admin_client.get(CHANGELIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cambodia · 1 public (1)" in content
    assert "2020 (1)" in content
    response = admin_client.get(CHANGELIST, {"country": factories.country("KH").pk})
    assert list(response.context["cl"].result_list) == [article]


def test_article_page_shows_raw_text_beside_body_and_tag_provenance(admin_client):
    article = factories.make_article(raw_text="Raw <b>text</b> as received")
    factories.tag(article, factories.country("KH"), evidence="Phnom Penh police said")
    response = admin_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    content = response.content.decode()
    assert '<pre class="raw-text">Raw &lt;b&gt;text&lt;/b&gt; as received</pre>' in content
    assert "Phnom Penh police said" in content
    assert "Automatic tagger" in content
    assert 'name="raw_text"' not in content  # read-only, never an input


KHMER_LEAD = "ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យបីនាក់ នៅខេត្តកំពត កាលពីយប់មិញ។"
ENGLISH_QUOTE = "The district police chief said the three men sold drugs near a school."


def test_article_page_shows_the_paragraphs_in_another_language_read_only(admin_client):
    article = factories.make_article(
        body=f"{KHMER_LEAD}\n\n{ENGLISH_QUOTE}",
        language="km",
        paragraph_languages=[{"paragraph": 1, "language": "en"}],
    )
    response = admin_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    content = response.content.decode()
    assert (
        "<li><b>paragraph 2</b>: en: The district police chief said the three men sold" in content
    )
    assert 'name="paragraph_languages"' not in content
    english = factories.make_article()
    response = admin_client.get(reverse("admin:archive_article_change", args=[english.pk]))
    assert "none: all in en" in response.content.decode()


def _change_form_data(article, **extra):
    data = {
        "title": article.title,
        "body": article.body,
        "authors": "",
        "url": "",
        "language": "en",
        "review_status": "unreviewed",
        "published_date": "",
        "year": "",
        "history-0-id": "",
    }
    for prefix in ("country_tags", "ministry_tags", "crime_type_tags"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(extra)
    return data


def test_saving_a_tag_inline_records_the_curator(curator_client):
    article = factories.make_article()
    data = _change_form_data(
        article,
        **{
            "country_tags-TOTAL_FORMS": "1",
            "country_tags-0-country": factories.country("TH").pk,
            "country_tags-0-role": "subject",
            "country_tags-0-status": "proposed",
            "country_tags-0-article": article.pk,
        },
    )
    response = curator_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].errors
    tag = ArticleCountry.objects.get(article=article)
    assert tag.origin == Origin.CURATOR
    assert tag.status == TagAssignment.Status.CONFIRMED
    assert tag.assigned_by == curator_client.user


def test_correcting_the_year_records_a_curated_date(curator_client):
    article = factories.make_article()
    data = _change_form_data(article, published_date="2019-03-26")
    response = curator_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.year, article.date_origin, article.date_confidence) == (2019, "curator", 1.0)
    assert article.history.first().history_user == curator_client.user


def test_saving_an_untouched_article_from_a_browser_changes_nothing(curator_client):
    article = factories.make_article(body="First paragraph.\n\nSecond paragraph.")
    before = article.history.count()
    # Browsers send a textarea's line breaks as CR LF.
    data = _change_form_data(article, body=article.body.replace("\n", "\r\n"))
    response = curator_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "First paragraph.\n\nSecond paragraph."
    assert article.history.count() == before  # no edit nobody made
    edited = _change_form_data(article, body="First paragraph.\r\n\r\nSecond, edited.")
    curator_client.post(reverse("admin:archive_article_change", args=[article.pk]), edited)
    article.refresh_from_db()
    assert article.body == "First paragraph.\n\nSecond, edited." and "\r" not in article.body
    assert article.history.count() == before + 1


def test_a_year_that_contradicts_the_date_is_refused(curator_client):
    article = factories.make_article()
    data = _change_form_data(article, published_date="2019-03-26", year="2018")
    response = curator_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "The publication date says 2019." in response.content.decode()


def test_bulk_add_tag_asks_which_tag_then_adds_it(curator_client):
    articles = [factories.make_article(), factories.make_article()]
    selected = [str(a.pk) for a in articles]
    response = curator_client.post(
        CHANGELIST, {"action": "add_tag_action", "_selected_action": selected}
    )
    assert response.status_code == 200
    assert "Add tags" in response.content.decode()
    gambling = CrimeType.objects.get(name="Gambling")
    response = curator_client.post(
        CHANGELIST,
        {
            "action": "add_tag_action",
            "_selected_action": selected,
            "apply": "1",
            "crime_type": gambling.pk,
            "role": "subject",
        },
    )
    assert response.status_code == 302
    assert ArticleCrimeType.objects.filter(crime_type=gambling, origin=Origin.CURATOR).count() == 2


def test_bulk_add_without_a_tag_explains_what_is_missing(curator_client):
    article = factories.make_article()
    response = curator_client.post(
        CHANGELIST,
        {
            "action": "add_tag_action",
            "_selected_action": [article.pk],
            "apply": "1",
            "role": "subject",
        },
    )
    assert "Choose at least one country, ministry or crime type." in response.content.decode()


def test_bulk_reject_and_mark_reviewed(curator_client):
    article = factories.make_article()
    factories.tag(article, factories.country("CN"))
    curator_client.post(
        CHANGELIST,
        {
            "action": "reject_tag_action",
            "_selected_action": [article.pk],
            "apply": "1",
            "country": factories.country("CN").pk,
        },
    )
    assert ArticleCountry.objects.get().status == TagAssignment.Status.REJECTED
    curator_client.post(
        CHANGELIST, {"action": "mark_reviewed_action", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.REVIEWED


def test_bulk_reclean(curator_client):
    article = factories.make_article(raw_text="Lead text.\n\nADVERTISEMENT\n\nMore.", body="old")
    curator_client.post(CHANGELIST, {"action": "reclean_action", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.body == "Lead text.\n\nMore."


def test_merge_action_on_taxonomy(admin_client):
    keep = factories.crime_type("Gambling")
    extra = CrimeType.objects.create(name="Gaming", slug="gaming")
    article = factories.make_article()
    factories.tag(article, extra)
    url = reverse("admin:archive_crimetype_changelist")
    response = admin_client.post(
        url, {"action": "merge_action", "_selected_action": [keep.pk, extra.pk]}
    )
    assert "Choose the entry to keep" in response.content.decode()
    admin_client.post(
        url,
        {
            "action": "merge_action",
            "_selected_action": [keep.pk, extra.pk],
            "apply": "1",
            "survivor": keep.pk,
        },
    )
    assert not CrimeType.objects.filter(name="Gaming").exists()
    assert ArticleCrimeType.objects.get(article=article).crime_type == keep


def test_a_curator_merges_with_a_preview_and_undoes_the_merge(curator_client):
    keep = factories.crime_type("Gambling")
    extra = CrimeType.objects.create(name="Gaming", slug="gaming", aliases="betting dens")
    article = factories.make_article()
    factories.tag(article, extra)
    url = reverse("admin:archive_crimetype_changelist")
    preview = curator_client.post(
        url, {"action": "merge_action", "_selected_action": [keep.pk, extra.pk]}
    ).content.decode()
    assert "What each entry would bring" in preview and "Gaming, betting dens" in preview
    curator_client.post(
        url,
        {
            "action": "merge_action",
            "_selected_action": [keep.pk, extra.pk],
            "apply": "1",
            "survivor": keep.pk,
        },
    )
    record = TaxonomyMerge.objects.get()
    merges = reverse("admin:archive_taxonomymerge_changelist")
    assert "Gaming" in curator_client.get(merges).content.decode()
    curator_client.post(merges, {"action": "undo_action", "_selected_action": [record.pk]})
    assert ArticleCrimeType.objects.get(article=article).crime_type.name == "Gaming"


def test_a_merge_into_a_parent_is_refused_with_the_reason(curator_client):
    parent, child = factories.crime_type("Gambling"), factories.crime_type("Online gambling")
    url = reverse("admin:archive_crimetype_changelist")
    page = curator_client.post(
        url, {"action": "merge_action", "_selected_action": [parent.pk, child.pk]}
    ).content.decode()
    assert "This merge is refused. Gambling is above Online gambling in the hierarchy" in page
    assert 'name="apply"' not in page
    curator_client.post(
        url,
        {
            "action": "merge_action",
            "_selected_action": [parent.pk, child.pk],
            "apply": "1",
            "survivor": parent.pk,
        },
    )
    assert CrimeType.objects.filter(pk=child.pk).exists()


def test_curators_cannot_reach_users_or_delete_articles(curator_client):
    article = factories.make_article()
    assert curator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert (
        curator_client.get(reverse("admin:archive_article_delete", args=[article.pk])).status_code
        == 403
    )
    response = curator_client.get(CHANGELIST)
    assert "delete_selected" not in response.content.decode()
    assert (
        curator_client.get(reverse("admin:archive_article_change", args=[article.pk])).status_code
        == 200
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_history_page_lists_who_changed_what(admin_client, admin_user):
    article = factories.make_article()
    article.title = "Changed"
    article._history_user = admin_user
    article.save()
    response = admin_client.get(reverse("admin:archive_article_history", args=[article.pk]))
    assert response.status_code == 200
    assert admin_user.username in response.content.decode()


def test_import_batches_are_listed_read_only(admin_client):
    from django.core.management import call_command

    from tests.conftest import SEEDS_DIR

    call_command("ingest", str(SEEDS_DIR), stdout=None)
    response = admin_client.get(reverse("admin:archive_importbatch_changelist"))
    assert response.status_code == 200
    assert admin_client.get(reverse("admin:archive_importbatch_add")).status_code == 403


def test_article_list_queries_do_not_grow_with_the_ministries_in_its_filter(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive.models import Ministry

    ministries = list(Ministry.objects.filter(country__isnull=False)[:8])
    assert len(ministries) == 8, "the shipped taxonomy has ministries with countries"

    def queries_with_tagged(count: int) -> int:
        for ministry in ministries[:count]:
            factories.tag(factories.make_article(), ministry)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(captured)

    few = queries_with_tagged(2)
    assert queries_with_tagged(8) == few


@pytest.mark.django_db
def test_curators_edit_a_countrys_names_in_every_script(admin_client):
    country = Country.objects.get(code="NG")
    url = reverse("admin:archive_country_change", args=[country.pk])
    form = admin_client.get(url).content.decode()
    assert 'name="demonyms"' in form and "Nigerians" in form
    response = admin_client.post(
        url,
        {
            "name": "Nigeria",
            "code": "NG",
            "slug": country.slug,
            "aliases": "Federal Republic of Nigeria\nនីហ្សេរីយ៉ា",
            "demonyms": "Nigerian\nNigerians\nជនជាតិនីហ្សេរីយ៉ា",
            "places": "Abuja\nLagos",
            "description": "",
        },
    )
    assert response.status_code == 302
    country.refresh_from_db()
    assert "ជនជាតិនីហ្សេរីយ៉ា" in country.demonym_list()


def test_editing_the_body_reads_its_paragraph_languages_afresh(curator_client):
    article = factories.make_article(body=KHMER_LEAD, language="km")
    body = f"{KHMER_LEAD}\r\n\r\n{ENGLISH_QUOTE}"
    data = _change_form_data(article, body=body, language="km")
    response = curator_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.paragraph_languages == [{"paragraph": 1, "language": "en"}]


@pytest.mark.django_db
def test_curators_switch_following_on_and_resume_a_paused_source(admin_client):
    from archive.models import Source

    source = Source.objects.create(
        name="Mekong Ledger", slug="mekong-ledger", following=True, paused=True,
        consecutive_failures=5, last_error="feed https://x.example/feed: http_status 500",
    )  # fmt: skip
    page = admin_client.get(reverse("admin:archive_source_change", args=[source.pk]))
    html = page.content.decode()
    assert 'name="feed_url"' in html and 'name="poll_minutes"' in html
    assert "http_status 500" in html  # the last error, read-only
    listing = admin_client.get(reverse("admin:archive_source_changelist")).content.decode()
    assert "paused after 5 failures" in listing
    admin_client.post(
        reverse("admin:archive_source_changelist"),
        {"action": "resume_action", "_selected_action": [source.pk]},
    )
    source.refresh_from_db()
    assert not source.paused and source.consecutive_failures == 0
