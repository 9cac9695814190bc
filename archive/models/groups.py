"""Reports grouped by what they report: one incident, or one case followed over time.

Shapes, in short:
    Article ──1 ReportSignature         what grouping reads of a report, kept to compare new ones
    ReportGroup ──< GroupMember >── Article

A group is an incident (copies of one text, and independent reports of one raid, counted once)
or a story thread (the arrest, the charge, the trial and the sentence of the same people, shown
as a timeline). The machine proposes: each member says which report it was matched with, how
(its tier), how strongly and why, in words a curator can check. Curators confirm, split a report
out or merge groups; nothing is deleted: a report split out keeps its member row, rejected, so
the machine never proposes it for that group again. A report is in at most one incident and one
thread at a time; a report in no incident is its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from archive.models.records import Article


class GroupKind(models.TextChoices):
    INCIDENT = "incident", "incident"
    THREAD = "thread", "story thread"


class GroupStatus(models.TextChoices):
    PROPOSED = "proposed", "proposed by the machine"
    CONFIRMED = "confirmed", "confirmed by a curator"
    REJECTED = "rejected", "split out by a curator"


class ReportSignature(models.Model):
    """A report's text fingerprint and the events it states (archive.grouping.signatures)."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="signature"
    )
    published = models.DateField(null=True, blank=True, db_index=True)
    # " KH TH ": the countries its places are in, for a window's candidates.
    countries = models.CharField(max_length=200, blank=True)
    # "|lin chih-wei|sok dara|": the suspects it names, folded, for threads.
    people = models.TextField(blank=True)
    minhash = models.BinaryField()  # NUM_PERM unsigned 32-bit values
    shingles = models.PositiveIntegerField(default=0)
    events = models.JSONField(default=dict)
    version = models.PositiveSmallIntegerField(default=1)

    def __str__(self):
        return f"signature of article #{self.article_id}"


class ReportGroup(models.Model):
    kind = models.CharField(max_length=10, choices=GroupKind.choices, default=GroupKind.INCIDENT)
    status = models.CharField(
        max_length=10,
        choices=[c for c in GroupStatus.choices if c[0] != GroupStatus.REJECTED],
        default=GroupStatus.PROPOSED,
    )
    first_published = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when a curator merged this group into another: its members moved there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    note = models.TextField(blank=True, help_text="A curator's note on the group (private).")

    class Meta:
        indexes = [models.Index(fields=["kind", "first_published"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def live_members(self):
        return self.members.exclude(status=GroupStatus.REJECTED)


class GroupMember(models.Model):
    class Tier(models.TextChoices):
        FIRST = "first", "first report"
        COPY = "copy", "copy of one text"
        SAME = "same", "same incident, reported independently"
        LATER = "later", "a later stage of the case"
        CURATED = "curated", "added by a curator"

    group = models.ForeignKey(ReportGroup, on_delete=models.CASCADE, related_name="members")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="group_members")
    kind = models.CharField(max_length=10, choices=GroupKind.choices)  # the group's, for a
    # constraint: one live incident and one live thread per report
    tier = models.CharField(max_length=10, choices=Tier.choices)
    matched_with = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=GroupStatus.choices, default=GroupStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "article"], name="one_member_row_per_group"),
            models.UniqueConstraint(
                fields=["article", "kind"],
                condition=~Q(status="rejected"),
                name="one_live_group_of_a_kind",
            ),
        ]
        indexes = [models.Index(fields=["group", "status"])]

    def __str__(self):
        return f"article #{self.article_id} in {self.kind} #{self.group_id}"

    @property
    def live(self) -> bool:
        return self.status != GroupStatus.REJECTED
