"""The default calendar of anchor events: plain data that curators will edit in admin.

Each entry says how reports name an event and how a mention of it gives a year (see anchors.py):
- "anniversary": the year it happened or was first observed; "the Nth anniversary of ..." is
  that year + N, "the Nth <observance>" (the 36th International Day against Drug Abuse) that
  year + N - 1;
- "numbered": editions with their years ("the 14th AMMTC" was held in 2020);
- "period": the day it began; "the past six months of ..." ends that long after.
`requires` lists words the report must also hold (alternatives separated by "|"): the
anniversary of "diplomatic ties" means the ties of the countries the report names.
"""

from __future__ import annotations

import datetime as dt

from archive.tagging.anchors import ANNIVERSARY, NUMBERED, PERIOD, Anchor

_CAMBODIA = "Cambodia|Cambodian|Kampuchea"
_VIETNAM = "Vietnam|Viet Nam|Vietnamese"
_LAOS = "Laos|Lao"
_CHINA = "China|Chinese"
_THAILAND = "Thailand|Thai"
_DIPLOMATIC_TIES = ("diplomatic ties", "diplomatic relations", "diplomatic relationship")

DEFAULT_ANCHORS: tuple[Anchor, ...] = (
    Anchor(
        name="World Day of Remembrance for Road Traffic Victims",
        aliases=("World Day of Remembrance for Road Traffic Victims", "World Day of Remembrance"),
        kind=ANNIVERSARY,
        first_year=2005,
        notes="Third Sunday of November; endorsed by the UN General Assembly in 2005.",
    ),
    Anchor(
        name="International Day against Drug Abuse and Illicit Trafficking",
        aliases=(
            "International Day against Drug Abuse",
            "International Day against Drugs",
            "International Day against Narcotics",
            "World Drug Day",
        ),
        kind=ANNIVERSARY,
        first_year=1988,
        notes="26 June; decided by the UN General Assembly in December 1987, first observed 1988.",
    ),
    Anchor(
        name="World Day against Trafficking in Persons",
        aliases=(
            "World Day against Trafficking in Persons",
            "World Day against Human Trafficking",
            "World Day against Trafficking",
        ),
        kind=ANNIVERSARY,
        first_year=2014,
        notes="30 July; first observed 2014.",
    ),
    Anchor(
        name="Cambodia-Vietnam diplomatic relations",
        aliases=_DIPLOMATIC_TIES,
        kind=ANNIVERSARY,
        first_year=1967,
        requires=(_CAMBODIA, _VIETNAM),
        notes="Established 24 June 1967.",
    ),
    Anchor(
        name="Cambodia-China diplomatic relations",
        aliases=_DIPLOMATIC_TIES,
        kind=ANNIVERSARY,
        first_year=1958,
        requires=(_CAMBODIA, _CHINA),
        notes="Established 19 July 1958.",
    ),
    Anchor(
        name="Cambodia-Thailand diplomatic relations",
        aliases=_DIPLOMATIC_TIES,
        kind=ANNIVERSARY,
        first_year=1950,
        requires=(_CAMBODIA, _THAILAND),
        notes="Established 19 December 1950.",
    ),
    Anchor(
        name="Cambodia-Laos diplomatic relations",
        aliases=_DIPLOMATIC_TIES,
        kind=ANNIVERSARY,
        first_year=1956,
        requires=(_CAMBODIA, _LAOS),
        notes="Established 15 June 1956.",
    ),
    Anchor(
        name="Vietnam-Laos diplomatic relations",
        aliases=_DIPLOMATIC_TIES,
        kind=ANNIVERSARY,
        first_year=1962,
        requires=(_VIETNAM, _LAOS),
        notes="Established 5 September 1962.",
    ),
    Anchor(
        name="Founding of ASEAN",
        aliases=("ASEAN", "Association of Southeast Asian Nations"),
        kind=ANNIVERSARY,
        first_year=1967,
        notes="Bangkok Declaration, 8 August 1967.",
    ),
    Anchor(
        name="Victory over the genocidal regime",
        aliases=(
            "Victory over the Genocidal Regime",
            "Victory over Genocide",
            "7 January Victory Day",
        ),
        kind=ANNIVERSARY,
        first_year=1979,
        notes="7 January 1979.",
    ),
    Anchor(
        name="Cambodia's Independence Day",
        aliases=("Independence Day",),
        kind=ANNIVERSARY,
        first_year=1953,
        requires=(_CAMBODIA,),
        notes="9 November 1953.",
    ),
    Anchor(
        name="Paris Peace Agreements",
        aliases=("Paris Peace Agreements", "Paris Peace Agreement", "Paris Peace Accords"),
        kind=ANNIVERSARY,
        first_year=1991,
        notes="Signed 23 October 1991.",
    ),
    Anchor(
        name="ASEAN Ministerial Meeting on Transnational Crime",
        aliases=("ASEAN Ministerial Meeting on Transnational Crime", "AMMTC"),
        kind=NUMBERED,
        editions=tuple(
            enumerate((1997, 1999, 2001, 2004, 2005, 2007, 2009, 2011, 2013, 2015, 2017), 1)
        )
        + tuple(enumerate((2018, 2019, 2020, 2021, 2022, 2023, 2024), 12)),
        notes="Biennial to 2017, yearly since; the 14th met by video conference in November 2020.",
    ),
    Anchor(
        name="ASEAN Summit",
        aliases=("ASEAN Summit",),
        kind=NUMBERED,
        # Two a year: the 20th and 21st in 2012, ..., the 46th and 47th in 2025.
        editions=tuple((edition, 2012 + (edition - 20) // 2) for edition in range(20, 48)),
        notes="Two a year since 2009; the 20th and 21st met in Phnom Penh in 2012.",
    ),
    Anchor(
        name="Cambodia's seventh-mandate government",
        aliases=("seventh mandate", "7th mandate", "seventh legislature", "7th legislature"),
        kind=PERIOD,
        start=dt.date(2023, 8, 22),
        notes="Hun Manet's government, sworn in 22 August 2023.",
    ),
    Anchor(
        name="Cambodia's sixth-mandate government",
        aliases=("sixth mandate", "6th mandate", "sixth legislature", "6th legislature"),
        kind=PERIOD,
        start=dt.date(2018, 9, 6),
        notes="Formed 6 September 2018.",
    ),
)
