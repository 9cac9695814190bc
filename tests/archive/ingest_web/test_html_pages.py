"""The outlet pages in tests/fixtures/pages: each sidecar is true to its page, and each page's
text, metadata and character set come out as the sidecar says."""

import datetime as dt
import html
import json

import pytest
from lxml.html import document_fromstring

from archive.ingest.charsets import decode_page
from archive.ingest.cleaning import clean_text
from archive.ingest.html import extract_page
from archive.ingest.metadata import canonical_fields, check_metadata
from tests.conftest import REPO_ROOT

PAGES = REPO_ROOT / "tests" / "fixtures" / "pages"
NAMES = sorted(path.name.removesuffix(".expected.json") for path in PAGES.glob("*.expected.json"))


def flat(text: str) -> str:
    return " ".join(text.split())


def expected(name: str) -> dict:
    return json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extracted():
    return {name: extract_page((PAGES / f"{name}.html").read_bytes()) for name in NAMES}


def test_the_fixtures_cover_the_languages_and_charsets_asked_for():
    sidecars = [expected(name) for name in NAMES]
    assert len(sidecars) >= 8
    languages = {sidecar["language"] for sidecar in sidecars}
    assert {"en", "km"} <= languages and languages & {"th", "vi"}
    kinds = {(sidecar["charset"], sidecar["charset_source"]) for sidecar in sidecars}
    assert ("cp1252", "meta") in kinds  # declared in a <meta> only
    assert ("utf-8", "detected") in kinds  # no charset declared at all
    assert ("utf-8", "bom") in kinds
    assert (PAGES / "km-pnlu-rescued-workers-bom.html").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("name", NAMES)
def test_the_sidecar_quotes_its_page_and_keeps_story_and_furniture_apart(name):
    sidecar = expected(name)
    source = decode_page((PAGES / f"{name}.html").read_bytes()).text
    # The page as written (an advert's alt text) and as read (a byline split by a link's tags).
    page = (
        flat(html.unescape(source)) + "\n" + flat(" ".join(document_fromstring(source).itertext()))
    )
    assert len(sidecar["body"]) >= 5 and len(sidecar["boilerplate"]) >= 10
    for paragraph in sidecar["body"] + sidecar["boilerplate"]:
        assert flat(paragraph) in page, paragraph
    for string in sidecar["boilerplate"]:
        assert not any(flat(string) in flat(paragraph) for paragraph in sidecar["body"]), string


@pytest.mark.parametrize("name", NAMES)
def test_the_story_is_kept_whole_in_paragraphs(name, extracted):
    paragraphs = [flat(block) for block in extracted[name].text.split("\n\n")]
    for paragraph in expected(name)["body"]:
        assert flat(paragraph) in paragraphs


@pytest.mark.parametrize("name", NAMES)
def test_the_metadata_and_charset_are_read(name, extracted):
    sidecar, page = expected(name), extracted[name]
    assert page.title == sidecar["title"]
    # As ingest takes them: from the page's metadata, else from a byline the cleaner reads.
    authors = page.authors or clean_text(page.text, given_title=page.title).authors
    assert list(authors) == sidecar["authors"]
    assert page.published == (
        dt.date.fromisoformat(sidecar["published"]) if sidecar["published"] else None
    )
    assert page.site_name == sidecar["site_name"]
    assert page.canonical_url == sidecar["canonical_url"]
    assert (page.charset, page.charset_source) == (sidecar["charset"], sidecar["charset_source"])


@pytest.mark.parametrize("name", NAMES)
def test_the_metadata_passes_ingest_checks(name, extracted):
    fields, unknown = canonical_fields(extracted[name].metadata())
    assert not unknown
    metadata = check_metadata(fields, today=dt.date(2025, 1, 1))
    assert metadata.title == expected(name)["title"]
    assert not metadata.language  # a page's declared language is a hint, never explicit


def test_names_keep_their_final_vowel_signs(extracted):
    # trafilatura's cleaning cut "ា" and "ี" (combining marks, not word characters).
    assert extracted["km-mekong-today-online-gambling"].authors == ("ចាន់ សុភា",)
    assert extracted["th-muangkrung-mule-accounts-cp874"].authors == ("สมศรี ใจดี",)


def test_a_title_that_puts_the_site_first_gives_the_headline(extracted):
    # <title>KNS | Customs officers intercept ...</title>, and the headline is an <h2>.
    assert extracted["en-kns-customs-timber"].title.startswith("Customs officers intercept")


def test_a_page_laid_out_in_tables_keeps_its_paragraphs_apart(extracted):
    text = extracted["en-kns-customs-timber"].text
    assert "|" not in text
    assert len(text.split("\n\n")) >= 5


def test_a_year_in_an_image_path_is_not_taken_for_a_date(extracted):
    # The BOM page states its date only in Khmer in its text ("images/news/2024/...").
    assert extracted["km-pnlu-rescued-workers-bom"].published is None


def test_a_khmer_site_declaring_its_theme_default_language_is_kept_as_declared(extracted):
    assert extracted["km-mekong-today-online-gambling"].language == "en-US"
    assert extracted["km-dap-counterfeit-medicine"].language == "km"


def test_a_byline_inside_the_story_is_left_for_the_cleaner_to_read(extracted):
    page = extracted["en-riverside-scam-trial-cp1252"]
    cleaned = clean_text(page.text, given_title=page.title)
    assert cleaned.authors == ("Sok Dara", "Jane Harlow")
    assert not cleaned.body.startswith(("By ", page.title))


@pytest.mark.parametrize("name", NAMES)
def test_the_fast_mode_keeps_the_story_too(name):
    page = extract_page((PAGES / f"{name}.html").read_bytes(), fast=True)
    paragraphs = [flat(block) for block in page.text.split("\n\n")]
    assert all(flat(paragraph) in paragraphs for paragraph in expected(name)["body"])
