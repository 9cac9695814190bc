from django import template
from django.db.models import Q

from archive.models import TAG_KINDS, Article, TagAssignment

register = template.Library()


@register.simple_tag
def review_summary() -> dict:
    """Return what awaits curators: queued articles, pending proposals, years still unknown."""
    waiting = Article.objects.filter(review_status=Article.ReviewStatus.NEEDS_REVIEW)
    return {
        "articles": waiting.count(),
        "proposals": sum(
            kind.model.objects.filter(status=TagAssignment.Status.PROPOSED).count()
            for kind in TAG_KINDS.values()
        ),
        "unknown_years": Article.objects.filter(year=None)
        .filter(~Q(review_status=Article.ReviewStatus.REVIEWED))
        .count(),
    }
