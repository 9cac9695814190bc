import datetime as dt

import pytest

from archive.ingest.metadata import canonical_fields, check_metadata, parse_published
from archive.ingest.records import IngestError

TODAY = dt.date(2026, 11, 21)


def test_common_field_names_map_to_ours_and_unknown_ones_are_listed():
    fields, unknown = canonical_fields(
        {"Headline": "A", "Published-At": "2020-01-02", "Agency": "NACD", "mood": "grim"}
    )
    assert fields == {"title": "A", "published": "2020-01-02", "ministry": "NACD"}
    assert unknown == ["mood"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-02-02", (dt.date(2022, 2, 2), 2022)),
        ("2022-02-02T10:00:00Z", (dt.date(2022, 2, 2), 2022)),
        ("February 2, 2022", (dt.date(2022, 2, 2), 2022)),
        ("2 Feb 2022", (dt.date(2022, 2, 2), 2022)),
        (dt.date(2019, 5, 1), (dt.date(2019, 5, 1), 2019)),
        ("2017", (None, 2017)),
        (2017, (None, 2017)),
        ("2017-08", (None, 2017)),
        ("", (None, None)),
    ],
)
def test_published_values_are_read(value, expected):
    assert parse_published(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "could not read 'soon' as a date; use YYYY-MM-DD"),
        ("1850-01-01", "the year 1850 is outside"),
        ("2026-12-01", "is in the future"),
        ("2027-01-01", "the year 2027 is outside 1900-2026"),
        (["2020"], "should be a date, got a list"),
    ],
)
def test_bad_published_values_are_refused(value, message):
    with pytest.raises(IngestError, match=message):
        parse_published(value, today=TODAY)


def test_list_fields_accept_lists_and_separated_text():
    metadata = check_metadata(
        {
            "country": "Cambodia; Thailand",
            "crime_type": ["gambling", "fraud"],
            "ministry": "Ministry of Economy and Finance",
            "authors": "A. Writer, B. Writer",
        },
        today=TODAY,
    )
    assert metadata.countries == ("Cambodia", "Thailand")
    assert metadata.crime_types == ("gambling", "fraud")
    assert metadata.ministries == ("Ministry of Economy and Finance",)
    assert metadata.authors == ("A. Writer", "B. Writer")


def test_a_list_gives_each_name_whole_even_with_a_comma_inside():
    agency = "National Steering Committee for Drug, AIDS and Prostitution Prevention and Control"
    metadata = check_metadata({"ministry": [agency, "Anti-Drug Police"]}, today=TODAY)
    assert metadata.ministries == (agency, "Anti-Drug Police")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ["a", "b"]}, "field 'title' should be text, got a list"),
        ({"url": "ftp://x"}, "field 'url': 'ftp://x' is not an http"),
        ({"language": "English please"}, "is not a language code"),
        ({"country": [{"name": "KH"}]}, "field 'country' should be a name or a list"),
    ],
)
def test_wrong_types_are_refused_naming_the_field(fields, message):
    with pytest.raises(IngestError, match=message):
        check_metadata(fields, today=TODAY)


def test_given_lists_only_fields_with_values():
    metadata = check_metadata({"title": "T", "url": "", "country": []}, today=TODAY)
    assert metadata.given() == {"title"}
