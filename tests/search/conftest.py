import datetime as dt

import pytest

from archive.models import TagAssignment
from search.index.sync import apply_pending
from tests import factories
from tests.search.figure_fixtures import figures  # noqa: F401  (figures on the corpus below)
from tests.search.incident_fixtures import grouped  # noqa: F401  (the invented reports, grouped)


@pytest.fixture
def corpus(search_index, db):
    """Six small reports with tags, years and sources, indexed."""
    vod, kt = factories.make_source("VOD Test"), factories.make_source("KT Test")
    kh, th, vn, la = (factories.country(code) for code in ("KH", "TH", "VN", "LA"))
    gambling = factories.crime_type("Gambling")
    online = factories.crime_type("Online gambling")
    meth = factories.crime_type("Methamphetamine trafficking")
    kidnap = factories.crime_type("Kidnapping")
    made = {}

    def report(
        key, title, body, *, year=None, date=None, source=None, countries=(), crimes=(), mentions=()
    ):
        article = factories.make_article(
            title=title, body=body, raw_text=body, year=year, published_date=date, source=source
        )
        for target in (*countries, *crimes):
            factories.tag(article, target)
        for target in mentions:
            factories.tag(article, target, role=TagAssignment.Role.MENTION)
        made[key] = article

    report(
        "casino",
        "Casino raided in Poipet",
        "Police raided an illegal casino in Poipet and detained 40 gamblers.",
        year=2021,
        date=dt.date(2021, 5, 3),
        source=vod,
        countries=[kh],
        crimes=[gambling],
    )
    report(
        "online",
        "Online betting ring broken up",
        "Officers dismantled an online gambling ring run from Sihanoukville.",
        year=2022,
        source=kt,
        countries=[kh],
        crimes=[online],
        mentions=[vn],
    )
    report(
        "meth",
        "Crystal meth seized at the border",
        "Thai police seized crystal meth smuggled across the border from Laos.",
        year=2022,
        source=vod,
        countries=[th],
        crimes=[meth],
        mentions=[la],
    )
    report(
        "kidnap",
        "Kidnapping gang arrested",
        "Police arrested a gang accused of kidnapping foreign workers in Sihanoukville.",
        year=2023,
        source=kt,
        countries=[kh],
        crimes=[kidnap],
    )
    report(
        "lottery",
        "Lottery sellers fined",
        "Provincial officials fined illegal lottery sellers, without any arrests.",
        year=2023,
        countries=[vn],
        crimes=[gambling],
    )
    report(
        "hostile",
        "<script>alert('title')</script> Casino report",
        "A casino owner wrote <img src=x onerror=alert(1)> and <b>bold</b> claims.",
        year=2020,
        countries=[kh],
        crimes=[gambling],
    )
    apply_pending()
    return made
