"""Ingestion end to end: the seeds, idempotence, metadata updates, curated values, bad input."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from archive import curation
from archive.ingest.batch import ingest_paths
from archive.models import (
    TAG_KINDS,
    Article,
    ArticleCountry,
    ArticleCrimeType,
    ImportBatch,
    Origin,
    Source,
    TagAssignment,
)
from search.models import ArticleChange
from tests.conftest import REPO_ROOT, SEEDS_DIR

pytestmark = pytest.mark.django_db


def run_ingest(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("ingest", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_seeds_are_ingested_with_raw_text_verbatim():
    out, err = run_ingest(SEEDS_DIR)
    assert "5 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert err == ""
    assert Article.objects.count() == 5
    for path in SEEDS_DIR.glob("*.txt"):
        article = Article.objects.get(origin__endswith=path.name)
        assert article.raw_text == path.read_text(encoding="utf-8")
        assert article.body and article.body != article.raw_text


def test_seed_metadata_read_from_bylines_and_footers():
    run_ingest(SEEDS_DIR)
    khmer_times = Article.objects.get(origin__contains="000_")
    assert khmer_times.source.name == "Khmer Times"
    assert khmer_times.authors == "Khuon Narim"
    assert not khmer_times.title_derived
    vod = Article.objects.get(origin__contains="002_")
    assert vod.source == Source.objects.get(name="VOD")  # the taxonomy entry, not a new one
    assert Article.objects.filter(title_derived=True).count() == 3


def test_ingesting_the_seeds_twice_reports_five_unchanged():
    run_ingest(SEEDS_DIR)
    out, _ = run_ingest(SEEDS_DIR)
    assert "0 created, 0 updated, 5 unchanged, 0 skipped" in out
    assert Article.objects.count() == 5
    assert ImportBatch.objects.count() == 2


def test_dry_run_reports_without_writing():
    out, _ = run_ingest(SEEDS_DIR, dry_run=True)
    assert "Would ingest 5 records" in out and "5 created" in out
    assert Article.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_the_same_text_under_another_name_is_skipped_as_a_duplicate(seeds_copy):
    original = next(seeds_copy.glob("000_*.txt"))
    (seeds_copy / "copy-of-000.txt").write_bytes(original.read_bytes().replace(b"\n", b"\r\n"))
    out, err = run_ingest(seeds_copy)
    assert "5 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert "copy-of-000.txt: duplicate: same text as" in err
    assert Article.objects.count() == 5


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, seeds_copy):
    (seeds_copy / "empty.txt").write_text("")
    (seeds_copy / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (seeds_copy / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (seeds_copy / "broken.json").write_text("[{")
    (seeds_copy / "broken.csv").write_text('title,body\n"unterminated,text\n')
    (seeds_copy / "bad-date.md").write_text("---\npublished: someday\n---\nPolice raided a bar.")
    out, err = run_ingest(seeds_copy)
    assert "5 created, 0 updated, 0 unchanged, 6 skipped" in out
    for name, reason in [
        ("empty.txt", "file is empty"),
        ("binary.txt", "binary file"),
        ("latin1.txt", "not valid UTF-8"),
        ("broken.json", "malformed JSON"),
        ("broken.csv", "malformed CSV"),
        ("bad-date.md", "field 'published': could not read 'someday'"),
    ]:
        assert f"{name}: {reason}" in err
    batch = ImportBatch.objects.get()
    assert batch.skipped_count == 6 and batch.finished_at is not None
    assert {problem["origin"].rsplit("/", 1)[-1] for problem in batch.problems} >= {"empty.txt"}


def test_oversized_file_is_skipped_by_the_configured_limit(settings, tmp_path):
    settings.INGEST_MAX_FILE_BYTES = 1000
    (tmp_path / "big.txt").write_text("Police. " * 500)
    _, err = run_ingest(tmp_path)
    assert "big.txt: file is 4 KB, over the 1 KB limit" in err
    assert Article.objects.count() == 0


FRONT_MATTER = """---
title: Casino raid in Poipet
source: Phnom Penh Post
author: Jane Doe
url: https://example.org/raid
published: 2021-06-03
country: Cambodia
ministry: National Police
crime_type: [online gambling, money laundering]
language: en
---
Police raided a casino in Poipet and detained 40 people.
"""


def test_front_matter_sets_fields_and_tags_with_provenance(tmp_path):
    (tmp_path / "raid.md").write_text(FRONT_MATTER)
    run_ingest(tmp_path)
    article = Article.objects.get()
    assert article.title == "Casino raid in Poipet" and not article.title_derived
    assert article.source.name == "The Phnom Penh Post"  # found through its alias
    assert article.authors == "Jane Doe"
    assert article.url == "https://example.org/raid"
    assert article.published_date.isoformat() == "2021-06-03" and article.year == 2021
    assert article.date_origin == Origin.METADATA and article.date_confidence == 1.0
    assert article.raw_text == "Police raided a casino in Poipet and detained 40 people.\n"
    (country_tag,) = article.country_tags.filter(origin=Origin.METADATA)
    assert country_tag.country.code == "KH"
    assert country_tag.origin == Origin.METADATA
    assert country_tag.status == TagAssignment.Status.CONFIRMED
    assert country_tag.confidence == 1.0
    assert "import metadata" in country_tag.evidence
    assert {t.crime_type.name for t in article.crime_type_tags.filter(origin=Origin.METADATA)} == {
        "Online gambling",
        "Money laundering",
    }
    assert (
        article.ministry_tags.get(origin=Origin.METADATA).ministry.name
        == "General Commissariat of National Police"
    )


def test_changed_front_matter_updates_the_record(tmp_path):
    path = tmp_path / "raid.md"
    path.write_text(FRONT_MATTER)
    run_ingest(tmp_path)
    path.write_text(
        FRONT_MATTER.replace("title: Casino raid in Poipet", "title: Poipet raid")
        .replace("country: Cambodia", "country: [Cambodia, Thailand]")
        .replace("crime_type: [online gambling, money laundering]", "crime_type: online gambling")
    )
    out, _ = run_ingest(tmp_path)
    assert "0 created, 1 updated, 0 unchanged" in out
    article = Article.objects.get()
    assert article.title == "Poipet raid"
    imported = {"origin": Origin.METADATA}
    assert {t.country.code for t in article.country_tags.filter(**imported)} == {"KH", "TH"}
    assert [t.crime_type.name for t in article.crime_type_tags.filter(**imported)] == [
        "Online gambling"
    ]
    reasons = [entry.history_change_reason for entry in article.history.order_by("history_id")]
    assert reasons[0] == "imported"
    assert "re-imported: title" in reasons


def test_curated_values_survive_a_changed_file(tmp_path):
    path = tmp_path / "raid.md"
    path.write_text(FRONT_MATTER)
    run_ingest(tmp_path)
    article = Article.objects.get()
    article.title = "Curated title"
    article.save()
    crime_tag = article.crime_type_tags.get(crime_type__name="Money laundering")
    crime_tag.reviewed_at = crime_tag.assigned_at  # a curator confirmed it
    crime_tag.save()
    path.write_text(
        FRONT_MATTER.replace("Casino raid in Poipet", "A new file title")
        .replace("crime_type: [online gambling, money laundering]", "crime_type: online gambling")
        .replace("author: Jane Doe", "author: John Roe")
    )
    _, err = run_ingest(tmp_path, verbosity=2)
    article.refresh_from_db()
    assert article.title == "Curated title"
    assert article.authors == "John Roe"  # nobody had edited the author
    assert "kept the curated title" in err
    assert article.crime_type_tags.filter(crime_type__name="Money laundering").exists()


def test_automatic_tags_never_replace_curated_ones(tmp_path):
    (tmp_path / "raid.md").write_text(FRONT_MATTER)
    run_ingest(tmp_path)
    article = Article.objects.get()
    ArticleCountry.objects.filter(article=article).update(
        status=TagAssignment.Status.REJECTED, reviewed_at=article.created_at
    )
    run_ingest(tmp_path)
    assert ArticleCountry.objects.get(article=article).status == TagAssignment.Status.REJECTED


def test_metadata_confirms_a_taggers_proposal(tmp_path):
    (tmp_path / "raid.md").write_text(FRONT_MATTER)
    run_ingest(tmp_path)
    article = Article.objects.get()
    stated = ArticleCrimeType.objects.filter(article=article, origin=Origin.METADATA)
    stated_ids = list(stated.values_list("pk", flat=True))
    stated.update(origin=Origin.TAGGER, status=TagAssignment.Status.PROPOSED)
    out, _ = run_ingest(tmp_path)
    assert "1 updated" in out
    assert set(
        ArticleCrimeType.objects.filter(pk__in=stated_ids).values_list("origin", flat=True)
    ) == {Origin.METADATA}


def test_unknown_taxonomy_names_are_warned_about_not_invented(tmp_path):
    (tmp_path / "a.md").write_text("---\ncountry: Narnia\nmood: grim\n---\nPolice raided a bar.")
    _, err = run_ingest(tmp_path, verbosity=2)
    assert "unknown country 'Narnia' not tagged" in err
    assert "unknown field 'mood' ignored" in err
    assert not ArticleCountry.objects.exists()


def test_an_ambiguous_ministry_is_resolved_by_the_articles_country(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ncountry: Thailand\nministry: Ministry of Interior\n---\nOfficials met in Bangkok."
    )
    run_ingest(tmp_path)
    tag = Article.objects.get().ministry_tags.get(origin=Origin.METADATA)
    assert tag.ministry.country.code == "TH"


def test_json_jsonl_and_csv_records_are_ingested(tmp_path):
    (tmp_path / "a.json").write_text(
        json.dumps(
            {
                "items": [
                    {"headline": "JSON one", "content": "Text of JSON one.", "date": "2020-01-01"}
                ]
            }
        )
    )
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "JSONL", "text": "Text of JSONL."}))
    (tmp_path / "c.csv").write_text("title,body,source\nCSV,Text of CSV.,Khmer Times\n")
    out, _ = run_ingest(tmp_path)
    assert "3 created" in out
    assert set(Article.objects.values_list("title", flat=True)) == {"JSON one", "JSONL", "CSV"}
    assert Article.objects.get(title="CSV").source.name == "Khmer Times"
    assert Article.objects.get(title="JSON one").origin.endswith("a.json#1")


def test_a_crash_while_storing_one_record_leaves_no_half_article(tmp_path, monkeypatch):
    from archive.ingest import loader

    (tmp_path / "a.md").write_text(FRONT_MATTER)
    (tmp_path / "b.txt").write_text("A second, healthy report about a raid.")
    real_insert = loader.insert_with_children

    def crash_on_tags(article, children, **options):
        assert not any(children) or article.title == "Casino raid in Poipet"
        real_insert(article, [], **options)  # the article row is written...
        if any(children):
            raise RuntimeError("disk full")  # ...and the disk fills up before its tags

    monkeypatch.setattr(loader, "insert_with_children", crash_on_tags)
    report = ingest_paths([tmp_path])
    assert report.created == 1
    assert "could not be stored (RuntimeError: disk full)" in report.skipped[0].reason
    # The article row written before the crash was rolled back with it.
    assert list(Article.objects.values_list("title", flat=True)) == [
        "A second, healthy report about a raid"
    ]


def test_progress_bar_is_shown_for_large_batches_only(tmp_path, capsys):
    for number in range(25):
        (tmp_path / f"{number:02}.txt").write_text(f"Police report number {number} about a raid.")
    run_ingest(tmp_path)
    assert "25/25" in capsys.readouterr().err
    run_ingest(tmp_path / "00.txt")
    assert "1/1" not in capsys.readouterr().err


def test_a_concurrent_insert_of_the_same_text_becomes_a_re_import(tmp_path, monkeypatch):
    from archive.ingest import loader

    (tmp_path / "a.txt").write_text("Police raided a karaoke bar in Phnom Penh.")
    ingest_paths([tmp_path])
    real_find = loader.find_article
    calls = []

    def miss_once(content_hash):
        # The first look-up runs "before the other process committed" and finds nothing.
        calls.append(content_hash)
        return None if len(calls) == 1 else real_find(content_hash)

    monkeypatch.setattr(loader, "find_article", miss_once)
    report = ingest_paths([tmp_path])
    assert (report.created, report.unchanged, report.skipped) == (0, 1, [])
    assert len(calls) == 2
    assert Article.objects.count() == 1


def test_a_text_stored_after_the_chunk_look_up_becomes_a_re_import(tmp_path, monkeypatch):
    from archive.ingest import batch

    (tmp_path / "a.txt").write_text("Police raided a karaoke bar in Phnom Penh.")
    ingest_paths([tmp_path])
    # The look-up for the whole chunk ran before another process committed the same text.
    monkeypatch.setattr(batch, "_stored_hashes", lambda parsed_articles: set())
    report = ingest_paths([tmp_path])
    assert (report.created, report.unchanged, report.skipped) == (0, 1, [])
    assert Article.objects.count() == 1


def test_a_new_article_gets_one_history_row_per_row_and_one_index_log_row(tmp_path):
    (tmp_path / "raid.md").write_text(FRONT_MATTER)
    run_ingest(tmp_path)
    article = Article.objects.get()
    (entry,) = article.history.all()
    assert (entry.history_type, entry.history_change_reason) == ("+", "imported")
    for name in ("title", "body", "year", "review_status", "content_hash", "created_at"):
        assert getattr(entry, name) == getattr(article, name)
    tags = [
        row for kind in TAG_KINDS.values() for row in kind.model.objects.filter(article=article)
    ]
    assert len(tags) >= 4  # three from the metadata, the tagger's proposals beside them
    for row in tags:
        (tag_entry,) = row.history.all()
        assert (tag_entry.history_type, tag_entry.id) == ("+", row.pk)
        assert (tag_entry.evidence, tag_entry.assigned_at) == (row.evidence, row.assigned_at)
    assert list(ArticleChange.objects.values_list("article_id", flat=True)) == [article.pk]


def test_an_import_leaves_the_sessions_commit_settings_as_it_found_them(tmp_path):
    from django.db import connection

    (tmp_path / "a.txt").write_text("Police raided a karaoke bar in Phnom Penh.")
    setting = {
        "sqlite": "PRAGMA wal_autocheckpoint",
        "postgresql": "SHOW synchronous_commit",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(setting)
        before = cursor.fetchone()
    ingest_paths([tmp_path])
    with connection.cursor() as cursor:
        cursor.execute(setting)
        assert cursor.fetchone() == before


def test_a_large_import_refreshes_the_planner_statistics(tmp_path, monkeypatch):
    from archive.ingest import batch

    refreshed = []
    monkeypatch.setattr(batch, "refresh_statistics", lambda: refreshed.append(True))
    monkeypatch.setattr(batch, "REFRESH_STATISTICS_AFTER", 3)
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(2):
        (folder / f"{number}.txt").write_text(f"Police raided casino number {number} in Poipet.\n")
    batch.ingest_paths([folder])
    assert refreshed == []  # two articles: not worth it
    for number in range(2, 5):
        (folder / f"{number}.txt").write_text(f"Police raided casino number {number} in Poipet.\n")
    batch.ingest_paths([folder])
    assert refreshed == [True]
    batch.refresh_statistics()  # and it runs on this database


def test_a_metadata_title_keeps_the_body_s_short_first_paragraph(tmp_path):
    record = {
        "title": "Casino raid in Poipet",
        "body": "Second suspect arrested in Kampot\n\nPolice arrested a second man on Monday.",
    }
    (tmp_path / "feed.json").write_text(json.dumps([record]))
    ingest_paths([tmp_path])
    article = Article.objects.get()
    assert article.title == "Casino raid in Poipet"
    assert article.body.startswith("Second suspect arrested in Kampot\n\nPolice arrested")
    curation.reclean([article])  # re-cleaning keeps it too
    article.refresh_from_db()
    assert article.body.startswith("Second suspect arrested in Kampot")


MIXED_REPORT = REPO_ROOT / "tests" / "fixtures" / "languages" / "km-en-paragraphs.txt"


def test_a_khmer_report_quoting_a_statement_in_english_records_that_paragraph_s_language(
    tmp_path,
):
    shutil.copy(MIXED_REPORT, tmp_path)
    run_ingest(tmp_path)
    article = Article.objects.get()
    assert article.language == "km"
    assert article.paragraph_languages == [{"paragraph": 1, "language": "en"}]
    assert article.body.split("\n\n")[1].startswith("In a statement released in English")


def test_a_re_import_gives_an_article_stored_before_paragraph_languages_its_own(tmp_path):
    shutil.copy(MIXED_REPORT, tmp_path)
    run_ingest(tmp_path)
    Article.objects.update(paragraph_languages=[])  # as the migration leaves older rows
    out, _ = run_ingest(tmp_path)
    assert "0 created, 0 updated, 1 unchanged" in out
    assert Article.objects.get().paragraph_languages == [{"paragraph": 1, "language": "en"}]
