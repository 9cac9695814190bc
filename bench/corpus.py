"""A deterministic corpus of enforcement news for the benchmarks: text, titles and metadata.

    python bench/corpus.py --size 1000 [--seed 7] --out /tmp/corpus [--per-file 1000]

Text: a word-level Markov chain of order 2, trained at run time on real news: the seed reports
(weighted up, so their enforcement vocabulary is common) and, when ../shared/datasets/bbc is
there, the 2,225 BBC articles (read at run time, never stored in this repository). Between the
chain's sentences go sentences built from each article's own metadata ("Police in Poipet arrested
12 suspects in a methamphetamine trafficking case, the National Authority for Combating Drugs
said."), and the chain's British places ("UK", "Britain", "London") and the seeds' Cambodian ones
become the article's country and places, so the tagger finds what the metadata says and a search
for a country or a crime type meets rare, middling and common words alike.

Metadata, each drawn from a skewed (Zipf-like) distribution:
- 12 countries of the shipped taxonomy, 1-2 per article;
- 40 ministries and agencies, 0-2 per article, chosen among the article's countries' own and the
  international bodies: the 36 the taxonomy ships (33 names: "Ministry of Interior" and
  "Ministry of Public Security" are several countries' entries, which the loader tells apart by
  the article's countries; two of them never go together) and 4 it lacks. The loader stores an
  article naming an unknown agency, leaves that name untagged and notes it as a warning
  ("unknown ministry ... not tagged"), as it would for a real feed naming an agency nobody added
  yet;
- 30 crime types of the shipped taxonomy, 1-3 per article;
- full publication dates from 2000-01-01 to END_DATE, more in recent years;
- 50 sources: the 17 the taxonomy ships and 33 invented outlets, which the loader adds by name.

Lengths run from 200 to 1,500 words (log-normal, median about 450). The same seed and size give
byte-identical files: one random.Random drives everything, and nothing depends on set order or
string hashing. Article n is the same whatever the size asked for.

Files are JSON Lines shards (`corpus-0001.jsonl`, ...) that `manage.py ingest <folder>` reads.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import itertools
import json
import math
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.ingest.cleaning import clean_text  # noqa: E402

BBC_DIR = REPO.parent / "shared" / "datasets" / "bbc" / "bbc"
SEEDS_DIR = REPO / "seeds"
SHARD_NAME = "corpus-{number:04d}.jsonl"

# Each seed transition counts as this many BBC ones: the five seeds hold 2,280 words against
# the BBC's 850,000, and this puts them near one sentence start in ten.
SEED_WEIGHT = 40
MIN_WORDS, MAX_WORDS = 200, 1500
MEDIAN_WORDS, LENGTH_SIGMA = 450, 0.55
# A chain sentence longer than this is drawn again (and cut after a few tries); it also keeps
# the last sentence from carrying an article over MAX_WORDS.
MAX_SENTENCE_WORDS = 60
# The share of sentences after the lead that come from the article's metadata, not the chain.
FACT_SHARE = 0.2
# Sentences per paragraph (1, 2 or 3), as in wire copy.
PARAGRAPH_SENTENCES = (1, 2, 3)
PARAGRAPH_WEIGHTS = (45, 40, 15)
FIRST_DATE = date(2000, 1, 1)
# Fixed rather than today, so that a corpus made next year is the same corpus; the ingest path
# refuses dates in the future.
END_DATE = date(2026, 10, 31)

# Zipf exponents: the first country is in about a third of the articles, the last in 3%.
COUNTRY_SKEW, MINISTRY_SKEW, CRIME_SKEW, SOURCE_SKEW = 1.0, 0.6, 0.9, 1.0

# Country codes of the shipped taxonomy, most reported first.
COUNTRY_CODES = ("KH", "VN", "TH", "CN", "LA", "MM", "MY", "PH", "ID", "AU", "US", "KR")
# Crime types of the shipped taxonomy, most reported first.
CRIME_TYPES = (
    "Drug trafficking",
    "Methamphetamine trafficking",
    "Online scams",
    "Human trafficking",
    "Gambling",
    "Online gambling",
    "Fraud",
    "Drug use",
    "Money laundering",
    "Corruption",
    "Smuggling",
    "Transnational crime",
    "Sexual exploitation",
    "Forced labour",
    "Cybercrime",
    "Drug offences",
    "Heroin trafficking",
    "Cannabis trafficking",
    "Kidnapping",
    "Homicide",
    "Robbery",
    "Extortion",
    "Weapons offences",
    "Illegal lottery",
    "Drug production",
    "Ketamine trafficking",
    "Wildlife trafficking",
    "Illegal logging",
    "Terrorism",
    "Financial crime",
)
# What a report seizes for each drug crime; the others seize "illegal drugs".
DRUG_WORDS = {
    "Methamphetamine trafficking": ("methamphetamine", "crystal meth", "yaba tablets"),
    "Heroin trafficking": ("heroin",),
    "Cannabis trafficking": ("cannabis", "marijuana"),
    "Ketamine trafficking": ("ketamine",),
}
# Agencies the shipped taxonomy lacks: (country code, name).
EXTRA_AGENCIES = (
    ("MY", "Royal Malaysia Police"),
    ("PH", "Philippine Drug Enforcement Agency"),
    ("AU", "Australian Federal Police"),
    ("US", "Drug Enforcement Administration"),
)
# Invented outlets beside the 17 the taxonomy ships; the ones that file with a dateline are
# marked as wires.
INVENTED_SOURCES = (
    "Mekong Herald",
    "The Border Dispatch",
    "Southeast Asia Monitor",
    "Tonle Sap Times",
    "The Gulf Courier",
    "Indochina Daily Report",
    "Asia Crime Wire",
    "The Delta Observer",
    "Regional Security Review",
    "Angkor Evening News",
    "The Straits Ledger",
    "Andaman Post",
    "The Capital Chronicle",
    "Pacific Rim Bulletin",
    "Lancang Weekly",
    "The Provincial Gazette",
    "Golden Triangle Journal",
    "The Harbour Times",
    "Monsoon News Service",
    "The River Crossing",
    "East Asia Justice Report",
    "The Morning Record",
    "Sihanouk Coast News",
    "The Highlands Star",
    "Trans-Asia Newswire",
    "The Civic Sentinel",
    "Citizen Voice Daily",
    "The Frontier Post",
    "Asia Rights Bulletin",
    "The Weekly Observer",
    "Metro Crime Desk",
    "The Public Ledger",
    "Coastal Times Online",
)
WIRE_SOURCES = {
    "Xinhua": "Xinhua",
    "Agence France-Presse": "AFP",
    "Associated Press": "AP",
    "Reuters": "Reuters",
    "Vietnam News Agency": "VNA",
    "Agence Kampuchea Presse": "AKP",
    "Trans-Asia Newswire": "TAN",
}
# Invented names for spokespeople and reporters.
GIVEN_NAMES = (
    "Dara", "Vibol", "Sophea", "Minh", "Lan", "Somchai", "Niran", "Khamla", "Aung", "Wei",
    "Ahmad", "Maria", "Budi", "Sarah", "James", "Ji-woo", "Rithy", "Thanh", "Malee", "Thida",
)  # fmt: skip
FAMILY_NAMES = (
    "Sok", "Chea", "Nguyen", "Tran", "Prasert", "Wongsa", "Phommachan", "Htun", "Zhang", "Lim",
    "Santos", "Wijaya", "Collins", "Park", "Keo", "Pham", "Suksai", "Moe", "Reyes", "Hart",
)  # fmt: skip
RANKS = ("Lieutenant General", "Major General", "Colonel", "police spokesman", "Deputy Director")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

# Sentences from the article's own metadata. Slots: {country} {country2} {demonym} {demonym2}
# {place} {place2} {the_ministry} {crime} {crime2} {n} {n2} {big} {big2} {kg} {money} {drug}
# {official} {weekday} {month} {years}; a capitalised slot name capitalises its value.
LEADS = (
    "Police in {place} arrested {n} suspects in a {crime} case on {weekday}, {the_ministry} said.",
    "Authorities in {country} have detained {n} people in a crackdown on {crime} in {place}, "
    "according to {the_ministry}.",
    "{The_ministry} announced on {weekday} that {n} suspects had been charged with {crime} after "
    "raids in {place}.",
    "{Demonym} police have broken up a {crime} network operating out of {place}, arresting {n} "
    "people, officials said.",
    "{n} people, including {n2} foreigners, were detained in {place} on {weekday} on suspicion of "
    "{crime}, {the_ministry} said in a statement.",
    "A court in {place} has sentenced {n} people to prison for {crime}, in one of the largest "
    "cases {country} has seen this year.",
    "{Country} has launched a new campaign against {crime}, {the_ministry} said on {weekday}, "
    "after a rise in cases around {place}.",
)
FACTS = (
    "The suspects face charges of {crime} and could be jailed for up to {years} years if "
    "convicted.",
    '"We will not tolerate {crime} in any form," {official} told reporters in {place}.',
    "{Country} and {country2} agreed in {month} to share intelligence on {crime} along their "
    "border.",
    "According to {the_ministry}, {big} cases of {crime} were recorded in {country} last year, "
    "up from {big2} a year earlier.",
    "The case has been sent to the provincial court in {place} for prosecution.",
    "Police said the group had links to {crime} networks in {country2}.",
    "Rights groups say {crime} remains widespread in {place} despite repeated crackdowns.",
    "{Official} said the investigation into {crime} in {place} was continuing and more arrests "
    "were expected.",
    "{The_ministry} urged the public to report suspected {crime} to a hotline set up in {month}.",
    "Among those detained were {n2} {demonym2} nationals, police said.",
    "The raid followed a tip-off from residents of {place2}, who had complained about {crime} in "
    "the area.",
    "Officers also seized {money} in cash, {n} mobile phones and several vehicles.",
    "{Demonym} officials have promised tougher penalties for {crime} and {crime2}.",
    "Since January, police in {country} have opened {big} investigations into {crime}, "
    "{the_ministry} said.",
    "The suspects were handed over to {the_ministry} for questioning.",
)
DRUG_FACTS = (
    "Officers seized {kg} kilograms of {drug} during the raids in {place} and {place2}.",
    "Police found {kg} kilograms of {drug} hidden in a truck at a checkpoint near {place}.",
    "Seizures of {drug} in {country} have risen sharply, {the_ministry} said.",
)
TITLES = (
    "{Demonym} police arrest {n} in {crime} crackdown",
    "{n} held over {crime} in {place}",
    "{Country} vows tougher action on {crime}",
    "Raid in {place} uncovers {crime} network",
    "{Country} and {country2} to cooperate against {crime}",
    "Court in {place} jails {n} for {crime}",
    "{Crime} cases rise in {country}, officials say",
    "Crackdown on {crime} nets {n} suspects in {place}",
    "Police bust {crime} ring in {place}",
    "Foreigners among {n} detained in {place} {crime} raid",
    "New rules target {crime} in {country}",
    "{Ministry} warns of rising {crime}",
)
DRUG_TITLES = (
    "{Demonym} authorities seize {kg}kg of {drug}",
    "{Drug} haul found in {place}",
)

# British places in the BBC text and Cambodian ones in the seeds -> the article's own.
_SLOTS = re.compile(
    r"\b(?:[Tt]he UK|UK|Great Britain|Britain|England|British|London|Cambodia|Cambodian|"
    r"Phnom Penh)\b"
)
_SLOT_KINDS = {
    "the UK": "country",
    "The UK": "country",
    "UK": "country",
    "Great Britain": "country",
    "Britain": "country",
    "England": "country",
    "Cambodia": "country",
    "British": "demonym",
    "Cambodian": "demonym",
    "London": "place",
    "Phnom Penh": "place",
}
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_FIELD = re.compile(r"\{(\w+)\}")


class MarkovChain:
    """A word-level chain of order 2 over sentences: (word, word) -> the words that followed.

    Words are numbered and a state is one int (two numbers side by side), so a step is a dict
    look-up and a list index. A successor list keeps repeats: picking uniformly from it picks a
    word as often as it followed in the training text.
    """

    START, END = 0, 1
    SHIFT = 21  # bits per word number in a state; up to two million distinct words

    def __init__(self):
        self.words: list[str] = ["", ""]
        self._numbers: dict[str, int] = {}
        self.successors: dict[int, list[int]] = {}
        self.sentences = 0

    def train(self, sentences: Iterable[list[str]], *, weight: int = 1) -> None:
        """Count each sentence's transitions `weight` times."""
        numbers, successors, shift = self._numbers, self.successors, self.SHIFT
        for sentence in sentences:
            previous, current = self.START, self.START
            for word in sentence:
                number = numbers.get(word)
                if number is None:
                    number = numbers[word] = len(self.words)
                    self.words.append(word)
                successors.setdefault((previous << shift) | current, []).extend([number] * weight)
                previous, current = current, number
            successors.setdefault((previous << shift) | current, []).extend([self.END] * weight)
            self.sentences += weight
        if len(self.words) >= 1 << self.SHIFT:
            raise ValueError(f"{len(self.words)} distinct words do not fit in {self.SHIFT} bits")

    def sentence(self, rng: random.Random, *, max_words: int = MAX_SENTENCE_WORDS) -> str:
        """Return one sentence of at most `max_words` words."""
        for _attempt in range(3):
            numbers = self._walk(rng.random, max_words + 1)
            if len(numbers) <= max_words:
                break
        words = [self.words[number] for number in numbers[:max_words]]
        if not _SENTENCE_END.search(words[-1]):
            words[-1] = words[-1].rstrip(",;:-") + "."
        return " ".join(words)

    def _walk(self, random_float, limit: int) -> list[int]:
        successors, shift, end = self.successors, self.SHIFT, self.END
        state = (self.START << shift) | self.START
        numbers: list[int] = []
        while len(numbers) < limit:
            options = successors[state]
            number = options[int(random_float() * len(options))]
            if number == end:
                break
            numbers.append(number)
            state = ((state & ((1 << shift) - 1)) << shift) | number
        return numbers


