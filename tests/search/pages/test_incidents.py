"""Incident and story thread pages, and the article page's links to them, on the invented
reports of tests/fixtures/incidents grouped as ingest groups them (`grouped`)."""

import re
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils.html import escape

from archive.grouping.display import tier_words
from archive.grouping.figure_comparison import Column, compare_figures
from archive.models import FigureStatus, GroupMember, GroupStatus, ReportedFigure, ReportGroup

pytestmark = pytest.mark.django_db


def incident_page(client, group):
    response = client.get(reverse("search:incident", args=[group.pk]))
    assert response.status_code == 200
    return response


def test_an_incident_lists_its_reports_in_time_order_saying_how_each_was_matched(client, grouped):
    group = grouped.incident_of("r001")
    response = incident_page(client, group)
    reports = response.context["reports"]
    assert [line.article_id for line in reports[:3]] == [
        grouped.articles[key].pk for key in ("r001", "r002", "r003")
    ]
    assert reports[0].tier_words == "first report"
    assert re.fullmatch(r"copy of one text \(0\.\d\d\)", reports[1].tier_words)
    assert reports[2].tier_words.startswith("same incident: same province KH-12, 1 day apart")
    html = response.content.decode()
    assert "Proposed by the machine, not yet confirmed." in html
    assert f'href="{grouped.articles["r003"].get_absolute_url()}"' in html
    assert "The Phnom Penh Post" in html


def test_the_figures_are_side_by_side_and_disagreements_said_in_words(client, grouped):
    response = incident_page(client, grouped.incident_of("r052"))
    comparison = response.context["comparison"]
    labels = [column.label for column in comparison.columns]
    assert labels[:2] == ["Khmer Times", "Cambodianess"]
    rows = {row.label: row for row in comparison.rows}
    assert {"Seizure of methamphetamine", "Arrests", "People named"} <= set(rows)
    seizure = rows["Seizure of methamphetamine"]
    assert "Khmer Times: 105 kg" in seizure.disagreement
    assert "The Phnom Penh Post: about 100 kg" in seizure.disagreement  # "more than 100"
    assert "The Phnom Penh Post: 9" in rows["Arrests"].disagreement
    assert rows["People named"].disagreement == ""  # naming fewer people contradicts nothing
    html = response.content.decode()
    assert "The reports disagree on" in html
    assert escape(seizure.disagreement) in html


def test_a_confirmed_figure_is_marked_and_a_rejected_one_left_out(client, grouped):
    khmer_times = grouped.articles["r052"]
    figures = ReportedFigure.objects.filter(article=khmer_times)
    figures.filter(kind="seizure").update(status=FigureStatus.CONFIRMED)
    figures.filter(kind="arrest").update(status=FigureStatus.REJECTED)
    comparison = incident_page(client, grouped.incident_of("r052")).context["comparison"]
    rows = {row.label: row for row in comparison.rows}
    (value,) = rows["Seizure of methamphetamine"].cells[0]
    assert (value.text, value.confirmed, value.provenance) == (
        "105 kg",
        True,
        "confirmed by a curator",
    )
    assert rows["Arrests"].cells[0] == ()  # rejected: as if the report were silent
    html = incident_page(client, grouped.incident_of("r052")).content.decode()
    assert '105 kg <span class="value-mark">(confirmed)</span>' in html


def test_a_confirmed_group_carries_no_machine_notice(client, grouped):
    group = grouped.incident_of("r001")
    ReportGroup.objects.filter(pk=group.pk).update(status=GroupStatus.CONFIRMED)
    html = incident_page(client, group).content.decode()
    assert "not yet confirmed" not in html
    assert "Confirmed by a curator." in html


def test_a_report_split_out_is_left_out(client, grouped):
    group = grouped.incident_of("r001")
    copy = grouped.articles["r002"]
    GroupMember.objects.filter(group=group, article=copy).update(status=GroupStatus.REJECTED)
    response = incident_page(client, group)
    assert copy.pk not in [line.article_id for line in response.context["reports"]]
    assert copy.pk not in [column.article_id for column in response.context["comparison"].columns]


