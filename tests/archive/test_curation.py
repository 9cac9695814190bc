import pytest
from django.contrib.auth.models import User

from archive import curation
from archive.merges import merge_entries, undo_merge
from archive.models import (
    ArticleCountry,
    ArticleCrimeType,
    CrimeType,
    Origin,
    Source,
    TagAssignment,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return User.objects.create_user("curator")


def test_adding_a_tag_records_the_curator(curator):
    first, second = factories.make_article(), factories.make_article()
    cambodia = factories.country("KH")
    assert curation.add_tag([first, second], cambodia, user=curator) == 2
    tag = ArticleCountry.objects.get(article=first)
    assert (tag.origin, tag.status, tag.assigned_by, tag.reviewed_by) == (
        Origin.CURATOR,
        TagAssignment.Status.CONFIRMED,
        curator,
        curator,
    )
    assert curation.add_tag([first], cambodia, user=curator) == 0  # already there


def test_adding_confirms_a_proposal_and_keeps_its_origin(curator):
    article = factories.make_article()
    proposal = factories.tag(article, factories.country("VN"))
    curation.add_tag([article], factories.country("VN"), user=curator)
    proposal.refresh_from_db()
    assert proposal.origin == Origin.TAGGER
    assert proposal.status == TagAssignment.Status.CONFIRMED
    assert proposal.is_curated


def test_rejecting_keeps_the_row_as_rejected(curator):
    article = factories.make_article()
    factories.tag(article, factories.crime_type("Gambling"))
    assert curation.reject_tag([article], factories.crime_type("Gambling"), user=curator) == 1
    tag = ArticleCrimeType.objects.get(article=article)
    assert tag.status == TagAssignment.Status.REJECTED and tag.reviewed_by == curator
    assert not ArticleCrimeType.objects.live().exists()


def test_mark_reviewed_changes_status_and_history(curator):
    article = factories.make_article()
    assert curation.mark_reviewed([article], user=curator) == 1
    article.refresh_from_db()
    assert article.review_status == "reviewed"
    assert article.history.first().history_change_reason == "marked reviewed by curator"


def test_reclean_rebuilds_the_body_from_the_raw_text():
    raw = "Raid in Kampot\n\ncellcard cellcard\n\nPolice arrested two men. KT/Some One\n\nThe end."
    article = factories.make_article(
        raw_text=raw, body="stale body", title="Old lead", title_derived=True
    )
    assert curation.reclean([article]) == 1
    article.refresh_from_db()
    assert article.body == "The end."
    assert article.title == "Raid in Kampot" and not article.title_derived
    assert article.raw_text == raw
    assert {item["kind"] for item in article.cleaning_log} == {"headline", "advert", "caption"}


def test_reclean_reads_the_paragraph_languages_of_the_new_body():
    raw = (
        "ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យបីនាក់ នៅខេត្តកំពត កាលពីយប់មិញ។\n\n"
        "The district police chief said the three men sold drugs near a school."
    )
    article = factories.make_article(raw_text=raw, body="stale body", language="km")
    assert curation.reclean([article]) == 1
    article.refresh_from_db()
    assert article.paragraph_languages == [{"paragraph": 1, "language": "en"}]


def test_merging_crime_types_moves_tags_children_and_names():
    survivor = CrimeType.objects.create(name="Narcotics", slug="narcotics-x")
    duplicate = factories.crime_type("Drug trafficking")
    child = factories.crime_type("Methamphetamine trafficking")
    both, only_duplicate = factories.make_article(), factories.make_article()
    factories.tag(both, survivor, confidence=0.4)
    factories.tag(
        both, duplicate, status=TagAssignment.Status.REJECTED, reviewed_at=both.created_at
    )
    factories.tag(only_duplicate, duplicate)
    duplicate_id = duplicate.pk
    merge_entries(survivor, [duplicate])
    assert not CrimeType.objects.filter(pk=duplicate_id).exists()
    child.refresh_from_db()
    assert child.parent == survivor
    assert "Drug trafficking" in survivor.alias_list()
    assert "drug smuggling" in survivor.alias_list()
    # The curated rejection outranks the automatic proposal on the article that had both.
    assert ArticleCrimeType.objects.get(article=both).status == TagAssignment.Status.REJECTED
    assert ArticleCrimeType.objects.get(article=only_duplicate).crime_type == survivor


def test_merging_sources_moves_articles():
    keep = Source.objects.get(name="Khmer Times")
    extra = factories.make_source("KhmerTimes Online")
    article, extra_id = factories.make_article(source=extra), extra.pk
    assert merge_entries(keep, [extra]).moves["articles"] == [[article.pk, extra_id]]
    article.refresh_from_db()
    assert article.source == keep
    assert "KhmerTimes Online" in keep.alias_list()


def test_merging_different_kinds_is_refused():
    with pytest.raises(ValueError, match="same kind"):
        merge_entries(factories.country("KH"), [factories.crime_type("Fraud")])


def test_a_merge_is_recorded_and_undoing_it_puts_everything_back():
    survivor = CrimeType.objects.create(name="Narcotics", slug="narcotics-y", aliases="dope")
    duplicate = factories.crime_type("Drug trafficking")
    child = factories.crime_type("Methamphetamine trafficking")
    both, only_duplicate = factories.make_article(), factories.make_article()
    weaker = factories.tag(both, survivor, confidence=0.4)
    stronger = factories.tag(both, duplicate, confidence=0.9)
    moved = factories.tag(only_duplicate, duplicate)
    names_before, duplicate_id = duplicate.all_names(), duplicate.pk
    record = merge_entries(survivor, [duplicate])
    assert record.merged_names() == ["Drug trafficking"]
    assert not CrimeType.objects.filter(pk=duplicate_id).exists()

    undo_merge(record)
    restored = CrimeType.objects.get(pk=duplicate_id)  # the same entry, the same id
    assert restored.all_names() == names_before
    assert set(ArticleCrimeType.objects.filter(article=both).values_list("crime_type", "pk")) == {
        (survivor.pk, weaker.pk),
        (duplicate_id, stronger.pk),
    }
    assert ArticleCrimeType.objects.get(pk=moved.pk).crime_type_id == duplicate_id
    child.refresh_from_db()
    assert child.parent_id == duplicate_id
    survivor.refresh_from_db()
    assert survivor.alias_list() == ["dope"]  # the names it took are given back
    record.refresh_from_db()
    assert record.undone_at is not None
    with pytest.raises(ValueError, match="undone already"):
        undo_merge(record)
    assert restored.history.first().history_change_reason.startswith("restored by undoing")


def test_an_entry_is_never_merged_into_its_own_parent_or_child():
    parent = factories.crime_type("Drug trafficking")
    child = factories.crime_type("Methamphetamine trafficking")
    assert child.parent_id == parent.pk
    with pytest.raises(ValueError, match="is above Methamphetamine trafficking in the hierarchy"):
        merge_entries(parent, [child])
    assert CrimeType.objects.filter(pk=child.pk).exists()
