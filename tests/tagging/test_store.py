"""Tagging against the database: what a run may change, and what it must leave alone."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.models import Article, ArticleCountry, ArticleCrimeType, CrimeType, Origin
from archive.models import TagAssignment as Tag
from archive.tagging.store import load_lexicon, tag_article
from tests import factories

pytestmark = pytest.mark.django_db

RAID = (
    "Police in Kampot seized 20 kilogrammes of crystal meth on February 2, 2022, officials said."
    "\n\nThe suspects were sent to court."
)


def tagged(**fields) -> Article:
    article = factories.make_article(raw_text=fields.get("body", RAID), body=RAID, **fields)
    tag_article(article, lexicon=load_lexicon())
    return article


def test_proposals_are_stored_with_provenance_and_evidence():
    article = tagged()
    country = ArticleCountry.objects.get(article=article)
    assert (country.country.code, country.origin, country.status, country.role) == (
        "KH",
        Origin.TAGGER,
        Tag.Status.PROPOSED,
        Tag.Role.SUBJECT,
    )
    assert "Kampot" in country.evidence and 0.5 <= country.confidence <= 0.95
    crime = ArticleCrimeType.objects.get(article=article)
    assert crime.crime_type.name == "Methamphetamine trafficking"


def test_a_supported_year_is_stated_with_its_evidence():
    article = tagged()
    assert (article.year, article.proposed_year, article.date_origin) == (2022, None, "tagger")
    assert "February 2, 2022" in article.date_evidence


def test_an_unsupported_year_is_only_proposed_and_queued():
    article = factories.make_article(
        raw_text="Police in Kampot said on March 26 that in 2016 seizures doubled.",
        body="Police in Kampot said on March 26 that in 2016 seizures doubled.",
    )
    tag_article(article, lexicon=load_lexicon())
    assert (article.year, article.proposed_year) == (None, 2016)
    assert article.date_confidence < 0.7
    assert article.review_status == Article.ReviewStatus.NEEDS_REVIEW


def test_dates_from_metadata_or_curators_are_never_replaced():
    article = factories.make_article(raw_text=RAID, body=RAID, year=2019, date_origin="curator")
    tag_article(article, lexicon=load_lexicon())
    article.refresh_from_db()
    assert (article.year, article.date_origin) == (2019, "curator")


def test_retagging_leaves_curated_and_imported_tags_alone():
    article = tagged()
    rejected = ArticleCountry.objects.get(article=article)
    rejected.status, rejected.reviewed_at = Tag.Status.REJECTED, rejected.assigned_at
    rejected.save()
    imported = factories.tag(
        article,
        factories.crime_type("Drug use"),
        origin=Origin.METADATA,
        status=Tag.Status.CONFIRMED,
    )
    report = tag_article(article, lexicon=load_lexicon())
    rejected.refresh_from_db()
    imported.refresh_from_db()
    assert rejected.status == Tag.Status.REJECTED
    assert imported.origin == Origin.METADATA and imported.status == Tag.Status.CONFIRMED
    assert report.added == 0 and report.kept == 1


def test_a_proposal_the_tagger_no_longer_makes_is_withdrawn():
    article = tagged()
    meth = CrimeType.objects.get(name="Methamphetamine trafficking")
    meth.aliases = "\n".join(a for a in meth.alias_list() if "meth" not in a)
    meth.save()
    report = tag_article(article, lexicon=load_lexicon())
    assert report.removed == 1
    assert not ArticleCrimeType.objects.filter(article=article).exists()


def test_an_alias_added_in_admin_takes_effect_on_the_next_run():
    article = factories.make_article(
        raw_text="Police in Kampot seized shabu.", body="Police in Kampot seized shabu."
    )
    tag_article(article, lexicon=load_lexicon())
    assert not ArticleCrimeType.objects.filter(article=article).exists()
    meth = CrimeType.objects.get(name="Methamphetamine trafficking")
    meth.aliases += "\nshabu"
    meth.save()
    out = StringIO()
    call_command("retag", str(article.pk), stdout=out)
    assert "1 articles tagged: 1 tags added" in out.getvalue()
    assert ArticleCrimeType.objects.get(article=article).crime_type == meth


def test_retag_selects_articles_by_id_all_or_date():
    first, second = tagged(), tagged()
    out = StringIO()
    call_command("retag", "--all", stdout=out)
    assert out.getvalue().startswith("2 articles tagged")
    call_command("retag", "--since", "2000-01-01", stdout=out)
    call_command("retag", str(first.pk), stdout=out)
    with pytest.raises(CommandError, match="give ids, or --all, or --since"):
        call_command("retag")
    with pytest.raises(CommandError, match="No article with id 999999"):
        call_command("retag", "999999", str(second.pk))


def test_ingesting_the_seeds_tags_them():
    from tests.conftest import SEEDS_DIR

    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())
    vod = Article.objects.get(origin__contains="002_")
    assert vod.year == 2022 and vod.date_origin == Origin.TAGGER
    assert vod.country_tags.get(role=Tag.Role.SUBJECT).country.code == "KH"
    unknown = Article.objects.filter(year=None)
    assert unknown.count() == 4
    assert set(unknown.values_list("review_status", flat=True)) == {"needs_review"}


def test_retag_records_the_paragraphs_of_an_older_article_in_another_language():
    body = (
        "ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យបីនាក់ នៅខេត្តកំពត កាលពីយប់មិញ។\n\n"
        "The district police chief said the three men had been selling drugs near a school."
    )
    article = factories.make_article(body=body, raw_text=body, language="km")
    english = tagged()
    assert article.paragraph_languages == []  # stored before paragraphs were read
    call_command("retag", "--all", stdout=StringIO())
    article.refresh_from_db()
    english.refresh_from_db()
    assert article.paragraph_languages == [{"paragraph": 1, "language": "en"}]
    assert english.paragraph_languages == []
