"""Hostile and odd queries on the search page: never a 500, never injected markup, bounded cost.

Property tests send query strings built from the query language's own syntax, markup and
oddities (control characters, huge numbers, very long text) together with facet parameters that
name nothing, repeat, or are not numbers. Unit tests show each cost cap applied to the query the
engine runs: leading wildcards, short prefixes, prefix expansion, query words, page numbers.
"""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.qparser import AndGroup
from whoosh.query import NullQuery, Or, Term

from search.backends.whoosh import query as engine
from search.backends.whoosh.schema import build_schema, stem
from search.index.sync import apply_pending
from search.query import spelling
from search.service import url_state
from search.service.taxonomy_names import Taxonomy
from search.service.url_state import MAX_PAGE, MAX_QUERY_CHARS, MAX_QUERY_WORDS, MIN_PREFIX_CHARS
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("search:search")

# --- Checking a page for injected markup ----------------------------------------------------

# Where a link or a form could carry script.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
# Elements no template of the archive writes: one in a page came from the data or the URL.
FOREIGN_ELEMENTS = {"img", "iframe", "object", "embed", "svg:script", "base", "meta", "style"}
ALLOWED_META = {"charset", "name", "content", "http-equiv"}


class _Elements(HTMLParser):
    """Collect every start tag of a page as (tag, {attribute: value})."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)


def assert_no_injected_markup(page: str) -> None:
    """Fail if the page holds an element, attribute or link that only injected text could
    have made: an inline or foreign script, an event handler, a javascript: address, an img."""
    parser = _Elements()
    parser.feed(page)
    parser.close()
    assert not parser.script_text, f"inline script in the page: {parser.script_text[:1]}"
    for tag, attributes in parser.elements:
        if tag == "script":
            assert attributes.get("src", "").startswith("/static/"), attributes
        if tag == "meta":
            assert set(attributes) <= ALLOWED_META, attributes
            continue
        assert tag not in FOREIGN_ELEMENTS, (tag, attributes)
        for name, value in attributes.items():
            assert not name.startswith("on"), f"event handler {name}={value!r} on <{tag}>"
            if name in URL_ATTRIBUTES:
                # Browsers ignore control characters and spaces around a scheme.
                scheme = "".join(ch for ch in value if ch > " ").lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:")), (
                    f"<{tag} {name}={value!r}>"
                )


def test_the_markup_check_catches_what_it_is_for():
    """A check that cannot fail proves nothing: each injected form is caught."""
    for page in [
        "<p><script>alert(1)</script></p>",
        '<p><img src=x onerror="alert(1)"></p>',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<div onclick="alert(1)">x</div>',
        '<form action="javascript:alert(1)"></form>',
    ]:
        with pytest.raises(AssertionError):
            assert_no_injected_markup(page)
    assert_no_injected_markup(
        '<script src="/static/js/copy.js" defer></script><a href="/?q=%3Cscript%3E">'
        "&lt;script&gt;alert(1)&lt;/script&gt;</a>"
    )


# --- What hostile queries are made of -------------------------------------------------------

SYNTAX = [
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "(", ")", '"', "'", "*", "?", "~", "~2", "^",
    "^3", ":", "[", "]", "{", "}", "TO", "+", "-", "\\", "/", "*:*", "title:", "body:",
    "unknown:", "kind:meta", "id:1", "vocabulary:", "sort_date:5", "article_id:1", "stamp:x",
    "country:", "crime:", "year:", "source:", "ministry:", "[a TO z]", "{a TO}", "title:[a TO z]",
    "NOT NOT", "NOT OR", "AND NOT",
]  # fmt: skip
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</title><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "<svg onload=alert(1)>",
    "&lt;script&gt;",
]
WORDS = ["casino", "police", "gambling", "kidnap*", "*ing", "?ar", "cas*", "ca*", "Poipet"]
ODD = ["\x00", "\x1b", "\u202e", "\ufeff", "🙂", "9" * 40, "1e308", "-0", "NaN", "\t\r\n"]

# Every field the index has, internal ones included, and names it does not have.
FIELDS = [*build_schema().names(), "unknown", "Title", "crime_type"]

tokens = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(["AND", "OR", "NOT", "-", "+", "(", ")", '"']),  # operators, often
    st.builds("{}:{}".format, st.sampled_from(FIELDS), st.sampled_from(["", "casino", "1", "*"])),
    st.sampled_from(MARKUP),
    st.sampled_from(WORDS),
    st.sampled_from(ODD),
    st.text(max_size=8),
)
queries = st.one_of(
    st.lists(tokens, max_size=14).map(" ".join),
    st.lists(tokens, max_size=14).map("".join),
    # Very long: repeated pieces (drawing 10,000 characters one by one would be slow).
    st.builds(lambda piece, times: piece * times, tokens, st.integers(100, 2_000)),
)
FACET_NAMES = ["country", "crime_type", "ministry", "source"]
odd_values = st.one_of(
    st.sampled_from(["KH", "kh", "ZZ", "gambling", "", "-1", "0", "1" * 30, "²²²²", "٢٠٢٢"]),
    st.sampled_from(MARKUP),
    st.text(max_size=12),
)
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", "abc", "1.5", "1e9", "9" * 5000, "²", "٣", " 2 ", "0x10", "1_0"]),
    st.text(max_size=6),
)
params = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(FACET_NAMES), odd_values),
        st.tuples(st.sampled_from(["year_from", "year_to", "page"]), numbers),
        st.tuples(st.just("sort"), st.sampled_from(["newest", "oldest", "best", "", "<b>"])),
        st.tuples(st.just("mentions"), st.sampled_from(["1", "yes", "", "on"])),
        st.tuples(st.sampled_from(["contry", "q", "page_size", "<x>"]), odd_values),
    ),
    max_size=6,
)

PROPERTY = settings(
    max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # the corpus is built once per test and only read by the examples


@PROPERTY
@given(query=queries, extra=params)
def test_no_query_or_parameter_fails_or_injects_markup(client, corpus, query, extra):
    # A typed filter redirects to the same search with the filter ticked.
    response = client.get(f"{URL}?{urlencode([('q', query), *extra])}", follow=True)
    assert response.status_code == 200, response.content[:300]
    assert len(response.redirect_chain) <= 1
    assert_no_injected_markup(response.content.decode())
    state = response.context["state"]
    assert len(state.query) <= MAX_QUERY_CHARS and 1 <= state.page <= MAX_PAGE


@PROPERTY
@given(query=st.sampled_from(MARKUP), word=st.sampled_from(["casino", "police", "Poipet"]))
def test_markup_in_a_query_is_shown_as_text(client, corpus, query, word):
    response = client.get(URL, {"q": f"{word} {query}", "country": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert_no_injected_markup(page)
    assert escape(query) in page  # echoed (search box, heading, notices) as text


@settings(PROPERTY, max_examples=25)  # each example is two requests of a dozen queries
@given(extra=params)
def test_the_article_list_and_its_exports_take_any_parameters(client, corpus, extra):
    """The list is the search page (its old addresses redirect there, parameters and all);
    without an index, its database fallback reads the same parameters with a form."""
    response = client.get(f"{reverse('archive:article_list')}?{urlencode(extra)}", follow=True)
    assert response.status_code == 200, response.content[:300]
    assert_no_injected_markup(response.content.decode())
    export = client.get(
        f"{reverse('search:export_list', args=['csv'])}?{urlencode(extra)}", follow=True
    )
    assert export.status_code == 200
    b"".join(export.streaming_content)


@pytest.mark.parametrize(
    "query",
    [
        "NOT NOT casino",  # Whoosh's parser raised IndexError on an operator after NOT
        "NOT OR police",
        "sort_date:5",  # fields without postings made the parser raise
        "article_id:1 casino",
        "stamp:x",
        "last_change:1",
        "title:[a TO z]",  # a range over words walks the vocabulary
        "[a TO zzzz]",
        "casino^99999999999999999999999999999999999999999",
        "*:*",
        "(" * 150,
    ],
)
def test_queries_that_once_failed_or_cost_too_much(client, corpus, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200, response.content[:300]


@settings(PROPERTY, max_examples=25)
@given(query=queries, extra=params)
def test_feeds_and_exports_take_any_query(client, corpus, query, extra):
    pairs = urlencode([("q", query), *extra])
    feed = client.get(f"{reverse('search:feed')}?{pairs}")
    assert feed.status_code == 200, feed.content[:300]
    ET.fromstring(feed.content)  # well-formed XML, whatever the query held
    export = client.get(f"{reverse('search:export', args=['jsonl'])}?{pairs}")
    assert export.status_code == 200
    for line in b"".join(export.streaming_content).splitlines():
        json.loads(line)


@pytest.mark.parametrize(
    "path",
    [
        URL,
        reverse("archive:article_list"),
        reverse("search:export", args=["csv"]),
        reverse("search:export_list", args=["csv"]),
        reverse("search:feed"),
        reverse("search:api_search"),
    ],
)
def test_a_nul_character_in_any_parameter_is_not_an_error(client, corpus, path):
    """PostgreSQL refuses NUL in a string: no parameter may reach it unchecked."""
    pairs = [("q", "casino\x00"), ("country", "K\x00H"), ("source", "\x00"), ("sort", "\x00")]
    if path.startswith("/api/"):
        pairs.pop()  # the API refuses an unknown sort, as it should
    response = client.get(f"{path}?{urlencode(pairs)}", follow=True)  # /articles/: the page
    assert response.status_code == 200, response.content[:300]


def test_unknown_facet_values_and_odd_numbers_are_notices_not_errors(client, corpus):
    response = client.get(
        f"{URL}?"
        + urlencode(
            [
                ("country", "ZZ"),
                ("country", "<b>x</b>"),
                ("source", "nowhere"),
                ("year_from", "²²²²"),  # str.isdigit() says yes; int() says no
                ("year_to", "9" * 5000),  # int() refuses more than 4,300 digits
                ("page", "-4"),
                ("sort", "sideways"),
            ]
        )
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["results"] == []
    assert "No country is called" in page and "No source is called" in page
    assert "From year" in page and "is not a year" in page
    assert response.context["state"].page == 1


# --- The caps, shown on the query the engine runs -------------------------------------------


def read(query: str) -> url_state.PageState:
    return url_state.read_state(QueryDict(urlencode({"q": query})), _NO_TAXONOMY)


_NO_TAXONOMY = Taxonomy(
    by_value={facet: {} for facet in url_state.FACET_KEYS},
    by_id={facet: {} for facet in url_state.FACET_KEYS},
    names={facet: {} for facet in url_state.FACET_KEYS},
    crime_parent={},
    full_labels={facet: {} for facet in url_state.FACET_KEYS},
)


@pytest.mark.parametrize(
    ("query", "searched", "notice"),
    [
        ("*ing", "ing", "'*ing' was searched as 'ing'"),
        ("?ar casino", "ar casino", "'?ar' was searched as 'ar'"),
        ("traf*cking", "trafcking", "'traf*cking' was searched as 'trafcking'"),
        ("ca*", "ca", "'ca*' was searched as 'ca'"),
        ("title:*ing", "title:ing", "'title:*ing' was searched as 'title:ing'"),
        ("* casino", "casino", "'*' was left out"),
        ('"kidnap* gang"', '"kidnap gang"', "'\"kidnap*' was searched as '\"kidnap'"),
        (
            '"crystal meth" kidnap* "gang arrest*"',
            '"crystal meth" kidnap* "gang arrest"',
            "'arrest*\"' was searched as 'arrest\"'",
        ),
    ],
)
def test_wildcards_off_the_end_of_a_long_enough_word_are_dropped_with_a_notice(
    query, searched, notice
):
    state = read(query)
    assert state.text_query == searched
    assert any(notice in text for text in state.notices), state.notices
    assert f"at least {MIN_PREFIX_CHARS} letters" in " ".join(state.notices)


@pytest.mark.parametrize(
    "query", ["kidnap*", "title:traffick*", "(casino* OR lottery)", "who was arrested?"]
)
def test_a_prefix_of_enough_letters_and_a_closing_question_mark_are_kept_quietly(query):
    state = read(query)
    assert state.text_query == query and state.notices == []


def test_a_query_is_cut_to_its_first_words_with_a_notice():
    words = [f"w{number}" for number in range(MAX_QUERY_WORDS + 10)]
    state = read(" ".join(words))
    assert state.text_query.split() == words[:MAX_QUERY_WORDS]
    assert f"first {MAX_QUERY_WORDS} words" in " ".join(state.notices)
    assert len(" ".join(words)) <= MAX_QUERY_CHARS  # the word cap, not the character cap


def test_a_query_is_cut_to_its_first_characters_with_a_notice():
    state = read("x" * 10_000)
    assert len(state.query) == MAX_QUERY_CHARS
    assert f"first {MAX_QUERY_CHARS} characters" in " ".join(state.notices)


def test_page_numbers_stop_at_the_cap():
    state = url_state.read_state(QueryDict(f"page={'9' * 5000}"), _NO_TAXONOMY)
    assert state.page == 1  # not a number Python converts: the first page
    state = url_state.read_state(QueryDict(f"page={MAX_PAGE * 100}"), _NO_TAXONOMY)
    assert state.page == MAX_PAGE and "Results stop at page" in state.notices[0]


@pytest.fixture
def many_words(search_index, db):
    """Reports using more words of one prefix than a prefix may expand to."""
    words = [f"smuggl{chr(97 + a)}{chr(97 + b)}" for a in range(4) for b in range(26)]
    assert len(words) > engine.MAX_PREFIX_WORDS
    for word in words:
        factories.make_article(title=f"Report {word}", body=f"Police found {word}.")
    for _ in range(3):  # last in alphabetical order, first in use
        factories.make_article(body="Police found smugglzz.")
    apply_pending()
    return words


def _parsed(backend, text: str):
    searcher, _ = backend._searcher_now()
    return engine.parse(text, searcher, group=AndGroup)


def test_a_prefix_expands_to_a_bounded_number_of_words(many_words, search_index):
    searcher, _ = search_index._searcher_now()
    indexed = {word.decode() for word in searcher.reader().expand_prefix("body", "smuggl")}
    assert len(indexed) > engine.MAX_PREFIX_WORDS  # so the cap has something to cut
    query = _parsed(search_index, "smuggl*")
    terms = {text for field, text in query.iter_all_terms() if field == "body"}
    assert len(terms) == engine.MAX_PREFIX_WORDS and terms <= indexed
    assert stem("smugglzz") in terms  # the words most reports use are kept
    assert all(type(leaf) is Term for leaf in query.leaves())  # plain words: cached, scored


def test_a_prefix_finds_reports_through_the_page(client, many_words):
    response = client.get(URL, {"q": "smuggl*"})
    assert response.status_code == 200 and response.context["response"].total > 0
    assert "<mark>smuggl" in response.content.decode()


def test_a_short_or_unknown_prefix_expands_to_nothing_costly(many_words, search_index):
    assert list(_parsed(search_index, "sm*").iter_all_terms()) == [
        ("title", "sm"),
        ("body", "sm"),
    ]  # shorter than the engine's floor: a plain word, no expansion
    assert _parsed(search_index, "zzzq*") is NullQuery  # no word begins so: nothing to run


def test_internal_fields_and_ranges_are_plain_words(many_words, search_index):
    for text in ("kind:meta", "vocabulary:smuggl", "sort_date:5", "id:1", "[smuggl TO zz]"):
        query = _parsed(search_index, text)
        fields = {field for field, _ in query.iter_all_terms()}
        assert fields <= {"title", "body"}, (text, query)
        assert all(type(leaf) is Term for leaf in query.leaves()), (text, query)


def test_the_page_explains_a_prefix_no_shorter_than_the_engine_expands():
    assert MIN_PREFIX_CHARS >= engine.MIN_PREFIX_CHARS


def test_a_parser_failure_becomes_a_plain_word_search(many_words, search_index):
    query = _parsed(search_index, "NOT NOT smugglaa")
    assert ("body", "smugglaa") in set(query.iter_all_terms())


def test_boosts_are_bounded(many_words, search_index):
    query = _parsed(search_index, "smugglaa^99999999999999999999999999999999999999999")
    assert isinstance(query, Or | Term) and query.boost <= engine.MAX_BOOST


def test_did_you_mean_looks_up_a_bounded_number_of_unknown_words(many_words, search_index):
    misspelt = [f"{word}x" for word in many_words[: spelling.MAX_CHECKED_WORDS + 4]]
    _, snapshot = search_index._searcher_now()
    found = spelling.corrections(" ".join(misspelt), snapshot.vocabulary())
    assert [correction.typed for correction in found] == misspelt[: spelling.MAX_CHECKED_WORDS]
    assert all(correction.suggested != correction.typed for correction in found)


def test_a_lone_minus_word_means_not(many_words, search_index):
    assert _parsed(search_index, "-smuggla*") == _parsed(search_index, "NOT smuggla*")
    assert _parsed(search_index, "-casino") == _parsed(search_index, "NOT casino")
