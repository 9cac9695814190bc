"""The soak's admin forms as a browser sends them, and the edits it plans on them."""

import json
import random

import pytest

from bench import soak_forms

# A change page shaped like Django admin's: a logout form before the article form, a checked
# and an unchecked box, an autocomplete select, a select with nothing selected, a textarea
# opened with Django's newline, one tag row per kind, the inline template rows and buttons.
CHANGE_PAGE = """
<form id="logout-form" method="post" action="/admin/logout/">
  <input type="hidden" name="csrfmiddlewaretoken" value="TOKEN"><button>Log out</button>
</form>
<form method="post" id="article_form" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">
<input type="text" name="title" value="Police seize drugs &amp; cash zxaaaaaaaaaaaq" required>
<input type="checkbox" name="title_derived">
<input type="checkbox" name="reviewed_flag" checked>
<select name="source" class="admin-autocomplete"><option value="3" selected>Khmer Times</option>
</select>
<select name="language_choice"><option value="en">English</option><option value="km">Khmer
</option></select>
<input type="text" name="old_field" value="x" disabled>
<textarea name="body" cols="40">
First line &lt;kept&gt;
second line</textarea>
<input type="hidden" name="country_tags-TOTAL_FORMS" value="1">
<input type="hidden" name="country_tags-INITIAL_FORMS" value="1">
<input type="hidden" name="country_tags-0-id" value="11">
<input type="hidden" name="country_tags-0-article" value="5">
<select name="country_tags-0-country"><option value="1" selected>Cambodia</option></select>
<select name="country_tags-0-role"><option value="subject" selected>Subject</option>
<option value="mention">Mentioned</option></select>
<select name="country_tags-0-status"><option value="proposed">Proposed</option>
<option value="confirmed" selected>Confirmed</option><option value="rejected">Rejected</option>
</select>
<input type="hidden" name="country_tags-__prefix__-article" value="5">
<input type="hidden" name="ministry_tags-TOTAL_FORMS" value="1">
<input type="hidden" name="ministry_tags-INITIAL_FORMS" value="1">
<input type="hidden" name="ministry_tags-0-id" value="21">
<input type="hidden" name="ministry_tags-0-article" value="5">
<select name="ministry_tags-0-ministry"><option value="7" selected>Interior</option></select>
<select name="ministry_tags-0-role"><option value="mention" selected>Mentioned</option></select>
<select name="ministry_tags-0-status"><option value="rejected" selected>Rejected</option></select>
<input type="hidden" name="crime_type_tags-TOTAL_FORMS" value="0">
<input type="hidden" name="crime_type_tags-INITIAL_FORMS" value="0">
<input type="submit" value="Save" name="_save">
<input type="submit" value="Save and continue editing" name="_continue">
</form>
"""
MARKER = "zxbbbbbbbbbbbq"


def article_form():
    return soak_forms.parse_forms(CHANGE_PAGE)["article_form"]


# --- Forms as a browser sends them ------------------------------------------------------------


def test_a_form_sends_what_a_browser_would():
    forms = soak_forms.parse_forms(CHANGE_PAGE)
    assert list(forms) == ["logout-form", "article_form"]
    fields = dict(forms["article_form"].fields)
    assert fields["title"] == "Police seize drugs & cash zxaaaaaaaaaaaq"
    assert "title_derived" not in fields  # unchecked
    assert fields["reviewed_flag"] == "on"  # checked, no value attribute
    assert fields["source"] == "3"
    assert fields["language_choice"] == "en"  # nothing selected: the first option
    assert "old_field" not in fields  # disabled
    assert fields["body"] == "First line <kept>\nsecond line"  # Django's leading newline dropped
    assert fields["country_tags-0-status"] == "confirmed"
    assert not any("__prefix__" in name for name in fields)
    assert "_save" not in fields and "_continue" not in fields


def test_a_multiple_select_sends_every_selected_option_and_forms_without_id_get_a_number():
    forms = soak_forms.parse_forms(
        '<form><select name="tags" multiple><option value="a" selected>A</option>'
        '<option value="b">B</option><option selected>C d</option></select></form>'
    )
    assert forms["form-0"].fields == [("tags", "a"), ("tags", "C d")]


def test_form_errors_reads_error_lists_and_the_error_note():
    page = (
        '<p class="errornote">Please correct the errors below.</p>'
        '<ul class="errorlist" id="id_title_error"><li>This field is required.</li></ul>'
        '<div><ul class="errorlist nonfield"><li>Country tag with this <b>Article</b> '
        "and Country already exists.</li></ul></div><p>Not an error</p>"
    )
    assert soak_forms.form_errors(page) == [
        "Please correct the errors below.",
        "This field is required.",
        "Country tag with this Article and Country already exists.",
    ]
    assert soak_forms.form_errors(CHANGE_PAGE) == []


