from django import template
from django.db.models import Q

from archive.models import TAG_KINDS, Article, FigureStatus, ReportedFigure, TagAssignment

register = template.Library()


@register.simple_tag
def review_summary() -> dict:
    """Return what awaits curators: queued articles, pending proposals (tags and figures),
    years still unknown."""
    waiting = Article.objects.filter(review_status=Article.ReviewStatus.NEEDS_REVIEW)
    return {
        "articles": waiting.count(),
        "proposals": sum(
            kind.model.objects.filter(status=TagAssignment.Status.PROPOSED).count()
            for kind in TAG_KINDS.values()
        ),
        "figures": ReportedFigure.objects.filter(status=FigureStatus.PROPOSED).count(),
        "unknown_years": Article.objects.filter(year=None)
        .filter(~Q(review_status=Article.ReviewStatus.REVIEWED))
        .count(),
    }