def test_a_merged_group_redirects_to_its_target_and_a_missing_one_is_404(client, grouped):
    kept, merged = grouped.incident_of("r001"), grouped.incident_of("r052")
    ReportGroup.objects.filter(pk=merged.pk).update(merged_into=kept)
    response = client.get(reverse("search:incident", args=[merged.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("search:incident", args=[kept.pk])
    assert client.get(reverse("search:incident", args=[999999])).status_code == 404
    assert client.get(reverse("search:thread", args=[999999])).status_code == 404
    # An incident asked for at a thread's address goes to its own page.
    response = client.get(reverse("search:thread", args=[kept.pk]))
    assert response["Location"] == reverse("search:incident", args=[kept.pk])


def test_an_incident_links_the_story_thread_its_reports_are_in(client, grouped):
    thread = grouped.thread_of("r001")
    html = incident_page(client, grouped.incident_of("r001")).content.decode()
    assert f'href="{reverse("search:thread", args=[thread.pk])}"' in html


def test_a_thread_is_a_timeline_gathered_by_incident(client, grouped):
    thread = grouped.thread_of("r001")
    response = client.get(reverse("search:thread", args=[thread.pk]))
    assert response.status_code == 200
    stages = response.context["stages"]
    first, sentence = grouped.incident_of("r001"), grouped.incident_of("r041")
    assert stages[0].incident_id == first.pk and stages[0].incident_reports >= 3
    assert [line.article_id for line in stages[0].reports] == [grouped.articles["r001"].pk]
    assert stages[-1].incident_id == sentence.pk
    assert [line.article_id for line in stages[-1].reports] == [
        grouped.articles["r041"].pk,
        grouped.articles["r042"].pk,
    ]
    assert stages[-1].reports[0].tier_words.startswith("a later stage of the case: ")
    dates = [line.published for stage in stages for line in stage.reports]
    assert dates == sorted(dates)
    html = response.content.decode()
    for incident in (first, sentence):
        assert f'href="{reverse("search:incident", args=[incident.pk])}"' in html
    assert "Proposed by the machine, not yet confirmed." in html


def test_the_article_page_names_who_else_reported_it_and_its_thread(client, grouped):
    article = grouped.articles["r001"]
    html = client.get(article.get_absolute_url()).content.decode()
    incident, thread = grouped.incident_of("r001"), grouped.thread_of("r001")
    assert "Reported also by: <bdi>Khmer Times, The Phnom Penh Post" in html
    assert (
        f'<a href="{reverse("search:incident", args=[incident.pk])}">incident #{incident.pk}'
        in (html)
    )
    assert f'<a href="{reverse("search:thread", args=[thread.pk])}">story thread #{thread.pk}' in (
        html
    )


def test_an_article_in_no_group_shows_no_group_links(client, grouped):
    alone = grouped.articles["r055"]  # a distractor: another raid the same day
    assert client.get(alone.get_absolute_url()).context["groups"] is None


# --- Pure helpers ----------------------------------------------------------------------------


def test_tiers_read_as_words():
    assert tier_words("first", None, []) == "first report"
    assert tier_words("copy", 0.906, ["copies of one text (0.91)"]) == "copy of one text (0.91)"
    assert tier_words("same", 2.5, ["same province KH-12", "1 day apart"]) == (
        "same incident: same province KH-12, 1 day apart"
    )
    assert tier_words("curated", None, []) == "added by a curator"


def test_amounts_stated_in_other_units_agree_and_totals_are_left_out():
    def seizure(article_id, quantity, unit, kg, **fields):
        return ReportedFigure(
            article_id=article_id,
            kind="seizure",
            drug="ketamine",
            quantity=quantity,
            unit=unit,
            mass_kg=kg,
            **fields,
        )

    columns = [Column(1, "A"), Column(2, "B")]
    comparison = compare_figures(
        columns,
        [
            seizure(1, 1.3, "t", 1300.0),
            seizure(2, 1300, "kg", 1300.0),
            seizure(2, 9000, "kg", 9000.0, scope=ReportedFigure.Scope.TOTAL),
        ],
    )
    (row,) = comparison.rows
    assert [[value.text for value in cell] for cell in row.cells] == [["1.3 t"], ["1,300 kg"]]
    assert row.disagreement == "" and comparison.totals_left_out == 1


def test_a_thread_s_headings_step_down_one_level_also_for_a_report_in_no_incident(client, grouped):
    thread = grouped.thread_of("r001")
    sentence = grouped.incident_of("r041")
    GroupMember.objects.filter(group=sentence, article=grouped.articles["r042"]).update(
        status=GroupStatus.REJECTED
    )
    html = client.get(reverse("search:thread", args=[thread.pk])).content.decode()
    page = html[html.index('<article class="group-page') : html.index("</article>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", page)]
    assert "Reported alone" in page and levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in pairwise(levels))
