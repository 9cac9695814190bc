"""The extractors against the database: store proposed figures, leave curators' work alone.

What a run may change, per figure row (as the tagger does for tags, archive/tagging/store.py):
- a row a curator added, confirmed, corrected or rejected: never (a rejected figure stays
  rejected, so it never returns);
- a row proposed by an earlier run: its evidence, offsets, confidence and values, or its removal
  when the extractors no longer propose it;
- no row yet: a new proposal.
A row is known again by its `signature`: the kind and values the extractor first found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from django.db import transaction

from archive.extraction.figures import Figure, FigureKind
from archive.extraction.report import LOCATED_KINDS, ExtractionRules, read_figures
from archive.models import Article, FigureStatus, Origin, ReportedFigure, TagAssignment
from archive.tagging.tagger import REVIEW_CONFIDENCE
from archive.taxonomy_loader import TaxonomyEntries, load_entries

# The columns a figure's values fill; the rest stays in `values`.
_COLUMNS = {
    "drug": "drug",
    "quantity": "quantity",
    "unit": "unit",
    "mass_kg": "mass_kg",
    "count": "count",
    "approximate": "approximate",
    "as_written": "as_written",
    "place": "place_code",
    "country": "country_code",
    "name": "name",
    "role": "role",
}
# The text columns, with their lengths: a longer value is cut, never refused.
_TEXT_LENGTHS = {
    column: ReportedFigure._meta.get_field(column).max_length
    for column in ("drug", "unit", "as_written", "place_code", "country_code", "name", "role")
}
# What a run rewrites on a proposal it made before and no curator touched.
_MACHINE_FIELDS = (
    "scope", "period", "confidence", "rule", "evidence", "start", "end", "values",
    *_COLUMNS.values(),
)  # fmt: skip


def load_rules(entries: TaxonomyEntries | None = None) -> ExtractionRules:
    """Return what the extractors need from the taxonomy as it is in the database now."""
    entries = entries or load_entries()
    demonyms: dict[str, str] = {}
    for country in entries.countries:
        for demonym in country.demonym_list():
            demonyms.setdefault(demonym, country.code)
    return ExtractionRules(
        demonyms=demonyms,
        country_codes={country.pk: country.code for country in entries.countries},
    )


@dataclass
class ExtractionReport:
    articles: int = 0
    added: int = 0
    updated: int = 0
    withdrawn: int = 0
    kept: int = 0  # curated rows a proposal met and left as they were

    def add(self, other: ExtractionReport) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def summary(self) -> str:
        return (
            f"{self.articles} articles read for figures: {self.added} figures added, "
            f"{self.updated} updated, {self.withdrawn} withdrawn, {self.kept} left as curated."
        )


def signature_of(figure: Figure) -> str:
    """Return what identifies a proposal across runs: its kind, scope and stated values."""
    values = figure.values
    if figure.kind == FigureKind.SEIZURE:
        key = (values.get("drug"), values.get("quantity"), values.get("unit"))
    elif figure.kind == FigureKind.PLACE:
        key = (values.get("iso"), values.get("name"))
    elif figure.kind == FigureKind.PERSON:
        key = (values.get("name"), values.get("role"))
    elif figure.kind == FigureKind.CASE:
        key = tuple(sorted((k, str(v)) for k, v in values.items() if k not in _NOT_IDENTIFYING))
    else:
        key = (values.get("count"), figure.period)
    return "|".join(str(part) for part in (figure.kind, figure.scope, *key))[:255]


# Values that say how or where a figure was read, not what it states.
_NOT_IDENTIFYING = {"as_written", "place", "place_name", "country", "place_rule"}


def proposed_rows(
    article: Article, figures: Iterable[Figure], *, subject_countries: Iterable[str] = ()
) -> list[ReportedFigure]:
    """Return unsaved rows for the figures, one per signature (see proposed_values)."""
    return [
        ReportedFigure(article=article, **values)
        for values in proposed_values(figures, subject_countries=subject_countries)
    ]


def proposed_values(
    figures: Iterable[Figure], *, subject_countries: Iterable[str] = ()
) -> list[dict[str, object]]:
    """Return the field values ({attname: value}) of a new row for each of the figures, one per
    signature; the article is not among them. An import inserts these as they are, sparing a
    model instance for each.

    A count placed nowhere by its text happened in the report's country when the tagger found
    exactly one subject country (`subject_countries`, ISO codes); a person takes no place.
    """
    countries = sorted(set(subject_countries))
    rows: dict[str, dict[str, object]] = {}
    for figure in figures:
        signature = signature_of(figure)
        if signature in rows:
            continue
        values = dict(figure.values)
        if figure.kind == FigureKind.PLACE:
            values["place"] = values.pop("iso", "")
        elif figure.kind in LOCATED_KINDS and "country" not in values and len(countries) == 1:
            values["country"], values["place_rule"] = countries[0], "report-country"
        row: dict[str, object] = {
            "kind": str(figure.kind),
            "scope": str(figure.scope),
            "period": figure.period[:200],
            "origin": str(Origin.TAGGER),
            "status": str(FigureStatus.PROPOSED),
            "confidence": figure.confidence,
            "rule": figure.rule[:60],
            "evidence": figure.evidence,
            "start": figure.start,
            "end": figure.end,
            "signature": signature,
        }
        for key, column in _COLUMNS.items():
            value = values.pop(key, None)
            if column in _TEXT_LENGTHS:
                row[column] = "" if value is None else str(value)[: _TEXT_LENGTHS[column]]
            elif value is not None:
                row[column] = value
        row["values"] = values
        rows[signature] = row
    return list(rows.values())


@dataclass
class FigurePlan:
    report: ExtractionReport
    added: list[ReportedFigure]
    changed: list[ReportedFigure]
    withdrawn: list[ReportedFigure]


def plan_figures(
    existing: Iterable[ReportedFigure], proposed: Iterable[ReportedFigure]
) -> FigurePlan:
    """Return what to add, change and withdraw, given an article's rows and the new proposals."""
    plan = FigurePlan(ExtractionReport(), [], [], [])
    wanted = {row.signature: row for row in proposed}
    seen = set()
    for row in existing:
        proposal = wanted.get(row.signature) if row.signature else None
        seen.add(row.signature)
        if row.is_curated:
            plan.report.kept += proposal is not None
        elif proposal is None:
            if row.origin == Origin.TAGGER:
                plan.withdrawn.append(row)
        elif any(getattr(row, name) != getattr(proposal, name) for name in _MACHINE_FIELDS):
            for name in _MACHINE_FIELDS:
                setattr(row, name, getattr(proposal, name))
            plan.changed.append(row)
    plan.added = [row for signature, row in wanted.items() if signature not in seen]
    plan.report.added = len(plan.added)
    plan.report.updated = len(plan.changed)
    plan.report.withdrawn = len(plan.withdrawn)
    return plan


