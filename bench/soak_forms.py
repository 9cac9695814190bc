"""What a curator's browser does with admin pages, as pure functions of their HTML.

    forms = parse_forms(html)            # every <form>: its attributes and the fields it submits
    fields = forms["article_form"].fields  # [("title", "..."), ("country_tags-0-status", ...)]
    edit = plan_edit(fields, article_id=12, marker="zxabc...q", options=..., rng=rng)
    edit.fields  # what to POST back; edit.title and edit.live_tags: the state it asks for

Fields are submitted as a browser would: text, hidden and number inputs always; checkboxes and
radios when checked; a select's selected options (a single select with none selected sends its
first); textareas without the one newline that follows the opening tag (HTML drops it, Django's
template writes it). Buttons are left out: the caller names the one it presses. Inline
formsets' template rows (`__prefix__`) are left out too: Django ignores them anyway.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

CSRF_FIELD = "csrfmiddlewaretoken"
# Inline formset prefixes on the article's change page (the tags' related names) and the field
# naming each row's taxonomy entry.
TAG_INLINES = {
    "country": ("country_tags", "country"),
    "ministry": ("ministry_tags", "ministry"),
    "crime_type": ("crime_type_tags", "crime_type"),
}
LIVE, REJECTED, CONFIRMED = "live", "rejected", "confirmed"
# A marker is a made-up word the soak appends to a title (bench.http_load.fresh_word's shape):
# letters only, so the search tokenizer keeps it whole and no stemmer shortens it.
MARKER = re.compile(r"\bzx[a-z]{11}q\b")
TITLE_MAX_CHARS = 500  # Article.title
_SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}
_ARTICLE_CHANGE = re.compile(r"/admin/archive/article/(\d+)/change/")


@dataclass
class Form:
    attributes: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str, default: str | None = None) -> str | None:
        """Return the first value submitted under `name`."""
        return next((value for key, value in self.fields if key == name), default)


@dataclass
class _Select:
    name: str
    multiple: bool
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.errors: list[str] = []
        self._form: Form | None = None
        self._select: _Select | None = None
        self._option: list | None = None  # [value or None, selected, text parts]
        self._textarea: tuple[str, list[str]] | None = None
        self._error_depth = 0  # inside <ul class="errorlist"> or <p class="errornote">
        self._error_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        classes = attributes.get("class", "").split()
        if self._error_depth:
            self._error_depth += tag not in ("br", "input", "img")
        elif ("errorlist" in classes and tag == "ul") or ("errornote" in classes):
            self._error_depth, self._error_text = 1, []
        if tag == "form":
            self._form = Form(attributes)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(attributes)
        elif tag == "select" and not _disabled(attributes):
            self._select = _Select(attributes.get("name", ""), "multiple" in attributes)
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), "selected" in attributes, []]
        elif tag == "textarea" and not _disabled(attributes):
            self._textarea = (attributes.get("name", ""), [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("input", "br", "img"):
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._option is not None:
            self._option[2].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._error_depth:
            self._error_text.append(data)

    def handle_endtag(self, tag):
        if self._error_depth and tag not in ("br", "input", "img"):
            self._error_depth -= 1
            if not self._error_depth:
                text = " ".join(" ".join(self._error_text).split())
                if text:
                    self.errors.append(text)
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append(
                (" ".join("".join(text).split()) if value is None else value, selected)
            )
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # HTML drops one newline right after <textarea>; Django's template writes one.
            text = text[1:] if text.startswith("\n") else text
            self._add(name, text)
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _input(self, attributes):
        kind = attributes.get("type", "text").lower()
        if kind in _SKIPPED_INPUTS or _disabled(attributes):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attributes:
                self._add(attributes.get("name", ""), attributes.get("value") or "on")
            return
        self._add(attributes.get("name", ""), attributes.get("value", ""))

    def _close_select(self):
        select, self._select = self._select, None
        chosen = [value for value, selected in select.options if selected]
        if not select.multiple:
            # A single select always sends one value: the last selected, else the first option.
            chosen = chosen[-1:] or [value for value, _ in select.options[:1]]
        for value in chosen:
            self._add(select.name, value)

    def _add(self, name: str, value: str):
        if self._form is not None and name and "__prefix__" not in name:
            self._form.fields.append((name, value))


def _disabled(attributes: Mapping[str, str]) -> bool:
    return "disabled" in attributes


def parse_forms(html: str) -> dict[str, Form]:
    """Return the page's forms by id (forms without one as "form-<n>", n counting from 0)."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return {
        form.attributes.get("id") or f"form-{number}": form
        for number, form in enumerate(parser.forms)
    }