def split_sentences(paragraph: str) -> Iterator[list[str]]:
    """Yield the paragraph's sentences as lists of words, punctuation left on the words."""
    sentence: list[str] = []
    for word in paragraph.split():
        sentence.append(word)
        if _SENTENCE_END.search(word) and not _is_initial(word):
            if _is_prose(sentence):
                yield sentence
            sentence = []
    if sentence and _is_prose(sentence):
        yield sentence


def _is_prose(sentence: list[str]) -> bool:
    # Team sheets and results tables ("Van Gisbergen; Voyce, Erinle, Hoadley; ...") are lists
    # of names, not sentences.
    capitalised = sum(word[:1].isupper() for word in sentence)
    return sum(word.endswith(";") for word in sentence) < 2 and not (
        len(sentence) >= 8 and capitalised > 0.7 * len(sentence)
    )


def _is_initial(word: str) -> bool:
    # "J. Smith", "U.S.", "Mr." end no sentence.
    return len(word) <= 4 and word[:1].isupper() and word.endswith(".")


def news_paragraphs(folder: Path) -> Iterator[str]:
    """Yield the body paragraphs of every article under a BBC-style folder (title line left out)."""
    for path in sorted(folder.glob("*/*.txt")):
        data = path.read_bytes()
        # Described as latin-1, the files are UTF-8 ("£" is two bytes) but for one.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        lines = text.split("\n")
        yield from (line.strip() for line in lines[1:] if line.strip())