def needs_review(rows: Iterable[ReportedFigure | Mapping[str, object]]) -> bool:
    """Return whether a curator should look at these figures, rows or proposed_values: one is
    proposed and unsure."""
    for row in rows:
        status, confidence = (
            (row["status"], row["confidence"])
            if isinstance(row, Mapping)
            else (row.status, row.confidence)
        )
        if status == FigureStatus.PROPOSED and confidence < REVIEW_CONFIDENCE:
            return True
    return False


def subject_country_codes(country_tags: Iterable, codes: Mapping[int, str]) -> list[str]:
    """Return the ISO codes of the live subject countries among an article's country tags (saved
    or not yet: the loader asks before the article is written)."""
    return [
        codes[tag.country_id]
        for tag in country_tags
        if tag.role == TagAssignment.Role.SUBJECT
        and tag.status != TagAssignment.Status.REJECTED
        and tag.country_id in codes
    ]


def extract_article(article: Article, *, rules: ExtractionRules) -> ExtractionReport:
    """Read the article's figures again and store the changes, in one transaction."""
    figures = read_figures(article.body, rules=rules)
    with transaction.atomic():
        proposed = proposed_rows(
            article,
            figures,
            subject_countries=subject_country_codes(
                article.country_tags.all(), rules.country_codes
            ),
        )
        plan = plan_figures(article.figures.all(), proposed)
        for row in plan.withdrawn:
            row.delete()
        for row in plan.changed + plan.added:
            row.save()
        unreviewed = article.review_status != Article.ReviewStatus.REVIEWED
        if plan.added and needs_review(plan.added) and unreviewed:
            article.review_status = Article.ReviewStatus.NEEDS_REVIEW
            article._change_reason = "figures to review"
            article.save(update_fields=["review_status", "updated_at"])
    plan.report.articles = 1
    return plan.report


def extract_all(articles, *, rules: ExtractionRules | None = None, on_article=None):
    """Read each article's figures again; curated figures stay as they are."""
    rules = rules or load_rules()
    total = ExtractionReport()
    for article in articles:
        total.add(extract_article(article, rules=rules))
        if on_article:
            on_article(article)
    return total
