"""Figures stored at ingest and on retag: proposals with evidence; curators' work never undone."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from archive.extraction.report import read_figures
from archive.extraction.store import extract_article, load_rules, plan_figures, proposed_rows
from archive.models import AnchorEvent, Article, FigureStatus, Origin, ReportedFigure
from tests import factories
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

KAMPOT = (
    "Police in Kampot province seized 100 kilograms of methamphetamine on Monday and arrested "
    "three Chinese nationals. The National Police said 41 people were detained in 2016."
)


def ingest(*paths):
    out = StringIO()
    call_command("ingest", *[str(p) for p in paths], stdout=out, stderr=StringIO())
    return out.getvalue()


def retag(*ids):
    out = StringIO()
    call_command("retag", *map(str, ids), stdout=out)
    return out.getvalue()


def seed(prefix: str) -> Article:
    return Article.objects.get(origin__contains=f"{prefix}_")


def test_ingesting_the_seeds_stores_their_figures_as_proposals_with_evidence():
    ingest(SEEDS_DIR)
    seizure = seed("000").figures.get(kind="seizure", drug="methamphetamine")
    assert (seizure.quantity, seizure.unit, seizure.mass_kg) == (100.0, "kg", 100.0)
    assert seizure.scope == ReportedFigure.Scope.SINGLE
    assert (seizure.place_code, seizure.country_code) == ("KH-7", "KH")
    assert seizure.status == FigureStatus.PROPOSED and seizure.origin == Origin.TAGGER
    assert "100" in seizure.evidence and seizure.rule
    body = seed("000").body
    assert body[seizure.start : seizure.end] == seizure.as_written
    # Totals over a period are told apart from single events.
    totals = ReportedFigure.objects.filter(scope=ReportedFigure.Scope.TOTAL)
    assert totals.filter(kind="arrest", count=9933).exists()


def test_four_seeds_get_a_year_from_the_calendar_of_anchor_events_and_none_is_contradicted():
    ingest(SEEDS_DIR)
    years = {prefix: seed(prefix) for prefix in ("000", "001", "002", "003", "004")}
    proposed = {p: a.proposed_year for p, a in years.items() if a.proposed_year}
    assert proposed == {"000": 2019, "001": 2020, "003": 2024, "004": 2017}
    assert "World Day of Remembrance" in years["000"].date_evidence
    assert "nth-anniversary" in years["000"].date_evidence
    # The report stating its date keeps it; no proposal is made against it.
    assert (years["002"].year, years["002"].proposed_year) == (2022, None)
    for article in years.values():
        assert article.year is None or article.proposed_year is None


def test_a_rejected_figure_never_returns_and_a_corrected_one_keeps_the_curators_values():
    article = factories.make_article(body=KAMPOT)
    rules = load_rules()
    report = extract_article(article, rules=rules)
    assert report.added >= 3
    seizure = article.figures.get(kind="seizure")
    arrest = article.figures.get(kind="arrest", scope="single")
    seizure.status, seizure.reviewed_at = FigureStatus.REJECTED, timezone.now()
    seizure.save()
    arrest.count, arrest.status, arrest.reviewed_at = 4, FigureStatus.CONFIRMED, timezone.now()
    arrest.save()

    out = retag(article.pk)

    assert "figures" in out
    seizures = article.figures.filter(kind="seizure")
    assert [(row.pk, row.status) for row in seizures] == [(seizure.pk, FigureStatus.REJECTED)]
    arrests = article.figures.filter(kind="arrest", scope="single")
    assert [(row.pk, row.count, row.status) for row in arrests] == [
        (arrest.pk, 4, FigureStatus.CONFIRMED)
    ]


def test_a_proposal_the_text_no_longer_supports_is_withdrawn_but_a_curated_one_stays():
    article = factories.make_article(body=KAMPOT)
    rules = load_rules()
    extract_article(article, rules=rules)
    total = article.figures.get(kind="arrest", scope="total")
    total.status, total.reviewed_at = FigureStatus.CONFIRMED, timezone.now()
    total.save()
    article.body = "Police in Kampot province held a meeting on road safety."
    article.save()

    report = extract_article(article, rules=rules)

    assert report.withdrawn >= 2
    assert not article.figures.filter(kind="seizure").exists()
    assert list(article.figures.filter(kind="arrest")) == [total]


def test_a_hand_added_figure_is_left_alone_by_a_run():
    article = factories.make_article(body=KAMPOT)
    ReportedFigure.objects.create(
        article=article,
        kind="seizure",
        origin=Origin.CURATOR,
        status=FigureStatus.CONFIRMED,
        drug="heroin",
        quantity=2,
        unit="kg",
        mass_kg=2,
    )
    extract_article(article, rules=load_rules())
    extract_article(article, rules=load_rules())
    assert article.figures.filter(kind="seizure", drug="heroin", origin=Origin.CURATOR).count() == 1
    assert article.figures.filter(kind="seizure", drug="methamphetamine").count() == 1


def test_a_count_with_no_place_in_its_text_takes_the_one_subject_country():
    article = factories.make_article(body="Officers arrested five people on Friday.")
    figures = read_figures(article.body, rules=load_rules())
    rows = proposed_rows(article, figures, subject_countries=["TH"])
    assert [(row.kind, row.count, row.country_code) for row in rows] == [("arrest", 5, "TH")]
    assert rows[0].values["place_rule"] == "report-country"
    ambiguous = proposed_rows(article, figures, subject_countries=["TH", "KH"])
    assert ambiguous[0].country_code == ""


def test_a_run_that_finds_the_same_figures_changes_nothing():
    article = factories.make_article(body=KAMPOT)
    rules = load_rules()
    extract_article(article, rules=rules)
    proposed = proposed_rows(article, read_figures(article.body, rules=rules))
    plan = plan_figures(list(article.figures.all()), proposed)
    assert (plan.added, plan.changed, plan.withdrawn) == ([], [], [])


def test_a_curated_anchor_event_dates_reports_and_an_inactive_one_switches_a_default_off():
    ingest(SEEDS_DIR)
    article = seed("000")
    AnchorEvent.objects.create(
        name="World Day of Remembrance for Road Traffic Victims",
        aliases="World Day of Remembrance",
        kind=AnchorEvent.Kind.ANNIVERSARY,
        first_year=2005,
        active=False,
    )
    retag(article.pk)
    article.refresh_from_db()
    assert article.proposed_year != 2019
    AnchorEvent.objects.create(
        name="Road victims day, curated",
        aliases="World Day of Remembrance for Road Traffic Victims",
        kind=AnchorEvent.Kind.ANNIVERSARY,
        first_year=2006,
    )
    retag(article.pk)
    article.refresh_from_db()
    assert article.proposed_year == 2020
    assert "Road victims day, curated" in article.date_evidence
