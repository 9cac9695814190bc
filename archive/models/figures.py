"""What reports state, as rows: seizures, arrests, cases, places and people, with their evidence.

Shapes, in short:
    Article ──< ReportedFigure          one per figure the extractors proposed or a curator added
    AnchorEvent                        curated entries of the calendar that dates reports

A figure is a machine proposal until a curator confirms, corrects or rejects it, exactly like a
tag: it carries the sentence that supports it, its character offsets, the rule that made it and a
confidence. Its `signature` names what the extractor found (kind and values as first proposed),
so that a later run recognises a figure it proposed before: a rejected figure stays rejected, a
corrected one keeps the curator's values. Tables and exports count confirmed figures unless asked
to include proposals, and never add a total over a period to single events.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from archive.models.records import Article, Origin, TagAssignment

FigureStatus = TagAssignment.Status


class ReportedFigureQuerySet(models.QuerySet):
    def live(self):
        """Return figures that count: proposed or confirmed, not rejected."""
        return self.exclude(status=FigureStatus.REJECTED)

    def counted(self, *, include_proposals: bool = False):
        """Return the figures tables and exports count: confirmed ones, and with
        `include_proposals` the machine's unreviewed proposals too."""
        if include_proposals:
            return self.live()
        return self.filter(status=FigureStatus.CONFIRMED)

    def single_events(self):
        """Return figures about one event, never totals over a period."""
        return self.filter(scope=ReportedFigure.Scope.SINGLE)


class ReportedFigure(models.Model):
    class Kind(models.TextChoices):
        SEIZURE = "seizure", "Seizure"
        ARREST = "arrest", "Arrests"
        CASE = "case", "Cases and court"
        PLACE = "place", "Place"
        PERSON = "person", "Person"

    class Scope(models.TextChoices):
        SINGLE = "single", "One event"
        TOTAL = "total", "Total over a period"
        UNKNOWN = "unknown", "Not a count"

    # Indexes: each costs every import a write per figure, so only those queries need. An
    # article's figures are found through (article, kind), which leads with the article; tables
    # and counts through (kind, status); a province's through place_code. Drugs are matched
    # whatever their case and countries listed whole, which no index serves.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="figures", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.SINGLE)
    period = models.CharField(
        max_length=200, blank=True, help_text='For a total, its period as written ("in 2016").'
    )
    # Provenance, as on tags.
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.TAGGER)
    status = models.CharField(
        max_length=10, choices=FigureStatus.choices, default=FigureStatus.PROPOSED
    )
    confidence = models.FloatField(default=1.0)
    rule = models.CharField(max_length=60, blank=True, help_text="The rule that found it.")
    evidence = models.TextField(blank=True, help_text="The sentence that states it, as written.")
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset of the words that state it, in the body."
    )
    end = models.PositiveIntegerField(null=True, blank=True)
    # What the extractor first found, kept so that a later run knows its own proposal again
    # whatever a curator changed since; "" for a figure a curator added.
    signature = models.CharField(max_length=255, blank=True, editable=False)
    # What is stated, in columns tables and filters can use. Unused ones stay empty.
    as_written = models.CharField(max_length=300, blank=True)
    drug = models.CharField(max_length=60, blank=True)
    quantity = models.FloatField(null=True, blank=True, help_text="The number as stated.")
    unit = models.CharField(max_length=30, blank=True, help_text="kg, g, tonne, tablet, ...")
    mass_kg = models.FloatField(null=True, blank=True, help_text="The quantity as a mass.")
    count = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Tablets, people or cases counted."
    )
    approximate = models.BooleanField(default=False)
    place_code = models.CharField(
        "ISO 3166-2 code",
        max_length=10,
        blank=True,
        db_index=True,
        help_text="The province or state it happened in (KH-18), when known.",
    )
    country_code = models.CharField(
        "ISO 3166-1 code", max_length=2, blank=True, help_text="KH, TH, VN..."
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="A place's, person's, operation's or court's name."
    )
    role = models.CharField(
        max_length=60, blank=True, help_text="A person's role: minister, suspect, ..."
    )
    values = models.JSONField(
        default=dict, blank=True, help_text="Everything else stated: nationalities, sentence..."
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    history = HistoricalRecords(no_db_index=["article", "status", "reviewed_by", "kind"])

    objects = ReportedFigureQuerySet.as_manager()

    class Meta:
        verbose_name = "reported figure"
        ordering = ["article", "start", "id"]
        indexes = [
            models.Index(fields=["article", "kind"], name="figure_article_kind"),
            models.Index(fields=["kind", "status"], name="figure_kind_status"),
        ]
        constraints = [
            # One row per machine proposal: a later run finds it again instead of adding it.
            models.UniqueConstraint(
                fields=["article", "signature"],
                condition=~models.Q(signature=""),
                name="one_row_per_proposed_figure",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary()} (#{self.article_id})"

    @property
    def is_curated(self) -> bool:
        return self.origin == Origin.CURATOR or self.reviewed_at is not None

    @property
    def is_single_event(self) -> bool:
        return self.scope == self.Scope.SINGLE

    def summary(self) -> str:
        """Return the figure in a few words: "12 kg methamphetamine", "41 arrested"."""
        if self.kind == self.Kind.SEIZURE:
            amount = _number(self.quantity)
            return " ".join(part for part in (amount, self.unit, self.drug) if part)
        if self.kind == self.Kind.ARREST:
            return f"{_number(self.count)} arrested"
        if self.kind == self.Kind.CASE:
            what = self.values.get("what", "") if isinstance(self.values, dict) else ""
            if self.count is not None:
                return f"{_number(self.count)} {what}".strip()
            return " ".join(part for part in (what, self.name) if part)
        if self.kind == self.Kind.PERSON:
            return ", ".join(part for part in (self.name, self.role) if part)
        return " ".join(part for part in (self.name, f"({self.place_code})") if part)


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


class AnchorEvent(models.Model):
    """An entry of the calendar of anchor events that dates reports stating no year.

    The default calendar is plain data (archive/extraction/anchor_calendar.py); an entry here
    adds an event, or replaces the default one of the same name; an inactive entry switches a
    default off.
    """

    class Kind(models.TextChoices):
        ANNIVERSARY = "anniversary", "Anniversary or yearly observance (the Nth ...)"
        NUMBERED = "numbered", "Numbered meeting (the 14th ...)"
        PERIOD = "period", "Period since a start (the past six months of ...)"

    name = models.CharField(max_length=200, unique=True)
    aliases = models.TextField(help_text="How reports name it, one per line.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    first_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Anniversary: the year it happened or was first observed.",
    )
    editions = models.TextField(
        blank=True, help_text='Numbered: one edition per line, "14 = 2020".'
    )
    start = models.DateField(null=True, blank=True, help_text="Period: the day it began.")
    requires = models.TextField(
        blank=True,
        help_text='Words the report must also hold, one set per line, alternatives split by "|" '
        '("Cambodia|Cambodian").',
    )
    notes = models.TextField(blank=True)
    active = models.BooleanField(
        default=True, help_text="Untick to stop dating reports by it (a default entry too)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "anchor event"

    def __str__(self):
        return self.name
