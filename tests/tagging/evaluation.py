"""Run the tagger over the labelled set and measure it, per facet, as a reader would.

Used by tests/tagging/test_evaluation.py (which asserts the figures) and by
bench/tagging_report.py (which prints them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.ingest.pipeline import parse_record
from archive.ingest.records import RawRecord
from archive.models import Country, CrimeType, Ministry
from archive.tagging.dates import find_publication_date
from archive.tagging.store import load_lexicon
from archive.tagging.tagger import SUBJECT, propose_tags
from tests.tagging.evaluation_set import Case

FACETS = ("countries", "ministries", "crime_types")


@dataclass
class Counts:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    def add(self, predicted: set[str], expected: set[str]) -> None:
        self.true_positives += len(predicted & expected)
        self.predicted += len(predicted)
        self.expected += len(expected)


@dataclass
class YearCounts:
    stated_right: int = 0
    stated_wrong: int = 0
    stated_without_truth: int = 0
    left_for_review: int = 0
    known: int = 0  # cases whose true year is known
    wrong: list[str] = field(default_factory=list)
    unflagged: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.stated_right / self.known if self.known else 1.0


@dataclass
class Evaluation:
    any_role: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FACETS})
    subject: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FACETS})
    years: YearCounts = field(default_factory=YearCounts)
    misses: list[str] = field(default_factory=list)


def evaluate(cases: list[Case]) -> Evaluation:
    """Tag every case through the same parse and clean steps ingestion uses, and count."""
    lexicon = load_lexicon()
    names = {
        "countries": dict(Country.objects.values_list("pk", "code")),
        "ministries": {m.pk: str(m) for m in Ministry.objects.select_related("country")},
        "crime_types": dict(CrimeType.objects.values_list("pk", "name")),
    }
    result = Evaluation()
    for case in cases:
        parsed = parse_record(RawRecord(origin=case.name, text=case.text))
        proposals = propose_tags("" if parsed.title_derived else parsed.title, parsed.body, lexicon)
        predicted = {
            "countries": proposals.countries,
            "ministries": proposals.ministries,
            "crime_types": proposals.crime_types,
        }
        for facet in FACETS:
            expected = getattr(case, facet)
            got_all = {names[facet][p.entry_id] for p in predicted[facet]}
            got_subject = {names[facet][p.entry_id] for p in predicted[facet] if p.role == SUBJECT}
            result.any_role[facet].add(got_all, set(expected.all))
            result.subject[facet].add(got_subject, set(expected.subject))
            for missing in sorted(expected.all - got_all):
                result.misses.append(f"{case.name}: missed {facet} {missing}")
            for extra in sorted(got_all - expected.all):
                result.misses.append(f"{case.name}: extra {facet} {extra}")
        _count_year(result.years, case, find_publication_date(parsed.raw_text))
    return result


def _count_year(years: YearCounts, case: Case, finding) -> None:
    years.known += case.year is not None
    if finding.year is None:
        years.left_for_review += 1
        if not finding.needs_review:
            years.unflagged.append(case.name)
    elif case.year is None:
        years.stated_without_truth += 1
        years.wrong.append(f"{case.name}: stated {finding.year}, the year is not known")
    elif finding.year == case.year:
        years.stated_right += 1
    else:
        years.stated_wrong += 1
        years.wrong.append(f"{case.name}: stated {finding.year}, truly {case.year}")


def report(evaluation: Evaluation, title: str) -> str:
    """Return the figures as a Markdown table."""
    lines = [
        f"### {title}",
        "",
        "| facet | precision | recall | subject precision | subject recall |",
        "| --- | --- | --- | --- | --- |",
    ]
    for facet in FACETS:
        any_role, subject = evaluation.any_role[facet], evaluation.subject[facet]
        lines.append(
            f"| {facet} | {any_role.precision:.2f} | {any_role.recall:.2f} | "
            f"{subject.precision:.2f} | {subject.recall:.2f} |"
        )
    years = evaluation.years
    lines.append(
        f"| years | {years.stated_right}/{years.stated_right + years.stated_wrong} stated "
        f"right | {years.recall:.2f} ({years.stated_right} of {years.known} known) | "
        f"{years.left_for_review} left for review | {years.stated_wrong} stated wrong |"
    )
    return "\n".join(lines)
