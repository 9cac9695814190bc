"""read_figures: counts, then people, then places; people take no place."""

from archive.extraction.figures import FigureKind
from archive.extraction.report import ExtractionRules, read_figures

TEXT = (
    "Kampot provincial police commissioner Mao Chanmony said officers arrested 12 Thai "
    "nationals on a fishing boat off Koh Kong on Sunday."
)


def test_people_come_after_counts_and_before_places_and_take_no_place():
    figures = read_figures(TEXT, rules=ExtractionRules(demonyms={"Thai": "TH"}))
    kinds = [figure.kind for figure in figures]
    assert kinds == [FigureKind.ARREST, FigureKind.PERSON, FigureKind.PLACE, FigureKind.PLACE]
    person = figures[1]
    assert person.values == {
        "name": "Mao Chanmony",
        "role": "police chief",
        "title": "Kampot provincial police commissioner",
    }
    assert figures[0].values["place"] == "KH-7"  # the count takes the sentence's place