def seed_paragraphs(folder: Path = SEEDS_DIR) -> Iterator[str]:
    """Yield the seed reports' paragraphs, page furniture removed."""
    for path in sorted(folder.glob("*.txt")):
        yield from clean_text(path.read_text(encoding="utf-8")).body.split("\n\n")


@dataclass(frozen=True)
class TextModel:
    chain: MarkovChain
    source: str  # where the text came from, for reports
    training_seconds: float


@functools.cache
def text_model(news_dir: Path = BBC_DIR) -> TextModel:
    """Return the chain trained on the seeds and, when `news_dir` exists, its articles."""
    started = time.perf_counter()
    chain = MarkovChain()
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    news = sorted(news_dir.glob("*/*.txt")) if news_dir.is_dir() else []
    if news:
        chain.train(
            sentence
            for paragraph in news_paragraphs(news_dir)
            for sentence in split_sentences(paragraph)
        )
    chain.train(
        (sentence for paragraph in seed_paragraphs() for sentence in split_sentences(paragraph)),
        weight=SEED_WEIGHT if news else 1,
    )
    source = (
        f"Markov order-2 model trained on {len(news):,} BBC articles + {len(seeds)} seeds"
        if news
        else f"Markov order-2 model trained on {len(seeds)} seeds (no BBC folder)"
    )
    return TextModel(chain, source, time.perf_counter() - started)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    demonyms: tuple[str, ...]
    places: tuple[str, ...]  # the capital first


