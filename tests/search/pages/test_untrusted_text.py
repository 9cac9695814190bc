"""Article text is untrusted: markup in a report's title, body, source, author or address reaches
no page, feed, API answer or export where a browser, feed reader or spreadsheet would run it.

The hostile report comes in through the real ingest path (a JSON file), as a crawled page would.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.urls import reverse

from archive.ingest.batch import ingest_paths
from archive.models import Article, Source
from search.exports.downloads import FORMATS
from search.index.sync import apply_pending
from tests import factories
from tests.search.test_hostile_queries import assert_no_injected_markup

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
LINK = '<a href="javascript:alert(3)">details</a>'
HOSTILE_RECORD = {
    # Words that a search highlights sit right against the markup.
    "title": f'{SCRIPT}Casino{IMAGE} crackdown "><svg onload=alert(4)>',
    "body": (
        f"Police raided a casino{SCRIPT}near the border. {IMAGE}Casino owners were arrested "
        f"and {LINK} gamblers detained. The casino<b onmouseover=alert(5)>manager</b> fled."
    ),
    "source": "<b onmouseover=alert(6)>Evil Gazette</b>",
    "author": "<svg onload=alert(7)>",
    "url": "https://example.org/raid?a=<script>alert(8)</script>",
    "published": "2021-06-03",
    "country": "Cambodia",
    "crime_type": "gambling",
}
# Where the markup would have run had it been copied through.
ESCAPED_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile(tmp_path, search_index):
    """One hostile report, ingested from a file; the index updated as ingest does."""
    records = [HOSTILE_RECORD, {**HOSTILE_RECORD, "url": "javascript:alert(9)", "body": "Other."}]
    (tmp_path / "hostile.json").write_text(json.dumps(records))
    report = ingest_paths([tmp_path])
    # Ingest keeps only web addresses: a javascript: URL never becomes an article.
    assert report.created == 1
    assert "not an http(s) address" in report.skipped[0].reason
    apply_pending()
    article = Article.objects.get()
    assert article.title.startswith(SCRIPT)  # stored exactly as received: data is data
    return article


def page(client, path, params=None) -> str:
    response = client.get(path, params or {}, follow=True)  # /articles/ is the search page
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert_no_injected_markup(content)
    return content


def test_the_search_page_escapes_text_around_highlights(client, hostile):
    content = page(client, "/", {"q": "casino owners"})
    assert "<mark>Casino</mark>" in content and "<mark>casino</mark>" in content
    assert ESCAPED_TITLE in content  # shown, as text
    assert "&lt;img src=x onerror=alert(2)&gt;" in content


@pytest.mark.parametrize("query", ["manager", "border", "gamblers details", "evil gazette"])
def test_every_highlighted_passage_is_escaped(client, hostile, query):
    page(client, "/", {"q": query})


def test_facet_labels_and_chips_escape_a_hostile_source_name(client, hostile):
    source = Source.objects.get(name=HOSTILE_RECORD["source"])
    content = page(client, "/", {"source": source.slug})
    assert "&lt;b onmouseover=alert(6)&gt;Evil Gazette&lt;/b&gt;" in content


def test_the_article_page_escapes_every_field(client, hostile):
    content = page(client, hostile.get_absolute_url())
    assert ESCAPED_TITLE in content and "&lt;svg onload=alert(7)&gt;" in content


def test_a_non_web_address_is_never_a_link(client, search_index):
    """Ingest refuses it, but an address may still arrive by another way (an older import, a
    database edit): the page shows it as text, never as a link."""
    for address in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "ftp://x"]:
        article = factories.make_article(title="Casino", url=address)
        content = page(client, article.get_absolute_url())
        assert f'href="{address}' not in content
        assert "(not a web address)" in content  # still shown, as text


def test_a_web_address_is_a_link(client, search_index):
    article = factories.make_article(title="Casino", url="https://example.org/a?b=1&c=2")
    assert 'href="https://example.org/a?b=1&amp;c=2"' in page(client, article.get_absolute_url())


@pytest.mark.parametrize(
    "path",
    [
        reverse("archive:article_list"),
        reverse("search:browse"),
        reverse("search:overview"),
        reverse("search:tag_page", args=["country", "KH"]),
        reverse("search:tag_page", args=["crime_type", "gambling"]),
    ],
)
def test_lists_and_browse_pages_escape_titles_and_sources(client, hostile, path):
    page(client, path)


def test_the_article_list_escapes_a_hostile_source_filter(client, hostile):
    source = Source.objects.get(name=HOSTILE_RECORD["source"])
    content = page(client, reverse("archive:article_list"), {"source": source.slug})
    assert ESCAPED_TITLE in content


ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_carries_text_a_reader_shows_as_text(client, hostile):
    response = client.get(reverse("search:feed"), {"q": "casino"})
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    (entry,) = feed.findall(f"{ATOM}entry")
    for element in entry.iter():
        kind = element.get("type", "text")
        if kind == "html":
            # A reader renders this as HTML: the report's markup must be escaped inside it.
            assert_no_injected_markup(element.text or "")
            assert "&lt;script&gt;" in element.text
        else:
            assert kind == "text", element.tag  # plain text: shown as written, never run
    assert entry.find(f"{ATOM}title").text.startswith(SCRIPT)


def test_control_characters_in_a_report_leave_the_feed_well_formed(client, search_index):
    factories.make_article(title="Casino\x0bnews\x01", body="Casino\x08 raid\x1f.", authors="A\x02")
    apply_pending()
    response = client.get(reverse("search:feed"), {"q": "casino"})
    assert response.status_code == 200
    (entry,) = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Casinonews"


def test_api_answers_are_json_data_and_highlights_escaped(client, hostile):
    response = client.get(reverse("search:api_search"), {"q": "casino"})
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    (result,) = response.json()["results"]
    assert result["title"] == hostile.title  # data, exactly
    assert result["highlighted_title"].startswith(ESCAPED_TITLE)
    assert_no_injected_markup(result["highlighted_title"] + " ".join(result["highlights"]))
    article = client.get(reverse("search:api_article", args=[hostile.pk]))
    assert article["Content-Type"] == "application/json"
    assert article["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_exports_are_never_served_as_a_page(client, hostile, fmt):
    response = client.get(reverse("search:export", args=[fmt]), {"q": "casino"})
    assert response.status_code == 200
    assert not response["Content-Type"].startswith(("text/html", "application/xhtml"))
    assert response["X-Content-Type-Options"] == "nosniff"  # no browser guesses it is HTML
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    if fmt == "zip":
        content = zipfile.ZipFile(io.BytesIO(content)).read("reports.csv")
    assert "Casino" in content.decode()


@pytest.mark.parametrize("fmt", ["bib", "ris", "txt"])
def test_citation_files_and_raw_text_are_never_served_as_a_page(client, hostile, fmt):
    for path in [
        reverse("archive:article_citation", args=[hostile.pk, fmt]),
        reverse("archive:article_raw", args=[hostile.pk]),
    ]:
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(("text/plain", "application/x-"))
        assert response["X-Content-Type-Options"] == "nosniff"


# --- CSV: what a spreadsheet would run ------------------------------------------------------

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def csv_export(client, query: str) -> list[dict]:
    response = client.get(reverse("search:export", args=["csv"]), {"q": query})
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_csv_cell_a_spreadsheet_would_run_is_neutralised(client, search_index, start):
    factories.make_article(
        title=f'{start}HYPERLINK("http://evil","casino")',
        body=f"{start}1+1 casino",
        authors=f"{start}cmd|' /C calc'!A0",
    )
    apply_pending()
    (row,) = csv_export(client, "casino")
    assert row["title"].startswith("'" + start) and row["body"].startswith("'" + start)
    # Authors are split into names, each stripped: a leading tab or return is gone either way.
    assert not row["authors"].startswith(tuple(FORMULA_STARTS)) and "calc" in row["authors"]
    record = json.loads(
        b"".join(client.get(reverse("search:export", args=["json"]), {"q": "casino"}))
    )["articles"][0]
    assert record["title"].startswith(start)  # JSON keeps the value exactly


# A spreadsheet splits a line at the comma, or, in other locales and import dialogs, at a
# semicolon, a tab or a bar; some honour quotes, some do not.
DELIMITERS = [",", ";", "\t", "|"]


def cells_a_spreadsheet_may_see(text: str) -> list[str]:
    cells = []
    for delimiter in DELIMITERS:
        for line in text.splitlines():
            cells += line.split(delimiter)  # quotes ignored
        cells += [
            cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row
        ]
    return cells


def test_no_csv_cell_starts_a_formula_whatever_the_delimiter(client, search_index):
    factories.make_article(
        title="Raid;=cmd|' /C calc'!A0",
        body='Casino boss said: "a|@SUM(1)" and then, -2+3 and\t=1+1;+A1',
        authors="Dara;=HYPERLINK(1)",
    )
    apply_pending()
    response = client.get(reverse("search:export", args=["csv"]), {"q": "casino"})
    text = b"".join(response.streaming_content).decode()
    for cell in cells_a_spreadsheet_may_see(text):
        assert not cell.lstrip(' "').startswith(tuple(FORMULA_STARTS)), cell
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["title"] == "Raid;'=cmd|' /C calc'!A0"  # read with commas: the text, defused
    record = json.loads(
        b"".join(client.get(reverse("search:export", args=["json"]), {"q": "casino"}))
    )["articles"][0]
    assert record["title"] == "Raid;=cmd|' /C calc'!A0"  # JSON keeps the value exactly


def test_prose_keeps_its_quotes_and_lines_in_the_csv(client, search_index):
    """Only a piece that would start a formula is changed: quoted speech after a comma stays
    as written, and a line that opens with a formula after a line break is defused."""
    factories.make_article(
        title='Casino raid: he said, "we found 12 machines"',
        body='Police said, "the raid went well".\n=1+1 was written on a wall.',
    )
    apply_pending()
    (row,) = csv_export(client, "casino")
    assert row["title"] == 'Casino raid: he said, "we found 12 machines"'
    assert row["body"] == 'Police said, "the raid went well".\n\'=1+1 was written on a wall.'


def test_a_hostile_query_never_reaches_the_csv(client, hostile):
    """The search is described beside the CSV (datapackage.json), not in it: a query with
    formulas and commas cannot open a cell."""
    query = 'casino,=HYPERLINK("http://evil"),+1,-1,@SUM(1), "=1+1"'
    response = client.get(reverse("search:export", args=["csv"]), {"q": query, "country": "KH"})
    text = b"".join(response.streaming_content).decode()
    assert "HYPERLINK" not in text
    for cell in cells_a_spreadsheet_may_see(text):
        assert not cell.lstrip(' "').startswith(tuple(FORMULA_STARTS)), cell
    described = client.get(reverse("search:export", args=["datapackage.json"]), {"q": query})
    assert "HYPERLINK" in described.json()["provenance"]["search"]["query"]


# --- Right-to-left overrides ----------------------------------------------------------------

OVERRIDE_TITLE = "Raid \u202etxt.exe\u202c in Poipet"


def test_text_that_may_reverse_is_isolated_wherever_it_is_shown(client, admin_client, search_index):
    source = factories.make_source("\u202eemiT sremhK")
    article = factories.make_article(title=OVERRIDE_TITLE, body="A casino raid.", source=source)
    apply_pending()
    results = client.get("/", {"q": "casino"}).content.decode()
    shown = results.replace("<mark>", "").replace("</mark>", "")
    # Isolated, and marked with the report's language (lang="en").
    lang = f'lang="{article.language}"'
    assert f'<bdi {lang}><a href="{article.get_absolute_url()}">{OVERRIDE_TITLE}</a></bdi>' in shown
    assert "<bdi>· \u202eemiT sremhK</bdi>" in results
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<h1 dir="auto" {lang}>{OVERRIDE_TITLE}</h1>' in page
    assert f'<div class="body" dir="auto" {lang}>' in page
    listing = admin_client.get(reverse("admin:archive_article_changelist")).content.decode()
    assert f"<bdi>{OVERRIDE_TITLE}</bdi>" in listing
