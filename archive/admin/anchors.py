"""The calendar of anchor events that dates reports stating no year: curated entries.

An entry here adds an event to the default calendar (archive/tagging/anchor_calendar.py) or
replaces the default of the same name; the anchor reader takes it as archive.tagging.store
anchor_of() reads it, so the form refuses what that would silently drop (an edition line it
cannot read, an anniversary with no first year).
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archive.admin.filters import CuratedText, CuratedTextMixin
from archive.models import AnchorEvent

# One edition a line: "14 = 2020" (the 14th was held in 2020).
EDITION_LINE = re.compile(r"^\s*(?P<edition>\d{1,4})\s*=\s*(?P<year>\d{4})\s*$")
# Years a report can be dated to: the archive's reports are of the press and the web.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


ALIASES_REQUIRED = (
    "Write at least one name reports use for the event, one per line (for the ASEAN "
    'Ministerial Meeting on Transnational Crime: "AMMTC", "ASEAN Ministerial Meeting on '
    "Transnational Crime\"); the event's name alone is not looked for."
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AnchorEventForm(forms.ModelForm):
    class Meta:
        model = AnchorEvent
        fields = (
            "name", "kind", "aliases", "first_year", "editions", "start", "requires", "notes",
            "active",
        )  # fmt: skip
        field_classes = {"aliases": CuratedText, "editions": CuratedText, "requires": CuratedText}
        widgets = {
            "aliases": forms.Textarea(attrs={"rows": 4}),
            "editions": forms.Textarea(attrs={"rows": 6}),
            "requires": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aliases"].error_messages["required"] = ALIASES_REQUIRED

    def clean_aliases(self):
        aliases = _lines(self.cleaned_data.get("aliases", ""))
        if not aliases:
            raise forms.ValidationError(ALIASES_REQUIRED)
        return "\n".join(aliases)

    def clean_editions(self):
        lines = _lines(self.cleaned_data.get("editions", ""))
        problems = []
        seen: dict[int, int] = {}
        for number, line in enumerate(lines, start=1):
            match = EDITION_LINE.match(line)
            if match is None:
                problems.append(
                    f'line {number}, "{line}": write the edition, "=" and its year, as "14 = 2020"'
                )
                continue
            edition, year = int(match["edition"]), int(match["year"])
            if not EARLIEST_YEAR <= year <= LATEST_YEAR:
                problems.append(
                    f'line {number}, "{line}": {year} is not a year between {EARLIEST_YEAR} '
                    f"and {LATEST_YEAR}"
                )
            elif seen.get(edition, year) != year:
                problems.append(
                    f'line {number}, "{line}": edition {edition} is already given {seen[edition]}'
                )
            seen.setdefault(edition, year)
        if problems:
            raise forms.ValidationError([f"{problem}." for problem in problems])
        return "\n".join(f"{m['edition']} = {m['year']}" for m in map(EDITION_LINE.match, lines))

    def clean_first_year(self):
        year = self.cleaned_data.get("first_year")
        if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise forms.ValidationError(
                f"Write the year it happened or was first observed, between {EARLIEST_YEAR} "
                f"and {LATEST_YEAR}."
            )
        return year

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == AnchorEvent.Kind.ANNIVERSARY and data.get("first_year") is None:
            self.add_error(
                "first_year",
                "An anniversary needs the year it happened or was first observed: the 14th "
                "anniversary of an event first observed in 2005 dates a report to 2019.",
            )
        if kind == AnchorEvent.Kind.NUMBERED and "editions" in data and not data["editions"]:
            self.add_error(
                "editions",
                'A numbered meeting needs its editions, one per line, as "14 = 2020": '
                "without them no report can be dated by it.",
            )
        if kind == AnchorEvent.Kind.PERIOD and data.get("start") is None:
            self.add_error(
                "start",
                "A period needs the day it began (the seventh-mandate government: 2023-08-22): "
                '"the past six months of ..." counts from it.',
            )
        return data


@admin.register(AnchorEvent)
class AnchorEventAdmin(CuratedTextMixin, SimpleHistoryAdmin):
    form = AnchorEventForm
    list_display = ("name", "kind", "year_column", "aliases_column", "active", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("name", "aliases", "notes")
    ordering = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "aliases", "active")}),
        (
            "When it was (what the kind needs)",
            {
                "fields": ("first_year", "editions", "start"),
                "description": "An anniversary: the first year. A numbered meeting: its "
                "editions. A period: the day it began.",
            },
        ),
        (None, {"fields": ("requires", "notes")}),
    )

    @admin.display(description="dates reports by")
    def year_column(self, event):
        if event.kind == AnchorEvent.Kind.ANNIVERSARY:
            return f"first in {event.first_year}" if event.first_year else "-"
        if event.kind == AnchorEvent.Kind.PERIOD:
            return f"since {event.start:%Y-%m-%d}" if event.start else "-"
        editions = _lines(event.editions)
        return f"{len(editions)} editions" if editions else "-"

    @admin.display(description="aliases")
    def aliases_column(self, event):
        aliases = _lines(event.aliases)
        more = f" and {len(aliases) - 3} more" if len(aliases) > 3 else ""
        return ", ".join(aliases[:3]) + more
