"""ParsedArticle -> database rows, idempotently, one transaction per article.

A re-import finds the article by its content hash, or, for a page captured again with a changed
text, by the URL of its capture. For every field it compares three values:
what the import last wrote (kept in Article.ingested_values), what the record holds now, and what
the file says now. A field is changed only when the file changed it and nobody edited the record
since; a curator's correction therefore survives re-imports, and a changed metadata header still
updates what nobody touched.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import re
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db import IntegrityError, transaction

from archive.extraction.figures import Figure
from archive.extraction.report import read_figures
from archive.extraction.store import (
    extract_article,
    needs_review,
    proposed_values,
    subject_country_codes,
)
from archive.grouping.incidents import ReportEvents, report_events
from archive.grouping.signatures import signature_values
from archive.grouping.store import Grouper, article_events, save_signature, with_key
from archive.ingest.hashing import text_digest
from archive.ingest.records import ParsedArticle
from archive.ingest.resolver import TaxonomyResolver
from archive.kinds import BY_KEY
from archive.languages.paragraphs import paragraph_languages
from archive.lean_inserts import insert_with_children
from archive.models import (
    TAG_KINDS,
    Article,
    Capture,
    ImportBatch,
    Origin,
    ReportedFigure,
    ReportSignature,
    TagAssignment,
)
from archive.signals import articles_changed
from archive.tagging.store import read_article, tag_article, tag_new_article
from archive.tagging.tagger import Reading

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


@dataclass
class LoadResult:
    outcome: Outcome
    article_id: int
    changed_fields: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: ReportEvents | None = None  # a new article's, for grouping


# Simple fields: ingested value key -> how to read the record's current value.
_FIELD_READERS = {
    "title": lambda article: article.title,
    "title_derived": lambda article: article.title_derived,
    "body_sha": lambda article: text_digest(article.body),
    "source": lambda article: article.source.name if article.source_id else "",
    "authors": lambda article: article.authors,
    "url": lambda article: article.url,
    "published": lambda article: _date_value(article.published_date, article.year),
    "language": lambda article: article.language,
}


def load_article(
    parsed: ParsedArticle,
    *,
    resolver: TaxonomyResolver,
    batch: ImportBatch | None,
    reading: Reading | None = None,
    figures: tuple[Figure, ...] | None = None,
    events: ReportEvents | None = None,
    known_new: bool = False,
    grouper: Grouper | None = None,
) -> LoadResult:
    """Create or update the article `parsed` describes; everything in one transaction.

    `reading` is the tagger's reading of `parsed` and `figures` what the extractors read in
    its body, when that was done beforehand (in a worker).
    `known_new` says a look-up made for a whole chunk of records just found no article with
    this text, which spares this one its own. A new article is then placed among reports of
    the same incident or case by `grouper` (archive.grouping.store), in a transaction of its
    own: a batch passes the one it keeps for its run and announces its changes itself.
    """
    read = {"reading": reading, "figures": figures, "events": events}
    try:
        result = _load(parsed, resolver=resolver, batch=batch, known_new=known_new, **read)
    except IntegrityError:
        # Another process stored the same text between our look-up and our insert; a second
        # pass finds its row and treats this record as a re-import of it.
        result = _load(parsed, resolver=resolver, batch=batch, known_new=False, **read)
    if result.events is not None:
        alone = grouper is None
        grouper = grouper or Grouper(load_days=1)
        try:
            # Its writes are atomic; a report alone writes none.
            grouper.place(result.events, new=True)
        except Exception:  # the article is stored; group_reports places it later
            logger.exception("Could not group article #%s", result.article_id)
        if alone:
            grouper.announce()
    return result


def find_article(content_hash: str) -> Article | None:
    """Return the article holding this text, locked until the transaction ends."""
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("source")
        .filter(content_hash=content_hash)
        .first()
    )


def find_captured_article(url: str) -> Article | None:
    """Return the article last captured from this URL, locked until the transaction ends."""
    capture = Capture.objects.filter(url=url).order_by("-captured_at", "-id").first()
    if capture is None:
        return None
    return Article.objects.select_for_update(of=("self",)).filter(pk=capture.article_id).first()


def _load(
    parsed: ParsedArticle, *, resolver: TaxonomyResolver, batch, reading, figures, events, known_new
):
    with transaction.atomic():
        existing = None if known_new else find_article(parsed.content_hash)
        tag_ids, notes = resolver.resolve(parsed)
        captured_url = parsed.document.url if parsed.document else ""
        if existing is None and captured_url and (earlier := find_captured_article(captured_url)):
            return _recaptured(earlier, parsed, tag_ids, notes, resolver=resolver)
        if existing is None:
            article, events = _create(
                parsed,
                tag_ids,
                resolver=resolver,
                batch=batch,
                reading=reading,
                figures=figures,
                events=events,
            )
            _keep_capture(article, parsed)
            return LoadResult(Outcome.CREATED, article.pk, notes=notes, events=events)
        same_page = bool(captured_url) and existing.captures.filter(url=captured_url).exists()
        if not same_page and _file_of(existing.origin) != _file_of(parsed.origin):
            if _keep_capture(existing, parsed):
                notes = [*notes, "its capture is kept with that article"]
            return LoadResult(
                Outcome.DUPLICATE,
                existing.pk,
                notes=[
                    f"same text as article #{existing.pk} imported from {existing.origin}",
                    *notes,
                ],
            )
        _keep_capture(existing, parsed)
        changed, kept = _update(existing, parsed, resolver=resolver)
        changed += _sync_metadata_tags(existing, tag_ids)
        notes += [f"kept the curated {name} (the file changed it too)" for name in kept]
        if changed:
            tag_article(existing, lexicon=resolver.lexicon)
            extract_article(existing, rules=resolver.rules)
            save_signature(existing, article_events(existing, rules=resolver.rules))
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        return LoadResult(outcome, existing.pk, changed_fields=changed, notes=notes)


def _recaptured(article: Article, parsed: ParsedArticle, tag_ids, notes, *, resolver):
    """Bring a page captured again with a changed text into the article captured from it
    before: its text and fields change as a re-import's would (curated values stay), the
    history keeps the old body, and the new capture joins the old ones."""
    article.raw_text = parsed.raw_text
    article.content_hash = parsed.content_hash
    article.text_confidence = parsed.document.text_confidence
    _keep_capture(article, parsed)
    changed, kept = _update(
        article, parsed, resolver=resolver, reason="captured again with a changed text"
    )
    if not Article.objects.filter(pk=article.pk, content_hash=parsed.content_hash).exists():
        article._change_reason = "captured again with a changed text"
        article.save()  # only the raw text changed (a curator's body edit was kept)
    changed = ["text", *changed, *_sync_metadata_tags(article, tag_ids)]
    notes = [*notes, *(f"kept the curated {name} (the page changed it too)" for name in kept)]
    tag_article(article, lexicon=resolver.lexicon)
    extract_article(article, rules=resolver.rules)
    save_signature(article, article_events(article, rules=resolver.rules))
    return LoadResult(Outcome.UPDATED, article.pk, changed_fields=changed, notes=notes)


def _keep_capture(article: Article, parsed: ParsedArticle) -> bool:
    """Store the document the text was read from, byte for byte; return whether it was new."""
    document = parsed.document
    if document is None:
        return False
    _, created = Capture.objects.get_or_create(
        sha256=hashlib.sha256(document.data).hexdigest(),
        defaults={
            "article": article,
            "media_type": document.media_type,
            "url": document.url,
            "captured_at": document.captured_at,
            "origin": parsed.origin,
            "size": len(document.data),
            "content": zlib.compress(document.data, 6),
            "reading": document.reading,
        },
    )
    return created


def ingested_values(parsed: ParsedArticle) -> dict[str, object]:
    """Return what an import of `parsed` writes, in the comparable form kept on the article."""
    return {
        "title": parsed.title,
        "title_derived": parsed.title_derived,
        "body_sha": text_digest(parsed.body),
        "source": parsed.source_name,
        "authors": ", ".join(parsed.authors),
        "url": parsed.url,
        "published": _date_value(parsed.published_date, parsed.year),
        "language": parsed.language,
    }


def _create(
    parsed: ParsedArticle,
    tag_ids: dict[str, set[int]],
    *,
    resolver: TaxonomyResolver,
    batch,
    reading: Reading | None,
    figures: tuple[Figure, ...] | None,
    events: ReportEvents | None,
) -> tuple[Article, ReportEvents]:
    """Insert a new article with its metadata tags, the tagger's and the extractors' proposals.

    Everything is decided in memory first (a new article has no rows to compare with), then
    written in a handful of statements by the lean inserters: the article and its history row,
    and per kind of tag one insert for the rows and one for their history. Those send no model
    signals, so the article is then announced once for the search index.
    """
    article = Article(
        raw_text=parsed.raw_text,
        text_confidence=parsed.document.text_confidence if parsed.document else None,
        content_hash=parsed.content_hash,
        origin=parsed.origin,
        import_batch=batch,
        ingested_values=ingested_values(parsed),
        cleaning_log=[{"kind": r.kind, "text": r.text} for r in parsed.removals],
        paragraph_languages=list(parsed.paragraph_languages),
    )
    for name in _FIELD_READERS:
        _apply(article, name, parsed, resolver=resolver)
    rows = {
        kind: {target: _metadata_row(article, kind, target) for target in sorted(targets)}
        for kind, targets in tag_ids.items()
    }
    if reading is None:
        reading = read_article(article, lexicon=resolver.lexicon)
    plan = tag_new_article(article, rows, reading=reading)
    if figures is None:
        figures = read_figures(article.body, rules=resolver.rules)
    country_tags = [row for row in plan.rows() if isinstance(row, TAG_KINDS["country"].model)]
    subject_countries = subject_country_codes(country_tags, resolver.rules.country_codes)
    figure_rows = proposed_values(figures, subject_countries=subject_countries)
    if needs_review(figure_rows):
        article.review_status = Article.ReviewStatus.NEEDS_REVIEW
    if events is None:
        events = report_events(
            "",
            published=article.published_date,
            title=article.title,
            body=article.body,
            figures=figures,
        )
    _insert_new(
        article,
        [row for kind_rows in rows.values() for row in kind_rows.values()] + plan.added,
        figure_rows,
        signature_values(events),
    )
    # What the article's post_save would have done for the index; it covers its tags too.
    articles_changed.send(sender=Article, article_ids=[article.pk])
    return article, with_key(events, article.pk)


def _insert_new(
    article: Article, tags: list[TagAssignment], figures: list[dict], signature: dict
) -> None:
    """Insert a new article, its tag and figure rows and the history of the article and its tags
    (one statement on PostgreSQL).

    The extractors' figures (proposed_values) are inserted from their values, with no model
    instance, and get no "created" history row: a report states five or so, and their history
    rows cost the import a sixth of its time. Their history starts with the first change a
    curator or a later run makes; what the extractor first proposed stays in each row's
    signature and rule.
    """
    insert_with_children(
        article,
        [[row for row in tags if isinstance(row, kind.model)] for kind in TAG_KINDS.values()],
        new_rows={ReportedFigure: figures, ReportSignature: [signature]},
        key="content_hash",
        link="article",
        change_reason="imported",
    )


def _update(
    article: Article, parsed: ParsedArticle, *, resolver: TaxonomyResolver, reason="re-imported"
):
    new_values = ingested_values(parsed)
    old_values = article.ingested_values or {}
    changed, kept = [], []
    for name, read_current in _FIELD_READERS.items():
        if new_values[name] == old_values.get(name) or read_current(article) == new_values[name]:
            continue
        if name in old_values and read_current(article) != old_values[name]:
            kept.append(name)  # edited since the last import: the curator's value stays
            continue
        _apply(article, name, parsed, resolver=resolver)
        changed.append(name)
    if changed or new_values != old_values:
        article.ingested_values = new_values
        article.cleaning_log = [{"kind": r.kind, "text": r.text} for r in parsed.removals]
        article.paragraph_languages = _paragraph_languages(article, parsed)
        article._change_reason = f"{reason}: " + ", ".join(changed or ["import record"])
        article.save()
    elif (languages := _paragraph_languages(article, parsed)) != article.paragraph_languages:
        # An article stored before paragraph languages were recorded gets them now.
        article.paragraph_languages = languages
        article._change_reason = "re-imported: paragraph languages"
        article.save()
    return changed, kept


def _paragraph_languages(article: Article, parsed: ParsedArticle) -> list[dict[str, object]]:
    """Return the article's paragraphs in another language than its own: as the import read
    them when the article holds the file's text and language, else read from what it holds (a
    curator's edit)."""
    if (article.body, article.language) == (parsed.body, parsed.language):
        return list(parsed.paragraph_languages)
    return paragraph_languages(article.body, language=article.language)


