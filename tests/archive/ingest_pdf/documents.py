"""The press releases the PDF tests read, and how their PDFs are made.

Every PDF is made here, from text written for these tests: a text PDF is an HTML page printed by
Debian's chromium (`page.pdf()`), a scanned one is a screenshot of such a page put into a PDF by
Pillow as a bare image, as a scanner's software would. Nothing is downloaded.

Khmer is written without spaces between words, only between phrases. So each Khmer phrase is
kept here as its words, which the page joins without a space: the words are then the list the
OCR tests look for, and the share of them OCR finds is its word accuracy.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.constants import UserAccessPermissions

# A scan at 300 dots per inch, the resolution scanners default to for text: an A4 page of
# 794 x 1123 CSS pixels (96 per inch) is screenshot at 300 / 96 times its size.
SCAN_DPI = 300
A4_CSS_PIXELS = {"width": 794, "height": 1123}
SCAN_SCALE = SCAN_DPI / 96


@dataclass(frozen=True)
class PressRelease:
    """A statement as a ministry or the police would publish it."""

    language: str  # the page's lang attribute
    issuer: str
    title: str
    # Paragraphs of phrases of words: ((("On", "the", ...),), ...) in English, where a paragraph
    # is one run of words; in Khmer a paragraph holds phrases, spaced, of unspaced words.
    paragraphs: tuple[tuple[tuple[str, ...], ...], ...]
    signed_by: str
    word_separator: str  # " " in English; nothing in Khmer

    @property
    def paragraph_texts(self) -> list[str]:
        """Return each paragraph as the page prints it."""
        return [
            " ".join(self.word_separator.join(words) for words in phrases)
            for phrases in self.paragraphs
        ]

    @property
    def words(self) -> list[str]:
        """Return every word of the body, in order."""
        return [word for phrases in self.paragraphs for words in phrases for word in words]


def _english(*sentences: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    return tuple((tuple(sentence.split()),) for sentence in sentences)


ENGLISH_RELEASE = PressRelease(
    language="en",
    issuer="National Police Commissariat, Anti-Drug Department",
    title="Press release: lorry stopped with methamphetamine hidden under rice",
    paragraphs=_english(
        "On the morning of 4 February 2026 officers of the provincial anti-drug police in "
        "Battambang stopped a lorry near the Kamrieng checkpoint and found forty kilograms "
        "of methamphetamine hidden beneath sacks of milled rice.",
        "The driver and his cousin were detained at the scene and will be sent to the "
        "provincial court once the questioning is complete.",
        "Customs officers helped the investigation, which continues along the northern "
        "border; anyone with information may call the hotline on 117.",
    ),
    signed_by="Deputy Commissioner Sok Vannak",
    word_separator=" ",
)

KHMER_RELEASE = PressRelease(
    language="km",
    issuer="ក្រសួងមហាផ្ទៃ អគ្គស្នងការដ្ឋាននគរបាលជាតិ",
    title="សេចក្តីប្រកាសព័ត៌មាន",
    paragraphs=(
        (
            ("នៅ", "ថ្ងៃ", "ទី", "១២", "ខែ", "មីនា", "ឆ្នាំ", "២០២៦"),
            (
                "មន្ត្រី",
                "នគរបាល",
                "ប្រឆាំង",
                "គ្រឿងញៀន",
                "ខេត្ត",
                "កំពត",
                "បាន",
                "ចាប់ខ្លួន",
                "ជនសង្ស័យ",
                "បី",
                "នាក់",
            ),
            ("នៅ", "ក្បែរ", "ផ្សារ", "ថ្មី", "ក្រុង", "កំពត"),
            ("ពាក់ព័ន្ធ", "នឹង", "ការ", "ជួញដូរ", "គ្រឿងញៀន", "ឆ្លង", "ដែន។"),
        ),
        (
            ("សមត្ថកិច្ច", "បាន", "រឹបអូស", "ម្សៅ", "ម៉ាទឹកកក", "ប្រមាណ", "ពីរ", "គីឡូក្រាម"),
            ("ម៉ូតូ", "ពីរ", "គ្រឿង", "និង", "ទូរស័ព្ទ", "ដៃ", "ប្រាំ", "គ្រឿង។"),
        ),
        (
            ("ជនសង្ស័យ", "ទាំងអស់", "ត្រូវ", "បាន", "បញ្ជូន", "ទៅ", "សាលាដំបូង", "ខេត្ត"),
            ("ដើម្បី", "ចាត់ការ", "តាម", "នីតិវិធី", "ច្បាប់។"),
        ),
        (
            ("ក្រសួង", "សូម", "អំពាវនាវ", "ដល់", "ប្រជាពលរដ្ឋ"),
            ("ឱ្យ", "ផ្តល់", "ព័ត៌មាន", "អំពី", "ការ", "ឆបោក", "តាម", "ទូរស័ព្ទ"),
            ("មក", "លេខ", "១១៧", "ដោយ", "មិន", "គិត", "ថ្លៃ។"),
        ),
    ),
    signed_by="ស្នងការរង សុខ វណ្ណៈ",
    word_separator="",
)

THAI_RELEASE = PressRelease(
    language="th",
    issuer="ตำรวจภูธรจังหวัดสระแก้ว",
    title="ข่าวประชาสัมพันธ์",
    paragraphs=(
        (
            ("เมื่อ", "วันที่", "5", "มีนาคม", "2569"),
            ("เจ้าหน้าที่", "ตำรวจ", "จับกุม", "ผู้ต้องหา", "สอง", "คน"),
            ("พร้อม", "ยาบ้า", "หนึ่ง", "แสน", "เม็ด"),
            ("ซึ่ง", "ซุกซ่อน", "อยู่", "ใน", "รถกระบะ"),
        ),
        (("ผู้ต้องหา", "ให้การ", "ว่า", "รับจ้าง", "ขน", "ยาเสพติด", "จาก", "ชายแดน"),),
    ),
    signed_by="พันตำรวจเอก สมชาย ใจดี",
    word_separator="",
)

# What pypdf writes into the Khmer text PDF's information dictionary.
KHMER_METADATA = {
    "/Title": "សេចក្តីប្រកាសព័ត៌មាន អំពីការជួញដូរគ្រឿងញៀន",
    "/Author": "អគ្គស្នងការដ្ឋាននគរបាលជាតិ; ការិយាល័យព័ត៌មាន",
    "/CreationDate": "D:20260312093000+07'00'",
}

# Families the archive's stylesheet names for these scripts, then a generic fallback.
_FONTS = {
    "km": "'Khmer OS', 'Noto Sans Khmer', serif",
    "th": "'Noto Sans Thai', sans-serif",
    "en": "'DejaVu Serif', serif",
}


def render_html(release: PressRelease) -> str:
    """Return the release as a printable page: letterhead, title, body, signature."""
    paragraphs = "".join(f"<p>{html.escape(text)}</p>" for text in release.paragraph_texts)
    return f"""<!doctype html>
