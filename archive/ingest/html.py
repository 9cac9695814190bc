"""A saved or captured web page -> its main text and metadata. Pure: bytes in, a dataclass out.

trafilatura finds the story among the page furniture (menus, adverts, cookie banners, share
buttons, related-article lists, comments, footers) and reads the metadata (title, authors, site
name, canonical address); htmldate, which it calls, finds the publication date. We decode the
bytes ourselves (archive/ingest/charsets.py), since trafilatura guesses without looking at
<meta charset>, and we check what it is given and what it gives back, so a page that cannot
become a report fails with a reason.

The text is laid out for the cleaner (archive/ingest/cleaning.py): one block of the article
(paragraph, heading, list, quote, table) per paragraph, blank lines between them, a line break
inside a block kept as one. trafilatura leaves out figures and their captions; a byline written
inside the article's text stays, and the cleaner reads it as it reads any scraped byline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from archive.ingest.charsets import decode_page
from archive.ingest.non_articles import word_count
from archive.ingest.records import IngestError

# A page whose main text has fewer words than this is an index, a login wall, a gallery or an
# error page rather than a report: the shortest briefs in the seeds run to about thirty words.
# (Khmer, Thai, Lao, Burmese and Chinese words are estimated from their letters, as elsewhere.)
MIN_MAIN_TEXT_WORDS = 15
SHOWN_CHARS = 60
# Elements whose text a reader never sees on the page.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head"})

# Files that are plainly something else, told by their first bytes.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .wacz file is one)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"WARC/", "a WARC web archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
# Markup that only HTML has: a doctype, or one of the tags every page or fragment is made of.
_HTML_MARKUP = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|span|h[1-6]|"
    r"table|script|style|a|br|ul|li|img|link)\b",
    re.IGNORECASE,
)
# Where the markup must show: pages start with it (after a BOM, white space or a comment).
HTML_SNIFF_CHARS = 4096
# A table whose cells hold these is the page's layout (older CMSs and government sites lay out
# whole pages in tables), not a table of data: trafilatura would flatten the article inside it
# into one table row.
_BLOCKS_IN_LAYOUT_CELLS = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "form",
    "article",
    "section",
]
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
# "<site> | <headline>" in <title>, split as trafilatura splits it.
_TITLE_PARTS = re.compile(r"^(.+?)\s+[–•·—|⁄*⋆~‹«<›»>:-]\s+(.+)$")
# A title of this few words that is one half of <title> is the site's name, not a headline.
SITE_NAME_MAX_WORDS = 3


@dataclass(frozen=True)
class ExtractedPage:
    """What a web page says, read with trafilatura and htmldate; empty values mean "not found"."""

    text: str  # the main text: paragraphs separated by a blank line
    title: str
    authors: tuple[str, ...]
    published: dt.date | None
    site_name: str  # as the page names its publication ("The Mekong Ledger"), never a hostname
    language: str  # as the page declares it ("en-US", "km"); often a theme's default: a hint
    canonical_url: str  # the page's canonical address, else the `url` given, else ""
    charset: str  # the codec the bytes were decoded with ("utf-8", "cp1252", "cp874")
    charset_source: str  # "bom", "http-header", "meta" or "detected" (charsets.FROM_...)
    description: str = ""
    sections: tuple[str, ...] = ()  # the site's categories for the page ("National")
    tags: tuple[str, ...] = ()
    replaced_characters: int = 0  # bytes the charset could not decode (shown as U+FFFD)

    def metadata(self) -> dict[str, object]:
        """Return the explicit fields (ingest's names) this page gives, for RawRecord.metadata.

        The declared language is left out: many sites declare their theme's default (a Khmer
        WordPress site says lang="en-US"), and explicit metadata would win over the language
        identified from the text itself.
        """
        fields: dict[str, object] = {
            "title": self.title,
            "url": self.canonical_url,
            "source": self.site_name,
            "authors": list(self.authors),
            "published": self.published,
        }
        return {name: value for name, value in fields.items() if value not in ("", [], None)}


def extract_page(
    data: bytes, *, url: str = "", charset_hint: str = "", fast: bool = False
) -> ExtractedPage:
    """Return the main text and metadata of the HTML page in `data`.

    `url` is where the page was captured (it resolves a relative canonical link and helps the
    date search); `charset_hint` is the charset an HTTP header declared. `fast` skips
    trafilatura's second opinions (readability and jusText, run when its own extraction looks
    thin): about half the time on a 100 KB page (bench/extraction.py), the same text on our
    fixture pages, less recall on hard pages by trafilatura's own evaluation. Raises
    IngestError saying what is wrong and what to do when the page holds no report.
    """
    if not data.strip():
        raise IngestError(
            f"the page is empty ({len(data)} bytes{'' if not data else ' of white space'}): "
            "the capture or download holds nothing; fetch or save the page again"
        )
    _refuse_known_formats(data)
    decoded = decode_page(data, charset_hint=charset_hint)
    if not _HTML_MARKUP.search(decoded.text, 0, HTML_SNIFF_CHARS):
        raise IngestError(
            "not an HTML page: no HTML tags at its start; a plain-text report should be named "
            ".txt, and a page should be saved as HTML (File > Save Page As in a browser)"
        )
    tree = load_html(decoded.text)
    if tree is None or not _has_visible_text(tree):
        raise IngestError(_why_no_text(tree))
    unwrap_layout_tables(tree)
    document = bare_extraction(
        tree,
        url=url or None,
        fast=fast,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        # Dates from the markup only (meta tags, JSON-LD, <time>, the address): htmldate's
        # extensive search guesses from any year in the page ("images/2024/..." became 1
        # January 2024). A date written in the text is the tagger's to read
        # (archive/tagging/dates.py), with the confidence it deserves.
        date_extraction_params=set_date_params(extensive=False),
    )
    text = _main_text(document.body) if document is not None else ""
    if not text:
        raise IngestError(
            "no main text found: the extractor found nothing in the page that reads as an "
            "article (an index, gallery or search page?); check the page shows the report"
        )
    if (words := word_count(text)) < MIN_MAIN_TEXT_WORDS:
        raise IngestError(
            f"the page's main text is too short to be a report ({words} words: {_shown(text)}); "
            "it may be an index, a paywall or an error page: check the page shows the report"
        )
    return ExtractedPage(
        text=text,
        title=_headline(_one_line(document.title), tree),
        authors=_authors(document.author, decoded.text),
        published=_date(document.date),
        site_name=_site_name(document.sitename, document.hostname),
        language=declared_language(tree),
        canonical_url=_canonical_url(tree, document.url, url),
        charset=decoded.charset,
        charset_source=decoded.charset_source,
        description=_one_line(document.description),
        sections=tuple(_one_line(name) for name in document.categories or () if name.strip()),
        tags=tuple(_one_line(name) for name in document.tags or () if name.strip()),
        replaced_characters=decoded.replaced_characters,
    )


def declared_language(tree: HtmlElement) -> str:
    """Return the language the page declares (<html lang>, Content-Language, og:locale), or ""."""
    root = tree.getroottree().getroot()
    candidates = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.insert(2, meta.get("content"))
        elif meta.get("property") == "og:locale":
            candidates.append(meta.get("content"))
    for candidate in candidates:
        code = (candidate or "").split(",")[0].strip().replace("_", "-")
        if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", code):
            return code
    return ""


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn tables that lay out the page into plain blocks (in place); data tables stay."""
    cells = " or ".join(f"self::{tag}" for tag in ("td", "th"))
    blocks = " or ".join(f"self::{tag}" for tag in _BLOCKS_IN_LAYOUT_CELLS)
    for table in list(tree.iter("table")):
        if table.tag == "table" and table.xpath(f".//*[{cells}]/*[{blocks}]"):
            # Only this table's own rows and cells; a table inside a cell is judged by itself.
            own = [part for part in table.iter(*_TABLE_PARTS) if _nearest_table(part) is table]
            for element in own:
                element.tag = "div"


