"""Did you mean, through the page and the API: a misspelling the stemmer hides, names' capitals."""

import pytest
from django.urls import reverse

from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(search_index):
    for number in range(2):
        factories.make_article(
            title=f"Road traffic jam {number}", body="Road traffic slowed near the market."
        )
    for number in range(8):
        factories.make_article(
            title=f"Trafficking ring {number}",
            body="Police broke up a human trafficking ring in Sihanoukville.",
        )
    apply_pending()


def test_a_misspelling_that_stems_to_another_word_is_corrected(client, archive):
    # "trafficing" stems like "traffic": it finds the two road reports, and says why.
    page = client.get(reverse("search:search"), {"q": "trafficing"})
    assert page.context["response"].total == 2
    assert page.context["response"].suggestion == "trafficking"
    assert "Did you mean" in page.content.decode()
    data = client.get(reverse("search:api_search"), {"q": "trafficing"}).json()
    assert data["total"] == 2 and data["suggestion"] == "trafficking"


def test_a_name_is_suggested_with_its_capitals(client, archive):
    data = client.get(reverse("search:api_search"), {"q": "sihanukville trafficking"}).json()
    assert data["suggestion"] == "Sihanoukville trafficking"


def test_a_correct_query_gets_no_suggestion(client, archive):
    data = client.get(reverse("search:api_search"), {"q": "road traffic"}).json()
    assert data["suggestion"] is None
