"""What a report states, as plain data for its page: the figures, grouped by kind, each with the
sentence that states it and the stated words marked.

    figure_groups(article)
    -> [FigureGroup("seizure", "Seizures", [FigureLine(summary="12 kg methamphetamine",
            scope="one event", place=PlaceLabel("KH-18", "Preah Sihanouk", ...),
            evidence=(EvidencePart("Police seized ", False), EvidencePart("12 kg", True), ...),
            confirmed=False, provenance="proposed by the machine (confidence 0.85, rule ...)")]),
        FigureGroup("arrest", "Arrests", [...]), ...]

Rejected figures are left out; a proposal says it is one, with its confidence and rule, so that
no machine reading is shown as fact. Evidence stays plain text: templates escape every part.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.extraction.places import country_name, province_name
from archive.models import Article, FigureStatus, Origin, ReportedFigure

Kind = ReportedFigure.Kind
Scope = ReportedFigure.Scope

# The box's sections, in the order a reader asks: what was seized, who was arrested, what
# became of the case, where, and who was named.
GROUP_TITLES: dict[str, str] = {
    Kind.SEIZURE: "Seizures",
    Kind.ARREST: "Arrests",
    Kind.CASE: "Cases and court",
    Kind.PLACE: "Places",
    Kind.PERSON: "People",
}
# How a count got its place (values["place_rule"], set by archive/extraction/report.py and
# store.py): a curator weighs a place taken from elsewhere in the report less.
PLACE_RULES: dict[str, str] = {
    "same-sentence": "named in the same sentence",
    "first-place-in-report": "the first place the report names",
    "report-country": "the country the report is about",
}


@dataclass(frozen=True)
class EvidencePart:
    text: str
    stated: bool  # the words that state the figure: marked on the page


@dataclass(frozen=True)
class PlaceLabel:
    province_code: str  # ISO 3166-2 ("KH-18"), "" when only the country is known
    country_code: str  # ISO 3166-1 alpha-2
    label: str  # "Preah Sihanouk, Cambodia"
    how: str  # how the place was found, "" when stated as the figure itself


@dataclass(frozen=True)
class FigureLine:
    pk: int
    kind: str
    summary: str  # "12 kg methamphetamine", "41 arrested"
    scope: str  # "one event", "total over 2016", "" when not a count
    is_total: bool
    place: PlaceLabel | None
    details: tuple[str, ...]  # nationalities and the like, as short phrases
    evidence: tuple[EvidencePart, ...]
    confirmed: bool  # by a curator
    provenance: str  # "confirmed by a curator" / "proposed by the machine (confidence ...)"
    confidence: float
    rule: str


@dataclass(frozen=True)
class FigureGroup:
    kind: str
    title: str
    figures: tuple[FigureLine, ...]


def figure_groups(article: Article) -> list[FigureGroup]:
    """Return the article's live figures (proposed and confirmed) grouped by kind."""
    figures = article.figures.live().order_by("start", "id")
    lines: dict[str, list[FigureLine]] = {kind: [] for kind in GROUP_TITLES}
    for figure in figures:
        lines.setdefault(figure.kind, []).append(figure_line(figure, body=article.body))
    return [
        FigureGroup(kind, GROUP_TITLES.get(kind, kind), tuple(found))
        for kind, found in lines.items()
        if found
    ]


def figure_line(figure: ReportedFigure, *, body: str = "") -> FigureLine:
    """Return one figure as the page shows it."""
    values = figure.values if isinstance(figure.values, dict) else {}
    summary = figure.summary()
    if figure.approximate and summary:
        summary = f"about {summary}"
    confirmed = figure.status == FigureStatus.CONFIRMED
    return FigureLine(
        pk=figure.pk,
        kind=figure.kind,
        summary=summary,
        scope=scope_label(figure),
        is_total=figure.scope == Scope.TOTAL,
        place=place_label(figure),
        details=_details(figure, values),
        evidence=evidence_parts(
            figure.evidence, figure.as_written, body=body, start=figure.start, end=figure.end
        ),
        confirmed=confirmed,
        provenance=provenance(figure),
        confidence=figure.confidence,
        rule=figure.rule,
    )


