"""The anchor calendar in admin: entries the anchor reader can use, or a message saying why not."""

import datetime as dt

import pytest
from django.urls import reverse

from archive.admin.anchors import AnchorEventForm
from archive.models import AnchorEvent
from archive.tagging.store import anchor_of, load_anchors

pytestmark = pytest.mark.django_db

ADD = reverse("admin:archive_anchorevent_add")
CHANGELIST = reverse("admin:archive_anchorevent_changelist")


def entry(**fields) -> dict:
    data = {
        "name": "Regional Drug Summit",
        "kind": AnchorEvent.Kind.NUMBERED,
        "aliases": "Regional Drug Summit\nRDS",
        "first_year": "",
        "editions": "14 = 2020\n15 = 2022",
        "start": "",
        "requires": "",
        "notes": "",
        "active": "on",
    }
    data.update(fields)
    return data


def errors(**fields) -> dict:
    form = AnchorEventForm(data=entry(**fields))
    assert not form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def test_a_numbered_meeting_is_added_and_dates_reports(admin_client):
    response = admin_client.post(ADD, entry(editions="14=2020\r\n\r\n  15 =  2022 "))
    assert response.status_code == 302
    event = AnchorEvent.objects.get(name="Regional Drug Summit")
    assert event.editions == "14 = 2020\n15 = 2022"
    assert anchor_of(event).editions == ((14, 2020), (15, 2022))
    assert "Regional Drug Summit" in [anchor.name for anchor in load_anchors()]


def test_an_edition_line_it_cannot_read_is_named_with_what_to_write():
    message = errors(editions="14 = 2020\nthe fifteenth in 2022")["editions"]
    assert 'line 2, "the fifteenth in 2022": write the edition, "=" and its year' in message
    assert '"14 = 2020"' in message


def test_an_edition_given_two_years_is_refused():
    message = errors(editions="14 = 2020\n14 = 2021")["editions"]
    assert "edition 14 is already given 2020" in message


def test_an_edition_year_out_of_range_is_refused():
    assert 'line 1, "14 = 20200": write the edition' in errors(editions="14 = 20200")["editions"]
    assert "1850 is not a year between 1900 and 2100" in errors(editions="3 = 1850")["editions"]


def test_a_numbered_meeting_needs_editions():
    assert "A numbered meeting needs its editions" in errors(editions="")["editions"]


def test_aliases_are_required_and_blank_lines_are_not_aliases():
    assert "Write at least one name reports use" in errors(aliases=" \n \n")["aliases"]


def test_an_anniversary_needs_its_first_year():
    message = errors(kind=AnchorEvent.Kind.ANNIVERSARY, editions="")["first_year"]
    assert "An anniversary needs the year it happened or was first observed" in message


def test_a_period_needs_its_start():
    message = errors(kind=AnchorEvent.Kind.PERIOD, editions="")["start"]
    assert "A period needs the day it began" in message


def test_a_period_with_a_start_is_valid():
    form = AnchorEventForm(
        data=entry(kind=AnchorEvent.Kind.PERIOD, editions="", start="2023-08-22")
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.date(2023, 8, 22)


def test_list_and_search(admin_client):
    AnchorEvent.objects.create(
        name="Day of Example", aliases="Example Day", kind="anniversary", first_year=2005
    )
    AnchorEvent.objects.create(
        name="Other Summit", aliases="OS", kind="numbered", editions="1 = 2001"
    )
    response = admin_client.get(CHANGELIST, {"q": "example day"})
    assert [event.name for event in response.context["cl"].result_list] == ["Day of Example"]
    assert "first in 2005" in response.content.decode()
