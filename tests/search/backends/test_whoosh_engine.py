"""The Whoosh backend's own machinery, without a database: indexing shortcuts that must give
exactly what Whoosh would, bitsets, parallel rebuilds, incremental updates and highlighting."""

import random

import pytest
from whoosh.formats import Positions

from search.backends.base import SearchRequest
from search.backends.whoosh import docsets
from search.backends.whoosh.backend import WhooshBackend
from search.backends.whoosh.highlight import PASSAGE_CHARS, matching_spans, passages
from search.backends.whoosh.schema import (
    IndexedText,
    spelling_words,
    vocabulary_forms,
    word_analyzer,
)

WORDS = [
    "the",
    "police",
    "raided",
    "a",
    "casino",
    "in",
    "Poipet",
    "and",
    "arrested",
    "40",
    "suspects",
    "of",
    "online",
    "gambling",
    "ring",
    "trafficking",
    "kidnapping",
    "Ministry",
    "Interior",
    "Cambodia's",
    "3.141",
    "under_score",
    "a*",
    "I",
    "x",
    "of",
    "to",
    "be",
    "Phnom-Penh",
    "METHAMPHETAMINE",
    "seized",
    "Ýa",
    "Điện",
    "ñandú",
    "won't",
    "...",
    "smugglers",
    "smuggled",
    "smuggling",
    "Hà Nội",
    "ប៉ូលិសបានឃាត់ខ្លួន",
    "ភ្នំពេញ។",
    "ตำรวจจับกุมยาบ้า",
    "警方逮捕",
    "港",
    "ຕຳຫຼວດ",
]


def random_text(rng: random.Random, words: int) -> str:
    separators = (" ", " ", " ", ", ", ". ", "\n\n", " - ", "'")
    return "".join(rng.choice(WORDS) + rng.choice(separators) for _ in range(words))


def test_indexed_positions_are_exactly_what_the_analyzer_gives():
    analyzer = word_analyzer()  # the title's and body's
    rng = random.Random(3)
    for boost in (1.0, 2.0):
        fast, reference = IndexedText(field_boost=boost), Positions(field_boost=boost)
        for _ in range(200):
            text = random_text(rng, rng.randint(0, 60))
            assert list(fast.word_values(text, analyzer, mode="index")) == list(
                reference.word_values(text, analyzer, mode="index")
            ), text


def test_bitsets_hold_exactly_their_members():
    rng = random.Random(5)
    for size in (1, 7, 8, 9, 1000):
        docnums = sorted(rng.sample(range(size), rng.randint(0, size)))
        bits = docsets.from_docnums(docnums, size)
        assert docsets.members(bits).tolist() == docnums
        assert bits.bit_count() == len(docnums)
        assert docsets.to_mask(bits, size).tolist() == [n in docnums for n in range(size)]


def no_texts(ids):
    return {pk: ("", "") for pk in ids}


