"""Turn a scraped news text into a clean body, keeping account of everything removed.

Scraped reports carry page furniture around the story: advert banners ("cellcard cellcard
cellcard"), a byline with share buttons ("Khuon Narim / Khmer Times Share:"), "3 min read",
photo captions with credits, "Previous Article / Next Article" links to other headlines, and a
copyright footer. The cleaner works paragraph by paragraph and only removes a paragraph whose
whole shape is furniture, so a sentence of the story is never cut. Bylines and footers that name
an author or a publication are read for metadata on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.ingest.records import Removal
from archive.taxonomy import normalize_name
from archive.text import sentence_spans

# A headline is a short single line without closing punctuation.
HEADLINE_MAX_WORDS = 25
HEADLINE_MAX_CHARS = 200
# Captions, bylines and navigation links are short; a long paragraph is always story.
CAPTION_MAX_WORDS = 45
# A title taken from the lead is cut at a word boundary near this length.
DERIVED_TITLE_MAX_CHARS = 110
# Bylines are only looked for among the first few paragraphs.
BYLINE_SEARCH_DEPTH = 4

_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}"
# "and" joins names only as a word of its own: inside "AandB" it would let the pattern split a
# run of such letters in exponentially many ways, and a byline-shaped line of 120 characters
# would take hours to reject.
_NAMES = rf"{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*"
# "Khuon Narim / Khmer Times Share:" and "By Jane Doe | Phnom Penh Post"
_BYLINE_SLASH = re.compile(
    rf"^(?P<authors>{_NAMES})\s+[/|]\s+(?P<source>[A-Z][\w .&'’-]{{1,60}}?)\s*(?:Share:?)?$"
)
_BYLINE_BY = re.compile(
    rf"^By\s+(?P<authors>{_NAMES})(?:\s*[,|/–—-]\s*(?P<source>[A-Z][\w .&'’-]{{1,60}}?))?"
    r"\s*(?:Share:?)?$"
)
_READ_TIME = re.compile(r"^\d{1,3}\s*(?:min|mins|minute|minutes)\.?\s+read$", re.IGNORECASE)
_SHARE = re.compile(
    r"^(?:share:?|share this(?: article| story)?:?|tweet|share on (?:facebook|twitter|telegram)"
    r"|follow us on .{1,40}|print|email)$",
    re.IGNORECASE,
)
_ADVERT_WORDS = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ads?|scroll to continue(?: with "
    r"content)?|subscribe(?: now)?|click here to subscribe)$",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(
    r"^(?:(?:previous|next)\s+(?:article|story|post)|read more|related(?: articles| news| "
    r"stories)?|more from .{1,40}|you may also like|recommended(?: for you)?):?$",
    re.IGNORECASE,
)
# A credit ending a caption: "KT/Siv Channa", "Photo: Jane Doe", "(Sar Kheng's Facebook page)"
_CREDIT_SLASH = re.compile(r"\b[A-Z]{2,6}\s*/\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}$")
# "Photo" in the region's press: Khmer រូបថត and រូបភាព, Thai ภาพ and ภาพถ่าย, Vietnamese ảnh.
_PHOTO_WORDS = r"photo|photos|picture|file photo|ảnh|រូបថត|រូបភាព|ภาพ|ภาพถ่าย"
# One of these stands, lower-cased, in every paragraph _CREDIT_PHOTO matches.
_PHOTO_WORD_STEMS = ("photo", "picture", "ảnh", "រូប", "ภาพ")
_CREDIT_PHOTO = re.compile(
    rf"\b(?:{_PHOTO_WORDS})(?:\s+by)?\s*[:៖]?\s+[^\W\d_][^.]{{1,60}}$", re.IGNORECASE
)
_CREDIT_PAREN = re.compile(
    rf"\((?=[^()]*(?:\b(?:{_PHOTO_WORDS}|photograph|facebook|twitter|telegram|file|supplied|"
    r"courtesy|credit|screenshot|screengrab|handout)\b|\b(?:AFP|AP|EPA|Reuters|Xinhua|VNA|KT)\b))"
    r"[^()]{1,80}\)$",
    re.IGNORECASE,
)
# "(R)", "(L)", "(centre)", "(second left)": a caption describing who stands where.
_POSITION_MARK = re.compile(
    r"\((?:L|R|C|left|right|centre|center|front|back|(?:second|third)\s+(?:from\s+)?"
    r"(?:left|right))\)"
)
_FOOTER = re.compile(
    r"no part of this (?:article|story|publication) may be reproduced|all rights reserved|"
    r"^(?:©|\(c\)|copyright)\s",
    re.IGNORECASE,
)
# One of these stands, lower-cased, in every paragraph _FOOTER matches.
_FOOTER_WORDS = ("no part of this", "all rights reserved", "©", "(c)", "copyright")
# The publication a footer names: "VOD. No part of ...", "© 2022 Khmer Times. All rights ..."
_FOOTER_SOURCE = re.compile(
    r"^(?:(?:©|\(c\)|copyright)\s*(?:\d{4}\s+)?)?(?P<source>[A-Z][\w&'’ -]{1,40}?)\s*[.,]\s",
    re.IGNORECASE,
)
# A wire dateline naming its agency: "PHNOM PENH, March 3 (Xinhua) --".
_DATELINE_SOURCE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40},[^()\n]{0,40}\((?P<source>[A-Z][A-Za-z .-]{1,30})\)\s*(?:--|—|–)"
)
_CLOSING_PUNCTUATION = tuple('.!?:;,"”’)…')
# Control characters other than line breaks (a tab, an escape, DEL) are noise in a body that is
# shown, indexed and exported; each becomes a space. The raw text keeps them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class CleanedText:
    body: str
    title: str
    title_derived: bool
    authors: tuple[str, ...] = ()
    source_name: str = ""
    removals: tuple[Removal, ...] = ()


def clean_text(raw: str, *, given_title: str = "") -> CleanedText:
    """Return the story's body, its title and any byline metadata found in `raw`.

    With a `given_title` (from the record's metadata) the text's headline is not guessed: a
    leading paragraph is removed as the headline only when it repeats that title, so a short
    first paragraph of the story ("Second suspect arrested in Kampot") stays.
    """
    paragraphs = split_paragraphs(raw)
    kept: list[str] = []
    removals: list[Removal] = []
    title = ""
    authors: tuple[str, ...] = ()
    source_name = ""
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        story_started = bool(kept)
        kind = furniture_kind(paragraph)
        if kind:
            removals.append(Removal(kind, paragraph))
        elif (
            not story_started and index < BYLINE_SEARCH_DEPTH and (byline := read_byline(paragraph))
        ):
            authors, byline_source = byline
            source_name = source_name or byline_source
            removals.append(Removal("byline", paragraph))
        elif (
            not story_started
            and not title
            and (
                _repeats(paragraph, given_title)
                if given_title
                else _is_headline(paragraph, paragraphs[index + 1 :])
            )
        ):
            title = paragraph.lstrip("#").strip()
            removals.append(Removal("headline", paragraph))
        elif story_started and _NAVIGATION.match(paragraph):
            # The marker and the headlines of the other stories it links to.
            removals.append(Removal("navigation", paragraph))
            while index + 1 < len(paragraphs) and _is_link_text(paragraphs[index + 1]):
                index += 1
                removals.append(Removal("navigation", paragraphs[index]))
        elif story_started and _is_footer(paragraph):
            removals.append(Removal("footer", paragraph))
            source_name = source_name or _footer_source(paragraph)
        else:
            kept.append(paragraph)
        index += 1
    if kept and not source_name and (dateline := _DATELINE_SOURCE.match(kept[0])):
        source_name = dateline["source"].strip()
    title_derived = not title and bool(kept)
    if title_derived:
        title = derive_title(kept[0])
    return CleanedText(
        body="\n\n".join(kept),
        title=title,
        title_derived=title_derived,
        authors=authors,
        source_name=source_name,
        removals=tuple(removals),
    )


def split_paragraphs(raw: str) -> list[str]:
    """Return the text's paragraphs, stripped, with hard-wrapped lines joined back together.

    News text is mostly one paragraph per line (with or without blank lines between), but a
    hand-written Markdown file may wrap lines; a line that does not end a sentence and is
    followed by one starting in lower case is taken as wrapped. Every line break Unicode knows
    (CR, LF, U+2028, a form feed...) ends a line; no paragraph holds a control character.
    """
    lines = [_CONTROL_CHARACTERS.sub(" ", line).strip() for line in raw.splitlines()]
    paragraphs: list[str] = []
    continues_previous = False
    for line in lines:
        if not line:
            continues_previous = False
            continue
        if continues_previous and paragraphs and line[0].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        continues_previous = not line.endswith(_CLOSING_PUNCTUATION)
    return paragraphs


def furniture_kind(paragraph: str) -> str:
    """Return what page furniture this paragraph is ("advert", "caption", ...), or ""."""
    if _is_repeated_word(paragraph) or _ADVERT_WORDS.match(paragraph):
        return "advert"
    if _READ_TIME.match(paragraph):
        return "read_time"
    if _SHARE.match(paragraph):
        return "share"
    if _is_caption(paragraph):
        return "caption"
    return ""


def read_byline(paragraph: str) -> tuple[tuple[str, ...], str] | None:
    """Return (authors, publication) when the paragraph is a byline, else None."""
    match = _BYLINE_BY.match(paragraph) or _BYLINE_SLASH.match(paragraph)
    if not match:
        return None
    authors = tuple(
        name.strip()
        for name in re.split(r"\s*(?:,|\band\b|&)\s*", match["authors"])
        if name.strip()
    )
    return authors, (match["source"] or "").strip()


def derive_title(lead: str) -> str:
    """Return the lead's first sentence, shortened at a word boundary when it is long."""
    sentence = first_sentence(lead)
    if len(sentence) <= DERIVED_TITLE_MAX_CHARS:
        return sentence.rstrip(".")
    cut = sentence[:DERIVED_TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return f"{cut}…"


def first_sentence(text: str) -> str:
    spans = sentence_spans(text)
    return text[spans[0][0] : spans[0][1]].strip() if spans else text.strip()


def _is_repeated_word(paragraph: str) -> bool:
    # Advert slots often render as the advertiser's name repeated: "cellcard cellcard cellcard".
    words = paragraph.casefold().split()
    return len(words) >= 2 and len(set(words)) == 1


def _is_caption(paragraph: str) -> bool:
    words = paragraph.split()
    if len(words) > CAPTION_MAX_WORDS or paragraph.endswith(('"', "”")):
        return False
    # The credits' slash and brackets, looked for first: most paragraphs hold neither, and a
    # substring test costs far less than a pattern's search.
    slash, bracket = "/" in paragraph, "(" in paragraph
    if (slash and _CREDIT_SLASH.search(paragraph)) or (bracket and _CREDIT_PAREN.search(paragraph)):
        return True
    if (
        not paragraph.endswith(".")
        and any(word in paragraph.lower() for word in _PHOTO_WORD_STEMS)
        and _CREDIT_PHOTO.search(paragraph)
    ):
        return True
    return (
        bracket
        and bool(_POSITION_MARK.search(paragraph))
        and not paragraph.endswith(_CLOSING_PUNCTUATION)
    )


def _is_footer(paragraph: str) -> bool:
    # Words the footer pattern needs, looked for first: a substring test costs far less than
    # the pattern's search, and story paragraphs hold none of them.
    lowered = paragraph.lower()
    if not any(word in lowered for word in _FOOTER_WORDS):
        return False
    return _FOOTER.search(paragraph) is not None


def _is_headline(paragraph: str, following: list[str]) -> bool:
    if paragraph.startswith("# "):
        return True
    words = paragraph.split()
    return (
        bool(following)
        and len(words) <= HEADLINE_MAX_WORDS
        and len(paragraph) <= HEADLINE_MAX_CHARS
        and not paragraph.endswith(_CLOSING_PUNCTUATION)
        and not paragraph[0].islower()
    )


def _repeats(paragraph: str, title: str) -> bool:
    """Return whether a paragraph is the given title again (case, spacing, quotes, a Markdown
    '#' and closing punctuation aside)."""
    return _title_key(paragraph) == _title_key(title)


def _title_key(text: str) -> str:
    return " ".join(normalize_name(text.lstrip("#")).rstrip(".!?:").split())


def _is_link_text(paragraph: str) -> bool:
    """A navigation marker or a linked headline after one (short, no full stop)."""
    if _NAVIGATION.match(paragraph):
        return True
    return len(paragraph.split()) <= HEADLINE_MAX_WORDS and not paragraph.endswith((".", "”", '"'))


def _footer_source(paragraph: str) -> str:
    match = _FOOTER_SOURCE.match(paragraph)
    if not match:
        return ""
    name = match["source"].strip()
    if _FOOTER.search(name + " ") or name.casefold() in {"no part", "all rights", "copyright"}:
        return ""
    return name
