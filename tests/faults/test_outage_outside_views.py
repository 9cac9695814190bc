"""A database error raised outside any view (in another middleware's own code, a session saved on
the way out say) still answers 503; any other error there is still a 500."""

import pytest
from django.conf import settings as django_settings
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db

FAILING_MIDDLEWARE = f"{__name__}.FailingOnTheWayOut"


class FailingOnTheWayOut:
    """Raise the error named by the request's `fail` parameter after the view has answered."""

    errors = {"database": OperationalError("connection refused (simulated)"), "bug": ValueError()}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.GET.get("fail") in self.errors:
            raise self.errors[request.GET["fail"]]
        return response


@pytest.fixture
def failing_client(client, settings):
    # Inside every middleware but the outermost two (security headers, database outage), as a
    # session or message middleware sits.
    settings.MIDDLEWARE = [
        *django_settings.MIDDLEWARE[:3],
        FAILING_MIDDLEWARE,
        *django_settings.MIDDLEWARE[3:],
    ]
    client.raise_request_exception = False
    return client


def test_a_database_error_outside_any_view_answers_503(failing_client):
    response = failing_client.get("/articles/999999/", {"fail": "database"})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"temporarily unavailable" in response.content


def test_under_the_api_it_is_the_api_s_json_error(failing_client):
    response = failing_client.get("/api/v1/search", {"fail": "database"})
    assert response.status_code == 503
    assert response.json()["error"]["status"] == 503


def test_other_errors_outside_views_are_still_500(failing_client):
    response = failing_client.get("/articles/999999/", {"fail": "bug"})
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_without_an_error_the_page_is_served(failing_client):
    assert failing_client.get("/api/v1/countries").status_code == 200