def _nearest_table(element: HtmlElement) -> HtmlElement | None:
    return next(element.iterancestors("table"), None) if element.tag != "table" else element


def _headline(title: str, tree: HtmlElement) -> str:
    """Return the page's headline: trafilatura takes "KNS" from "<title>KNS | Customs ...</title>"
    when the page has no single <h1>; a CMS that puts the site's name first does that."""
    found = tree.find(".//head/title")
    page_title = _one_line(found.text_content()) if found is not None else ""
    parts = _TITLE_PARTS.match(page_title)
    if (
        parts
        and title == parts[1]
        and word_count(title) <= SITE_NAME_MAX_WORDS
        and len(parts[2]) > len(title)
    ):
        return parts[2]
    return title


def _refuse_known_formats(data: bytes) -> None:
    start = data.lstrip()[:16]
    for signature, name in _SIGNATURES:
        if start.startswith(signature):
            raise IngestError(
                f"not an HTML page: it is {name}; give the file its own extension, or capture "
                "the HTML page itself"
            )
    if start[:1] in (b"{", b"["):
        try:
            json.loads(data)
        except ValueError:
            return
        raise IngestError(
            "not an HTML page: it is JSON (an API response?); name it .json to import its records"
        )


def _has_visible_text(tree: HtmlElement) -> bool:
    # A walk that stops at the first text a reader would see: on a real page that is within
    # the first few elements, where an XPath over every text node took 3 ms on 100 KB.
    for element in tree.iter():
        hidden = any(ancestor.tag in _INVISIBLE for ancestor in element.iterancestors())
        if hidden:
            continue
        if element.tag not in _INVISIBLE and isinstance(element.tag, str) and _shows(element.text):
            return True
        if _shows(element.tail):
            return True
    return False


