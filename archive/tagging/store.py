"""The tagger against the database: load the taxonomy, store proposals, leave curators' work alone.

What a run may change, per tag row:
- a row a curator made, confirmed or rejected, or one from import metadata: never;
- a row the tagger proposed earlier: its role, confidence and evidence, or its removal when the
  tagger no longer proposes it (after an alias changed, say);
- no row yet: a new proposal.
The date is changed only when it did not come from metadata or a curator.

A run is planned in memory (`plan_tags`: which rows to add, change or withdraw, and whether the
article needs review) and then written. An article being imported for the first time has no rows
in the database yet, so `tag_new_article` plans against the rows its import metadata brings and
leaves the writing to the loader, which inserts everything in a few bulk statements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db import transaction

from archive.languages.paragraphs import paragraph_languages
from archive.models import (
    TAG_KINDS,
    AnchorEvent,
    Article,
    Origin,
    TagAssignment,
)
from archive.tagging.anchor_calendar import DEFAULT_ANCHORS
from archive.tagging.anchors import Anchor
from archive.tagging.dates import DateFinding
from archive.tagging.lexicon import CountryRow, CrimeTypeRow, Lexicon, MinistryRow
from archive.tagging.tagger import REVIEW_CONFIDENCE, Reading, TagProposals, read_report
from archive.taxonomy_loader import TaxonomyEntries, load_entries

# Text read by OCR from a scanned page with a mean word confidence below this goes to review:
# a curator compares it with the scan (the capture) before researchers rely on it.
REVIEW_TEXT_CONFIDENCE = 0.75


def load_lexicon(entries: TaxonomyEntries | None = None) -> Lexicon:
    """Return the taxonomy as it is in the database now (or as `entries`, read already),
    compiled for matching."""
    entries = entries or load_entries()
    lexicon = Lexicon.build(
        countries=[
            CountryRow(
                c.pk,
                c.code,
                c.name,
                tuple(c.alias_list()),
                tuple(c.demonym_list()),
                tuple(c.place_list()),
            )
            for c in entries.countries
        ],
        ministries=[
            MinistryRow(m.pk, m.name, m.country_id, m.kind, tuple(m.alias_list()))
            for m in entries.ministries
        ],
        crime_types=[
            CrimeTypeRow(c.pk, c.name, c.parent_id, tuple(c.alias_list()))
            for c in entries.crime_types
        ],
    )
    lexicon.anchors = load_anchors()
    return lexicon


def load_anchors() -> tuple[Anchor, ...]:
    """Return the calendar of anchor events: the defaults, with the curators' entries added or
    in place of the default of the same name (an inactive entry removes it)."""
    curated = {event.name: event for event in AnchorEvent.objects.all()}
    anchors = [anchor for anchor in DEFAULT_ANCHORS if anchor.name not in curated]
    anchors += [anchor_of(event) for event in curated.values() if event.active]
    return tuple(anchors)


def anchor_of(event: AnchorEvent) -> Anchor:
    """Return a curated calendar entry as the anchor reader takes it."""
    editions = []
    for line in event.editions.splitlines():
        edition, _, year = line.partition("=")
        if edition.strip().isdigit() and year.strip().isdigit():
            editions.append((int(edition), int(year)))
    return Anchor(
        name=event.name,
        aliases=tuple(line.strip() for line in event.aliases.splitlines() if line.strip()),
        kind=event.kind,
        first_year=event.first_year,
        editions=tuple(editions),
        start=event.start,
        requires=tuple(line.strip() for line in event.requires.splitlines() if line.strip()),
        notes=event.notes,
    )


@dataclass
class TaggingReport:
    articles: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # proposals that met a curated or metadata row and left it as it was
    years_stated: int = 0
    years_proposed: int = 0
    queued: int = 0

    def add(self, other: TaggingReport) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def summary(self) -> str:
        return (
            f"{self.articles} articles tagged: {self.added} tags added, {self.updated} updated, "
            f"{self.removed} withdrawn, {self.kept} left as curated or imported; "
            f"{self.years_stated} years stated, {self.years_proposed} proposed for review; "
            f"{self.queued} articles in the review queue."
        )


def tag_article(
    article: Article, *, lexicon: Lexicon, today: dt.date | None = None
) -> TaggingReport:
    """Propose tags and a date for one article and store them, in one transaction; record the
    language of each paragraph written in another language than the article's."""
    reading = read_article(article, lexicon=lexicon, today=today)
    languages = paragraph_languages(article.body, language=article.language)
    with transaction.atomic():
        before = (_dated_state(article), article.paragraph_languages)
        article.paragraph_languages = languages
        rows = {
            kind: {
                getattr(row, f"{tag_kind.target_field}_id"): row
                for row in tag_kind.model.objects.filter(article=article)
            }
            for kind, tag_kind in TAG_KINDS.items()
        }
        plan = plan_tags(article, rows, reading.proposals)
        for row in plan.withdrawn:
            row.delete()
        for row in plan.added + plan.changed:
            row.save()
        _store_date(article, reading.date, plan.report)
        _update_review_status(article, plan)
        if (_dated_state(article), article.paragraph_languages) != before:
            article._change_reason = "tagged automatically"
            article.save()
    plan.report.articles = 1
    return plan.report


