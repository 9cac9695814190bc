"""Citations parse in the tools researchers use, and survive awkward titles unchanged."""

import datetime as dt
import re

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from search.exports.citations import (
    bibtex_comment,
    bibtex_entry,
    citation_key,
    plain_citation,
    ris_entry,
)
from tests import factories

ACCESSED = dt.date(2026, 11, 21)
OPTIONS = {"archive_name": "Enforcement Reports Archive", "accessed": ACCESSED}

AWKWARD_TITLES = [
    "Police seize 50% of {meth} & $2m in cash_#1 ~ raid^2 \\ end",
    "Unbalanced } brace { here }}",
    "Sihanoukville: ‘Scam compounds’ raided — 1,200 rescued (Khmer: ក្រសួងមហាផ្ទៃ)",
    'Quotes "inside" and a newline\nin the title',
]


def record(**overrides) -> dict:
    base = {
        "id": 42,
        "url": "https://reports.example.org/articles/42/",
        "title": "Police raid casino in Poipet",
        "published_date": "2022-05-03",
        "year": 2022,
        "source": {"id": 1, "name": "VOD English", "slug": "vod"},
        "authors": ["Sok Chea", "Mech Dara"],
        "original_url": "https://vodenglish.news/raid?id=1&x={y}",
        "language": "en",
        "countries": [{"name": "Cambodia", "role": "subject"}],
        "ministries": [],
        "crime_types": [
            {"name": "Gambling", "role": "subject"},
            {"name": "Kidnapping", "role": "mention"},
        ],
    }
    base.update(overrides)
    return base


_UNESCAPE = {
    r"\textbackslash{}": "\\",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\#": "#",
    r"\$": "$",
    r"\%": "%",
    r"\&": "&",
    r"\_": "_",
}


def unescape(text: str) -> str:
    pattern = re.compile("|".join(re.escape(key) for key in _UNESCAPE))
    return pattern.sub(lambda match: _UNESCAPE[match.group()], text)


@pytest.mark.parametrize("title", AWKWARD_TITLES)
def test_bibtex_round_trips_through_a_parser(title):
    entry = bibtex_entry(record(title=title), **OPTIONS)
    (parsed,) = bibtexparser.loads(entry).entries
    assert parsed["ENTRYTYPE"] == "article"
    assert parsed["ID"] == citation_key(record(title=title))
    # The title is double-braced to keep its capitals; inside, the text comes back exactly
    # (whitespace folded, as a citation is one line).
    assert parsed["title"].startswith("{") and parsed["title"].endswith("}")
    assert unescape(parsed["title"][1:-1]) == " ".join(title.split())
    assert parsed["author"] == "Sok Chea and Mech Dara"
    assert parsed["journal"] == "VOD English"
    assert parsed["year"] == "2022"
    assert parsed["month"] == "May"  # the parser expands BibTeX's month macro
    assert parsed["date"] == "2022-05-03"
    assert parsed["url"] == "https://vodenglish.news/raid?id=1&x=%7By%7D"
    assert parsed["urldate"] == "2026-11-21"
    assert "https://reports.example.org/articles/42/" in parsed["note"]


def test_bibtex_without_author_date_or_source_still_parses():
    entry = bibtex_entry(
        record(authors=[], source=None, published_date=None, year=None, original_url=None),
        **OPTIONS,
    )
    (parsed,) = bibtexparser.loads(entry).entries
    assert "author" not in parsed and "year" not in parsed and "month" not in parsed
    assert parsed["url"] == "https://reports.example.org/articles/42/"
    assert parsed["ID"] == "report" + "nd" + "police-42"


def test_a_bibtex_comment_keeps_braces_balanced():
    text = bibtex_comment(["search: {broken", "query: a } b"]) + bibtex_entry(record(), **OPTIONS)
    assert len(bibtexparser.loads(text).entries) == 1


@pytest.mark.parametrize("title", AWKWARD_TITLES)
def test_ris_parses_with_every_field(title):
    text = ris_entry(record(title=title), provenance="Exported on 2026-11-21", **OPTIONS)
    (parsed,) = rispy.loads(text)
    assert parsed["type_of_reference"] == "NEWS"
    assert parsed["title"] == " ".join(title.split())
    assert parsed["authors"] == ["Sok Chea", "Mech Dara"]
    assert parsed["year"] == "2022"
    assert parsed["date"] == "2022/05/03/"
    assert parsed["secondary_title"] == "VOD English"
    assert parsed["urls"] == [
        "https://vodenglish.news/raid?id=1&x={y}",
        "https://reports.example.org/articles/42/",
    ]
    assert parsed["access_date"] == "2026/11/21/"
    assert parsed["name_of_database"] == "Enforcement Reports Archive"
    assert parsed["keywords"] == ["Cambodia", "Gambling"]  # subjects only
    assert parsed["notes"] == ["Exported on 2026-11-21"]
    # Every line is a tag line: a value never spills onto a line of its own.
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in text.splitlines())


def test_plain_citation_reads_like_apa():
    assert plain_citation(record(), **OPTIONS) == (
        "Chea, S., & Dara, M. (2022, May 3). Police raid casino in Poipet. VOD English. "
        "https://vodenglish.news/raid?id=1&x={y} Archived in Enforcement Reports Archive: "
        "https://reports.example.org/articles/42/ (accessed 21 November 2026)."
    )
    anonymous = plain_citation(
        record(authors=[], published_date=None, original_url=None), **OPTIONS
    )
    assert anonymous.startswith("Police raid casino in Poipet. (2022). VOD English. Archived")


@pytest.mark.parametrize(
    ("title", "cited"),
    [
        ("Police raid casino in Poipet.", "Police raid casino in Poipet. VOD"),
        ("Who runs the scam compounds?", "Who runs the scam compounds? VOD"),
        ("Raid!", "Raid! VOD"),
        ("Police say the ring led to…", "Police say the ring led to… VOD"),
    ],
)
def test_a_title_that_ends_a_sentence_gets_no_second_full_stop(title, cited):
    assert cited in plain_citation(record(title=title), **OPTIONS)


@pytest.mark.django_db
def test_article_page_offers_citations_and_downloads(client, search_index):
    source = factories.make_source("Citation Test News", slug="ctn")
    article = factories.make_article(
        title="Police raid casino in Poipet", source=source, year=2022, authors="Sok Chea"
    )
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert page.context["citations"]["text"].startswith("Chea, S. (2022). Police raid casino")
    html = page.content.decode()
    assert f"http://testserver/articles/{article.pk}/" in html
    assert "@article{ctn2022police-" in html and "TY  - NEWS" in html

    bib = client.get(reverse("archive:article_citation", args=[article.pk, "bib"]))
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert bibtexparser.loads(bib.content.decode()).entries[0]["journal"] == "Citation Test News"
    ris = client.get(reverse("archive:article_citation", args=[article.pk, "ris"]))
    assert rispy.loads(ris.content.decode())[0]["title"] == "Police raid casino in Poipet"
    assert (
        client.get(reverse("archive:article_citation", args=[article.pk, "doc"])).status_code == 404
    )