def test_review_buttons_belong_to_the_article_linked_before_them():
    page = (
        '<a href="/admin/archive/article/9/change/">A</a>'
        '<button name="decide" value="confirm-all:9">Confirm all</button>'
        '<button name="decide" value="reject:country:31">Reject</button>'
        '<a href="/admin/archive/article/4/change/">B</a>'
        '<button name="decide" value="confirm:crime_type:8">Confirm</button>'
    )
    assert soak_forms.review_decisions(page) == [
        (9, "confirm-all:9"),
        (9, "reject:country:31"),
        (4, "confirm:crime_type:8"),
    ]


def test_autocomplete_answers_give_ids_and_whether_more_pages_follow():
    payload = json.dumps(
        {"results": [{"id": "3", "text": "Laos"}], "pagination": {"more": True}}
    ).encode()
    assert soak_forms.autocomplete_choices(payload) == ([(3, "Laos")], True)
    assert soak_forms.autocomplete_choices('{"results": []}') == ([], False)


# --- Edit plans -------------------------------------------------------------------------------


def test_a_new_marker_replaces_the_last_one_and_the_title_stays_within_500_characters():
    assert (
        soak_forms.title_with_marker("Raid in Poipet zxaaaaaaaaaaaq", MARKER)
        == f"Raid in Poipet {MARKER}"
    )
    long_title = soak_forms.title_with_marker("word " * 200, MARKER)
    assert len(long_title) <= 500 and long_title.endswith(f" {MARKER}")
    with pytest.raises(ValueError, match="not a marker word"):
        soak_forms.title_with_marker("Raid", "Marker")


def test_live_tags_leave_rejected_rows_out():
    assert soak_forms.live_tags(article_form().fields) == {
        "country": frozenset({1}),
        "ministry": frozenset(),
        "crime_type": frozenset(),
    }


def plans(options, seeds=range(40)):
    return [
        soak_forms.plan_edit(
            article_form().fields,
            article_id=5,
            marker=MARKER,
            options=options,
            rng=random.Random(seed),
        )
        for seed in seeds
    ]


def test_an_edit_adds_a_confirmed_subject_row_for_an_entry_without_one():
    options = {"country": [1, 2], "ministry": [7], "crime_type": [40]}
    added = [edit for edit in plans(options) if edit.change.startswith("+")]
    assert {edit.change for edit in added} == {"+country 2", "+crime_type 40"}
    edit = next(edit for edit in added if edit.change == "+crime_type 40")
    fields = dict(edit.fields)
    assert fields["crime_type_tags-TOTAL_FORMS"] == "1"
    assert fields["crime_type_tags-INITIAL_FORMS"] == "0"
    assert fields["crime_type_tags-0-id"] == ""
    assert fields["crime_type_tags-0-article"] == "5"
    assert fields["crime_type_tags-0-crime_type"] == "40"
    assert fields["crime_type_tags-0-role"] == "subject"
    assert fields["crime_type_tags-0-status"] == "confirmed"
    assert edit.live_tags["crime_type"] == {40}
    assert edit.live_tags["country"] == {1}
    assert edit.title == f"Police seize drugs & cash {MARKER}"
    assert fields["title"] == edit.title
    assert edit.fields[-1] == ("_save", "Save")
    assert fields["csrfmiddlewaretoken"] == "TOKEN"


def test_an_edit_rejects_a_live_row_or_restores_a_rejected_one():
    edits = {edit.change: edit for edit in plans({})}
    assert set(edits) == {"-country 1", "~ministry 7"}
    rejected = edits["-country 1"]
    assert dict(rejected.fields)["country_tags-0-status"] == "rejected"
    assert dict(rejected.fields)["country_tags-TOTAL_FORMS"] == "1"  # no row added
    assert rejected.live_tags["country"] == frozenset()
    restored = edits["~ministry 7"]
    assert dict(restored.fields)["ministry_tags-0-status"] == "confirmed"
    assert restored.live_tags == {"country": {1}, "ministry": {7}, "crime_type": frozenset()}


def test_an_edit_with_no_tag_to_change_changes_the_title_only():
    form = soak_forms.parse_forms(
        '<form id="article_form"><input name="title" value="Raid">'
        '<input type="hidden" name="country_tags-TOTAL_FORMS" value="0"></form>'
    )["article_form"]
    edit = soak_forms.plan_edit(
        form.fields, article_id=1, marker=MARKER, options={}, rng=random.Random(1)
    )
    assert edit.change == "title only"
    assert edit.title == f"Raid {MARKER}"


def test_planning_an_edit_on_another_form_says_which_field_is_missing():
    form = soak_forms.parse_forms('<form id="login-form"><input name="username"></form>')
    with pytest.raises(KeyError, match="title"):
        soak_forms.plan_edit(
            form["login-form"].fields, article_id=1, marker=MARKER, options={}, rng=random.Random()
        )
