"""extract_page: what it refuses and why, how it lays out the text, and what it reads."""

import datetime as dt
import json

import pytest
from lxml.html import document_fromstring

from archive.ingest.html import ExtractedPage, extract_page, unwrap_layout_tables
from archive.ingest.records import IngestError

PARAGRAPHS = [
    "Police in Kampot province detained three men on Tuesday after finding 12 kilograms of "
    "methamphetamine in a fishing boat moored at the port, the provincial police chief said.",
    "The men, all from Koh Kong, told officers they had been paid $300 each to carry the "
    "packages from an island off the coast and had not known what the bags held.",
    "Prosecutors charged them with drug trafficking on Thursday. The boat's owner has not been "
    "found, and police said they were seeking a warrant for his arrest.",
]


def article_page(paragraphs=PARAGRAPHS, *, head="", extra="") -> bytes:
    story = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Three held over boat drugs haul</title>{head}</head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        f"<article><h1>Three held over boat drugs haul</h1>{story}{extra}</article>"
        "<footer><p>© 2024 Coast Daily. All rights reserved.</p></footer></body></html>"
    ).encode()


def reason(data: bytes) -> str:
    with pytest.raises(IngestError) as raised:
        extract_page(data)
    return str(raised.value)


def test_a_zero_byte_page_is_refused():
    assert "the page is empty (0 bytes)" in reason(b"")


def test_a_page_of_white_space_is_refused():
    assert "white space" in reason(b" \r\n\t ")


def test_a_page_that_is_only_a_script_is_refused_with_what_to_do():
    data = (
        b"<!doctype html><html><head><title>Loading</title><script src='/app.js'></script>"
        b"</head><body><div id='root'></div><script>render(document.getElementById('root'))"
        b"</script><noscript>You need to enable JavaScript to run this app.</noscript>"
        b"</body></html>"
    )
    message = reason(data)
    assert "only scripts" in message and "save it from a browser" in message


def test_broken_html_with_no_text_is_refused():
    message = reason(b"<html><body><div><table><tr><td></td></tr></table><p></div></body>")
    assert "no readable text" in message


def test_a_page_too_short_to_be_a_report_is_refused():
    message = reason(article_page(["Subscribe to read this story."]))
    assert "too short to be a report" in message and "Subscribe to read" in message


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"%PDF-1.7\n1 0 obj <<>> endobj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip-compressed"),
        (json.dumps({"title": "Raid", "body": "Police raided"}).encode(), "it is JSON"),
        (b"Police raided a casino in Poipet.\nForty people were held.", "no HTML tags"),
    ],
)
def test_a_body_that_is_not_html_is_refused_saying_what_it_is(data, said):
    message = reason(data)
    assert "not an HTML page" in message and said in message


def test_the_text_has_one_paragraph_a_block_with_blank_lines_between():
    page = extract_page(article_page())
    # The headline inside <article> comes first; the cleaner drops it, being the title.
    assert page.text.split("\n\n") == ["Three held over boat drugs haul", *PARAGRAPHS]


def test_a_line_break_inside_a_paragraph_stays_a_single_line_break():
    address = "Kampot Provincial Police<br>Anti-Drug Office<br>Telephone hotline 1288 for tip-offs"
    lines = [*PARAGRAPHS[:2], address]
    page = extract_page(article_page(lines))
    assert page.text.split("\n\n")[-1] == (
        "Kampot Provincial Police\nAnti-Drug Office\nTelephone hotline 1288 for tip-offs"
    )


def test_comments_are_left_out():
    comments = (
        "<section id='comments' class='comments'><h3>Comments</h3><div class='comment'>"
        "<p>Well done to the police in Kampot, keep going and catch the boss next time.</p>"
        "</div></section>"
    )
    page = extract_page(article_page(extra=comments))
    assert "Well done" not in page.text


def test_metadata_is_read_from_the_markup():
    head = (
        '<meta property="og:site_name" content="Coast Daily">'
        '<link rel="canonical" href="/2024/03/05/boat-drugs">'
        '<meta property="article:published_time" content="2024-03-05T08:00:00+07:00">'
        '<meta name="author" content="Meas Sothea">'
        '<meta name="description" content="Three men held after drugs found in boat.">'
    )
    page = extract_page(article_page(head=head), url="https://coastdaily.example/x?utm=1")
    assert page.title == "Three held over boat drugs haul"
    assert page.site_name == "Coast Daily"
    assert page.canonical_url == "https://coastdaily.example/2024/03/05/boat-drugs"
    assert page.published == dt.date(2024, 3, 5)
    assert page.authors == ("Meas Sothea",)
    assert page.description == "Three men held after drugs found in boat."
    assert page.language == "en"


def test_a_page_without_a_canonical_link_has_the_address_it_was_captured_at():
    page = extract_page(article_page(), url="https://coastdaily.example/story/1")
    assert page.canonical_url == "https://coastdaily.example/story/1"


def test_a_hostname_is_not_taken_for_the_site_name():
    page = extract_page(article_page(), url="https://coastdaily.example/story/1")
    assert page.site_name == ""


def test_the_charset_hint_from_http_is_used_and_said():
    data = (
        article_page()
        .replace(b"<meta charset='utf-8'>", b"")
        .replace(b"Police in Kampot", "Police in Kâmpôt".encode("cp1252"))
    )
    page = extract_page(data, charset_hint="windows-1252")
    assert (page.charset, page.charset_source) == ("cp1252", "http-header")
    assert "Kâmpôt" in page.text


def test_metadata_gives_ingest_fields_and_leaves_out_what_is_empty():
    page = ExtractedPage(
        text="...",
        title="Raid",
        authors=("A B",),
        published=dt.date(2024, 1, 2),
        site_name="",
        language="km",
        canonical_url="https://x.example/1",
        charset="utf-8",
        charset_source="meta",
    )
    assert page.metadata() == {
        "title": "Raid",
        "url": "https://x.example/1",
        "authors": ["A B"],
        "published": dt.date(2024, 1, 2),
    }


def test_a_table_laying_out_the_page_becomes_blocks_and_a_data_table_stays():
    tree = document_fromstring(
        "<html><body><table id='layout'><tr><td><div>menu</div></td><td>"
        "<p>Story.</p><table id='data'><tr><th>Drug</th><th>Kilograms</th></tr>"
        "<tr><td>Methamphetamine</td><td>12</td></tr></table></td></tr></table></body></html>"
    )
    unwrap_layout_tables(tree)
    assert tree.xpath("//*[@id='layout']")[0].tag == "div"
    assert [element.tag for element in tree.xpath("//*[@id='data']//*")] == [
        "tr", "th", "th", "tr", "td", "td",
    ]  # fmt: skip
    assert tree.xpath("//*[@id='data']")[0].tag == "table"


def test_a_table_of_figures_in_a_story_is_kept():
    table = (
        "<table><tr><th>Province</th><th>Cases</th></tr><tr><td>Kampot</td><td>41</td></tr>"
        "<tr><td>Kep</td><td>9</td></tr></table>"
    )
    page = extract_page(article_page(extra=table))
    assert "Kampot" in page.text and "41" in page.text