def make_documents(count: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    documents = []
    for number in range(1, count + 1):
        year = rng.randint(2000, 2026)
        crimes = " ".join(sorted({str(rng.randint(1, 6)) for _ in range(rng.randint(1, 3))}))
        country = str(rng.choice((1, 1, 1, 2, 2, 3)))
        documents.append(
            {
                "id": str(number),
                "title": random_text(rng, 6),
                "body": random_text(rng, rng.randint(20, 80)),
                "source": str(rng.randint(1, 5)),
                "year": year,
                # Many ties, so the order among equal dates is checked too.
                "sort_date": year * 10000 + 101,
                "country": country,
                "country_all": country,
                "ministry": "",
                "ministry_all": "",
                "crime_type": crimes,
                "crime_type_all": crimes,
                "stamp": f"s{number}",
            }
        )
    return documents


def expected_counts(documents, request_filters: dict[str, set[str]], facet: str) -> dict:
    """Count `facet` over the documents passing every filter but its own: the reference."""
    counts: dict[str, int] = {}
    for document in documents:
        passes = all(
            set(str(document[name]).split()) & allowed
            for name, allowed in request_filters.items()
            if name != facet
        )
        if passes:
            for value in str(document[facet]).split():
                counts[value] = counts.get(value, 0) + 1
    return counts


REQUESTS = [
    SearchRequest(query=""),
    SearchRequest(query="police"),
    SearchRequest(query="casino -gambling"),
    SearchRequest(query='"online gambling"'),
    SearchRequest(query="smuggling", selected={"country": ("1", "3"), "crime_type": ("2",)}),
    SearchRequest(query="", sort="oldest", selected={"source": ("4",)}, page=2, page_size=5),
    SearchRequest(query="raided", year_from=2005, year_to=2015, sort="newest"),
]


def answers(backend: WhooshBackend) -> list:
    texts = {}

    def texts_of(ids):
        return {pk: texts[pk] for pk in ids}

    for document in make_documents(240):
        texts[int(document["id"])] = (document["title"], document["body"])
    found = []
    for request in REQUESTS:
        response = backend.search(request, texts_of=texts_of)
        found.append(
            (
                response.total,
                response.facet_counts,
                [hit.article_id for hit in response.hits],
                backend.matching_ids(request),
            )
        )
    return found


@pytest.fixture
def documents():
    return make_documents(240)


def test_facet_counts_are_counted_against_every_other_filter(tmp_path, documents):
    backend = WhooshBackend(tmp_path)
    backend.rebuild(iter(documents), last_change=0)
    selected = {"country": {"1", "3"}, "crime_type": {"2"}}
    response = backend.search(
        SearchRequest(query="", selected={k: tuple(v) for k, v in selected.items()}),
        texts_of=no_texts,
    )
    for facet in ("country", "crime_type", "source"):
        assert response.facet_counts[facet] == expected_counts(documents, selected, facet)
    assert response.total == sum(
        1
        for d in documents
        if set(d["country"].split()) & selected["country"]
        and set(d["crime_type"].split()) & selected["crime_type"]
    )


def test_a_parallel_rebuild_answers_exactly_like_one_process(tmp_path, documents):
    single, parallel = WhooshBackend(tmp_path / "one"), WhooshBackend(tmp_path / "two")
    single.rebuild(iter(documents), last_change=0)
    parallel.rebuild(iter(documents), last_change=0, processes=2)
    searcher, _ = parallel._searcher_now()
    assert len(searcher.reader().leaf_readers()) >= 2  # really written by two processes
    assert answers(parallel) == answers(single)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_rebuild_in_rounds_answers_like_a_rebuild_in_one(
    tmp_path, documents, monkeypatch, processes
):
    whole = WhooshBackend(tmp_path / "whole")
    whole.rebuild(iter(documents), last_change=0)
    monkeypatch.setattr("search.backends.whoosh.storage.SEGMENT_DOCUMENTS", 40)
    rounds = WhooshBackend(tmp_path / "rounds")
    rounds.rebuild(iter(documents), last_change=7, processes=processes)
    searcher, _ = rounds._searcher_now()
    # A round of 40 documents a process, committed as it fills: at least one segment a round,
    # and none without articles (240 fill the rounds exactly: the vocabulary joins the last).
    leaves = searcher.reader().leaf_readers()
    assert len(leaves) >= 240 // (40 * processes)
    assert min(leaf.doc_count_all() for leaf, _ in leaves) > 2
    assert answers(rounds) == answers(whole)
    assert rounds.last_change() == 7
    assert rounds.search(SearchRequest(query="polise"), texts_of=no_texts).suggestion == "police"


def test_date_order_breaks_ties_by_article_id_and_pages_follow_it(tmp_path, documents):
    backend = WhooshBackend(tmp_path)
    backend.rebuild(iter(documents), last_change=0)
    newest = backend.matching_ids(SearchRequest(query="", sort="newest"))
    expected = sorted(documents, key=lambda d: (-d["sort_date"], int(d["id"])))
    assert newest == [int(d["id"]) for d in expected]
    oldest = backend.matching_ids(SearchRequest(query="", sort="oldest"))
    expected = sorted(documents, key=lambda d: (d["sort_date"], int(d["id"])))
    assert oldest == [int(d["id"]) for d in expected]
    page = backend.search(
        SearchRequest(query="", page=3, page_size=7),
        texts_of=lambda ids: {pk: ("t", "b") for pk in ids},
    )
    assert [hit.article_id for hit in page.hits] == newest[14:21]


def test_counts_follow_updates_and_deletions_reusing_the_unchanged_segment(tmp_path, documents):
    backend = WhooshBackend(tmp_path)
    backend.rebuild(iter(documents), last_change=0)
    before = backend.search(SearchRequest(query=""), texts_of=no_texts)
    (old_segment,) = backend._segments.values()

    changed = dict(documents[0], country="3", country_all="3")
    with backend.open_writer() as writer:
        writer.upsert(changed)
        writer.delete(documents[1]["id"])
        writer.commit(last_change=2)
    after = backend.search(SearchRequest(query=""), texts_of=no_texts)

    assert after.total == before.total - 1
    moved = {documents[0]["country"]: -1, "3": +1}
    lost = documents[1]["country"]
    expected = dict(before.facet_counts["country"])
    for value, step in moved.items():
        expected[value] += step
    expected[lost] -= 1
    assert after.facet_counts["country"] == {k: v for k, v in expected.items() if v}
    assert backend.last_change() == 2
    # The big segment was not read again: only the commit's new segment was.
    assert any(segment is old_segment for segment in backend._segments.values())
    ids = backend.matching_ids(SearchRequest(query=""))
    assert int(documents[1]["id"]) not in ids and int(documents[0]["id"]) in ids


def test_did_you_mean_knows_words_indexed_after_the_rebuild(tmp_path, documents):
    backend = WhooshBackend(tmp_path)
    backend.rebuild(iter(documents), last_change=0)
    with backend.open_writer() as writer:
        writer.upsert(dict(documents[0], id="999", body="A raid on a zanzibarite cartel."))
        writer.commit(last_change=1)
    response = backend.search(SearchRequest(query="zanzibarrite"), texts_of=no_texts)
    assert response.total == 0
    assert response.suggestion == "zanzibarite"
    # Known words are left alone, unknown ones get the closest word articles use most.
    assert backend.search(SearchRequest(query="polise"), texts_of=no_texts).suggestion == "police"


def test_spelling_words_are_the_unstemmed_words_as_written_without_stop_words():
    assert spelling_words("The Police raided 3 casinos, a x-ray of it") == {
        "Police",
        "raided",
        "casinos",
        "ray",
    }


def test_the_vocabulary_keeps_a_word_in_lower_case_when_it_is_ever_written_so():
    words = spelling_words("Police in Sihanoukville: police raided SIHANOUKVILLE Casinos. UNODC")
    assert vocabulary_forms(words) == {"police", "Sihanoukville", "raided", "Casinos", "UNODC"}


def test_matches_are_the_words_the_analyzer_would_stem_to_the_query_words():
    analyzer = word_analyzer()  # the title's and body's
    rng = random.Random(9)
    vocabulary = sorted({token.text for token in analyzer(" ".join(WORDS))} | {"die", "sky"})
    for _ in range(300):
        text = random_text(rng, rng.randint(0, 40)) + " dying skies"
        words = frozenset(rng.sample(vocabulary, rng.randint(1, 4)))
        expected: list[tuple[int, int]] = []
        for token in analyzer(text, chars=True, mode="index"):
            if token.text not in words or (expected and expected[-1][0] == token.startchar):
                continue  # a word's other term (its bare form) at the same place
            if expected and expected[-1][1] == token.startchar:
                # Letter clusters of an unspaced script that touch are one mark.
                expected[-1] = (expected[-1][0], token.endchar)
            else:
                expected.append((token.startchar, token.endchar))
        assert matching_spans(text, words) == expected, (text, words)


def test_passages_mark_matches_escape_text_and_stay_short():
    body = ("Filler words about nothing in particular. " * 20) + (
        "Police said <b>smugglers</b> were held. " + "More filler text follows here. " * 20
    )
    spans = matching_spans(body, frozenset({"smuggler", "polic"}))
    (passage,) = passages(body, spans)
    assert "<mark>Police</mark>" in passage and "&lt;b&gt;<mark>smugglers</mark>" in passage
    assert len(passage) < PASSAGE_CHARS + 60  # the marks and escapes add a little
    assert not passage.startswith(("ords", "ller"))  # cut at a word
    assert passages(body, []) == ()


def test_an_index_of_an_earlier_schema_asks_for_a_rebuild(tmp_path, documents):
    from whoosh import fields, index

    from search.backends.base import SearchUnavailable

    backend = WhooshBackend(tmp_path)
    backend.rebuild(iter(documents), last_change=0)
    old = tmp_path / "gen-old"
    old.mkdir()
    index.create_in(old, fields.Schema(id=fields.ID(stored=True, unique=True), body=fields.TEXT))
    (tmp_path / "current").unlink()
    (tmp_path / "current").symlink_to(old.name)
    with pytest.raises(SearchUnavailable, match="rebuild_index"):
        backend.search(SearchRequest(query="police"), texts_of=no_texts)


def test_a_merge_committed_while_a_searcher_opens_is_read_again_not_read_blank(
    tmp_path, documents, monkeypatch
):
    """Another process's commit deletes the files of the segments it merges; a searcher opened
    just before must not read those files as blanks (no ids, no dates) or fail on them."""
    from whoosh import index

    from search.backends.whoosh import backend as whoosh_backend

    writer_side = WhooshBackend(tmp_path)
    writer_side.rebuild(iter(documents[:200]), last_change=1)
    with writer_side.open_writer() as writer:
        for document in documents[200:]:
            writer.upsert(document)
        writer.commit(last_change=2)
    expected = [
        int(d["id"]) for d in sorted(documents, key=lambda d: (-d["sort_date"], int(d["id"])))
    ]
    reader_side = WhooshBackend(tmp_path)
    real_snapshot = whoosh_backend.Snapshot
    merged = []

    def snapshot_after_a_merge(searcher, segments):
        if not merged:  # the other process merges every segment between open and read
            merged.append(len(searcher.reader().leaf_readers()))
            index.open_dir(writer_side._current_dir()).writer().commit(optimize=True)
        return real_snapshot(searcher, segments)

    monkeypatch.setattr(whoosh_backend, "Snapshot", snapshot_after_a_merge)
    response = reader_side.search(SearchRequest(query="", page_size=240), texts_of=no_texts)

    assert merged == [2] and response.total == len(documents)
    assert [hit.article_id for hit in response.hits][:20] == expected[:20]
    assert reader_side.last_change() == 2