def _shows(text: str | None) -> bool:
    return bool(text and not text.isspace())


def _why_no_text(tree: HtmlElement | None) -> str:
    if tree is not None and tree.find(".//script") is not None:
        return (
            "the page holds only scripts and no text: it is drawn in the browser by JavaScript; "
            "save it from a browser once it has loaded, or capture it with a tool that runs "
            "pages (Browsertrix)"
        )
    return (
        "the page holds no readable text (broken or empty HTML): check the file is a whole "
        "saved page, or fetch it again"
    )


def _main_text(body: HtmlElement | None) -> str:
    """Return the extracted article, one block a paragraph, blank lines between them."""
    if body is None:
        return ""
    blocks = (xmltotxt(block, False).strip() for block in body)
    return "\n\n".join(block for block in blocks if block)


def _authors(value: str | None, page_text: str) -> tuple[str, ...]:
    # trafilatura joins several authors with "; ".
    names = (_with_final_marks(_one_line(name), page_text) for name in (value or "").split(";"))
    return tuple(dict.fromkeys(name for name in names if name))


def _with_final_marks(name: str, page_text: str) -> str:
    """Return the name with the vowel signs trafilatura cut from its end, read from the page.

    Its name cleaning strips what is not a word character from a name's end, and Khmer, Thai,
    Lao and Burmese vowel signs are combining marks, not word characters: "ចាន់ សុភា" came out
    as "ចាន់ សុភ". The page still holds the name whole.
    """
    if not name:
        return name
    start = page_text.find(name)
    while start >= 0:
        end = start + len(name)
        while end < len(page_text) and unicodedata.category(page_text[end]).startswith("M"):
            end += 1
        if end > start + len(name):
            return page_text[start:end]
        start = page_text.find(name, start + 1)
    return name


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _site_name(name: str | None, hostname: str | None) -> str:
    """Return the publication's name; trafilatura falls back on the address, which is not one."""
    name = _one_line(name)
    if not name or name == hostname or re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", name):
        return ""
    return name


def _canonical_url(tree: HtmlElement, found: str | None, given: str) -> str:
    """Return the page's canonical address: <link rel=canonical>, og:url, what trafilatura found
    (which drops a relative canonical link for the address it was given), else `given`."""
    declared = [
        *tree.xpath("//link[@rel='canonical']/@href"),
        *tree.xpath("//meta[@property='og:url']/@content"),
        found or "",
    ]
    for candidate in declared:
        address = urljoin(given, _one_line(candidate)) if given else _one_line(candidate)
        if re.match(r"https?://\S+$", address):
            return address
    return given


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")
