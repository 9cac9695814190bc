"""How well the archive tells and searches the region's languages, on reports written for it.

    python bench/languages.py [--fixtures tests/fixtures/languages/reports.jsonl]

The fixtures (or any file in their format: id, language, title, body, words) give each report's
language and words taken from it. Three measures, per language:

- identification: the share of reports whose language each method names right: the archive's
  (archive.languages.identify: py3langid checked against the script), py3langid alone, the
  script alone, and lingua-language-detector when it is installed (it is not a dependency);
  full reports and headline-length ones apart; and milliseconds per report;
- words: every listed word of the language is searched, with the archive's own index and
  search (the Whoosh backend, as rebuild_index builds it), over all the reports. A report
  should be found when it holds the word (for scripts written without spaces: anywhere in its
  text; for the others: as a whole word, in any case) and not otherwise; precision and recall
  over every (word, report) pair. A listed word of several parts ("Công an", police) is asked
  as a phrase, and again as typed without quotes (its parts anywhere);
- indexing: microseconds the index's word analysis takes per thousand characters of text.

Results go to bench/results/languages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
FIXTURES = REPO / "tests" / "fixtures" / "languages" / "reports.jsonl"
LANGUAGES = ("km", "th", "lo", "my", "vi", "zh", "en")
INDEXING_ROUNDS = 20


def read_reports(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def script_only(text: str) -> str:
    from archive.languages.identify import VIETNAMESE_LETTERS
    from archive.languages.scripts import SCRIPT_LANGUAGES, main_script

    script, share = main_script(text)
    if script in SCRIPT_LANGUAGES and share > 0.5:
        return SCRIPT_LANGUAGES[script]
    return "vi" if any(char in VIETNAMESE_LETTERS for char in text.lower()) else "en"


def identifiers() -> dict:
    from archive.languages.identify import detect, identify_language

    methods = {
        "archive": lambda text: identify_language(text).code,
        "py3langid alone": lambda text: detect(text)[0],
        "script alone": script_only,
    }
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return methods
    lingua = LanguageDetectorBuilder.from_all_languages().build()

    def lingua_code(text: str) -> str:
        found = lingua.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "?"

    methods["lingua"] = lingua_code
    return methods


def identification(reports: list[dict]) -> dict:
    results: dict = {}
    for name, identify in identifiers().items():
        right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        started = time.perf_counter()
        for report in reports:
            text = f"{report['title']}\n\n{report['body']}"
            group = "short" if report["id"].startswith("short-") else "full"
            tally = right[f"{report['language']} {group}"]
            tally[0] += identify(text) == report["language"]
            tally[1] += 1
        seconds = time.perf_counter() - started
        results[name] = {
            "accuracy": {
                key: round(good / total, 3) for key, (good, total) in sorted(right.items())
            },
            "wrong": [
                f"{report['id']}: {identify(report['title'] + chr(10) + report['body'])}"
                for report in reports
                if identify(report["title"] + "\n" + report["body"]) != report["language"]
            ],
            "ms_per_report": round(seconds * 1000 / len(reports), 3),
        }
    return results


def holds(text: str, word: str) -> bool:
    from archive.languages.words import has_unspaced

    if has_unspaced(word):
        return word in text
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def holds_another_form(text: str, word: str) -> bool:
    """Return whether text holds a word of the same English stem ("arrests" for "arrested"),
    which the index's English stemming finds on purpose."""
    from whoosh.lang.porter import stem

    wanted = [stem(part) for part in word.lower().split()]
    stems = {stem(token) for token in re.findall(r"\w+", text.lower())}
    return all(part in stems for part in wanted)


