"""Pages answer GET and HEAD; OPTIONS gets the list and no body; TRACE and the rest get 405."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", reverse("search:export", args=["csv"]), "/browse/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES[:3])
def test_options_names_the_methods_and_sends_no_body(client, search_index, path):
    response = client.options(path)
    assert response.status_code == 204
    assert response.content == b""
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_options_on_an_address_that_does_not_exist_is_a_404(client):
    assert client.options("/no-such-page/").status_code == 404


@pytest.mark.parametrize("method", ["trace", "post", "put", "delete", "patch"])
@pytest.mark.parametrize("path", PAGES)
def test_other_methods_are_refused_with_the_allowed_ones(client, search_index, method, path):
    response = client.generic(method.upper(), path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert len(response.content) < 200  # a sentence, never the page or the export


def test_trace_is_refused_in_the_admin_and_the_api_refuses_in_json(client):
    assert client.generic("TRACE", "/admin/").status_code == 405
    response = client.generic("TRACE", reverse("search:api_search"))
    assert response.status_code == 405 and response.json()["error"]["status"] == 405
    options = client.options(reverse("search:api_search"))
    assert options.status_code == 405 and options.json()["error"]["status"] == 405
