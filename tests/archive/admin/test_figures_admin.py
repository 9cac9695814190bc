"""Curating figures in admin: confirm, reject, correct and add them; the extractors respect it."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from archive.admin.display import highlight_figure, stated_span
from archive.extraction.store import extract_article, load_rules
from archive.models import Article, FigureStatus, Origin, ReportedFigure
from archive.permissions import CURATOR_GROUP
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:archive_reportedfigure_changelist")
ADD = reverse("admin:archive_reportedfigure_add")
DECIDE = reverse("admin:archive_reportedfigure_decide")
QUEUE = reverse("admin:archive_reviewitem_changelist")
KAMPOT_SEIZURE = "Police in Kampot seized 100 kilograms of methamphetamine on Monday."


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("cura", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    client.force_login(user)
    client.user = user
    return client


def extracted_article(body=KAMPOT_SEIZURE, **fields):
    article = factories.make_article(body=body, **fields)
    extract_article(article, rules=load_rules())
    return article


def seizure_of(article) -> ReportedFigure:
    return article.figures.get(kind=ReportedFigure.Kind.SEIZURE)


def change_url(figure) -> str:
    return reverse("admin:archive_reportedfigure_change", args=[figure.pk])


def form_data(figure, **changes) -> dict:
    """Return the change form as the browser sends it for `figure`, with `changes` typed in."""
    data = {
        "status": figure.status,
        "scope": figure.scope,
        "period": figure.period,
        "drug": figure.drug,
        "quantity": "" if figure.quantity is None else figure.quantity,
        "unit": figure.unit,
        "mass_kg": "" if figure.mass_kg is None else figure.mass_kg,
        "count": "" if figure.count is None else figure.count,
        "place_code": figure.place_code,
        "country_code": figure.country_code,
        "name": figure.name,
        "role": figure.role,
    }
    if figure.approximate:
        data["approximate"] = "on"
    data.update(changes)
    return data


def errors_of(response) -> dict:
    return response.context["adminform"].form.errors


# --- Confirm and reject -------------------------------------------------------------------------


def test_confirm_action_confirms_and_records_the_reviewer(curator_client):
    article = extracted_article()
    seizure = seizure_of(article)
    response = curator_client.post(
        CHANGELIST, {"action": "confirm_action", "_selected_action": [seizure.pk]}
    )
    assert response.status_code == 302
    seizure.refresh_from_db()
    assert seizure.status == FigureStatus.CONFIRMED
    assert seizure.reviewed_by == curator_client.user
    assert seizure.reviewed_at is not None
    assert seizure.history.first().history_change_reason == "figure confirmed by a curator"


def test_reject_action_rejects_and_records_the_reviewer(curator_client):
    article = extracted_article()
    seizure = seizure_of(article)
    curator_client.post(CHANGELIST, {"action": "reject_action", "_selected_action": [seizure.pk]})
    seizure.refresh_from_db()
    assert seizure.status == FigureStatus.REJECTED
    assert seizure.reviewed_by == curator_client.user
    assert ReportedFigure.objects.counted().filter(pk=seizure.pk).count() == 0


def test_tagger_figures_cannot_be_deleted_only_rejected(admin_client):
    seizure = seizure_of(extracted_article())
    response = admin_client.get(CHANGELIST)
    assert "delete_selected" not in response.content.decode()
    delete = reverse("admin:archive_reportedfigure_delete", args=[seizure.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ReportedFigure.objects.filter(pk=seizure.pk).exists()


def test_changelist_labels_proposals_as_the_machines_with_confidence(admin_client):
    article = extracted_article()
    response = admin_client.get(CHANGELIST, {"kind__exact": "seizure"})
    content = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [seizure_of(article)]
    assert "proposed by the machine</span>, 90% sure" in content
    assert "100 kg methamphetamine" in content
    assert "<mark>100 kilograms of methamphetamine</mark>" in content


def test_changelist_filters_and_searches(admin_client):
    article = extracted_article()
    response = admin_client.get(CHANGELIST, {"drug": "methamphetamine", "country_code": "KH"})
    assert list(response.context["cl"].result_list) == [seizure_of(article)]
    response = admin_client.get(CHANGELIST, {"q": "heroin"})
    assert list(response.context["cl"].result_list) == []
    response = admin_client.get(CHANGELIST, {"article__id__exact": article.pk})
    assert set(response.context["cl"].result_list) == set(article.figures.all())


# --- Corrections --------------------------------------------------------------------------------


def test_correcting_quantity_and_unit_recomputes_the_mass(curator_client):
    seizure = seizure_of(extracted_article())
    response = curator_client.post(
        change_url(seizure), form_data(seizure, quantity="2", unit="tonnes")
    )
    assert response.status_code == 302, errors_of(response)
    seizure.refresh_from_db()
    assert (seizure.quantity, seizure.unit, seizure.mass_kg) == (2.0, "t", 2000.0)
    assert seizure.status == FigureStatus.CONFIRMED
    assert seizure.reviewed_by == curator_client.user
    reason = seizure.history.first().history_change_reason
    assert reason == "figure corrected by a curator: quantity, unit"


def test_a_mass_the_curator_wrote_is_kept(curator_client):
    seizure = seizure_of(extracted_article())
    curator_client.post(change_url(seizure), form_data(seizure, quantity="120", mass_kg="118.5"))
    seizure.refresh_from_db()
    assert (seizure.quantity, seizure.mass_kg) == (120.0, 118.5)


def test_a_count_unit_has_no_mass_and_a_count(curator_client):
    seizure = seizure_of(extracted_article())
    curator_client.post(change_url(seizure), form_data(seizure, quantity="5000", unit="pills"))
    seizure.refresh_from_db()
    assert (seizure.unit, seizure.mass_kg, seizure.count) == ("tablet", None, 5000)


def test_saving_with_status_rejected_keeps_the_figure_rejected(curator_client):
    seizure = seizure_of(extracted_article())
    curator_client.post(change_url(seizure), form_data(seizure, status=FigureStatus.REJECTED))
    seizure.refresh_from_db()
    assert seizure.status == FigureStatus.REJECTED
    assert seizure.reviewed_at is not None


# --- Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("place_code", "KH-99", ['"KH-99" is not an ISO 3166-2 code', "KH-18 (Preah Sihanouk)"]),
        ("place_code", "Kampot", ['"KAMPOT" is not an ISO 3166-2 code', "leave it empty"]),
        ("country_code", "XX", ['"XX" is not an ISO 3166-1 alpha-2', "KH (Cambodia)"]),
        ("country_code", "KHM", ["Ensure this value has at most 2 characters"]),
        ("unit", "furlongs", ['"furlongs" is not a unit figures are kept in', "kg, lb"]),
    ],
)
def test_codes_and_units_are_checked_with_a_message_saying_what_to_write(
    admin_client, field, value, words
):
    seizure = seizure_of(extracted_article())
    response = admin_client.post(change_url(seizure), form_data(seizure, **{field: value}))
    assert response.status_code == 200
    message = " ".join(errors_of(response)[field])
    for word in words:
        assert word in message
    seizure.refresh_from_db()
    assert seizure.status == FigureStatus.PROPOSED  # nothing saved


def test_codes_are_stored_in_capitals(admin_client):
    seizure = seizure_of(extracted_article())
    response = admin_client.post(
        change_url(seizure), form_data(seizure, place_code="kh-18", country_code="kh")
    )
    assert response.status_code == 302, errors_of(response)
    seizure.refresh_from_db()
    assert (seizure.place_code, seizure.country_code) == ("KH-18", "KH")


def test_a_place_in_another_country_is_refused(admin_client):
    seizure = seizure_of(extracted_article())
    response = admin_client.post(change_url(seizure), form_data(seizure, place_code="TH-10"))
    assert "TH-10 is a province of TH, not of KH" in " ".join(errors_of(response)["country_code"])


# --- Evidence -----------------------------------------------------------------------------------


def test_evidence_is_escaped_and_the_stated_words_marked(admin_client):
    body = "Police seized <b>5 kg</b> of heroin & <script>alert(1)</script> in Kampot."
    article = factories.make_article(body=body)
    figure = ReportedFigure.objects.create(
        article=article,
        kind=ReportedFigure.Kind.SEIZURE,
        evidence=body,
        start=body.index("5 kg"),
        end=body.index("5 kg") + 4,
        drug="heroin",
        quantity=5,
        unit="kg",
    )
    html = str(highlight_figure(figure))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;<mark>5 kg</mark>&lt;/b&gt; of heroin &amp; &lt;script&gt;" in html
    content = admin_client.get(change_url(figure)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;b&gt;<mark>5 kg</mark>&lt;/b&gt;" in content


def test_offsets_are_used_only_while_the_body_still_holds_the_sentence():
    sentence = "They found 3 kg here and 3 kg there."
    body = f"Intro. {sentence}"
    second = body.rindex("3 kg")
    span = stated_span(sentence, body=body, start=second, end=second + 4, as_written="3 kg")
    assert span == (sentence.rindex("3 kg"), sentence.rindex("3 kg") + 4)  # the second, not first
    edited = f"A longer introduction was written. {sentence}"
    span = stated_span(sentence, body=edited, start=second, end=second + 4, as_written="3 kg")
    assert span == (sentence.index("3 kg"), sentence.index("3 kg") + 4)  # as_written, found
    assert stated_span(sentence, body=edited, start=second, end=second + 4) is None


# --- Adding by hand -----------------------------------------------------------------------------


def test_a_curator_adds_a_figure_by_hand(curator_client):
    article = factories.make_article(body=KAMPOT_SEIZURE)
    page = curator_client.get(ADD, {"article": article.pk})
    assert page.status_code == 200
    response = curator_client.post(
        ADD,
        {
            "article": article.pk,
            "kind": "seizure",
            "scope": "single",
            "drug": "heroin",
            "quantity": "3",
            "unit": "kilograms",
            "place_code": "KH-7",
            "country_code": "KH",
            "as_written": "3 kilograms of heroin",
            "evidence": "A witness spoke of 3 kilograms of heroin.",
        },
    )
    assert response.status_code == 302, errors_of(response)
    figure = article.figures.get()
    assert (figure.origin, figure.status, figure.signature) == (
        Origin.CURATOR,
        FigureStatus.CONFIRMED,
        "",
    )
    assert (figure.unit, figure.mass_kg, figure.reviewed_by) == ("kg", 3.0, curator_client.user)
    extract_article(article, rules=load_rules())  # a run proposes its own, leaves this one
    figure.refresh_from_db()
    assert (figure.drug, figure.status) == ("heroin", FigureStatus.CONFIRMED)


# --- A later run of the extractors --------------------------------------------------------------


def test_a_rerun_neither_brings_back_a_rejected_figure_nor_changes_a_corrected_one(
    curator_client,
):
    article = extracted_article()
    seizure = seizure_of(article)
    place = article.figures.get(kind=ReportedFigure.Kind.PLACE)
    curator_client.post(CHANGELIST, {"action": "reject_action", "_selected_action": [place.pk]})
    curator_client.post(
        change_url(seizure), form_data(seizure, drug="heroin", quantity="90", place_code="KH-18")
    )

    report = extract_article(article, rules=load_rules())

    assert (report.added, report.updated, report.withdrawn, report.kept) == (0, 0, 0, 2)
    assert article.figures.count() == 2
    place.refresh_from_db()
    assert place.status == FigureStatus.REJECTED
    seizure.refresh_from_db()
    assert (seizure.drug, seizure.quantity, seizure.mass_kg, seizure.place_code) == (
        "heroin",
        90.0,
        90.0,
        "KH-18",
    )
    assert seizure.status == FigureStatus.CONFIRMED


# --- On the article page and in the review queue ------------------------------------------------


def test_article_page_lists_its_figures_with_evidence_and_buttons(admin_client):
    article = extracted_article()
    seizure = seizure_of(article)
    content = admin_client.get(
        reverse("admin:archive_article_change", args=[article.pk])
    ).content.decode()
    assert "Figures the report states" in content
    assert 'name="figures-TOTAL_FORMS"' not in content  # a table, not a formset to send back
    assert "<mark>100 kilograms of methamphetamine</mark>" in content
    # The buttons belong to a form of their own: Enter in the title still saves the article.
    assert f'form="figure-decisions" name="decide-figure" value="confirm:{seizure.pk}"' in content
    assert '<form id="figure-decisions" method="post"' in content
    assert f"{ADD}?article={article.pk}" in content


def test_a_figure_button_on_the_article_page_decides_and_returns_there(curator_client):
    article = extracted_article()
    seizure = seizure_of(article)
    page = reverse("admin:archive_article_change", args=[article.pk])
    response = curator_client.post(
        DECIDE,
        {"decide-figure": f"reject:{seizure.pk}"},
        headers={"referer": f"http://testserver{page}"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page}#figures"
    seizure.refresh_from_db()
    assert seizure.status == FigureStatus.REJECTED


def test_decide_view_refuses_what_it_cannot_do(curator_client):
    assert curator_client.get(DECIDE).status_code == 400
    assert curator_client.post(DECIDE, {"decide-figure": "confirm:999999"}).status_code == 400
    assert curator_client.post(DECIDE, {"decide-figure": "erase:1"}).status_code == 400


def test_review_queue_shows_pending_figures_and_confirm_all_decides_them(admin_client):
    article = extracted_article(year=2024, review_status=Article.ReviewStatus.NEEDS_REVIEW)
    content = admin_client.get(QUEUE).content.decode()
    assert "Proposed figures, least certain first" in content
    assert "<mark>100 kilograms of methamphetamine</mark>" in content
    assert f'value="reject:{seizure_of(article).pk}"' in content
    admin_client.post(
        reverse("admin:archive_reviewitem_decide"), {"decide": f"confirm-all:{article.pk}"}
    )
    assert not article.figures.filter(status=FigureStatus.PROPOSED).exists()
    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.REVIEWED


def test_an_article_stays_in_the_queue_while_a_figure_is_pending(curator_client):
    article = extracted_article(year=2024, review_status=Article.ReviewStatus.NEEDS_REVIEW)
    seizure, place = seizure_of(article), article.figures.get(kind="place")
    curator_client.post(DECIDE, {"decide-figure": f"confirm:{seizure.pk}"})
    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.NEEDS_REVIEW
    response = curator_client.post(
        DECIDE,
        {"decide-figure": f"confirm:{place.pk}"},
        headers={"referer": f"http://testserver{QUEUE}?p=1"},
    )
    assert response["Location"] == f"{QUEUE}?p=1#review-{article.pk}"
    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.REVIEWED


def test_admin_index_counts_the_figures_awaiting_review(admin_client):
    extracted_article()
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert f'{CHANGELIST}?status__exact=proposed">2 figures proposed by the machine</a>' in content