@dataclass(frozen=True)
class Agency:
    name: str
    country: str | None  # a code, None for international bodies
    in_taxonomy: bool
    weight: float = 1.0


@dataclass(frozen=True)
class Taxonomy:
    """The names articles are tagged with, each list most reported first, with its weights."""

    countries: tuple[Country, ...]
    country_weights: tuple[float, ...]
    agencies: tuple[Agency, ...]
    crime_types: tuple[str, ...]
    crime_weights: tuple[float, ...]
    sources: tuple[str, ...]
    source_weights: tuple[float, ...]


def zipf_weights(count: int, skew: float) -> tuple[float, ...]:
    return tuple(1 / (rank**skew) for rank in range(1, count + 1))


@functools.cache
def shipped_taxonomy() -> Taxonomy:
    """Return the names of migrations 0002-0003 that the corpus uses, with the extra ones."""
    shipped = importlib.import_module("archive.migrations.0002_initial_taxonomy")
    demonyms = importlib.import_module(
        "archive.migrations.0003_country_demonyms_article_proposed_year"
    ).DEMONYMS
    rows = {code: (name, places) for code, name, _aliases, places in shipped.COUNTRIES}
    countries = tuple(
        Country(code, rows[code][0], tuple(demonyms[code]), tuple(rows[code][1].split("\n")))
        for code in COUNTRY_CODES
    )
    named = [
        (name, code, True)
        for code, name, _kind, _parent, _aliases in shipped.MINISTRIES
        if code is None or code in COUNTRY_CODES
    ]
    named += [(name, code, False) for code, name in EXTRA_AGENCIES]
    weights = zipf_weights(len(named), MINISTRY_SKEW)
    agencies = tuple(Agency(*row, weight) for row, weight in zip(named, weights, strict=True))
    shipped_crimes = {name for name, _parent, _aliases in shipped.CRIME_TYPES}
    missing = [name for name in CRIME_TYPES if name not in shipped_crimes]
    if missing:
        raise ValueError(f"crime types not in the shipped taxonomy: {', '.join(missing)}")
    sources = tuple(name for name, *_ in shipped.SOURCES) + INVENTED_SOURCES
    return Taxonomy(
        countries=countries,
        country_weights=zipf_weights(len(countries), COUNTRY_SKEW),
        agencies=agencies,
        crime_types=CRIME_TYPES,
        crime_weights=zipf_weights(len(CRIME_TYPES), CRIME_SKEW),
        sources=sources,
        source_weights=zipf_weights(len(sources), SOURCE_SKEW),
    )


