"""Shared by the API tests: the search tests' indexed corpus, and JSON requests."""

import pytest

from tests.search.conftest import corpus  # noqa: F401  (the six indexed reports)


@pytest.fixture
def get_json(client):
    """Return a function: GET an API path, check the status and JSON, return the data."""

    def get(path, params=None, *, status=200):
        response = client.get(path, params or {})
        assert response.status_code == status, response.content[:500]
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        return response.json()

    return get
