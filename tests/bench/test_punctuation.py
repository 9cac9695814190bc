"""The punctuation harness: collections read in each format, measures as their definitions say."""

import pytest

from bench import punctuation
from bench.punctuation import (
    average_precision,
    bare,
    ndcg,
    precision,
    read_documents,
    read_judgements,
    read_queries,
    recall,
)


def test_documents_are_read_in_every_layout():
    jsonl = '{"_id": "7", "title": "T", "text": "Body"}\n{"id": "8", "abstract": "A"}\n'
    assert [(d.key, d.title, d.text) for d in read_documents(jsonl)] == [
        ("7", "T", "Body"),
        ("8", "", "A"),
    ]
    trec = (
        "<DOC>\n<DOCNO> x1 </DOCNO>\n<TITLE>Raid</TITLE>\n<TEXT>\nPolice raided.\n</TEXT>\n</DOC>"
    )
    assert [(d.key, d.title, d.text) for d in read_documents(trec)] == [
        ("x1", "Raid", "Police raided.")
    ]
    smart = ".I 1\n.T\nshock waves\n.A\nsomeone\n.W\nthe shock-wave\ntheory\n.I 2\n.W\nlift\n"
    assert [(d.key, d.title, d.text) for d in read_documents(smart)] == [
        ("1", "shock waves", "the shock-wave theory"),
        ("2", "", "lift"),
    ]
    assert [(d.key, d.text) for d in read_documents("d1\tTitle\tText\nd2\tOnly text\n")] == [
        ("d1", "Text"),
        ("d2", "Only text"),
    ]


def test_queries_and_judgements_are_read_in_every_layout():
    assert read_queries("Q1\tcross-border\tsmuggling\n") == {"Q1": "cross-border smuggling"}
    assert read_queries('{"_id": "3", "text": "a  b?"}\n') == {"3": "a b?"}
    assert read_queries("<top>\n<num> Number: 301\n<title> U.N. report\n</top>") == {
        "301": "U.N. report"
    }
    assert read_queries(".I 001\n.W\nwhat is\nlift?\n.I 004\n.W\ndrag\n", renumber=True) == {
        "1": "what is lift?",
        "2": "drag",
    }
    judged = read_judgements("query-id\tcorpus-id\tscore\nQ1 0 d1 2\nQ1 d2 1\nQ1 0 d3 0\n")
    assert judged == {"Q1": {"d1": 2, "d2": 1}}
    assert read_judgements("1 184 2\n1 29 5\n1 30 -1\n", reversed_grades=True) == {"1": {"184": 3}}


def test_bare_queries_keep_letters_digits_and_spaces_only():
    assert bare("cross-border U.N. Kheng's drug/alcohol covid_19?") == (
        "cross border U N Kheng s drug alcohol covid 19"
    )


def test_measures_follow_their_definitions():
    ranked = ["a", "x", "b", "y", "c"]
    relevant = {"a": 2, "b": 1, "c": 1, "z": 1}
    assert average_precision(ranked, relevant) == pytest.approx((1 + 2 / 3 + 3 / 5) / 4)
    assert precision(ranked, relevant, depth=5) == pytest.approx(3 / 5)
    assert recall(ranked, relevant, depth=3) == pytest.approx(2 / 4)
    ideal = 3 + 1 / 1.5849625 + 1 / 2 + 1 / 2.3219281
    found = 3 + 1 / 2 + 1 / 2.5849625
    assert ndcg(ranked, relevant) == pytest.approx(found / ideal, rel=1e-6)
    assert ndcg([], {}) == 0.0


def test_a_typed_hyphen_ranks_as_the_index_writes_the_compound(db):
    documents = read_documents(
        '{"id": "a", "text": "A cross-border smuggling ring."}\n'
        '{"id": "b", "text": "A border crossing was closed."}\n'
        '{"id": "c", "text": "A crossborder fraud gang."}\n'
    )
    result = punctuation.measure(
        documents,
        {"Q1": "cross-border?"},
        {"Q1": {"a": 2, "c": 1}},
    )
    assert result["typed"]["MAP"] == 1.0
    assert result["unrewritten"]["MAP"] == 0.0  # read as "cross ANDNOT border"
    assert result["bare"]["MAP"] < result["typed"]["MAP"]  # "crossing" stems like "cross"