def form_errors(html: str) -> list[str]:
    """Return the text of each error list and error note on a page (a form sent back to fix)."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.errors


def review_decisions(html: str) -> list[tuple[int, str]]:
    """Return the review queue's buttons as (article id, the button's `decide` value).

    Each button belongs to the article whose change link came last before it: the queue draws
    the link, then that article's Confirm all / Reject all, then its proposals' buttons.
    """
    decisions = []
    current = None
    for match in re.finditer(
        r'/admin/archive/article/(\d+)/change/|name="decide" value="([^"]+)"', html
    ):
        if match[1]:
            current = int(match[1])
        elif current is not None:
            decisions.append((current, match[2]))
    return decisions


def autocomplete_choices(payload: bytes | str) -> tuple[list[tuple[int, str]], bool]:
    """Return an admin autocomplete answer's (id, label) choices and whether more pages follow."""
    data = json.loads(payload)
    choices = [(int(item["id"]), item["text"]) for item in data["results"]]
    return choices, bool(data.get("pagination", {}).get("more"))


# --- Planning an edit -------------------------------------------------------------------------


@dataclass(frozen=True)
class TagRow:
    index: int  # the row's number in its formset
    target: int  # the taxonomy entry's id
    status: str  # proposed, confirmed or rejected


@dataclass(frozen=True)
class Edit:
    fields: list[tuple[str, str]]  # the form to POST, the pressed button included
    title: str
    live_tags: dict[str, frozenset[int]]  # kind -> entries tagged and not rejected, afterwards
    change: str  # what was done, for the log: "+country 12", "-crime_type 4", "title only"


def tag_rows(fields: Sequence[tuple[str, str]], kind: str) -> list[TagRow]:
    """Return the rows of one tag inline as the form holds them."""
    prefix, target_field = TAG_INLINES[kind]
    values = dict(fields)
    total = int(values.get(f"{prefix}-TOTAL_FORMS", "0"))
    rows = []
    for index in range(total):
        target = values.get(f"{prefix}-{index}-{target_field}", "")
        if target:
            rows.append(TagRow(index, int(target), values.get(f"{prefix}-{index}-status", "")))
    return rows


def live_tags(fields: Sequence[tuple[str, str]]) -> dict[str, frozenset[int]]:
    """Return, per kind, the entries the form's tag rows hold and do not reject."""
    return {
        kind: frozenset(row.target for row in tag_rows(fields, kind) if row.status != REJECTED)
        for kind in TAG_INLINES
    }


def title_with_marker(title: str, marker: str) -> str:
    """Return the title with earlier markers removed and this one appended (within 500 chars)."""
    if not MARKER.fullmatch(marker):
        raise ValueError(f"{marker!r} is not a marker word: zx, eleven letters, q")
    base = " ".join(MARKER.sub(" ", title).split())
    return f"{base[: TITLE_MAX_CHARS - len(marker) - 1]} {marker}".strip()


def plan_edit(
    fields: Sequence[tuple[str, str]],
    *,
    article_id: int,
    marker: str,
    options: Mapping[str, Sequence[int]],
    rng: random.Random,
) -> Edit:
    """Return the change form with a new title marker and one tag added, rejected or restored.

    The kind is drawn at random among those where some change is possible. Adding picks an
    entry from `options` (kind -> selectable ids) that has no row yet (a row per entry is the
    rule); rejecting marks a live row rejected (curators cannot delete tags); restoring
    confirms a rejected one. New rows are confirmed subjects, so the index's subject facets
    show them.
    """
    values = list(fields)
    title = title_with_marker(dict(values).get("title", ""), marker)
    values = _replaced(values, "title", title)
    moves = []
    for kind in TAG_INLINES:
        rows = tag_rows(values, kind)
        present = {row.target for row in rows}
        addable = sorted(set(options.get(kind, ())) - present)
        if addable:
            moves.append((kind, "add", rng.choice(addable)))
        live = [row for row in rows if row.status != REJECTED]
        if live:
            moves.append((kind, "reject", rng.choice(live)))
        rejected = [row for row in rows if row.status == REJECTED]
        if rejected:
            moves.append((kind, "restore", rng.choice(rejected)))
    change = "title only"
    if moves:
        kind, move, what = rng.choice(moves)
        prefix, target_field = TAG_INLINES[kind]
        if move == "add":
            total = int(dict(values)[f"{prefix}-TOTAL_FORMS"])
            values = _replaced(values, f"{prefix}-TOTAL_FORMS", str(total + 1))
            values += [
                (f"{prefix}-{total}-id", ""),
                (f"{prefix}-{total}-article", str(article_id)),
                (f"{prefix}-{total}-{target_field}", str(what)),
                (f"{prefix}-{total}-role", "subject"),
                (f"{prefix}-{total}-status", CONFIRMED),
            ]
            change = f"+{kind} {what}"
        else:
            status = REJECTED if move == "reject" else CONFIRMED
            values = _replaced(values, f"{prefix}-{what.index}-status", status)
            change = f"{'-' if move == 'reject' else '~'}{kind} {what.target}"
    values = [(name, value) for name, value in values if name != "_save"] + [("_save", "Save")]
    return Edit(fields=values, title=title, live_tags=live_tags(values), change=change)


def _replaced(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    if not any(key == name for key, _ in fields):
        raise KeyError(f"the form has no field {name!r}: is this the article's change form?")
    return [(key, value if key == name else old) for key, old in fields]
