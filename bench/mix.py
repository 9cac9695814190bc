"""The fixed query mix the search benchmarks replay, and the throwaway archive they run on.

    from bench.mix import query_mix, taxonomy_from_db
    mix = query_mix(index_dir=settings.SEARCH_INDEX_DIR, taxonomy=taxonomy_from_db())

Words come from the index's own statistics, so the mix suits any corpus: rare, mid-frequency and
common words (by the documents their stem is in), words that occur together, phrases seen in the
text, exclusions. Facet selections use values the index holds. Each entry is a SearchRequest and
the /search/ address that makes the page ask exactly that, so a benchmark can replay the mix
in-process or over HTTP. The same seed and index give the same mix.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from search.backends.base import SearchRequest

# kind -> share of the mix. Single words of three frequencies, word combinations, facet
# browsing and filtering, deep pages, date order, mentions.
KINDS = {
    "rare word": 2,
    "mid word": 2,
    "common word": 2,
    "two words": 2,
    "three words": 1,
    "phrase": 2,
    "exclusion": 1,
    "browse facets": 2,
    "word + facets": 2,
    "multi-select": 2,
    "year range": 2,
    "deep page": 1,
    "by date": 2,
    "mentions": 1,
}
# Kinds whose words, if any, are common ones: their match sets before filters are broad, which
# is where facet counting costs most.
BROAD_KINDS = frozenset(
    {"common word", "browse facets", "multi-select", "year range", "deep page", "mentions"}
)
# Word bands, as shares of the articles holding the word's stem.
RARE_AT_MOST = 0.001
MID_BAND = (0.01, 0.05)
COMMON_ABOVE = 0.20
# A band with fewer words than this (a small or uniform corpus) takes its neighbours by
# frequency instead, so every kind can still find distinct words.
BAND_AT_LEAST = 40
DEEP_PAGES = (20, 50)  # the page stops at 50 (search.service.url_state.MAX_PAGE)
# Phrases are pairs of words seen next to each other in a sample of articles.
PHRASE_SAMPLE = 150
PHRASES = 300  # the pairs seen in the most sampled articles
WORD = re.compile(r"[a-z]{3,20}")
TRIES = 60  # attempts per wanted entry before a kind gives up: the index is too small
FACETS = ("country", "ministry", "crime_type", "source", "year")
TAG_FACETS = ("country", "ministry", "crime_type")


@dataclass(frozen=True)
class MixEntry:
    kind: str
    request: SearchRequest
    path: str  # /search/?... : the page runs the same request


def taxonomy_from_db() -> dict:
    """Return what the mix may select, as the index and the URL name it:

    {"country": {"12": "KH", ...},  # index value (id as text) -> URL value (code or slug)
     "ministry": {...}, "crime_type": {...}, "source": {...},
     "crime_type_parent": {"3": "2", "1": None, ...},  # the page widens a type to those below
     "years": ["2000", ...]}  # years articles have
    """
    from archive.models import Article, Country, CrimeType, Ministry, Source

    return {
        "country": {str(pk): code for pk, code in Country.objects.values_list("pk", "code")},
        "ministry": {str(pk): slug for pk, slug in Ministry.objects.values_list("pk", "slug")},
        "crime_type": {str(pk): slug for pk, slug in CrimeType.objects.values_list("pk", "slug")},
        "source": {str(pk): slug for pk, slug in Source.objects.values_list("pk", "slug")},
        "crime_type_parent": {
            str(pk): None if parent is None else str(parent)
            for pk, parent in CrimeType.objects.values_list("pk", "parent_id")
        },
        "years": sorted(
            str(year)
            for year in Article.objects.exclude(year=None).values_list("year", flat=True).distinct()
        ),
    }


def query_mix(
    *,
    index_dir: Path,
    taxonomy: dict,
    seed: int = 7,
    size: int = 240,
    texts_of: Callable[[list[int]], dict[int, tuple[str, str]]] | None = None,
) -> list[MixEntry]:
    """Return `size` distinct entries, the kinds in KINDS's proportions, in a seeded order.

    Phrases are words next to each other in the index, where stop words are left out; with
    `texts_of` ({id: (title, body)} for ids, as the backend takes it) only those also next to
    each other in the text itself are kept, so an engine that keeps stop words finds them too.
    """
    if size < len(KINDS):
        raise ValueError(f"A mix of {size} cannot hold all {len(KINDS)} kinds; ask for more.")
    rng = random.Random(seed)
    vocabulary = _Vocabulary.read(Path(index_dir), taxonomy, texts_of)
    try:
        entries = _entries(_Picker(rng, vocabulary, taxonomy), size, taxonomy)
    finally:
        vocabulary.close()
    rng.shuffle(entries)
    return entries


def _entries(picker: _Picker, size: int, taxonomy: dict) -> list[MixEntry]:
    entries, seen = [], set()
    for kind, wanted in _quotas(size).items():
        made = 0
        for _ in range(wanted * TRIES):
            spec = getattr(picker, _method(kind))()
            if spec is None:
                continue
            entry = spec.entry(kind, taxonomy)
            key = _request_key(entry.request)
            if key in seen:
                continue
            seen.add(key)
            entries.append(entry)
            made += 1
            if made == wanted:
                break
        else:
            raise ValueError(
                f"Only {made} distinct {kind!r} requests of {wanted} could be made from an "
                f"index of {picker.words.articles} articles; use a larger archive or a smaller "
                "mix."
            )
    return entries


@contextmanager
def bench_archive(*, articles: int, seed: int, workdir: Path | None = None) -> Iterator[Path]:
    """Set Django up on a throwaway archive of `articles` articles with its index, and yield its
    folder. With `workdir`, the archive is kept there and reused when already built."""
    import time

    from bench.export_memory import configure, fill

    with (
        tempfile.TemporaryDirectory(prefix="mix-bench-") if workdir is None else _kept(workdir)
    ) as folder:
        folder = Path(folder)
        built = (folder / "index" / "current").exists()
        configure(None, folder)
        from django.core.management import call_command
        from django.db import connection

        if not built:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            fill(articles, seed)
            print(f"filled {articles} articles in {time.perf_counter() - started:.1f}s")
            started = time.perf_counter()
            call_command("rebuild_index", verbosity=0)
            print(f"indexed in {time.perf_counter() - started:.1f}s")
        try:
            yield folder
        finally:
            connection.close()


@contextmanager
def _kept(workdir: Path) -> Iterator[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    yield str(workdir)


# --- Building entries ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """One request as a person would make it on the page."""

    words: str = ""
    selected: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet, index values), in order
    year_from: int | None = None
    year_to: int | None = None
    mentions: bool = False
    sort: str | None = None  # None: the page's default
    page: int = 1

    def entry(self, kind: str, taxonomy: dict) -> MixEntry:
        from django.urls import reverse

        from search.service.url_state import (
            MENTIONS,
            PAGE,
            PAGE_SIZE,
            SORT,
            YEAR,
            YEAR_FROM,
            YEAR_TO,
            Q,
        )

        chosen = dict(self.selected)
        years = chosen.pop("year", ())
        # As the page's own links write them (a "year:" prefix typed in the box redirects here).
        params = [(Q, self.words)] if self.words else []
        for facet, values in chosen.items():
            params += [(facet, taxonomy[facet][value]) for value in values]
        params += [(YEAR, year) for year in years]
        params += [(YEAR_FROM, self.year_from)] if self.year_from is not None else []
        params += [(YEAR_TO, self.year_to)] if self.year_to is not None else []
        params += [(MENTIONS, "1")] if self.mentions else []
        params += [(SORT, self.sort)] if self.sort else []
        params += [(PAGE, self.page)] if self.page > 1 else []

        selected = {facet: tuple(values) for facet, values in chosen.items()}
        if "crime_type" in selected:
            selected["crime_type"] = _with_types_below(selected["crime_type"], taxonomy)
        if years:
            selected["year"] = tuple(years)
        request = SearchRequest(
            query=self.words,
            selected=selected,
            year_from=self.year_from,
            year_to=self.year_to,
            include_mentions=self.mentions,
            count="incidents",  # the page's default: each incident once
            sort=self.sort or ("relevance" if self.words else "newest"),
            page=self.page,
            page_size=PAGE_SIZE,
        )
        path = reverse("search:search") + (f"?{urlencode(params)}" if params else "")
        return MixEntry(kind, request, path)


class _Picker:
    """One method per kind, each returning a _Spec (or None when this attempt found nothing)."""

    def __init__(self, rng: random.Random, vocabulary: _Vocabulary, taxonomy: dict):
        self.rng = rng
        self.words = vocabulary
        self.taxonomy = taxonomy

    def rare_word(self) -> _Spec:
        return _Spec(self.words.form(self.rng.choice(self.words.rare)))

    def mid_word(self) -> _Spec:
        return _Spec(self.words.form(self.rng.choice(self.words.mid)))

    def common_word(self) -> _Spec:
        return _Spec(self.words.form(self.rng.choice(self.words.common)))

    def two_words(self) -> _Spec | None:
        return self._together([self.words.mid, self.words.mid + self.words.common])

    def three_words(self) -> _Spec | None:
        return self._together([self.words.mid, self.words.common, self.words.common])

    def phrase(self) -> _Spec | None:
        if not self.words.phrases:
            return None
        first, second = self.rng.choice(self.words.phrases)
        return _Spec(f'"{self.words.form(first)} {self.words.form(second)}"')

    def exclusion(self) -> _Spec | None:
        kept, left_out = self.rng.choice(self.words.common), self.rng.choice(self.words.mid)
        if kept == left_out or not self.words.docs(kept) - self.words.docs(left_out):
            return None
        return _Spec(f"{self.words.form(kept)} -{self.words.form(left_out)}")

    def browse_facets(self) -> _Spec | None:
        selected = self._selections(self.rng.randint(1, 3))
        return _Spec(selected=selected) if selected else None

    def word_facets(self) -> _Spec | None:
        word = self.rng.choice(self.words.mid + self.words.common)
        return _Spec(self.words.form(word), selected=self._selections(self.rng.randint(1, 3)))

    def multi_select(self) -> _Spec | None:
        selected = self._selections(self.rng.randint(1, 2), double=True)
        return _Spec(self._broad_words(), selected=selected) if selected else None

    def year_range(self) -> _Spec | None:
        years = sorted(int(year) for year in self.words.facet_values["year"])
        if not years:
            return None
        low, high = sorted(self.rng.sample(years, 2) if len(years) > 1 else years * 2)
        shape = self.rng.random()
        if shape < 0.2:
            low = None
        elif shape < 0.4:
            high = None
        selected = self._selections(1, among=TAG_FACETS) if self.rng.random() < 0.3 else ()
        return _Spec(self._broad_words(), selected=selected, year_from=low, year_to=high)

    def deep_page(self) -> _Spec:
        sort = self.rng.choice([None, None, "newest", "oldest"])
        return _Spec(self._broad_words(), sort=sort, page=self.rng.randint(*DEEP_PAGES))

    def by_date(self) -> _Spec:
        word = self.rng.choice(self.words.mid + self.words.common)
        sort = self.rng.choice(["newest", "oldest"])
        return _Spec(self.words.form(word), sort=sort, page=self.rng.randint(1, 3))

    def mentions(self) -> _Spec | None:
        facets = [f for f in TAG_FACETS if self.words.facet_values[f"{f}_all"]]
        if not facets:
            return None
        chosen = sorted(self.rng.sample(facets, self.rng.randint(1, min(2, len(facets)))))
        selected = tuple(
            (facet, (self.rng.choice(self.words.facet_values[f"{facet}_all"]),)) for facet in chosen
        )
        return _Spec(self._broad_words(), selected=selected, mentions=True)

    # --- helpers ---

    def _broad_words(self) -> str:
        """Return no words or a common word, half the time each."""
        if self.rng.random() < 0.5:
            return ""
        return self.words.form(self.rng.choice(self.words.common))

    def _together(self, pools: list[list[str]]) -> _Spec | None:
        """Return words, one from each pool, that some article has all of (so the search is
        not answered by the any-word fallback)."""
        chosen: list[str] = []
        docs: frozenset[int] | None = None
        for pool in pools:
            for _ in range(20):
                word = self.rng.choice(pool)
                if word in chosen:
                    continue
                together = self.words.docs(word) if docs is None else docs & self.words.docs(word)
                if together:
                    chosen.append(word)
                    docs = together
                    break
            else:
                return None
        return _Spec(" ".join(self.words.form(word) for word in chosen))

    def _selections(self, count: int, *, double: bool = False, among=FACETS):
        """Return `count` facets with a value each (two values in the first when `double`)."""
        facets = [f for f in among if len(self.words.facet_values[f]) >= (2 if double else 1)]
        if len(facets) < count:
            return ()
        chosen = self.rng.sample(facets, count)
        selected = []
        for number, facet in enumerate(chosen):
            values = self.words.facet_values[facet]
            picked = self.rng.sample(values, 2 if double and number == 0 else 1)
            selected.append((facet, tuple(sorted(picked, key=int))))
        return tuple(sorted(selected))


def _method(kind: str) -> str:
    return {"word + facets": "word_facets"}.get(kind, kind.replace(" ", "_").replace("-", "_"))


def _quotas(size: int) -> dict[str, int]:
    """Return entries per kind: `size` split by the shares, largest remainders rounding up."""
    total = sum(KINDS.values())
    quotas = {kind: size * share // total for kind, share in KINDS.items()}
    by_remainder = sorted(KINDS, key=lambda kind: -(size * KINDS[kind] % total))
    for kind in by_remainder[: size - sum(quotas.values())]:
        quotas[kind] += 1
    return quotas


def _with_types_below(values: tuple[str, ...], taxonomy: dict) -> tuple[str, ...]:
    """Return the crime types and every type below them, as the page widens a selection."""
    from archive.taxonomy import descendant_ids

    parents = {
        int(pk): None if parent is None else int(parent)
        for pk, parent in taxonomy["crime_type_parent"].items()
    }
    return tuple(str(pk) for pk in sorted(descendant_ids(parents, [int(v) for v in values])))


def _request_key(request: SearchRequest) -> tuple:
    return (
        request.query,
        tuple(sorted(request.selected.items())),
        request.year_from,
        request.year_to,
        request.include_mentions,
        request.sort,
        request.page,
        request.page_size,
    )


# --- What the index knows -----------------------------------------------------------------


@dataclass
class _Vocabulary:
    """Word bands (stems), readable forms, phrases and facet values, read from one index."""

    articles: int
    forms: dict[str, str]  # stem -> its commonest unstemmed word
    rare: list[str]
    mid: list[str]
    common: list[str]
    phrases: list[tuple[str, str]]  # stems seen next to each other
    facet_values: dict[str, list[str]]  # facet or <facet>_all -> values in the index
    _searcher: object  # open until close(): docs() reads postings on demand
    postings: dict[str, frozenset[int]] = field(default_factory=dict)

    def form(self, stem: str) -> str:
        return self.forms[stem]

    def docs(self, stem: str) -> frozenset[int]:
        """Return the documents whose body holds the stem."""
        if stem not in self.postings:
            matcher = self._searcher.reader().postings("body", stem)
            self.postings[stem] = frozenset(matcher.all_ids())
        return self.postings[stem]

    @classmethod
    def read(cls, index_dir: Path, taxonomy: dict, texts_of=None) -> _Vocabulary:
        from whoosh import index
        from whoosh.query import Term

        ix = index.open_dir(str(index_dir / "current"), readonly=True)
        searcher = ix.searcher()
        reader = searcher.reader()
        articles = sorted(searcher.docs_for_query(Term("kind", "article")))
        if not articles:
            raise ValueError(f"The index at {index_dir} has no articles to draw words from.")
        count = len(articles)
        analyzer = ix.schema["body"].analyzer
        # Queries need unstemmed words. The index keeps them for spelling suggestions, in
        # `spell_body` (with document counts) or `vocabulary` (each word once); without either,
        # stems have to do (stemming a stem mostly leaves it alone, but they read badly).
        names = ix.schema.names()
        word_field = next((f for f in ("spell_body", "vocabulary") if f in names), "body")
        # stem -> (-documents, not a prefix of the word, length, word): the commonest form,
        # else the shortest that reads as the stem ("business" for "busi")
        best: dict[str, tuple] = {}
        for text, info in reader.iter_field(word_field):
            word = text.decode() if isinstance(text, bytes) else text
            # The vocabulary keeps a name as written ("Poipet"); searches ignore case.
            word = word.lower()
            if not WORD.fullmatch(word):
                continue
            stems = [token.text for token in analyzer(word)]
            if len(stems) != 1:
                continue
            stem = stems[0]
            candidate = (-info.doc_frequency(), not word.startswith(stem), len(word), word)
            if stem not in best or candidate < best[stem]:
                best[stem] = candidate
        frequency = {stem: df for stem in best if (df := reader.doc_frequency("body", stem))}
        ranked = sorted(frequency, key=lambda stem: (frequency[stem], stem))
        frequencies = [frequency[stem] for stem in ranked]

        def band(low: int, high: int) -> list[str]:
            """Return the stems in `low`..`high` documents, or the BAND_AT_LEAST nearest."""
            start = bisect.bisect_left(frequencies, low)
            end = bisect.bisect_right(frequencies, high)
            if end - start < BAND_AT_LEAST:
                middle = (start + end) // 2
                start = max(0, min(middle - BAND_AT_LEAST // 2, len(ranked) - BAND_AT_LEAST))
                end = start + BAND_AT_LEAST
            return ranked[start:end]

        common = band(int(COMMON_ABOVE * count) + 1, count)
        mid = band(math.ceil(MID_BAND[0] * count), int(MID_BAND[1] * count))
        return cls(
            articles=count,
            forms={stem: candidate[-1] for stem, candidate in best.items()},
            rare=band(1, max(3, int(RARE_AT_MOST * count))),
            mid=mid,
            common=common,
            phrases=_phrases(
                searcher, analyzer, articles, sorted(set(mid) | set(common)), texts_of
            ),
            facet_values=_facet_values(reader, taxonomy),
            _searcher=searcher,
        )

    def close(self) -> None:
        self._searcher.close()


def _phrases(searcher, analyzer, articles, stems, texts_of) -> list[tuple[str, str]]:
    """Return pairs of stems next to each other in the body of sampled articles (and in their
    text, when `texts_of` is given), the pairs seen in the most articles first."""
    reader = searcher.reader()
    sample = sorted(
        random.Random(len(articles)).sample(articles, min(PHRASE_SAMPLE, len(articles)))
    )
    at: dict[tuple[int, int], str] = {}  # (document, position) -> stem
    for stem in stems:
        matcher = reader.postings("body", stem)
        for document in sample:
            if not matcher.is_active():
                break
            if matcher.id() < document:
                matcher.skip_to(document)
                if not matcher.is_active():
                    break
            if matcher.id() == document:
                for position in matcher.value_as("positions"):
                    at[document, position] = stem
    seen = Counter()
    for (document, position), stem in at.items():
        following = at.get((document, position + 1))
        if following and following != stem:
            seen[stem, following] += 1
    if texts_of is not None:
        ids = [int(searcher.stored_fields(document)["id"]) for document in sample]
        in_text, memo = set(), {}
        for title, body in texts_of(ids).values():
            in_text |= _adjacent_stems(analyzer, f"{title}\n{body}", memo)
        seen = Counter({pair: count for pair, count in seen.items() if pair in in_text})
    return sorted(seen, key=lambda pair: (-seen[pair], pair))[:PHRASES]


def _adjacent_stems(analyzer, text: str, memo: dict[str, str | None]) -> set[tuple[str, str]]:
    """Return the pairs of stems of words next to each other in `text`, stop words kept in
    place (a stop word between two words parts them)."""
    stems = []
    for word in re.findall(r"\w+", text.lower()):
        if word not in memo:
            memo[word] = next((token.text for token in analyzer(word)), None)
        stems.append(memo[word])
    return {(a, b) for a, b in itertools.pairwise(stems) if a and b}


def _facet_values(reader, taxonomy: dict) -> dict[str, list[str]]:
    """Return, per facet field, the values the index holds that the taxonomy names."""
    known = {facet: taxonomy[facet] for facet in (*TAG_FACETS, "source")}
    known["year"] = dict.fromkeys(taxonomy["years"])
    values = {}
    for facet in FACETS:
        fields = [facet, f"{facet}_all"] if facet in TAG_FACETS else [facet]
        for name in fields:
            held = (t.decode() if isinstance(t, bytes) else t for t in reader.field_terms(name))
            values[name] = sorted((v for v in held if v in known[facet]), key=int)
    return values
