"""A new report is compared with the reports near it in time only, and signatures round-trip."""

import dataclasses
import datetime as dt

from archive.extraction.report import ExtractionRules, read_figures
from archive.grouping.finder import COPY, COPY_DAYS, LATER, SAME, MatchFinder
from archive.grouping.incidents import report_events
from archive.grouping.signatures import events_from_values, signature_values

RULES = ExtractionRules()
RAID = (
    "Anti-drug police in Poipet, Banteay Meanchey province, arrested nine suspects on Monday and "
    "seized 48 kilograms of crystal methamphetamine from a rented house near the border, the "
    "provincial police chief said. The suspects, including the ringleader Sok Dara, were taken to "
    "the provincial police station."
)
REWRITE = (
    "Nine people were detained after officers found 48 kilograms of ice in a house in Poipet "
    "town on Monday night. Banteay Meanchey police said the house was rented two months ago."
)
SENTENCE = (
    "The Banteay Meanchey Provincial Court sentenced the ringleader Sok Dara to life in prison "
    "for the 48 kilograms of crystal methamphetamine seized in Poipet, and eight others to 20 "
    "years each."
)


def events(key, body, published, title="Police raid"):
    return report_events(
        key,
        published=dt.date.fromisoformat(published),
        title=title,
        body=body,
        figures=read_figures(body, rules=RULES),
    )


def test_a_copy_a_rewrite_and_a_later_stage_each_found_in_its_tier():
    finder = MatchFinder()
    finder.add(events("raid", RAID, "2024-03-11"))
    copy = events("copy", RAID + " Police did not name the others.", "2024-03-12")
    assert [(p.key, p.tier) for p in finder.matches(copy)] == [("raid", COPY)]
    rewrite = events("rewrite", REWRITE, "2024-03-12")
    assert [(p.key, p.tier) for p in finder.matches(rewrite)] == [("raid", SAME)]
    sentence = events("sentence", SENTENCE, "2024-09-20", title="Poipet ringleader jailed for life")
    (proposal,) = finder.matches(sentence)
    assert (proposal.key, proposal.tier) == ("raid", LATER)
    assert "both name Sok Dara" in proposal.reasons


def test_a_copy_outside_the_window_or_forgotten_is_not_compared():
    finder = MatchFinder()
    finder.add(events("raid", RAID, "2024-03-11"))
    late = events("late", RAID, (dt.date(2024, 3, 11) + dt.timedelta(COPY_DAYS + 1)).isoformat())
    assert [p.tier for p in finder.matches(late)] != [COPY]
    finder.forget_before(dt.date(2024, 3, 12))
    assert len(finder) == 0 and finder.matches(events("again", RAID, "2024-03-11")) == []


def test_a_signature_stored_reads_back_as_the_same_events():
    original = events("raid", RAID, "2024-03-11")
    values = signature_values(original)
    assert values["countries"] == " KH " and "sok dara" in values["people"]
    assert len(values["minhash"]) == 128 * 4
    back = events_from_values("raid", {**values, "minhash": memoryview(values["minhash"])})
    assert back == original
    assert dataclasses.replace(back, key="x").key == "x"
