"""From a web page's bytes to text: which character set, and who said so.

The order is the one browsers follow (the HTML standard's "encoding sniffing"): a byte order mark,
then the charset the HTTP response declared (a WARC capture keeps its headers), then the page's
own <meta charset> or <meta http-equiv="Content-Type">, then a guess. The guess first tries
strict UTF-8 (almost every page is UTF-8, and text that decodes as UTF-8 is almost never
anything else), then charset_normalizer on the page's text with its markup taken out.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Where the charset came from, as DecodedPage.charset_source says it.
FROM_BOM = "bom"
FROM_HTTP_HEADER = "http-header"
FROM_META = "meta"
DETECTED = "detected"

# The HTML standard reads only the first 1,024 bytes for <meta charset>; saved pages often carry
# a long comment, inline style or JSON-LD first, and browsers then re-read the page when a later
# <meta> turns up in the head. 64 KiB covers a head of that kind.
META_SCAN_BYTES = 64 * 1024
# The detector only needs a sample of the text; its time grows with what it is given.
DETECTOR_SAMPLE_BYTES = 32 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# Labels the Encoding Standard (and so every browser) decodes with a wider Windows code page:
# a page that says ISO-8859-1 routinely holds Windows curly quotes (bytes 0x93 and 0x94), and a
# Thai page that says TIS-620 uses Windows-874's extra letters and punctuation.
_BROWSER_SUPERSETS = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "l1": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "tis620": "cp874",
    "iso-8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
}
# A page cannot declare these in its own bytes (the standard reads such a <meta> as UTF-8): a
# UTF-16 page starts with its byte order mark, which is looked at first.
_NOT_DECLARABLE_IN_META = {"utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-be", "utf-32-le"}

# <meta charset="x">, and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
# <?xml version="1.0" encoding="x"?> opening an XHTML page.
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# What the detector should not see: tags are ASCII and dilute the text it samples.
_TAG = re.compile(rb"<[^<>]{0,2000}>")
_CODE_OPENING = re.compile(rb"<(script|style)\b")  # searched in the lowered page


@dataclass(frozen=True)
class DecodedPage:
    text: str
    charset: str  # Python's name for the codec used: "utf-8", "cp1252", "cp874"...
    charset_source: str  # FROM_BOM, FROM_HTTP_HEADER, FROM_META or DETECTED
    replaced_characters: int = 0  # bytes the codec could not read, shown as U+FFFD


def decode_page(data: bytes, *, charset_hint: str = "") -> DecodedPage:
    """Return the page's text and how its character set was chosen.

    `charset_hint` is the charset an HTTP Content-Type header gave, when there was one.
    """
    for bom, charset in _BOMS:
        if data.startswith(bom):
            return _decoded(data[len(bom) :], charset, FROM_BOM)
    if charset := codec_for(charset_hint):
        return _decoded(data, charset, FROM_HTTP_HEADER)
    if charset := declared_charset(data):
        return _decoded(data, charset, FROM_META)
    return _decoded(data, detect_charset(data), DETECTED)


def codec_for(label: str) -> str:
    """Return the codec a browser would use for a charset label, or "" for an unknown label."""
    label = label.strip().strip("\"'").lower()
    if not label:
        return ""
    label = _BROWSER_SUPERSETS.get(label, label)
    if windows := re.fullmatch(r"(?:windows|x-cp|cp)[-_]?(\d{3,4})", label):
        label = f"cp{windows[1]}"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def charset_from_content_type(content_type: str) -> str:
    """Return the charset a Content-Type value names ("text/html; charset=UTF-8" -> "UTF-8")."""
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match[1] if match else ""


def declared_charset(data: bytes) -> str:
    """Return the codec the page's <meta> (or XML declaration) names, or "" when none usable."""
    head = data[:META_SCAN_BYTES]
    for match in (_XML_ENCODING.match(head), *_META_CHARSET.finditer(head)):
        if match and (charset := codec_for(match[1].decode("ascii"))):
            return "utf-8" if charset in _NOT_DECLARABLE_IN_META else charset
    return ""


def detect_charset(data: bytes) -> str:
    """Return the codec the bytes most likely use: UTF-8 when they are valid UTF-8, else a guess."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = from_bytes(_text_sample(data)).best()
    return (codec_for(best.encoding) if best else "") or "utf-8"


def _decoded(data: bytes, charset: str, source: str) -> DecodedPage:
    try:
        return DecodedPage(data.decode(charset), charset, source)
    except UnicodeDecodeError:
        text = data.decode(charset, errors="replace")
        return DecodedPage(text, charset, source, replaced_characters=text.count("\ufffd"))


def _text_sample(data: bytes) -> bytes:
    """Return up to DETECTOR_SAMPLE_BYTES of the page's text: no scripts, styles or tags."""
    lowered = data.lower()
    pieces: list[bytes] = []
    size = position = 0
    # A scan with find() rather than one regular expression: a page of many unclosed <script>
    # tags would make a lazy "<script.*?</script>" pattern quadratic.
    while size < DETECTOR_SAMPLE_BYTES and position < len(data):
        opening = _CODE_OPENING.search(lowered, position)
        piece = _TAG.sub(b" ", data[position : opening.start() if opening else len(data)])
        pieces.append(piece)
        size += len(piece)
        if not opening:
            break
        closing = lowered.find(b"</" + opening[1], opening.end())
        position = len(data) if closing < 0 else closing + len(opening[1]) + 2
    sample = b"".join(pieces)[:DETECTOR_SAMPLE_BYTES]
    return sample if sample.strip() else data[:DETECTOR_SAMPLE_BYTES]
