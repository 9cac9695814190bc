"""The benchmark query mix: its size and kinds, distinct and repeatable, and each address
making the search page ask exactly the entry's request."""

import re
from collections import Counter
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from whoosh.lang import porter2

from archive.models import Article
from bench.export_memory import fill
from bench.mix import BROAD_KINDS, KINDS, query_mix, taxonomy_from_db
from search.backends.whoosh.backend import WhooshBackend
from search.index.documents import article_document, articles_for_indexing
from search.service.results import ResultSet
from search.service.url_state import MAX_PAGE

# Every test reads the taxonomy the migrations ship, so pytest-django sets the database up.
pytestmark = pytest.mark.django_db
ARTICLES = 400


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """Return (index folder, taxonomy, {id: (title, body)}) of a few hundred generated articles;
    the articles are rolled back once indexed, the taxonomy the migrations ship stays."""
    index_dir = tmp_path_factory.mktemp("mix") / "index"
    with django_db_blocker.unblock(), transaction.atomic():
        fill(ARTICLES, seed=3)
        WhooshBackend(index_dir).rebuild(
            (article_document(article) for article in articles_for_indexing()), last_change=0
        )
        taxonomy = taxonomy_from_db()
        texts = {
            pk: (title, body)
            for pk, title, body in Article.objects.values_list("pk", "title", "body")
        }
        transaction.set_rollback(True)
    return index_dir, taxonomy, texts


@pytest.fixture(scope="module")
def mix(archive):
    index_dir, taxonomy, _ = archive
    return query_mix(index_dir=index_dir, taxonomy=taxonomy)


def test_the_mix_holds_at_least_200_requests_with_every_kind_in_its_share(mix):
    assert len(mix) >= 200
    counts = Counter(entry.kind for entry in mix)
    assert set(counts) == set(KINDS)
    total = sum(KINDS.values())
    for kind, share in KINDS.items():
        assert abs(counts[kind] - len(mix) * share / total) < 1, kind


def test_no_request_is_repeated(mix):
    paths = [entry.path for entry in mix]
    assert len(set(paths)) == len(paths)
    requests = [entry.request for entry in mix]
    assert all(requests.count(request) == 1 for request in requests)


def test_a_seed_gives_the_same_mix_every_time_and_another_seed_another(archive, mix):
    index_dir, taxonomy, _ = archive
    assert query_mix(index_dir=index_dir, taxonomy=taxonomy) == mix
    other = query_mix(index_dir=index_dir, taxonomy=taxonomy, seed=8)
    assert [entry.path for entry in other] != [entry.path for entry in mix]


def test_a_small_mix_still_has_every_kind(archive):
    index_dir, taxonomy, _ = archive
    small = query_mix(index_dir=index_dir, taxonomy=taxonomy, size=len(KINDS) + 3)
    assert len(small) == len(KINDS) + 3
    assert {entry.kind for entry in small} == set(KINDS)


def test_each_address_makes_the_search_page_ask_the_entrys_request(mix):
    for entry in mix:
        address = urlsplit(entry.path)
        assert address.path == "/"
        asked = ResultSet.from_params(QueryDict(address.query)).request
        # The page also counts broad crime types over the types below them (rollups); the mix
        # leaves that out, since the engines it is compared with count exact ids.
        assert asked.rollups["crime_type"], "the page asks for the broad types' totals"
        assert replace(asked, rollups={}) == entry.request, entry.path


def test_the_kinds_ask_what_they_say(mix):
    by_kind = {kind: [entry.request for entry in mix if entry.kind == kind] for kind in KINDS}
    assert all(not r.query and r.selected for r in by_kind["browse facets"])
    assert all(len(r.query.split()) == 2 for r in by_kind["two words"])
    assert all(len(r.query.split()) == 3 for r in by_kind["three words"])
    assert all(r.query.startswith('"') and r.query.endswith('"') for r in by_kind["phrase"])
    assert all(" -" in r.query for r in by_kind["exclusion"])
    assert all(r.year_from or r.year_to for r in by_kind["year range"])
    assert all(20 <= r.page <= MAX_PAGE for r in by_kind["deep page"])
    assert all(r.sort in ("newest", "oldest") for r in by_kind["by date"])
    assert all(r.include_mentions for r in by_kind["mentions"])
    assert any(len(values) == 2 for r in by_kind["multi-select"] for values in r.selected.values())
    assert any("year" in entry.request.selected for entry in mix)
    assert BROAD_KINDS.issubset(KINDS)


def test_word_combinations_and_phrases_find_articles_with_every_word(archive, mix):
    backend = WhooshBackend(archive[0])
    for entry in mix:
        if entry.kind in ("rare word", "two words", "three words", "phrase", "exclusion"):
            response = backend.search(replace(entry.request, page_size=0), texts_of=dict)
            assert response.total > 0 and not response.any_words, entry.path


def test_phrases_checked_against_the_text_stand_next_to_each_other_in_it(archive):
    index_dir, taxonomy, texts = archive

    def texts_of(ids):
        return {pk: texts[pk] for pk in ids if pk in texts}

    mix = query_mix(index_dir=index_dir, taxonomy=taxonomy, texts_of=texts_of)
    assert mix == query_mix(index_dir=index_dir, taxonomy=taxonomy, texts_of=texts_of)
    # Stop words stay in place here: "head of state" does not hold "head state".
    stemmed = [
        " ".join(porter2.stem(word) for word in re.findall(r"\w+", f"{title} {body}".lower()))
        for title, body in texts.values()
    ]
    phrases = [entry.request.query.strip('"') for entry in mix if entry.kind == "phrase"]
    assert phrases
    for phrase in phrases:
        wanted = " ".join(porter2.stem(word) for word in phrase.split())
        assert any(f" {wanted} " in f" {text} " for text in stemmed), phrase


def test_names_the_vocabulary_keeps_in_capitals_are_drawn_too(archive):
    """The index's vocabulary keeps a name as written ("Poipet"); a mix drawn only from the
    words in lower case had too few rare words on a small archive (the short soak failed)."""
    from whoosh import index

    from bench.mix import _Vocabulary

    index_dir, taxonomy, _ = archive
    with index.open_dir(str(index_dir / "current"), readonly=True).reader() as reader:
        names = {
            word.decode().lower()
            for word in reader.lexicon("vocabulary")
            if word.decode()[:1].isupper()
        }
    vocabulary = _Vocabulary.read(index_dir, taxonomy)
    try:
        assert names and names & set(vocabulary.forms.values())
    finally:
        vocabulary.close()