def _weighted_sample(rng: random.Random, items, weights, k: int) -> list:
    """Return k distinct items, each draw weighted (sampling without replacement)."""
    items, weights, chosen = list(items), list(weights), []
    for _ in range(min(k, len(items))):
        index = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


class ArticleWriter:
    """Draws one article at a time: metadata first, then text that speaks of it."""

    def __init__(self, model: TextModel, taxonomy: Taxonomy, rng: random.Random):
        self.chain = model.chain
        self.taxonomy = taxonomy
        self.rng = rng
        first, last = date(FIRST_DATE.year, 1, 1), END_DATE
        self.years = list(range(first.year, last.year + 1))
        # Archives grow: the last year holds about five times as many reports as the first.
        self.year_weights = [1 + 0.15 * (year - first.year) for year in self.years]

    def article(self, number: int) -> dict:
        rng, taxonomy = self.rng, self.taxonomy
        count = rng.choices((1, 2), (70, 30))[0]
        countries = _weighted_sample(rng, taxonomy.countries, taxonomy.country_weights, count)
        crimes = _weighted_sample(
            rng,
            taxonomy.crime_types,
            taxonomy.crime_weights,
            rng.choices((1, 2, 3), (50, 35, 15))[0],
        )
        agencies = self._agencies(countries, rng.choices((0, 1, 2), (15, 55, 30))[0])
        source = rng.choices(taxonomy.sources, taxonomy.source_weights)[0]
        published = self._date()
        facts = _Facts(rng, countries, agencies, crimes, taxonomy)
        title = facts.fill(rng.choice(DRUG_TITLES if facts.drug and rng.random() < 0.3 else TITLES))
        body = self._body(facts, source, published)
        record = {
            "title": title,
            "body": body,
            "source": source,
            "published": published.isoformat(),
            "countries": [country.name for country in countries],
            "ministries": [agency.name for agency in agencies],
            "crime_types": crimes,
        }
        if rng.random() < 0.6:
            record["authors"] = [_person(rng) for _ in range(rng.choices((1, 2), (80, 20))[0])]
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80]
        outlet = re.sub(r"[^a-z0-9]+", "", source.lower())
        record["url"] = f"https://www.{outlet}.example/{published:%Y/%m}/{slug}-{number}"
        return record

    def _agencies(self, countries: list[Country], count: int) -> list[Agency]:
        codes = {country.code for country in countries}
        pool = [a for a in self.taxonomy.agencies if a.country is None or a.country in codes]
        # A name two of the article's countries share ("Ministry of Interior") would be
        # ambiguous to the loader: such names are left out.
        names = [a.name for a in pool if a.country is not None]
        pool = [a for a in pool if a.country is None or names.count(a.name) == 1]
        return _weighted_sample(self.rng, pool, [a.weight for a in pool], count)

    def _date(self) -> date:
        year = self.rng.choices(self.years, self.year_weights)[0]
        start = max(date(year, 1, 1), FIRST_DATE)
        end = min(date(year, 12, 31), END_DATE)
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def _body(self, facts: _Facts, source: str, published: date) -> str:
        rng, chain = self.rng, self.chain
        target = int(rng.lognormvariate(math.log(MEDIAN_WORDS), LENGTH_SIGMA))
        # The last sentence may add up to MAX_SENTENCE_WORDS (and a place name a few more).
        target = min(max(target, MIN_WORDS), MAX_WORDS - MAX_SENTENCE_WORDS - 20)
        lead = facts.fill(rng.choice(LEADS))
        if source in WIRE_SOURCES:
            capital = facts.countries[0].places[0].upper()
            lead = (
                f"{capital}, {MONTHS[published.month - 1]} {published.day} "
                f"({WIRE_SOURCES[source]}) -- {lead}"
            )
        paragraphs = [lead]
        words = lead.count(" ") + 1
        # Each fact once before any comes back: a report does not repeat itself sentence for
        # sentence.
        fact_templates = list(FACTS + DRUG_FACTS if facts.drug else FACTS)
        rng.shuffle(fact_templates)
        next_fact = itertools.cycle(fact_templates).__next__
        while words < target:
            sentences = []
            for _ in range(rng.choices(PARAGRAPH_SENTENCES, PARAGRAPH_WEIGHTS)[0]):
                if rng.random() < FACT_SHARE:
                    sentence = facts.fill(next_fact())
                else:
                    sentence = _SLOTS.sub(facts.slot, chain.sentence(rng))
                sentences.append(sentence)
                words += sentence.count(" ") + 1
                if words >= target:
                    break
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)


