"""Does a query typed with punctuation rank as well as the same query without it?

    python bench/punctuation.py --collection DIR            (docs, queries and qrels inside)
    python bench/punctuation.py --docs F --queries F --qrels F [--renumber-queries]

Any test collection with relevance judgements will do. Each document is indexed by the
archive's own search engine (the Whoosh backend, as `rebuild_index` builds it), and each query
is run through the backend's own search (all words, falling back to any word), three ways:

- typed:     as the collection writes it ("cross-border", "U.N.", "what is ...?");
- bare:      every character that is neither a letter, a digit nor a space made a space;
- unrewritten: typed, but without search/query/typed_query.py (how the archive read punctuation
             before: a hyphen inside a word was NOT).

It prints mean average precision, nDCG@10, precision@10 and recall@100 for each, and the queries
whose typed and bare results differ, and writes them to bench/results/punctuation-<name>.json.

Formats, recognised by their content:
- documents: JSON Lines ({"id"|"_id"|"doc_id"|"docno", "title", "text"|"body"|"abstract"}),
  tab-separated (id, text or id, title, text), TREC (<DOC><DOCNO>..</DOCNO><TEXT>..</TEXT>), or
  the SMART layout of Cranfield, CISI, MED, CACM (.I id, .T title, .W text, other fields skipped);
- queries: tab-separated (id, text), JSON Lines ({"_id"|"id"|"qid", "text"|"query"}), TREC
  topics (<num> and <title>), or SMART (.I, .W). --renumber-queries numbers them 1, 2, 3 in file
  order, as Cranfield's judgements do;
- judgements: "qid 0 docid grade" (TREC) or "qid docid grade", a header line allowed; a grade of
  zero or less is not relevant. --grades-reversed for collections where 1 is the most relevant
  (Cranfield: 1 to 4, with 5 and -1 not relevant).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DEPTH = 1000  # ranks scored per query
_NOT_WORD = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    text: str


# --- Reading a collection (pure) ------------------------------------------------------------


def read_documents(text: str) -> list[Document]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return [_json_document(json.loads(line)) for line in text.splitlines() if line.strip()]
    if stripped.startswith("<DOC"):
        return [
            Document(_tag(block, "DOCNO"), _tag(block, "TITLE"), _tag(block, "TEXT"))
            for block in re.findall(r"<DOC>(.*?)</DOC>", text, re.S)
        ]
    if stripped.startswith(".I"):
        return [
            Document(key, fields.get("T", ""), fields.get("W", ""))
            for key, fields in _smart_records(text)
        ]
    documents = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            documents.append(Document(parts[0], parts[1], "\t".join(parts[2:])))
        elif len(parts) == 2:
            documents.append(Document(parts[0], "", parts[1]))
    return documents


def read_queries(text: str, *, renumber: bool = False) -> dict[str, str]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        pairs = [(_first(row, "_id", "id", "qid"), _first(row, "text", "query")) for row in rows]
    elif "<top>" in stripped:
        pairs = [
            (re.sub(r"\D", "", _tag(block, "num")), _tag(block, "title"))
            for block in re.findall(r"<top>(.*?)</top>", text, re.S)
        ]
    elif stripped.startswith(".I"):
        pairs = [(key, fields.get("W", "")) for key, fields in _smart_records(text)]
    else:
        pairs = [tuple(line.split("\t", 1)) for line in text.splitlines() if "\t" in line]
    if renumber:
        pairs = [(str(number), query) for number, (_, query) in enumerate(pairs, 1)]
    return {key.strip(): " ".join(query.split()) for key, query in pairs}


def read_judgements(text: str, *, reversed_grades: bool = False) -> dict[str, dict[str, int]]:
    """Return {query id: {document id: grade}}, relevant documents only (grade above zero)."""
    judged: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4:
            query, _, document, grade = parts
        elif len(parts) == 3:
            query, document, grade = parts
        else:
            continue
        try:
            value = int(float(grade))
        except ValueError:
            continue  # a header line
        if reversed_grades:
            value = 5 - value if 1 <= value <= 4 else 0
        if value > 0:
            judged.setdefault(query, {})[document] = value
    return judged


def _json_document(row: dict) -> Document:
    return Document(
        str(_first(row, "id", "_id", "doc_id", "docno")),
        row.get("title") or "",
        _first(row, "text", "body", "abstract", default=""),
    )


def _first(row: dict, *keys: str, default=None):
    for key in keys:
        if row.get(key) not in (None, ""):
            return row[key]
    if default is not None:
        return default
    raise ValueError(f"none of {keys} in {sorted(row)}")


def _tag(block: str, name: str) -> str:
    found = re.search(rf"<{name}>(.*?)(?:</{name}>|(?=<[a-z]+>)|$)", block, re.S | re.I)
    return " ".join(found[1].split()) if found else ""


def _smart_records(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (id, {field letter: text}) of a SMART file (.I 1 / .T / .A / .W ...)."""
    for record in re.split(r"^\.I\s+", text, flags=re.M)[1:]:
        key, _, rest = record.partition("\n")
        fields: dict[str, str] = {}
        for letter, body in re.findall(
            r"^\.([A-Z])\s*\n(.*?)(?=^\.[A-Z]\s*$|\Z)", rest, re.S | re.M
        ):
            fields[letter] = " ".join(body.split())
        yield key.strip(), fields


