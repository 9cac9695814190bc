"""Two costs a hostile or a busy user can drive: "did you mean" per query, and the admin search.

    python bench/search_costs.py --database-url URL --index-dir DIR   (run.py calls it too)

Spelling: queries built to cost the most (eight, 23 and 40 unknown 12-letter words; a sentence
of misspelt common words; single typos of rare and of common words) each go through the
search's spelling check (search.query.spelling.corrections) several times; the worst time per query
is the figure. The first check after an index version reads each segment's vocabulary once: that
cost is reported apart ("cold"), since a worker pays it once per index version, not per query.

Admin search: a superuser's article list (/admin/archive/article/) searched for a common word, a
rare one, two words, a phrase, a misspelling, a word with a country filter and a common word
with the filters' counts shown, in this process
through Django's test client (the server's work, without the network): once, the first time
this process meets the query (reported apart, as "first"), then five times (median and worst).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import string
import time

REPEATS = 5
ADMIN_REPEATS = 5


def spelling_queries(words: list[str], rng: random.Random) -> dict[str, str]:
    """Return {name: query}: the costliest kinds of text for the spelling check."""

    def unknown(length: int) -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(length))

    def typo(word: str) -> str:
        position = rng.randrange(len(word))
        return word[:position] + rng.choice("aeiou") + word[position + 1 :]

    common = [word for word in words if len(word) >= 6][:200] or ["police"]
    rare = [word for word in words if len(word) >= 8][-200:] or ["trafficking"]
    return {
        "8 unknown 12-letter words": " ".join(unknown(12) for _ in range(8)),
        "23 unknown 12-letter words": " ".join(unknown(12) for _ in range(23)),
        "40 unknown 12-letter words": " ".join(unknown(12) for _ in range(40)),
        "40 misspelt common words": " ".join(typo(rng.choice(common)) for _ in range(40)),
        "one misspelt common word": typo(rng.choice(common)),
        "one misspelt rare word": typo(rng.choice(rare)),
        "2 misspelt words and 3 right": " ".join(
            [typo(rng.choice(common)), *rng.sample(common, 3), typo(rng.choice(rare))]
        ),
    }


def spelling_costs(backend, *, seed: int = 7) -> dict:
    """Return the spelling check's cost per query kind (worst of REPEATS, ms) and the cold
    vocabulary read."""
    from search.query.spelling import WordList, corrected_query, corrections

    _, snapshot = backend._searcher_now()
    # What a worker does once per index version: read every segment's vocabulary.
    started = time.perf_counter()
    for _segment, _offset, leaf in snapshot._parts:
        WordList(leaf.field_terms("vocabulary"))
    cold_ms = (time.perf_counter() - started) * 1000
    vocabulary = snapshot.vocabulary()
    words = sorted({word for part in vocabulary.lists for word in part.forms})
    queries = spelling_queries(words, random.Random(seed))
    per_query = {}
    for name, text in queries.items():
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            found = corrections(text, vocabulary)
            corrected_query(text, found, vocabulary)
            times.append((time.perf_counter() - started) * 1000)
        per_query[name] = {
            "worst_ms": round(max(times), 2),
            "median_ms": round(statistics.median(times), 2),
            "corrected_words": len(found),
        }
    return {
        "vocabulary_words": len(words),
        "cold_vocabulary_read_ms": round(cold_ms, 1),
        "worst_ms": max(entry["worst_ms"] for entry in per_query.values()),
        "queries": per_query,
    }


def admin_search_times(*, seed: int = 7) -> dict:
    """Return the admin article list's search times per query (ms): median and worst."""
    from django.conf import settings
    from django.test import override_settings

    # Pages name static files through collectstatic's manifest, which no bench run writes: in
    # this process they are named as they are (the test suite does the same).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        return _admin_search_times(seed)


def _admin_search_times(seed: int) -> dict:
    from django.contrib.auth.models import User
    from django.test import Client

    from archive.models import Country
    from search.backends import get_backend

    _, snapshot = get_backend()._searcher_now()
    words = sorted({word for part in snapshot.vocabulary().lists for word in part.forms})
    rng = random.Random(seed)
    by_length = [word for word in words if word.isalpha() and len(word) >= 5]
    common = "police" if "police" in words else by_length[0]
    rare = rng.choice(by_length[-500:] or by_length)
    country = Country.objects.order_by("code").values_list("code", flat=True).first() or "KH"
    queries = {
        "a common word": {"q": common},
        "a rare word": {"q": rare},
        "two words": {"q": f"{common} {rng.choice(by_length)}"},
        "a phrase": {"q": f'"{common} said"'},
        "a misspelling": {"q": "trafficingg"},
        "a word and a country filter": {"q": common, "country": country},
        # The filters' counts, shown on request while searching (Show counts).
        "a common word, counts shown": {"q": common, "_facets": "True"},
    }
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    client.get("/admin/archive/article/", secure=True)  # opens the index and caches
    per_query = {}
    for name, params in queries.items():
        # The first time a process meets a word it reads the word's postings (and, for a
        # phrase, their positions) from disk: reported apart, as the spelling's cold read is.
        started = time.perf_counter()
        client.get("/admin/archive/article/", params, secure=True)
        first = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(ADMIN_REPEATS):
            started = time.perf_counter()
            response = client.get("/admin/archive/article/", params, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"admin search {params} answered {response.status_code}")
        per_query[name] = {
            "query": params,
            "first_ms": round(first, 1),
            "median_ms": round(statistics.median(times), 1),
            "worst_ms": round(max(times), 1),
            "listed": _listed(response.content.decode()),
        }
    return {
        "worst_ms": max(entry["worst_ms"] for entry in per_query.values()),
        "worst_first_ms": max(entry["first_ms"] for entry in per_query.values()),
        "median_ms": round(statistics.median(e["median_ms"] for e in per_query.values()), 1),
        "queries": per_query,
    }


def _listed(page: str) -> int | None:
    """Return how many articles the change list says it lists (its paginator's count)."""
    found = re.search(r'class="paginator">\s*([0-9,]+) article', page)
    return int(found[1].replace(",", "")) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--index-dir", required=True)
    options = parser.parse_args()
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import configure

    configure(options.database_url, Path(options.index_dir))
    from search.backends import get_backend

    print(spelling_costs(get_backend()))
    print(admin_search_times())


if __name__ == "__main__":
    main()
