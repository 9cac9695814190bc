"""How curation pages show tags, evidence, lists and times: small escaped HTML pieces."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import format_html, format_html_join

from archive.figures_display import stated_span
from archive.models import TagAssignment


def highlight_evidence(evidence: str) -> str:
    """Return the evidence sentence with the matched words marked ("«Thai police» This week...")."""
    if not evidence.startswith("«") or "» " not in evidence:
        return format_html("{}", evidence)
    surface, sentence = evidence[1:].split("» ", 1)
    before, found, after = sentence.partition(surface)
    if not found:
        return format_html("{}", sentence)
    return format_html("{}<mark>{}</mark>{}", before, found, after)


def highlight_figure(figure, *, body: str | None = None) -> str:
    """Return a figure's evidence sentence, escaped, its stated words marked.

    `body` is the article's text when the caller has it already (a list of one article's
    figures); otherwise it is read from the figure's article.
    """
    evidence = figure.evidence
    if not evidence:
        return "-"
    if body is None:
        body = figure.article.body if figure.article_id else ""
    span = stated_span(
        evidence, body=body, start=figure.start, end=figure.end, as_written=figure.as_written
    )
    if span is None:
        return format_html("{}", evidence)
    first, last = span
    return format_html(
        "{}<mark>{}</mark>{}", evidence[:first], evidence[first:last], evidence[last:]
    )


def html_list(pairs) -> str:
    """Return (label, text) pairs as an escaped HTML list."""
    return format_html(
        '<ul class="plain-list">{}</ul>', format_html_join("", "<li><b>{}</b>: {}</li>", pairs)
    )


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def tag_names(assignments) -> str:
    names = [
        str(assignment.target) + ("?" if assignment.status == TagAssignment.Status.PROPOSED else "")
        for assignment in assignments
        if assignment.status != TagAssignment.Status.REJECTED
    ]
    return ", ".join(names) or "-"