def _apply(article: Article, name: str, parsed: ParsedArticle, *, resolver: TaxonomyResolver):
    if name == "body_sha":
        article.body = parsed.body
    elif name == "source":
        article.source = resolver.source_for(parsed.source_name)
    elif name == "authors":
        article.authors = ", ".join(parsed.authors)[:500]
    elif name == "published":
        article.published_date = parsed.published_date
        article.year = parsed.year
        has_date = parsed.year is not None
        article.date_origin = Origin.METADATA if has_date else ""
        article.date_confidence = 1.0 if has_date else None
        article.date_evidence = (
            f"published: {_date_value(parsed.published_date, parsed.year)} (import metadata)"
            if has_date
            else ""
        )
    else:
        setattr(article, name, getattr(parsed, name))


def _sync_metadata_tags(article: Article, tag_ids: dict[str, set[int]]) -> list[str]:
    """Make the article's import-metadata tags match the file; curated tags are left alone."""
    changed = []
    for kind, wanted in tag_ids.items():
        tag_kind = TAG_KINDS[kind]
        target_id = f"{tag_kind.target_field}_id"
        rows = {
            getattr(row, target_id): row for row in tag_kind.model.objects.filter(article=article)
        }
        for target, row in rows.items():
            if row.origin == Origin.METADATA and not row.is_curated and target not in wanted:
                row.delete()
                changed.append(kind)
        for target in wanted:
            row = rows.get(target)
            if row is None:
                row = _metadata_row(article, kind, target)
            elif row.is_curated or row.origin == Origin.METADATA:
                continue
            else:
                _state_from_metadata(row, tag_kind)  # a proposal the file now states outright
            row.save()
            changed.append(kind)
    return sorted(set(changed))


def _metadata_row(article: Article, kind: str, target: int) -> TagAssignment:
    """Return an unsaved tag row for an entry the import metadata names."""
    tag_kind = TAG_KINDS[kind]
    row = tag_kind.model(article=article, **{f"{tag_kind.target_field}_id": target})
    _state_from_metadata(row, tag_kind)
    return row


def _state_from_metadata(row: TagAssignment, tag_kind) -> None:
    row.origin = Origin.METADATA
    row.status = TagAssignment.Status.CONFIRMED
    row.role = TagAssignment.Role.SUBJECT
    row.confidence = 1.0
    row.evidence = f"{BY_KEY[tag_kind.key].label.lower()} given in the import metadata"


def _date_value(published_date, year) -> str | None:
    if published_date:
        return published_date.isoformat()
    return str(year) if year else None


def _file_of(origin: str) -> str:
    """Return the file name of an origin ("feeds/a.jsonl#3" -> "a.jsonl").

    Only a trailing "#<number>" names a record: a file may be called "report#2.txt".
    """
    return PurePosixPath(re.sub(r"#\d+$", "", origin)).name
