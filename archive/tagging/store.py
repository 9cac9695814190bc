"""The tagger against the database: load the taxonomy, store proposals, leave curators' work alone.

What a run may change, per tag row:
- a row a curator made, confirmed or rejected, or one from import metadata: never;
- a row the tagger proposed earlier: its role, confidence and evidence, or its removal when the
  tagger no longer proposes it (after an alias changed, say);
- no row yet: a new proposal.
The date is changed only when it did not come from metadata or a curator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db import transaction

from archive.models import (
    TAG_KINDS,
    Article,
    Country,
    CrimeType,
    Ministry,
    Origin,
    TagAssignment,
)
from archive.tagging.dates import DateFinding, find_publication_date
from archive.tagging.lexicon import CountryRow, CrimeTypeRow, Lexicon, MinistryRow
from archive.tagging.tagger import REVIEW_CONFIDENCE, TagProposals, propose_tags


def load_lexicon() -> Lexicon:
    """Return the taxonomy as it is in the database now, compiled for matching."""
    return Lexicon.build(
        countries=[
            CountryRow(
                c.pk,
                c.code,
                c.name,
                tuple(c.alias_list()),
                tuple(c.demonym_list()),
                tuple(c.place_list()),
            )
            for c in Country.objects.all()
        ],
        ministries=[
            MinistryRow(m.pk, m.name, m.country_id, m.kind, tuple(m.alias_list()))
            for m in Ministry.objects.all()
        ],
        crime_types=[
            CrimeTypeRow(c.pk, c.name, c.parent_id, tuple(c.alias_list()))
            for c in CrimeType.objects.all()
        ],
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
    """Propose tags and a date for one article and store them, in one transaction."""
    # A derived title is the lead's first sentence: reading it as a title would count it twice.
    title = "" if article.title_derived else article.title
    proposals = propose_tags(title, article.body, lexicon)
    finding = find_publication_date(article.raw_text, today=today)
    with transaction.atomic():
        before = _dated_state(article)
        report = _store_tags(article, proposals)
        _store_date(article, finding, report)
        _update_review_status(article, report)
        if _dated_state(article) != before:
            article._change_reason = "tagged automatically"
            article.save()
    report.articles = 1
    return report


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


def _store_tags(article: Article, proposals: TagProposals) -> TaggingReport:
    report = TaggingReport()
    for kind, kind_proposals in proposals.by_kind().items():
        tag_kind = TAG_KINDS[kind]
        target_id = f"{tag_kind.target_field}_id"
        rows = {
            getattr(row, target_id): row for row in tag_kind.model.objects.filter(article=article)
        }
        wanted = {proposal.entry_id: proposal for proposal in kind_proposals}
        for target, row in rows.items():
            if target not in wanted and row.origin == Origin.TAGGER and not row.is_curated:
                row.delete()
                report.removed += 1
        for target, proposal in wanted.items():
            row = rows.get(target)
            if row is None:
                tag_kind.model.objects.create(
                    article=article,
                    origin=Origin.TAGGER,
                    status=TagAssignment.Status.PROPOSED,
                    role=proposal.role,
                    confidence=proposal.confidence,
                    evidence=proposal.evidence,
                    **{target_id: target},
                )
                report.added += 1
            elif row.is_curated or row.origin != Origin.TAGGER:
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
                row.save()
                report.updated += 1
    return report


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


def _update_review_status(article: Article, report: TaggingReport) -> None:
    """Queue the article when its year is unknown or a proposal is unsure; never un-review it
    unless this run brought new proposals."""
    unsure_tag = any(
        kind.model.objects.filter(
            article=article, status=TagAssignment.Status.PROPOSED, confidence__lt=REVIEW_CONFIDENCE
        ).exists()
        for kind in TAG_KINDS.values()
    )
    needs_review = article.year is None or unsure_tag
    if article.review_status == Article.ReviewStatus.REVIEWED and not report.added:
        return
    if needs_review:
        article.review_status = Article.ReviewStatus.NEEDS_REVIEW
        report.queued += 1
    elif article.review_status == Article.ReviewStatus.NEEDS_REVIEW:
        article.review_status = Article.ReviewStatus.UNREVIEWED
