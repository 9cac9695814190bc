"""The box "What this report states": live figures by kind, evidence marked and escaped, proposals
said to be proposals."""

import pytest
from django.urls import reverse

from archive.figures_display import EvidencePart, evidence_parts, figure_groups, scope_label
from archive.models import FigureStatus, Origin, ReportedFigure
from tests import factories

BODY = (
    "Officers searched a lorry near the border. "
    "They seized 12 kilogrammes of methamphetamine in Sihanoukville on Monday. "
    "Police arrested 3 suspects <b>and</b> charged them."
)


def figure(article, **fields):
    """A figure of `article`: a machine proposal unless told otherwise."""
    defaults = {"kind": ReportedFigure.Kind.SEIZURE, "confidence": 0.85, "rule": "quantity-of-drug"}
    return ReportedFigure.objects.create(article=article, **{**defaults, **fields})


def stated_at(text, words):
    start = text.index(words)
    return {"start": start, "end": start + len(words), "as_written": words}


@pytest.fixture
def report(db):
    article = factories.make_article(title="Drugs seized on the coast", body=BODY, raw_text=BODY)
    seizure_sentence = "They seized 12 kilogrammes of methamphetamine in Sihanoukville on Monday."
    arrest_sentence = "Police arrested 3 suspects <b>and</b> charged them."
    made = {
        "seizure": figure(
            article,
            drug="methamphetamine",
            quantity=12,
            unit="kg",
            mass_kg=12,
            place_code="KH-18",
            country_code="KH",
            values={"place_rule": "same-sentence"},
            evidence=seizure_sentence,
            **stated_at(BODY, "12 kilogrammes"),
        ),
        "arrest": figure(
            article,
            kind=ReportedFigure.Kind.ARREST,
            count=3,
            status=FigureStatus.CONFIRMED,
            origin=Origin.TAGGER,
            rule="n-suspects-arrested",
            evidence=arrest_sentence,
            values={"nationalities": ["CN"]},
            **stated_at(BODY, "3 suspects <b>and</b>"),
        ),
        "rejected": figure(
            article,
            kind=ReportedFigure.Kind.CASE,
            count=40,
            status=FigureStatus.REJECTED,
            values={"what": "raids"},
            evidence="Officers searched a lorry near the border.",
        ),
        "total": figure(
            article,
            kind=ReportedFigure.Kind.ARREST,
            count=900,
            scope=ReportedFigure.Scope.TOTAL,
            period="in 2016",
            evidence="Officers searched a lorry near the border.",
        ),
    }
    return article, made


# --- Evidence --------------------------------------------------------------------------------


def test_the_offsets_mark_the_stated_words_where_the_body_still_holds_them():
    sentence = "They seized 12 kg here and 12 kg there."
    body = f"First sentence. {sentence}"
    second = body.rindex("12 kg")
    parts = evidence_parts(sentence, "12 kg", body=body, start=second, end=second + 5)
    assert parts == (
        EvidencePart("They seized 12 kg here and ", False),
        EvidencePart("12 kg", True),
        EvidencePart(" there.", False),
    )


def test_stale_offsets_fall_back_to_the_words_in_the_evidence():
    sentence = "They seized 12 kg of heroin."
    parts = evidence_parts(sentence, "12 kg", body="A curator rewrote the body.", start=2, end=7)
    assert [part.text for part in parts if part.stated] == ["12 kg"]


def test_evidence_without_the_stated_words_is_shown_unmarked():
    parts = evidence_parts("Nothing here matches.", "12 kg", body="", start=None, end=None)
    assert parts == (EvidencePart("Nothing here matches.", False),)


@pytest.mark.parametrize(
    ("period", "said"),
    [
        ("in 2016", "total over 2016"),
        ("since 2017", "total over the period since 2017"),
        ("", "total over a period the report does not state"),
    ],
)
def test_a_total_says_the_period_it_covers(period, said):
    total = ReportedFigure(kind=ReportedFigure.Kind.ARREST, scope="total", period=period)
    assert scope_label(total) == said


# --- The box as data -------------------------------------------------------------------------


def test_the_box_lists_live_figures_by_kind_and_hides_rejected_ones(report):
    article, made = report
    groups = figure_groups(article)
    assert [group.title for group in groups] == ["Seizures", "Arrests"]
    listed = [line.pk for group in groups for line in group.figures]
    assert made["rejected"].pk not in listed
    assert sorted(listed) == sorted(made[key].pk for key in ("seizure", "arrest", "total"))


def test_a_proposal_says_who_proposed_it_with_its_confidence_and_rule(report):
    article, made = report
    lines = {line.pk: line for group in figure_groups(article) for line in group.figures}
    seizure, arrest = lines[made["seizure"].pk], lines[made["arrest"].pk]
    assert not seizure.confirmed
    assert seizure.provenance == "proposed by the machine (confidence 0.85, rule quantity-of-drug)"
    assert arrest.confirmed and arrest.provenance == "confirmed by a curator"


def test_each_line_carries_its_summary_scope_and_place(report):
    article, made = report
    lines = {line.pk: line for group in figure_groups(article) for line in group.figures}
    seizure, total = lines[made["seizure"].pk], lines[made["total"].pk]
    assert seizure.summary == "12 kg methamphetamine"
    assert seizure.scope == "one event"
    assert seizure.place.label == "Preah Sihanouk, Cambodia"
    assert seizure.place.how == "named in the same sentence"
    assert total.scope == "total over 2016"
    assert total.is_total
    assert lines[made["arrest"].pk].details == ("China",)


# --- On the article page ---------------------------------------------------------------------


@pytest.fixture
def page(client, report, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "no-index"
    article, made = report
    return client.get(reverse("archive:article_detail", args=[article.pk])), made


def test_the_article_page_shows_the_box_with_escaped_marked_evidence(page):
    response, _ = page
    html = response.content.decode()
    assert "What this report states" in html
    # The stated words are marked, and the tags a report's text holds are shown as text.
    assert "<mark>3 suspects &lt;b&gt;and&lt;/b&gt;</mark>" in html
    assert "<b>and</b>" not in html
    assert "<mark>12 kilogrammes</mark> of methamphetamine" in html


def test_the_article_page_marks_proposals_apart_and_leaves_rejected_figures_out(page):
    response, made = page
    html = response.content.decode()
    assert f'class="figure figure-proposed" id="figure-{made["seizure"].pk}"' in html
    assert f'class="figure figure-confirmed" id="figure-{made["arrest"].pk}"' in html
    assert f'id="figure-{made["rejected"].pk}"' not in html
    assert "proposed by the machine (confidence 0.85, rule quantity-of-drug)" in html
    assert reverse("search:province_page", args=["KH-18"]) in html


def test_a_report_without_figures_has_no_box(client, db, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "no-index"
    article = factories.make_article()
    response = client.get(reverse("archive:article_detail", args=[article.pk]))
    assert response.status_code == 200
    assert "What this report states" not in response.content.decode()