def bare(query: str) -> str:
    """Return the query with every character but letters, digits and spaces made a space."""
    return " ".join(_NOT_WORD.sub(" ", query).split())


# --- Measures (pure) ------------------------------------------------------------------------


def average_precision(ranked: list[str], relevant: dict[str, int]) -> float:
    found, total = 0, 0.0
    for rank, key in enumerate(ranked, 1):
        if key in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def ndcg(ranked: list[str], relevant: dict[str, int], depth: int = 10) -> float:
    def gain(grades):
        return sum((2**grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(grades, 1))

    ideal = gain(sorted(relevant.values(), reverse=True)[:depth])
    return gain(relevant.get(key, 0) for key in ranked[:depth]) / ideal if ideal else 0.0


def precision(ranked: list[str], relevant: dict[str, int], depth: int = 10) -> float:
    return sum(key in relevant for key in ranked[:depth]) / depth


def recall(ranked: list[str], relevant: dict[str, int], depth: int = 100) -> float:
    return sum(key in relevant for key in ranked[:depth]) / len(relevant) if relevant else 0.0


MEASURES = {
    "MAP": average_precision,
    "nDCG@10": ndcg,
    "P@10": precision,
    "R@100": recall,
}


def score(runs: dict[str, list[str]], judged: dict[str, dict[str, int]]) -> dict[str, float]:
    """Return each measure's mean over the judged queries (an unanswered query scores 0)."""
    return {
        name: round(
            sum(measure(runs.get(query, []), relevant) for query, relevant in judged.items())
            / len(judged),
            4,
        )
        for name, measure in MEASURES.items()
    }


# --- Running the archive's search -----------------------------------------------------------


def build_index(documents: list[Document], folder: Path):
    from search.backends.whoosh.backend import WhooshBackend

    backend = WhooshBackend(folder)
    backend.rebuild(
        (
            {"id": str(number), "title": document.title, "body": document.text, "sort_date": 0}
            for number, document in enumerate(documents, 1)
        ),
        last_change=0,
    )
    return backend


def run_queries(backend, queries: dict[str, str], keys: list[str]) -> dict[str, list[str]]:
    from search.backends.base import SearchRequest

    runs = {}
    for query_id, text in queries.items():
        numbers = backend.matching_ids(SearchRequest(query=text, sort="relevance"))[:DEPTH]
        runs[query_id] = [keys[number - 1] for number in numbers]
    return runs


def measure(documents, queries, judged) -> dict:
    # Parsing reads rewrite_query from this module: replacing it there searches as typed.
    import search.backends.whoosh.query as engine

    judged = {query: relevant for query, relevant in judged.items() if query in queries}
    queries = {query: text for query, text in queries.items() if query in judged}
    keys = [document.key for document in documents]
    with tempfile.TemporaryDirectory(prefix="punctuation-") as folder:
        backend = build_index(documents, Path(folder))
        try:
            typed = run_queries(backend, queries, keys)
            stripped = run_queries(backend, {q: bare(t) for q, t in queries.items()}, keys)
            rewrite, engine.rewrite_query = engine.rewrite_query, lambda text, **_: text
            try:
                unrewritten = run_queries(backend, queries, keys)
            finally:
                engine.rewrite_query = rewrite
        finally:
            backend.close()
    with_punctuation = [query for query, text in queries.items() if text != bare(text)]
    differing = [
        {
            "query": query,
            "typed": queries[query],
            "typed_AP": round(average_precision(typed[query], judged[query]), 3),
            "bare_AP": round(average_precision(stripped[query], judged[query]), 3),
            "unrewritten_AP": round(average_precision(unrewritten[query], judged[query]), 3),
        }
        for query in with_punctuation
        if typed[query][:DEPTH] != stripped[query][:DEPTH]
    ]
    return {
        "documents": len(documents),
        "queries": len(queries),
        "queries_with_punctuation": len(with_punctuation),
        "typed": score(typed, judged),
        "bare": score(stripped, judged),
        "unrewritten": score(unrewritten, judged),
        "differing": differing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collection", type=Path, help="a folder with docs, queries and qrels")
    parser.add_argument("--docs", type=Path)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--qrels", type=Path)
    parser.add_argument("--renumber-queries", action="store_true")
    parser.add_argument("--grades-reversed", action="store_true")
    parser.add_argument("--name", help="the name in the results file (default: the folder's)")
    options = parser.parse_args()
    docs, queries, qrels = _paths(options)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    result = measure(
        read_documents(docs.read_text(encoding="utf-8", errors="replace")),
        read_queries(queries.read_text(encoding="utf-8"), renumber=options.renumber_queries),
        read_judgements(qrels.read_text(encoding="utf-8"), reversed_grades=options.grades_reversed),
    )
    name = options.name or (options.collection or docs.parent).name
    print(
        f"{name}: {result['documents']} documents, {result['queries']} judged queries "
        f"({result['queries_with_punctuation']} with punctuation)"
    )
    for run in ("typed", "bare", "unrewritten"):
        print(f"  {run:12} " + "  ".join(f"{k} {v:.4f}" for k, v in result[run].items()))
    print(f"  typed / bare MAP: {result['typed']['MAP'] / max(result['bare']['MAP'], 1e-9):.3f}")
    for row in result["differing"]:
        print(
            f"  {row['query']}: {row['typed']!r} AP typed {row['typed_AP']}, bare "
            f"{row['bare_AP']}, unrewritten {row['unrewritten_AP']}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"punctuation-{name}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"Written to {out}")


def _paths(options) -> tuple[Path, Path, Path]:
    if options.collection:
        folder = options.collection

        def find(*names: str) -> Path:
            for name in names:
                matches = sorted(folder.glob(name))
                if matches:
                    return matches[0]
            raise SystemExit(f"No file matching {names} in {folder}.")

        return (
            options.docs or find("docs.*", "corpus.*", "*.all*", "documents.*"),
            options.queries or find("queries.*", "topics.*", "*.qry", "*.que*"),
            options.qrels or find("qrels*", "*rel*"),
        )
    if not (options.docs and options.queries and options.qrels):
        raise SystemExit("Give --collection, or --docs, --queries and --qrels.")
    return options.docs, options.queries, options.qrels


if __name__ == "__main__":
    main()