def tag_new_article(
    article: Article, rows: dict[str, dict[int, TagAssignment]], *, reading: Reading
) -> TagPlan:
    """Apply what the tagger read to an article not saved yet; touch no database.

    `rows` holds, by kind and target id, the unsaved rows the import metadata brings: the only
    rows such an article can have. The article's date and review status are set; the plan's
    `added` rows are the tagger's, to be inserted with the metadata rows once the article is.
    """
    plan = plan_tags(article, rows, reading.proposals)
    _store_date(article, reading.date, plan.report)
    _update_review_status(article, plan)
    plan.report.articles = 1
    return plan


def read_article(article: Article, *, lexicon: Lexicon, today: dt.date | None = None) -> Reading:
    """Return the tagger's reading of the article as it stands."""
    return read_report(
        title=article.title,
        title_derived=article.title_derived,
        body=article.body,
        raw_text=article.raw_text,
        lexicon=lexicon,
        today=today,
        dated=article.date_origin in (Origin.METADATA, Origin.CURATOR),
    )


def retag(articles, *, lexicon: Lexicon | None = None, on_article=None) -> TaggingReport:
    """Tag each article again; curated and imported tags stay as they are."""
    lexicon = lexicon or load_lexicon()
    total = TaggingReport()
    for article in articles:
        total.add(tag_article(article, lexicon=lexicon))
        if on_article:
            on_article(article)
    return total


_DATED_FIELDS = (
    "year",
    "published_date",
    "proposed_year",
    "date_origin",
    "date_confidence",
    "date_evidence",
    "review_status",
)


def _dated_state(article: Article) -> tuple:
    return tuple(getattr(article, name) for name in _DATED_FIELDS)


@dataclass
class TagPlan:
    """What a run does to an article's tag rows; nothing is written yet."""

    report: TaggingReport
    added: list[TagAssignment]  # new rows, unsaved
    changed: list[TagAssignment]  # the tagger's earlier rows with a new role or evidence
    withdrawn: list[TagAssignment]  # the tagger's earlier rows it no longer proposes
    kept: list[TagAssignment]  # every other row, left as it is

    def rows(self) -> list[TagAssignment]:
        """Return every row the article has once the plan is carried out."""
        return self.added + self.changed + self.kept


def plan_tags(
    article: Article, rows: dict[str, dict[int, TagAssignment]], proposals: TagProposals
) -> TagPlan:
    """Return what to add, change and withdraw, given the article's rows by kind and target."""
    plan = TagPlan(TaggingReport(), [], [], [], [])
    report = plan.report
    for kind, kind_proposals in proposals.by_kind().items():
        tag_kind = TAG_KINDS[kind]
        target_id = f"{tag_kind.target_field}_id"
        existing = rows.get(kind, {})
        wanted = {proposal.entry_id: proposal for proposal in kind_proposals}
        for target, row in existing.items():
            if target not in wanted and row.origin == Origin.TAGGER and not row.is_curated:
                plan.withdrawn.append(row)
                report.removed += 1
            elif target not in wanted:
                plan.kept.append(row)
        for target, proposal in wanted.items():
            row = existing.get(target)
            if row is None:
                plan.added.append(
                    tag_kind.model(
                        article=article,
                        origin=Origin.TAGGER,
                        status=TagAssignment.Status.PROPOSED,
                        role=proposal.role,
                        confidence=proposal.confidence,
                        evidence=proposal.evidence,
                        **{target_id: target},
                    )
                )
                report.added += 1
            elif row.is_curated or row.origin != Origin.TAGGER:
                plan.kept.append(row)
                report.kept += 1
            elif (row.role, row.confidence, row.evidence) != (
                proposal.role,
                proposal.confidence,
                proposal.evidence,
            ):
                row.role, row.confidence, row.evidence = (
                    proposal.role,
                    proposal.confidence,
                    proposal.evidence,
                )
                plan.changed.append(row)
                report.updated += 1
            else:
                plan.kept.append(row)
    return plan


def _store_date(article: Article, finding: DateFinding, report: TaggingReport) -> None:
    if article.date_origin in (Origin.METADATA, Origin.CURATOR):
        return
    article.year = finding.year
    article.published_date = finding.published_date
    article.proposed_year = finding.proposed_year
    found_something = finding.year is not None or finding.proposed_year is not None
    article.date_origin = Origin.TAGGER if found_something else ""
    article.date_confidence = finding.confidence if found_something else None
    article.date_evidence = finding.evidence
    if finding.year is not None:
        report.years_stated += 1
    elif finding.proposed_year is not None:
        report.years_proposed += 1


def _update_review_status(article: Article, plan: TagPlan) -> None:
    """Queue the article when its year is unknown or a proposal is unsure; never un-review it
    unless this run brought new proposals."""
    report = plan.report
    # The plan holds every row the article keeps, so this needs no query.
    unsure_tag = any(
        row.status == TagAssignment.Status.PROPOSED and row.confidence < REVIEW_CONFIDENCE
        for row in plan.rows()
    )
    unsure_text = (
        article.text_confidence is not None and article.text_confidence < REVIEW_TEXT_CONFIDENCE
    )
    needs_review = article.year is None or unsure_tag or unsure_text
    if article.review_status == Article.ReviewStatus.REVIEWED and not report.added:
        return
    if needs_review:
        article.review_status = Article.ReviewStatus.NEEDS_REVIEW
        report.queued += 1
    elif article.review_status == Article.ReviewStatus.NEEDS_REVIEW:
        article.review_status = Article.ReviewStatus.UNREVIEWED