<html lang="{release.language}"><head><meta charset="utf-8">
<title>{html.escape(release.title)}</title>
<style>
  @page {{ size: A4; margin: 20mm; }}
  body {{ font-family: {_FONTS[release.language]}; font-size: 15px; line-height: 1.9;
         color: #000; background: #fff; margin: 0; padding: 48px 64px; }}
  header {{ text-align: center; font-weight: bold; margin-bottom: 2em; }}
  h1 {{ font-size: 20px; text-align: center; }}
  .signature {{ text-align: right; margin-top: 3em; }}
</style></head>
<body>
<header>{html.escape(release.issuer)}</header>
<h1>{html.escape(release.title)}</h1>
{paragraphs}
<p class="signature">{html.escape(release.signed_by)}</p>
</body></html>"""


def print_pdf(browser, release: PressRelease) -> bytes:
    """Return the release printed to PDF by chromium: a PDF with a text layer."""
    page = browser.new_page()
    try:
        page.set_content(render_html(release))
        return page.pdf(format="A4", print_background=True)
    finally:
        page.close()


def screenshot_page(browser, release: PressRelease) -> bytes:
    """Return a PNG of the release as a 300 dpi scanner would capture an A4 sheet."""
    context = browser.new_context(viewport=A4_CSS_PIXELS, device_scale_factor=SCAN_SCALE)
    try:
        page = context.new_page()
        page.set_content(render_html(release))
        return page.screenshot(full_page=False)
    finally:
        context.close()


def image_only_pdf(*pngs: bytes) -> bytes:
    """Return a PDF whose pages are the given images and nothing else: no text layer."""
    pages = [Image.open(io.BytesIO(png)).convert("L") for png in pngs]
    output = io.BytesIO()
    pages[0].save(output, format="PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    return output.getvalue()


def with_metadata(pdf: bytes, metadata: dict[str, str]) -> bytes:
    """Return the PDF with its information dictionary replaced by `metadata`."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata(metadata)
    return _written(writer)


def encrypted(pdf: bytes, *, password: str) -> bytes:
    """Return the PDF encrypted so that it opens only with `password`."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    return _written(writer)


def restricted(pdf: bytes) -> bytes:
    """Return the PDF encrypted with an owner password only, allowing printing and nothing else
    (no editing, no copying), as statements are often published: anyone may open it, the user
    password being empty."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(
        user_password="",
        owner_password="no-editing",
        algorithm="AES-128",
        permissions_flag=UserAccessPermissions.PRINT,
    )
    return _written(writer)


def joined(*pdfs: bytes) -> bytes:
    """Return one PDF holding the pages of each of `pdfs` in turn."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    return _written(writer)


def without_pages() -> bytes:
    """Return a well-formed PDF with no page at all."""
    return _written(PdfWriter())


def truncated(pdf: bytes) -> bytes:
    """Return the first third of the PDF, as an interrupted download leaves it."""
    return pdf[: len(pdf) // 3]


def _written(writer: PdfWriter) -> bytes:
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