class _Facts:
    """The article's names, ready to fill a template or stand in for a place in the chain's text."""

    def __init__(self, rng, countries, agencies, crimes, taxonomy: Taxonomy):
        self.rng = rng
        self.countries = countries
        self.agencies = agencies
        self.crimes = crimes
        # A neighbour for sentences about two countries, when the article names one.
        others = [c for c in taxonomy.countries if c not in countries]
        self.other = countries[1] if len(countries) > 1 else rng.choice(others[:6])
        self.drugs = [word for crime in crimes for word in DRUG_WORDS.get(crime, ())]
        self.drug = bool(self.drugs) or any(crime.startswith("Drug") for crime in crimes)

    def fill(self, template: str) -> str:
        return _FIELD.sub(lambda match: self.value(match[1]), template)

    def value(self, name: str) -> str:
        if name[0].isupper():
            value = self.value(name[0].lower() + name[1:])
            return value[:1].upper() + value[1:]
        rng, main = self.rng, self.countries[0]
        if name == "country":
            return main.name
        if name == "country2":
            return self.other.name
        if name == "demonym":
            return main.demonyms[0]
        if name == "demonym2":
            return self.other.demonyms[0]
        if name in ("place", "place2"):
            return rng.choice(main.places)
        if name in ("the_ministry", "ministry"):
            if not self.agencies:
                return "the provincial authorities" if name == "the_ministry" else "Police"
            agency = rng.choice(self.agencies).name
            return agency if name == "ministry" or " " not in agency else f"the {agency}"
        if name in ("crime", "crime2"):
            # The first crime type is the report's main one.
            crime = self.crimes[0] if rng.random() < 0.6 else rng.choice(self.crimes)
            return crime.lower()
        if name == "drug":
            return rng.choice(self.drugs) if self.drugs else "illegal drugs"
        if name in ("n", "n2"):
            return str(rng.randint(2, 60))
        if name in ("big", "big2"):
            return f"{rng.randint(120, 9000):,}"
        if name == "kg":
            return str(rng.choice((2, 5, 12, 30, 48, 75, 120, 260, 500, 1200)))
        if name == "money":
            return f"${rng.randint(2, 950) * 1000:,}"
        if name in ("official", "weekday", "month", "years"):
            return {
                "official": lambda: f"{rng.choice(RANKS)} {_person(rng)}",
                "weekday": lambda: rng.choice(WEEKDAYS),
                "month": lambda: rng.choice(MONTHS),
                "years": lambda: str(rng.choice((2, 5, 7, 10, 15, 20))),
            }[name]()
        raise KeyError(f"unknown template slot {{{name}}}")

    def slot(self, match: re.Match) -> str:
        """Return the article's own name for a place the chain's training text named."""
        return self.value(_SLOT_KINDS[match[0]])


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"


