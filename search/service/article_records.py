"""An article as plain data for the world outside the database: the API, exports and feeds.

Every tag carries how it was assigned (role, status, origin, confidence), so a researcher can
tell a curator-confirmed tag from a machine's proposal in any format. Rejected tags are left out:
callers pass articles whose tag relations were loaded with live_tag_prefetch (or the plain
relations, which are filtered here).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from archive.kinds import TAGGED
from archive.models import TAG_KINDS, Article, TagAssignment

# The plural keys records use for each kind of tag.
TAG_LISTS = {kind.key: kind.list_name for kind in TAGGED}


def live_tag_prefetch(key: str) -> Prefetch:
    """Return a prefetch of an article's tags of one kind: rejected ones left out, subjects
    first, then by name."""
    kind = TAG_KINDS[key]
    return Prefetch(
        kind.related_name,
        queryset=kind.model.objects.live()
        .select_related(kind.target_field)
        .order_by("-role", f"{kind.target_field}__name"),
    )


def site_url(request=None) -> str:
    """Return the archive's address without a trailing slash: PUBLIC_URL when set, otherwise
    the address of the request (behind a proxy, set PUBLIC_URL)."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL
    if request is None:
        return ""
    return request.build_absolute_uri("/").rstrip("/")


def permanent_url(article: Article, base_url: str) -> str:
    return base_url + reverse("archive:article_detail", args=[article.pk])


def tag_rows(article_ids) -> dict[int, dict[str, list[dict]]]:
    """Return {article id: {plural: [tag record, ...]}} for many articles in three queries,
    without building model instances (exports of 100k articles spend their time here)."""
    by_article: dict[int, dict[str, list[dict]]] = {}
    for key, plural in TAG_LISTS.items():
        kind = TAG_KINDS[key]
        target = kind.target_field
        code_field = f"{target}__code" if key == "country" else f"{target}__slug"
        rows = (
            kind.model.objects.live()
            .filter(article_id__in=article_ids)
            .order_by("article_id", "-role", f"{target}__name")
            .values_list(
                "article_id",
                f"{target}_id",
                f"{target}__name",
                code_field,
                "role",
                "status",
                "origin",
                "confidence",
            )
        )
        code_key = "code" if key == "country" else "slug"
        for article_id, pk, name, code, role, status, origin, confidence in rows:
            by_article.setdefault(article_id, {}).setdefault(plural, []).append(
                {
                    "id": pk,
                    "name": name,
                    code_key: code,
                    "role": role,
                    "status": status,
                    "origin": origin,
                    "confidence": round(confidence, 3),
                }
            )
    return by_article


def tag_record(tag: TagAssignment, key: str) -> dict:
    target = tag.target
    record = {"id": target.pk, "name": target.name}
    record["code" if key == "country" else "slug"] = (
        target.code if key == "country" else target.slug
    )
    record.update(
        role=tag.role,
        status=tag.status,
        origin=tag.origin,
        confidence=round(tag.confidence, 3),
    )
    return record


def live_tags(article: Article, key: str) -> list[TagAssignment]:
    tags = getattr(article, TAG_KINDS[key].related_name).all()
    return [tag for tag in tags if tag.status != TagAssignment.Status.REJECTED]


def article_record(
    article: Article, *, base_url: str, text: bool = True, tags: dict | None = None
) -> dict:
    """Return the article as JSON-ready data; `text` adds the cleaned body. `tags` is the
    article's entry of tag_rows(); without it the article's own tag relations are read."""
    record = {
        "id": article.pk,
        "url": permanent_url(article, base_url),
        "title": article.title,
        "title_derived": article.title_derived,
        "published_date": article.published_date.isoformat() if article.published_date else None,
        "year": article.year,
        "year_origin": article.date_origin or None,
        "year_confidence": article.date_confidence,
        "source": (
            {"id": article.source.pk, "name": article.source.name, "slug": article.source.slug}
            if article.source
            else None
        ),
        "authors": article.author_list(),
        "original_url": article.url or None,
        "language": article.language,
        "review_status": article.review_status,
        "content_hash": article.content_hash,
        "added": article.created_at.isoformat(),
        "updated": article.updated_at.isoformat(),
    }
    for key, plural in TAG_LISTS.items():
        if tags is not None:
            record[plural] = tags.get(plural, [])
        else:
            record[plural] = [tag_record(tag, key) for tag in live_tags(article, key)]
    if text:
        record["body"] = article.body
    return record