def word_search(reports: list[dict], *, as_typed: bool = False) -> dict:
    from search.backends.base import SearchRequest
    from search.backends.whoosh.backend import WhooshBackend

    texts = [f"{report['title']}\n{report['body']}" for report in reports]
    results = {}
    with tempfile.TemporaryDirectory(prefix="languages-") as folder:
        backend = WhooshBackend(Path(folder))
        try:
            backend.rebuild(
                (
                    {"id": str(number), "title": r["title"], "body": r["body"], "sort_date": 0}
                    for number, r in enumerate(reports, 1)
                ),
                last_change=0,
            )
            for language in LANGUAGES:
                words = sorted(
                    {word for r in reports if r["language"] == language for word in r["words"]}
                )
                found_right = found = wanted = other_forms = 0
                misses, extras = [], []
                for word in words:
                    # Words of several syllables or parts ("Công an") are asked as the phrase
                    # they are; --as-typed asks their parts, each anywhere.
                    query = f'"{word}"' if " " in word and not as_typed else word
                    request = SearchRequest(query=query, sort="relevance", page_size=0)
                    # The reports holding every word: a search for words no report holds all
                    # of answers with reports holding some, and says so; those are not counted.
                    answer = backend.search(request, texts_of=lambda ids: {})
                    hits = set()
                    if not answer.any_words:
                        hits = {number - 1 for number in backend.matching_ids(request)}
                    expected = {n for n, text in enumerate(texts) if holds(text, word)}
                    found_right += len(hits & expected)
                    found += len(hits)
                    wanted += len(expected)
                    misses += [f"{word} in {reports[n]['id']}" for n in sorted(expected - hits)]
                    extras += [f"{word} in {reports[n]['id']}" for n in sorted(hits - expected)]
                    if language == "en":
                        other_forms += sum(
                            holds_another_form(texts[n], word) for n in hits - expected
                        )
                results[language] = {
                    "words": len(words),
                    "precision": round(found_right / found, 3) if found else None,
                    "recall": round(found_right / wanted, 3) if wanted else None,
                    # English only: reports found through another form of the word counted
                    # as right (stemming is meant to find them).
                    "precision_with_word_forms": round((found_right + other_forms) / found, 3)
                    if found and language == "en"
                    else None,
                    "missed": misses[:20],
                    "extra": extras[:20],
                }
        finally:
            backend.close()
    return results


def indexing_cost(reports: list[dict]) -> dict:
    from whoosh.formats import Positions  # noqa: F401  (the format IndexedText extends)

    from search.backends.whoosh.schema import IndexedText, word_analyzer

    field, analyzer = IndexedText(field_boost=1.0), word_analyzer()
    cost = {}
    for language in LANGUAGES:
        texts = [r["body"] for r in reports if r["language"] == language]
        characters = sum(map(len, texts))
        started = time.perf_counter()
        for _ in range(INDEXING_ROUNDS):
            for text in texts:
                list(field.word_values(text, analyzer, mode="index"))
        seconds = time.perf_counter() - started
        cost[language] = round(seconds * 1e6 / (INDEXING_ROUNDS * characters / 1000), 1)
    return cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    reports = read_reports(options.fixtures)
    result = {
        "fixtures": str(options.fixtures),
        "reports": len(reports),
        "identification": identification(reports),
        "words": word_search(reports),
        "words_as_typed": word_search(reports, as_typed=True),
        "indexing_us_per_1000_chars": indexing_cost(reports),
    }
    print(f"{len(reports)} reports from {options.fixtures}")
    for name, row in result["identification"].items():
        accuracy = "  ".join(f"{key} {value:.2f}" for key, value in row["accuracy"].items())
        print(f"identification, {name} ({row['ms_per_report']} ms a report): {accuracy}")
    for language, row in result["words"].items():
        typed = result["words_as_typed"][language]
        print(
            f"words, {language}: {row['words']} words, precision {row['precision']}, "
            f"recall {row['recall']} (parts asked apart: precision {typed['precision']}, "
            f"recall {typed['recall']})"
            + (
                f"; precision counting other forms of a word (stems) as right: "
                f"{row['precision_with_word_forms']}"
                if row["precision_with_word_forms"] is not None
                else ""
            )
        )
    costs = result["indexing_us_per_1000_chars"]
    print("indexing, µs per 1,000 characters: " + "  ".join(f"{k} {v}" for k, v in costs.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "languages.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
