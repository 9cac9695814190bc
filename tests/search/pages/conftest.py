import datetime as dt

import pytest

from archive.models import Article, TagAssignment
from search.index.sync import apply_pending
from tests import factories

CONFIRMED, PROPOSED, REJECTED = (
    TagAssignment.Status.CONFIRMED,
    TagAssignment.Status.PROPOSED,
    TagAssignment.Status.REJECTED,
)


@pytest.fixture
def archive(search_index, db):
    """Eight indexed reports: Cambodia in 2019, 2021 and 2023 (none in 2020 or 2022), a report
    tagged with both a crime type and its parent, mentions, a rejected tag, and one report whose
    year and tags await review."""
    daily, wire = factories.make_source("Daily Test"), factories.make_source("Wire Test")
    kh, th, vn = (factories.country(code) for code in ("KH", "TH", "VN"))
    interior = factories.ministry("Ministry of Interior", "KH")
    police = factories.ministry("General Commissariat of National Police", "KH")
    thai_police = factories.ministry("Royal Thai Police", "TH")
    gambling = factories.crime_type("Gambling")
    online = factories.crime_type("Online gambling")
    lottery = factories.crime_type("Illegal lottery")
    meth = factories.crime_type("Methamphetamine trafficking")
    kidnap = factories.crime_type("Kidnapping")
    made = {}

    def report(key, *, year=None, date=None, source=None, tags=(), mentions=(), **fields):
        article = factories.make_article(
            title=fields.pop("title", f"Report {key}"),
            year=year,
            published_date=date,
            source=source,
            **fields,
        )
        for target in tags:
            status = CONFIRMED
            if isinstance(target, tuple):
                target, status = target
            factories.tag(article, target, status=status)
        for target in mentions:
            factories.tag(article, target, status=CONFIRMED, role=TagAssignment.Role.MENTION)
        made[key] = article

    report(
        "casino", year=2019, date=dt.date(2019, 3, 1), source=daily, tags=[kh, interior, gambling]
    )
    report("both", year=2019, source=wire, tags=[kh, police, online, gambling])
    report(
        "kidnap",
        year=2021,
        date=dt.date(2021, 6, 1),
        source=daily,
        tags=[kh, police, kidnap],
        mentions=[th],
    )
    report(
        "raid", year=2021, date=dt.date(2021, 7, 1), source=daily, tags=[kh, interior, online, meth]
    )
    report("border", year=2022, source=wire, tags=[th, thai_police, meth], mentions=[kh])
    report("lottery", year=2022, tags=[vn, lottery])
    report(
        "undated",
        proposed_year=2023,
        source=daily,
        review_status=Article.ReviewStatus.NEEDS_REVIEW,
        tags=[(kh, PROPOSED), (gambling, PROPOSED), (interior, PROPOSED)],
    )
    report("rejected", year=2023, source=wire, tags=[kh, (kidnap, REJECTED)])
    apply_pending()
    return made
