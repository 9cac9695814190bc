"""The archive's records: articles, the taxonomy they are tagged with, and tags with provenance.

Shapes, in short:
    Article ──< ArticleCountry >── Country
            ──< ArticleMinistry >── Ministry ──> Country, parent Ministry
            ──< ArticleCrimeType >── CrimeType ──> parent CrimeType
            ──> Source, ImportBatch

Each tag assignment records who proposed it (import metadata, the automatic tagger, a curator),
how sure that was, the text that supports it, and whether a curator confirmed or rejected it.
A rejected assignment is kept (not deleted) so that a later automatic run cannot bring it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive.taxonomy import parse_aliases


class TaxonomyEntry(models.Model):
    """Fields shared by every taxonomy table: a name, a URL slug and the aliases the tagger uses."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.TextField(
        blank=True,
        help_text="Other names, one per line: spellings, acronyms, demonyms, translations.",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def alias_list(self) -> list[str]:
        """Return the aliases as a clean list (blank lines and repeats dropped)."""
        return parse_aliases(self.aliases)

    def all_names(self) -> list[str]:
        """Return the name followed by every alias."""
        return parse_aliases("\n".join([self.name, self.aliases]))


class Country(TaxonomyEntry):
    code = models.CharField(
        "ISO 3166 code", max_length=2, unique=True, help_text="ISO 3166-1 alpha-2, e.g. KH."
    )
    demonyms = models.TextField(
        blank=True,
        help_text="Words for its people and things, one per line: Cambodian, Khmer-language...",
    )
    places = models.TextField(
        blank=True,
        help_text="Capitals, provinces and cities in this country, one per line.",
    )
    history = HistoricalRecords()

    class Meta(TaxonomyEntry.Meta):
        verbose_name_plural = "countries"

    def get_absolute_url(self):
        return reverse("search:tag_page", args=["country", self.code])

    def place_list(self) -> list[str]:
        return parse_aliases(self.places)

    def demonym_list(self) -> list[str]:
        return parse_aliases(self.demonyms)

    def clean(self):
        import pycountry
        from django.core.exceptions import ValidationError

        if pycountry.countries.get(alpha_2=self.code.upper()) is None:
            raise ValidationError({"code": f"{self.code!r} is not an ISO 3166-1 alpha-2 code."})
        self.code = self.code.upper()


class Source(TaxonomyEntry):
    """A publication: newspaper, broadcaster, agency wire; followed through its feed or news
    sitemap when a curator switches it on (manage.py follow_sources)."""

    homepage = models.URLField(blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    # --- Following: what to poll and how often (curators edit these) ---
    following = models.BooleanField(
        default=False, help_text="Poll this source's feed or sitemap for new reports."
    )
    feed_url = models.URLField("RSS or Atom feed", max_length=2000, blank=True)
    sitemap_url = models.URLField("news sitemap", max_length=2000, blank=True)
    language_hint = models.CharField(
        max_length=16,
        blank=True,
        help_text="The language it usually publishes in (km, th, vi, en...): kept with each "
        "capture; each report's language is still read from its text.",
    )
    poll_minutes = models.PositiveIntegerField(
        "poll every (minutes)", default=60, help_text="How often its feed or sitemap is read."
    )
    # --- Following: what happened (written by follow_sources, shown read-only) ---
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_new_count = models.PositiveIntegerField(default=0, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    paused = models.BooleanField(
        default=False,
        help_text="Set after repeated failures (or by a curator): not polled until cleared.",
    )
    # ETag and Last-Modified of its feed and sitemaps, for conditional requests.
    validators = models.JSONField(default=dict, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["validators", "last_polled_at", "last_new_count"])

    class Meta(TaxonomyEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["name"], name="source_unique_name")]

    def get_absolute_url(self):
        return reverse("archive:article_list") + f"?source={self.slug}"


class FollowedPage(models.Model):
    """An address a followed source listed, fetched or given up on: never fetched again."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="followed_pages")
    url = models.URLField(max_length=2000)
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="followed_page_once")]

    def __str__(self):
        return self.url


class Ministry(TaxonomyEntry):
    """A ministry or agency; a police force or a commission has its own entry under its parent."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Ministry"
        POLICE = "police", "Police force"
        AGENCY = "agency", "Agency or authority"
        COMMISSION = "commission", "Commission or committee"
        COURT = "court", "Court"
        ADMINISTRATION = "administration", "Local administration"
        INTERNATIONAL = "international", "International body"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ministries",
        help_text="Blank only for regional or international bodies.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="E.g. a national police force under its interior ministry.",
    )
    history = HistoricalRecords()

    class Meta(TaxonomyEntry.Meta):
        verbose_name = "ministry or agency"
        verbose_name_plural = "ministries and agencies"
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="ministry_unique_per_country")
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})" if self.country_id else self.name

    def get_absolute_url(self):
        return reverse("search:tag_page", args=["ministry", self.slug])


