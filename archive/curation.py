"""What curators do to records, as functions the admin (and later the API) calls.

Every change goes through `.save()` so the change history records who did it and why.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from archive import figure_curation
from archive.ingest.cleaning import clean_text
from archive.languages.paragraphs import paragraph_languages
from archive.models import (
    TAG_KINDS,
    Article,
    FigureStatus,
    Origin,
    TagAssignment,
    TaxonomyEntry,
)


def add_tag(articles: Iterable[Article], target: TaxonomyEntry, *, user, role=None) -> int:
    """Tag each article with `target` as confirmed by `user`; return how many changed."""
    kind = kind_of(target)
    role = role or TagAssignment.Role.SUBJECT
    changed = 0
    with transaction.atomic():
        for article in articles:
            assignment = kind.model.objects.filter(
                article=article, **{kind.target_field: target}
            ).first()
            if assignment is None:
                assignment = kind.model(
                    article=article,
                    origin=Origin.CURATOR,
                    assigned_by=user,
                    confidence=1.0,
                    evidence="added by a curator",
                    **{kind.target_field: target},
                )
            elif assignment.status == TagAssignment.Status.CONFIRMED and assignment.role == role:
                continue
            assignment.status = TagAssignment.Status.CONFIRMED
            assignment.role = role
            _mark_reviewed(assignment, user)
            assignment._change_reason = "tag added by a curator"
            assignment.save()
            changed += 1
    return changed


def reject_tag(articles: Iterable[Article], target: TaxonomyEntry, *, user) -> int:
    """Reject `target` on each article that has it; the row stays so it is never re-proposed."""
    kind = kind_of(target)
    changed = 0
    with transaction.atomic():
        assignments = kind.model.objects.filter(
            article__in=list(articles), **{kind.target_field: target}
        ).exclude(status=TagAssignment.Status.REJECTED)
        for assignment in assignments:
            assignment.status = TagAssignment.Status.REJECTED
            _mark_reviewed(assignment, user)
            assignment._change_reason = "tag rejected by a curator"
            assignment.save()
            changed += 1
    return changed


def mark_reviewed(articles: Iterable[Article], *, user) -> int:
    """Set each article's review status to reviewed; return how many changed."""
    changed = 0
    with transaction.atomic():
        for article in articles:
            if article.review_status != Article.ReviewStatus.REVIEWED:
                article.review_status = Article.ReviewStatus.REVIEWED
                article._change_reason = f"marked reviewed by {user}"
                article.save()
                changed += 1
    return changed


def reclean(articles: Iterable[Article]) -> int:
    """Re-run the cleaner on each article's raw text; a derived title follows the new lead."""
    changed = 0
    with transaction.atomic():
        for article in articles:
            # A title that was not derived came with the report: only its repeat is a headline.
            given = "" if article.title_derived else article.title
            cleaned = clean_text(article.raw_text, given_title=given)
            if not cleaned.body.strip():
                continue  # keep the current body rather than store an empty one
            log = [{"kind": r.kind, "text": r.text} for r in cleaned.removals]
            new_title = article.title
            if article.title_derived:
                new_title, derived = cleaned.title, cleaned.title_derived
                article.title_derived = derived
            if (cleaned.body, log, new_title) != (
                article.body,
                article.cleaning_log,
                article.title,
            ):
                article.body, article.cleaning_log, article.title = cleaned.body, log, new_title
                article.paragraph_languages = paragraph_languages(
                    cleaned.body, language=article.language
                )
                article._change_reason = "re-cleaned from the raw text"
                article.save()
                changed += 1
    return changed


def kind_of(entry: TaxonomyEntry):
    """Return the TagKind whose taxonomy `entry` belongs to."""
    for kind in TAG_KINDS.values():
        if isinstance(entry, kind.taxonomy):
            return kind
    raise ValueError(f"{type(entry).__name__} entries are not tags.")


def _mark_reviewed(assignment: TagAssignment, user) -> None:
    assignment.reviewed_by = user
    assignment.reviewed_at = timezone.now()


def decide_tag(assignment: TagAssignment, *, confirm: bool, user) -> None:
    """Confirm or reject one tag; either way the decision is remembered."""
    assignment.status = TagAssignment.Status.CONFIRMED if confirm else TagAssignment.Status.REJECTED
    _mark_reviewed(assignment, user)
    assignment._change_reason = "confirmed in review" if confirm else "rejected in review"
    assignment.save()
    settle_review(assignment.article, user=user)


def decide_proposals(articles: Iterable[Article], *, confirm: bool, user) -> int:
    """Confirm (or reject) every proposed tag and figure of each article; return how many were
    decided."""
    decided = 0
    with transaction.atomic():
        for article in articles:
            for kind in TAG_KINDS.values():
                for assignment in kind.model.objects.filter(
                    article=article, status=TagAssignment.Status.PROPOSED
                ):
                    assignment.status = (
                        TagAssignment.Status.CONFIRMED if confirm else TagAssignment.Status.REJECTED
                    )
                    _mark_reviewed(assignment, user)
                    assignment._change_reason = "decided in bulk review"
                    assignment.save()
                    decided += 1
            for figure in article.figures.filter(status=FigureStatus.PROPOSED):
                decided += figure_curation.decide_figure(figure, confirm=confirm, user=user)
            settle_review(article, user=user)
    return decided


def accept_proposed_year(articles: Iterable[Article], *, user) -> int:
    """Make each article's proposed year its year, as a curator's decision."""
    accepted = 0
    with transaction.atomic():
        for article in articles:
            if article.year is not None or article.proposed_year is None:
                continue
            article.year = article.proposed_year
            article.proposed_year = None
            article.date_origin = Origin.CURATOR
            article.date_confidence = 1.0
            article.date_evidence = (
                f"proposed year accepted by {user}; was: {article.date_evidence}"
            )
            article._change_reason = "proposed year accepted"
            article.save()
            settle_review(article, user=user)
            accepted += 1
    return accepted


def pending_proposals(article: Article) -> int:
    """Return how many tags and figures of the article wait for a curator."""
    return figure_curation.pending_figures(article) + sum(
        kind.model.objects.filter(article=article, status=TagAssignment.Status.PROPOSED).count()
        for kind in TAG_KINDS.values()
    )


def settle_review(article: Article, *, user) -> bool:
    """Mark the article reviewed once no proposal is pending and its year is known."""
    article.refresh_from_db()
    if article.review_status == Article.ReviewStatus.REVIEWED:
        return True
    if article.year is None or pending_proposals(article):
        return False
    article.review_status = Article.ReviewStatus.REVIEWED
    article._change_reason = f"review completed by {user}"
    article.save()
    return True
