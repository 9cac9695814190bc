"""Citations of a report: plain text (APA-like), BibTeX and RIS. Pure functions of the record
search.service.article_records.article_record makes, so the article page, its downloads and
the exports agree.

A citation names the original publication and its address when known, and always the archive's
permanent link with the date it was accessed, so a reader can find the text that was cited even
after the original moves.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MONTHS = "January February March April May June July August September October November December"
MONTH_NAMES = MONTHS.split()
BIBTEX_MONTHS = [name[:3].lower() for name in MONTH_NAMES]


def _date(record: dict) -> dt.date | None:
    return dt.date.fromisoformat(record["published_date"]) if record["published_date"] else None


def _source(record: dict) -> str:
    return record["source"]["name"] if record["source"] else ""


def _apa_author(name: str) -> str:
    """'Sok Chea' -> 'Chea, S.'; a single word or an organisation stays as given."""
    words = name.split()
    if len(words) < 2:
        return name
    initials = " ".join(f"{word[0]}." for word in words[:-1])
    return f"{words[-1]}, {initials}"


# A title ending in one of these already ends its sentence: no full stop after it.
_SENTENCE_ENDS = (".", "?", "!", "…")


def _sentence(title: str) -> str:
    """Return `title` ending a sentence: with a full stop unless it ends in . ? ! or …."""
    title = title.rstrip()
    return title if title.endswith(_SENTENCE_ENDS) else f"{title}."


def plain_citation(record: dict, *, archive_name: str, accessed: dt.date) -> str:
    """Return an APA-like reference: Author. (Date). Title. Source. URL. Archived copy."""
    date = _date(record)
    when = (
        f"{date.year}, {MONTH_NAMES[date.month - 1]} {date.day}"
        if date
        else str(record["year"] or "n.d.")
    )
    title = _sentence(record["title"])
    authors = [_apa_author(name) for name in record["authors"]]
    if len(authors) > 1:
        author_text = ", ".join(authors[:-1]) + ", & " + authors[-1]
    else:
        author_text = "".join(authors)
    parts = [f"{author_text} ({when}). {title}" if author_text else f"{title} ({when})."]
    if _source(record):
        parts.append(f"{_source(record)}.")
    if record["original_url"]:
        parts.append(record["original_url"])
    parts.append(
        f"Archived in {archive_name}: {record['url']} (accessed {accessed.day} "
        f"{MONTH_NAMES[accessed.month - 1]} {accessed.year})."
    )
    return " ".join(parts)


# --- BibTeX --------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts every brace, escaped or not, so one stray brace in a
    # title would end the field early.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    """Escape LaTeX's special characters and fold whitespace; braces stay balanced."""
    text = " ".join(text.split())
    return _BIBTEX_SPECIAL_RE.sub(lambda match: _BIBTEX_SPECIAL[match.group()], text)


def bibtex_url(url: str) -> str:
    """URLs go verbatim (the url package reads them raw) but must not break the braces."""
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def citation_key(record: dict) -> str:
    """Return a key like 'vod2022police-123': source, year, first title word, id."""

    def ascii_word(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]", "", folded.lower())

    source = ascii_word(record["source"]["slug"]) if record["source"] else "report"
    words = [ascii_word(word) for word in record["title"].split()]
    first = next((word for word in words if len(word) > 3), "") or next(
        (word for word in words if word), ""
    )
    return f"{source}{record['year'] or 'nd'}{first}-{record['id']}"


def bibtex_entry(record: dict, *, archive_name: str, accessed: dt.date) -> str:
    date = _date(record)
    fields = [("title", "{" + bibtex_escape(record["title"]) + "}")]
    if record["authors"]:
        fields.append(("author", " and ".join(bibtex_escape(a) for a in record["authors"])))
    if _source(record):
        fields.append(("journal", bibtex_escape(_source(record))))
    if record["year"]:
        fields.append(("year", str(record["year"])))
    if date:
        fields.append(("month", BIBTEX_MONTHS[date.month - 1]))
        fields.append(("date", date.isoformat()))
    fields.append(("url", bibtex_url(record["original_url"] or record["url"])))
    fields.append(("urldate", accessed.isoformat()))
    note = f"Archived in {archive_name}: {record['url']}"
    fields.append(("note", bibtex_escape(note)))
    if record.get("language"):
        fields.append(("language", bibtex_escape(record["language"])))
    lines = [f"@article{{{citation_key(record)},"]
    for name, value in fields:
        # Months are BibTeX macros (no braces); everything else is a braced string.
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibtex_comment(lines: list[str]) -> str:
    """Return a BibTeX @comment block (for export provenance); braces are kept balanced."""
    body = "\n".join(
        "  " + " ".join(line.replace("{", "(").replace("}", ")").split()) for line in lines
    )
    return "@comment{\n" + body + "\n}\n"


# --- RIS -----------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    # A value is one line: a newline would start a new (invalid) tag.
    return f"{tag}  - {' '.join(str(value).split())}"


def ris_entry(record: dict, *, archive_name: str, accessed: dt.date, provenance: str = "") -> str:
    date = _date(record)
    lines = [_ris_line("TY", "NEWS"), _ris_line("TI", record["title"])]
    lines += [_ris_line("AU", author) for author in record["authors"]]
    if record["year"]:
        lines.append(_ris_line("PY", str(record["year"])))
    if date:
        lines.append(_ris_line("DA", date.strftime("%Y/%m/%d/")))
    if _source(record):
        lines.append(_ris_line("T2", _source(record)))
    if record["original_url"]:
        lines.append(_ris_line("UR", record["original_url"]))
    lines.append(_ris_line("UR", record["url"]))
    lines.append(_ris_line("Y2", accessed.strftime("%Y/%m/%d/")))
    lines.append(_ris_line("DB", archive_name))
    lines.append(_ris_line("ID", str(record["id"])))
    if record.get("language"):
        lines.append(_ris_line("LA", record["language"]))
    for key in ("countries", "ministries", "crime_types"):
        lines += [
            _ris_line("KW", tag["name"]) for tag in record.get(key, []) if tag["role"] == "subject"
        ]
    if provenance:
        lines.append(_ris_line("N1", provenance))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"
