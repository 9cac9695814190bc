"""Lean inserts: rows and history rows stored exactly as the ORM stores them."""

import pytest

from archive.lean_inserts import (
    history_inserter,
    insert_with_children,
    row_inserter,
    rows_with_history,
)
from archive.models import Article, ArticleCountry, ArticleCrimeType, Origin, TagAssignment
from tests import factories

pytestmark = pytest.mark.django_db

# What differs between two otherwise equal rows: their keys, article and creation time.
OWN = {"id", "article_id", "assigned_at", "history_id", "history_date"}


def tag_row(article, code, **fields):
    return ArticleCountry(
        article=article,
        country=factories.country(code),
        origin=Origin.TAGGER,
        confidence=0.75,
        evidence="«Kampot» Police in Kampot seized drugs.",
        **fields,
    )


def stored(row) -> dict:
    values = ArticleCountry.objects.filter(pk=row.pk).values().get()
    return {name: value for name, value in values.items() if name not in OWN}


def test_a_row_inserted_leanly_equals_one_saved_by_the_orm():
    by_orm = tag_row(factories.make_article(), "KH")
    by_orm.save()
    lean = tag_row(factories.make_article(), "KH")
    row_inserter(ArticleCountry).insert([lean], key="country")
    assert lean.pk and lean.pk != by_orm.pk
    assert stored(lean) == stored(by_orm)
    assert ArticleCountry.objects.get(pk=lean.pk).assigned_at is not None


def test_keys_are_matched_to_rows_by_their_target_whatever_the_order():
    article = factories.make_article()
    rows = [tag_row(article, code) for code in ("VN", "KH", "TH")]
    row_inserter(ArticleCountry).insert(rows, key="country")
    for row in rows:
        assert ArticleCountry.objects.get(pk=row.pk).country_id == row.country_id
    assert len({row.pk for row in rows}) == 3


def test_history_rows_copy_the_rows_as_simple_history_does():
    by_orm = tag_row(factories.make_article(), "KH")
    by_orm.save()  # simple_history writes its history row on save
    lean = tag_row(factories.make_article(), "KH")
    inserter = row_inserter(ArticleCountry)
    values = inserter.insert([lean], key="country")
    history_inserter(ArticleCountry).insert([lean], written=inserter, values=values)

    def history(row) -> dict:
        values = ArticleCountry.history.filter(id=row.pk).values().get()
        return {name: value for name, value in values.items() if name not in OWN}

    assert history(lean) == history(by_orm)
    assert ArticleCountry.history.get(id=lean.pk).assigned_at == lean.assigned_at


def test_history_rows_of_rows_saved_elsewhere_read_their_fields_as_stored():
    article = factories.make_article(title="Raid in Kampot")
    saved = (article.created_at, article.updated_at)
    history_inserter(type(article)).insert([article], change_reason="imported")
    entry = article.history.filter(history_change_reason="imported").get()
    assert (entry.title, entry.history_type) == ("Raid in Kampot", "+")
    assert (entry.created_at, entry.updated_at) == saved == (article.created_at, article.updated_at)


def test_a_value_of_another_type_is_converted_by_its_field():
    lean = tag_row(factories.make_article(), "KH")
    lean.confidence = "0.5"  # a form would hand over text; the field makes it a number
    row_inserter(ArticleCountry).insert([lean], key="country")
    assert ArticleCountry.objects.get(pk=lean.pk).confidence == 0.5


def test_rows_and_their_history_are_inserted_together():
    # One statement on PostgreSQL, two elsewhere: the same rows either way.
    article = factories.make_article()
    rows = [tag_row(article, code) for code in ("VN", "KH", "TH")]
    rows_with_history(ArticleCountry).insert(rows, key="country", change_reason="imported")
    for row in rows:
        assert ArticleCountry.objects.get(pk=row.pk).country_id == row.country_id
        entry = ArticleCountry.history.get(id=row.pk)
        assert (entry.history_type, entry.history_change_reason) == ("+", "imported")
        assert (entry.country_id, entry.evidence, entry.assigned_at) == (
            row.country_id,
            row.evidence,
            row.assigned_at,
        )


def test_an_article_and_its_tags_are_inserted_together_with_their_history():
    # One statement on PostgreSQL: the tags take the article's id from its INSERT.
    article = factories.make_article()
    new = Article(**{f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields})
    new.pk, new.content_hash = None, "f" * 64
    countries = [tag_row(new, code) for code in ("KH", "VN")]
    crimes = [ArticleCrimeType(article=new, crime_type=factories.crime_type("Gambling"))]
    crimes[0].origin = Origin.TAGGER
    insert_with_children(
        new, [countries, [], crimes], key="content_hash", link="article", change_reason="imported"
    )
    stored = Article.objects.get(content_hash="f" * 64)
    assert stored.pk == new.pk != article.pk
    assert sorted(stored.country_tags.values_list("country__code", flat=True)) == ["KH", "VN"]
    assert stored.crime_type_tags.get().crime_type.name == "Gambling"
    assert stored.history.get().history_change_reason == "imported"
    for row in (*stored.country_tags.all(), *stored.crime_type_tags.all()):
        assert row.history.get().history_type == "+"


def test_text_choices_are_stored_as_their_text():
    lean = tag_row(factories.make_article(), "KH", status=TagAssignment.Status.CONFIRMED)
    row_inserter(ArticleCountry).insert([lean], key="country")
    assert ArticleCountry.objects.filter(pk=lean.pk, status="confirmed").exists()


def test_rows_given_as_values_are_stored_as_the_orm_stores_them():
    # More rows than one statement carries on SQLite (999 values), so the insert is split.
    from archive.models import ReportedFigure

    article = factories.make_article()
    new = Article(**{f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields})
    new.pk, new.content_hash = None, "e" * 64
    figures = [
        {"kind": "seizure", "signature": f"seizure|{number}", "drug": "heroin", "mass_kg": 1.5}
        for number in range(60)
    ]
    insert_with_children(
        new, [], new_rows={ReportedFigure: figures}, key="content_hash", link="article"
    )
    stored = ReportedFigure.objects.filter(article__content_hash="e" * 64).order_by("signature")
    assert stored.count() == 60
    ordinary = ReportedFigure.objects.create(
        article=article, kind="seizure", signature="seizure|0", drug="heroin", mass_kg=1.5
    )
    fields = [f.attname for f in ReportedFigure._meta.concrete_fields if f.attname not in OWN]
    assert [getattr(stored[0], name) for name in fields] == [
        getattr(ordinary, name) for name in fields
    ]
    assert stored[0].assigned_at is not None and stored[0].values == {}
    assert not stored[0].history.exists()  # values rows get no history