def scope_label(figure: ReportedFigure) -> str:
    """Return "one event", "total over <period>" or "" for what is not a count."""
    if figure.kind in (Kind.PLACE, Kind.PERSON) or figure.scope == Scope.UNKNOWN:
        return ""
    if figure.scope == Scope.TOTAL:
        return f"total over {_period(figure.period)}"
    return "one event"


# A period as written begins with the word that joined it to its sentence: "in 2016" reads
# "total over 2016", "since 2017" reads "total over the period since 2017".
_DROPPED_BEFORE_PERIOD = ("in", "over", "during", "for", "throughout", "within")


def _period(period: str) -> str:
    words = period.split()
    if not words:
        return "a period the report does not state"
    if words[0].casefold() in _DROPPED_BEFORE_PERIOD and len(words) > 1:
        return " ".join(words[1:])
    if words[0].casefold() in ("since", "from", "between", "after", "until", "till", "before"):
        return f"the period {' '.join(words)}"
    return " ".join(words)


def provenance(figure: ReportedFigure) -> str:
    """Return who says so: a curator, or the machine with how sure it is and by which rule."""
    if figure.status == FigureStatus.CONFIRMED:
        return "confirmed by a curator"
    if figure.origin == Origin.CURATOR:
        return "added by a curator, not yet confirmed"
    rule = f", rule {figure.rule}" if figure.rule else ""
    return f"proposed by the machine (confidence {figure.confidence:.2f}{rule})"


def place_label(figure: ReportedFigure) -> PlaceLabel | None:
    """Return where the figure happened, or None when nothing places it."""
    province = figure.place_code
    country = figure.country_code or (province.split("-")[0] if province else "")
    if not province and not country:
        return None
    parts = [province_name(province)] if province else []
    parts.append(country_name(country))
    rule = figure.values.get("place_rule", "") if isinstance(figure.values, dict) else ""
    how = "" if figure.kind == Kind.PLACE else PLACE_RULES.get(rule, "")
    return PlaceLabel(province, country, ", ".join(part for part in parts if part), how)


def _details(figure: ReportedFigure, values: dict) -> tuple[str, ...]:
    details = []
    nationalities = values.get("nationalities") or []
    if isinstance(nationalities, list) and nationalities:
        details.append(", ".join(country_name(str(code)) for code in nationalities))
    return tuple(details)


def stated_span(
    evidence: str, *, body: str, start: int | None, end: int | None, as_written: str = ""
) -> tuple[int, int] | None:
    """Return where in `evidence` a figure's stated words are, or None when they cannot be found.

    The offsets point into the article's body as it was read; once a curator edits the body they
    may point elsewhere, so they are used only while body[start:end] still reads `as_written`
    and the evidence sentence still stands in the body around them. Otherwise `as_written`
    ("100 kilograms of methamphetamine") is looked for in the evidence itself.
    """
    offsets_hold = (
        bool(evidence)
        and start is not None
        and end is not None
        and 0 <= start < end <= len(body)
        and (not as_written or body[start:end] == as_written)
    )
    if offsets_hold:
        # A sentence around the offsets begins at most len(evidence) before their end, and at or
        # before their start: the first occurrence from there is the one, if any is.
        sentence_start = body.find(evidence, max(0, end - len(evidence)))
        if 0 <= sentence_start <= start:
            return start - sentence_start, end - sentence_start
    if as_written:
        found = evidence.find(as_written)
        if found >= 0:
            return found, found + len(as_written)
    return None


def evidence_parts(
    evidence: str,
    as_written: str,
    *,
    body: str = "",
    start: int | None = None,
    end: int | None = None,
) -> tuple[EvidencePart, ...]:
    """Return the evidence sentence split around the words that state the figure (stated_span);
    the sentence whole when they cannot be found."""
    if not evidence:
        return ()
    span = stated_span(evidence, body=body, start=start, end=end, as_written=as_written)
    if span is None:
        return (EvidencePart(evidence, False),)
    first, last = span
    parts = (
        EvidencePart(evidence[:first], False),
        EvidencePart(evidence[first:last], True),
        EvidencePart(evidence[last:], False),
    )
    return tuple(part for part in parts if part.text)