def generate_articles(size: int, *, seed: int = 7, news_dir: Path = BBC_DIR) -> Iterator[dict]:
    """Yield `size` article records with the field names the ingest readers accept."""
    writer = ArticleWriter(text_model(news_dir), shipped_taxonomy(), random.Random(seed))
    for number in range(1, size + 1):
        yield writer.article(number)


def write_corpus(
    folder: Path, size: int, *, seed: int = 7, per_file: int = 1000, news_dir: Path = BBC_DIR
) -> dict:
    """Write `size` articles as JSON Lines shards in `folder` and return what was written.

    Shards from an earlier run in the folder are removed first, so the folder holds exactly this
    corpus. At about 3.5 KB an article, keep `per_file` under the ingest file limit (10 MB).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(SHARD_NAME.replace("{number:04d}", "*")):
        old.unlink()
    model = text_model(news_dir)
    started = time.perf_counter()
    articles = words = files = 0
    records = generate_articles(size, seed=seed, news_dir=news_dir)
    while batch := list(itertools.islice(records, per_file)):
        files += 1
        lines = [json.dumps(record, ensure_ascii=False) for record in batch]
        (folder / SHARD_NAME.format(number=files)).write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
        articles += len(batch)
        words += sum(len(record["body"].split()) for record in batch)
    seconds = time.perf_counter() - started
    return {
        "articles": articles,
        "files": files,
        "seed": seed,
        "mean_words": round(words / articles) if articles else 0,
        "seconds": round(seconds, 2),
        "articles_per_second": round(articles / seconds) if seconds else None,
        "training_seconds": round(model.training_seconds, 2),
        "text_source": model.source,
        "folder": str(folder),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="number of articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="folder for the JSONL shards")
    parser.add_argument("--per-file", type=int, default=1000, help="articles per shard")
    options = parser.parse_args()
    description = write_corpus(
        options.out, options.size, seed=options.seed, per_file=options.per_file
    )
    print(json.dumps(description, indent=2))


if __name__ == "__main__":
    main()
