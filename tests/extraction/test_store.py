"""proposed_rows for people: name and role in their columns, the rest in values, no country."""

import pytest

from archive.extraction.people import find_people
from archive.extraction.store import proposed_rows
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_person_is_a_row_with_name_and_role_and_takes_no_report_country():
    text = "Prime Minister Hun Manet warned officials who protect scam compounds."
    article = make_article(body=text)
    (row,) = proposed_rows(article, find_people(text), subject_countries=["KH"])
    assert (row.kind, row.name, row.role) == ("person", "Hun Manet", "prime minister")
    assert row.country_code == ""
    assert row.values["title"] == "Prime Minister"
    assert "ហ៊ុន ម៉ាណែត" in row.values["names"]
    assert row.signature == "person|single|Hun Manet|prime minister"