class CrimeType(TaxonomyEntry):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="E.g. methamphetamine trafficking under drug trafficking.",
    )
    history = HistoricalRecords()

    class Meta(TaxonomyEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["name"], name="crimetype_unique_name")]

    def get_absolute_url(self):
        return reverse("search:tag_page", args=["crime_type", self.slug])


class ImportBatch(models.Model):
    """One run of `manage.py ingest`; a batch with no finish time was interrupted."""

    label = models.CharField(max_length=200, blank=True)
    paths = models.TextField(help_text="The paths the command was given, one per line.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # [{"origin": "seeds/x.txt", "reason": "..."}] for every skipped file or record.
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return self.label or f"Import #{self.pk} ({self.started_at:%Y-%m-%d %H:%M})"


class TaxonomyMerge(models.Model):
    """A merge of taxonomy entries, with all it takes to undo it (archive.merges)."""

    model_name = models.CharField(max_length=40)  # "country", "ministry", "crimetype", "source"
    survivor_id = models.BigIntegerField()
    survivor_name = models.CharField(max_length=200)
    # The merged entries as they were, and the survivor before, serialized by Django.
    merged = models.TextField()
    survivor_before = models.TextField()
    # What moved: tag assignments (kind, id, old entry), assignments removed where an article
    # held both (kind, serialized row), sub-entries, ministries, sources, articles (id, old).
    moves = models.JSONField(default=dict)
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = "taxonomy merge"

    def __str__(self):
        return f"Merge #{self.pk} into {self.survivor_name}"

    @property
    def model(self) -> type[TaxonomyEntry]:
        return apps.get_model("archive", self.model_name)

    def merged_names(self) -> list[str]:
        from django.core import serializers

        return [found.object.name for found in serializers.deserialize("json", self.merged)]


class Origin(models.TextChoices):
    """Who or what set a value."""

    METADATA = "metadata", "Import metadata"
    TAGGER = "tagger", "Automatic tagger"
    CURATOR = "curator", "Curator"


class ArticleQuerySet(models.QuerySet):
    def tagged(self, kind: str, target_ids, *, include_mentions: bool = False):
        """Return articles with a live tag of `kind` ("country", ...) on any of `target_ids`."""
        tag_kind = TAG_KINDS[kind]
        assignments = tag_kind.model.objects.live().filter(
            **{f"{tag_kind.target_field}__in": list(target_ids)}
        )
        if not include_mentions:
            assignments = assignments.filter(role=TagAssignment.Role.SUBJECT)
        return self.filter(pk__in=assignments.values("article_id"))


class Article(models.Model):
    class ReviewStatus(models.TextChoices):
        UNREVIEWED = "unreviewed", "Not reviewed"
        NEEDS_REVIEW = "needs_review", "Needs review"
        REVIEWED = "reviewed", "Reviewed"

    title = models.CharField(max_length=500)
    title_derived = models.BooleanField(
        default=False, help_text="The text had no headline; this title was taken from its lead."
    )
    body = models.TextField(help_text="The cleaned text shown to researchers.")
    raw_text = models.TextField(
        editable=False,
        help_text="The text exactly as it was received; never altered. For a page or PDF, the "
        "text read from it (its bytes are kept as captures); a page captured again with a "
        "changed text brings its new text here and keeps every capture.",
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.CharField(
        max_length=500, blank=True, help_text="Author names separated by commas."
    )
    url = models.URLField("original URL", max_length=2000, blank=True)
    published_date = models.DateField(null=True, blank=True)
    # The year researchers see: set only from metadata, a curator, or text evidence the tagger
    # is sure of. An uncertain guess waits in proposed_year for review instead.
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    proposed_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The tagger's best uncertain guess; not shown to researchers until confirmed.",
    )
    date_origin = models.CharField(max_length=20, choices=Origin.choices, blank=True)
    # How sure, and on what words, the year (or the proposed year when there is none) rests.
    date_confidence = models.FloatField(null=True, blank=True)
    date_evidence = models.TextField(blank=True)
    # How sure the text is right, where it was read by OCR from a scanned page (0-1): low
    # confidence sends the article to review.
    text_confidence = models.FloatField(null=True, blank=True, editable=False)
    # Indexed for admin's language filter, which walks the index for the values there are.
    language = models.CharField(max_length=16, default="en", db_index=True)
    # Paragraphs of the body written in another language (archive.languages.paragraphs):
    # [{"paragraph": 2, "language": "en"}]; empty when the whole report is in `language`.
    paragraph_languages = models.JSONField(default=list, blank=True, editable=False)
    # sha256 of the normalized raw body (see archive.ingest.hashing): stable when cleaning rules
    # change, so re-importing the same text never creates a second record.
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    origin = models.CharField(
        max_length=1000, blank=True, help_text="The file (and record) the text was imported from."
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    # What ingestion last wrote for each field ({"title": ..., "body_sha": ...}); a re-import
    # changes a field only where the record still holds that value, so curators' edits survive.
    ingested_values = models.JSONField(default=dict, blank=True, editable=False)
    # What the cleaner removed from the raw text: [{"kind": "byline", "text": "..."}].
    cleaning_log = models.JSONField(default=list, blank=True, editable=False)
    review_status = models.CharField(
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.UNREVIEWED,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # raw_text never changes and the cleaning log and paragraph languages are derived: no need
    # to copy them per revision.
    # History is read per article (by id) and by date; indexes on the copied columns would only
    # slow every import down.
    history = HistoricalRecords(
        excluded_fields=["raw_text", "cleaning_log", "ingested_values", "paragraph_languages"],
        no_db_index=["source", "import_batch", "year", "review_status", "content_hash", "language"],
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_date", "-id"]
        indexes = [models.Index(fields=["published_date", "id"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("archive:article_detail", args=[self.pk])

    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.split(",") if name.strip()]


class Capture(models.Model):
    """A document exactly as it was fetched or found (an HTML page, a web archive's response, a
    PDF), kept byte for byte beside the article whose text was read from it.

    An article read from a document has one capture per version of it: a page captured again
    with a changed text updates the article (its history keeps the old body) and adds a capture,
    so every version's bytes are still here.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="captures")
    media_type = models.CharField(max_length=100, help_text="text/html, application/pdf...")
    url = models.URLField("captured URL", max_length=2000, blank=True, db_index=True)
    captured_at = models.DateTimeField(null=True, blank=True, help_text="When it was fetched.")
    origin = models.CharField(
        max_length=1000, blank=True, help_text="The file (and record) it was read from."
    )
    # sha256 of the bytes: the same document read twice is kept once.
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField(help_text="Bytes, before compression.")
    # The bytes, zlib-compressed: pages shrink five- to tenfold, and nothing is lost.
    content = models.BinaryField(editable=False)
    # How the text was read: the extractor, the character set, OCR confidence per page...
    reading = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "-captured_at", "-id"]

    def __str__(self):
        return f"{self.media_type} capture of #{self.article_id}"

    def get_absolute_url(self):
        return reverse("archive:capture", args=[self.article_id, self.pk])

    def data(self) -> bytes:
        """Return the document's bytes exactly as they were received."""
        import zlib

        return zlib.decompress(bytes(self.content))


class ReviewItem(Article):
    """The review queue: articles whose tags or year the tagger was unsure of."""

    class Meta:
        proxy = True
        verbose_name = "article awaiting review"
        verbose_name_plural = "review queue"


class TagAssignmentQuerySet(models.QuerySet):
    def live(self):
        """Return assignments that count: proposed or confirmed, not rejected."""
        return self.exclude(status=TagAssignment.Status.REJECTED)

    def curated(self):
        """Return assignments a person made or reviewed; automatic runs leave these alone."""
        return self.filter(models.Q(origin=Origin.CURATOR) | models.Q(reviewed_at__isnull=False))

    def uncurated(self):
        return self.exclude(models.Q(origin=Origin.CURATOR) | models.Q(reviewed_at__isnull=False))


# Copied columns a tag's history keeps no index on: history is read by the tag's id and by date,
# and each index costs every imported tag row one more insert.
TAG_HISTORY_UNINDEXED = ["article", "status", "assigned_by", "reviewed_by"]


class TagAssignment(models.Model):
    """Provenance shared by the three tag tables."""

    class Role(models.TextChoices):
        SUBJECT = "subject", "Subject"
        MENTION = "mention", "Mentioned"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.SUBJECT)
    origin = models.CharField(max_length=20, choices=Origin.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    confidence = models.FloatField(default=1.0)
    evidence = models.TextField(blank=True, help_text="The words in the text that support it.")
    assigned_at = models.DateTimeField(auto_now_add=True)
    # Never looked up by curator (only deleting a user would use an index here), so unindexed:
    # each index costs every imported tag row an insert.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        help_text="The curator who added it by hand.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    objects = TagAssignmentQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.target} on #{self.article_id}"

    @property
    def is_curated(self) -> bool:
        return self.origin == Origin.CURATOR or self.reviewed_at is not None

    @property
    def target(self):
        return getattr(self, self.target_field)


class ArticleCountry(TagAssignment):
    target_field = "country"
    # Look-ups by article use the unique (article, country) index.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="country_tags", db_index=False
    )
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="article_tags")
    history = HistoricalRecords(no_db_index=[*TAG_HISTORY_UNINDEXED, "country"])

    class Meta:
        verbose_name = "country tag"
        constraints = [
            models.UniqueConstraint(fields=["article", "country"], name="one_tag_per_country")
        ]


class ArticleMinistry(TagAssignment):
    target_field = "ministry"
    # Look-ups by article use the unique (article, ministry) index.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="ministry_tags", db_index=False
    )
    ministry = models.ForeignKey(Ministry, on_delete=models.CASCADE, related_name="article_tags")
    history = HistoricalRecords(no_db_index=[*TAG_HISTORY_UNINDEXED, "ministry"])

    class Meta:
        verbose_name = "ministry or agency tag"
        constraints = [
            models.UniqueConstraint(fields=["article", "ministry"], name="one_tag_per_ministry")
        ]


class ArticleCrimeType(TagAssignment):
    target_field = "crime_type"
    # Look-ups by article use the unique (article, crime_type) index.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="crime_type_tags", db_index=False
    )
    crime_type = models.ForeignKey(CrimeType, on_delete=models.CASCADE, related_name="article_tags")
    history = HistoricalRecords(no_db_index=[*TAG_HISTORY_UNINDEXED, "crime_type"])

    class Meta:
        verbose_name = "crime type tag"
        constraints = [
            models.UniqueConstraint(fields=["article", "crime_type"], name="one_tag_per_crime_type")
        ]


@dataclass(frozen=True)
class TagKind:
    """How one kind of tag is stored: lets services, admin and filters treat the three alike."""

    key: str  # "country": its kind in archive.kinds, which names and labels it
    model: type[TagAssignment]
    taxonomy: type[TaxonomyEntry]
    target_field: str
    related_name: str  # on Article


TAG_KINDS: dict[str, TagKind] = {
    kind.key: kind
    for kind in (
        TagKind("country", ArticleCountry, Country, "country", "country_tags"),
        TagKind("ministry", ArticleMinistry, Ministry, "ministry", "ministry_tags"),
        TagKind("crime_type", ArticleCrimeType, CrimeType, "crime_type", "crime_type_tags"),
    )
}
