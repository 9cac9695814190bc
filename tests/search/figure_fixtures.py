"""Figures on the search tests' corpus, shared by the figure exports' and the API's tests."""

import pytest

from archive.models import FigureStatus, Origin, ReportedFigure, TagAssignment
from tests import factories

Kind, Scope = ReportedFigure.Kind, ReportedFigure.Scope


@pytest.fixture
def figures(corpus):
    """Seven figures on three of the corpus's reports: five confirmed, one proposed, one
    rejected.

    casino (KH, 2021-05-03, VOD Test): a confirmed 12 kg seizure in KH-18, a proposed arrest of
    three people placed only by its province, a rejected seizure.
    meth (TH, 2022, no day): a confirmed total over 2022, a confirmed 2,000 g seizure in TH-27.
    kidnap (KH, 2023): a curator's person, a confirmed arrest of 41 in TH-65 (a province the
    press table does not list).
    """
    casino, meth, kidnap = corpus["casino"], corpus["meth"], corpus["kidnap"]
    casino.url = "https://news.example.org/casino-raid"
    casino.save()
    for name in ("Ministry of Interior", "General Commissariat of National Police"):
        factories.tag(casino, factories.ministry(name))
    factories.tag(
        casino,
        factories.ministry("National Authority for Combating Drugs"),
        role=TagAssignment.Role.MENTION,
    )
    made = {
        "seizure": factories.make_figure(
            casino,
            drug="methamphetamine",
            quantity=12,
            unit="kg",
            mass_kg=12.0,
            place_code="KH-18",
            country_code="KH",
            start=10,
            rule="seizure-mass",
            evidence="Officers took 12 kg of methamphetamine from a car in Preah Sihanouk.",
        ),
        "proposed": factories.make_figure(
            casino,
            Kind.ARREST,
            status=FigureStatus.PROPOSED,
            confidence=0.62,
            count=3,
            place_code="KH-12",
            start=80,
            values={"nationalities": ["CN", "VN"]},
            evidence="Three men, two Chinese and one Vietnamese, were held in Phnom Penh.",
        ),
        "rejected": factories.make_figure(
            casino,
            status=FigureStatus.REJECTED,
            drug="heroin",
            quantity=1,
            unit="kg",
            mass_kg=1.0,
            country_code="KH",
            start=120,
        ),
        "total": factories.make_figure(
            meth,
            scope=Scope.TOTAL,
            period="in 2022",
            drug="methamphetamine",
            quantity=500,
            unit="kg",
            mass_kg=500.0,
            country_code="TH",
            start=5,
            evidence="Over the year police took 500 kg of methamphetamine.",
        ),
        "th_seizure": factories.make_figure(
            meth,
            drug="methamphetamine",
            quantity=2000,
            unit="g",
            mass_kg=2.0,
            place_code="TH-27",
            country_code="TH",
            start=40,
            evidence="=Border police found 2,000 g of crystal in Sa Kaeo.",
        ),
        "person": factories.make_figure(
            kidnap,
            Kind.PERSON,
            origin=Origin.CURATOR,
            confidence=1.0,
            name="Sok Dara",
            role="suspect",
            start=3,
        ),
        "arrest": factories.make_figure(
            kidnap,
            Kind.ARREST,
            count=41,
            place_code="TH-65",
            start=30,
            evidence="Police detained 41 people in Phitsanulok.",
        ),
    }
    return made
