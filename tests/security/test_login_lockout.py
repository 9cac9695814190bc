"""Failed sign-ins: five wrong passwords for one username from one address pause that pair."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lockouts_on")]

LOGIN = reverse("admin:login")
PASSWORD = "the-right-password-for-this-test"
HOME = "10.0.0.1"


@pytest.fixture
def lockouts_on(settings):
    # The suite runs with lockouts off (pyproject.toml): Django's test client signs in without a
    # request, which django-axes refuses.
    settings.AXES_ENABLED = True
    # A fast hash: these tests check dozens of passwords, and the hash's strength is not the point.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def accounts(lockouts_on):
    User.objects.create_user("curator", password=PASSWORD, is_staff=True)
    User.objects.create_user("colleague", password=PASSWORD, is_staff=True)


def sign_in(username, password, *, address=HOME):
    client = Client(REMOTE_ADDR=address)
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def fail(times, username="curator", *, address=HOME):
    return [sign_in(username, "wrong", address=address).status_code for _ in range(times)]


def test_the_lockout_settings_are_five_failures_an_hour_per_username_and_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_a_right_password_signs_in():
    response = sign_in("curator", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_four_wrong_passwords_only_show_the_form_again():
    assert fail(4) == [200, 200, 200, 200]
    assert sign_in("curator", PASSWORD).status_code == 302


def test_the_fifth_wrong_password_locks_the_pair_even_against_the_right_password():
    assert fail(5) == [200, 200, 200, 200, 429]
    response = sign_in("curator", PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert "Sign-in paused after too many failed attempts" in content
    assert "5 wrong passwords for “curator”" in content
    assert "axes_reset_username curator" in content
    assert "_auth_user_id" not in response.client.session


def test_a_lockout_touches_neither_other_users_nor_other_addresses():
    fail(5)
    assert sign_in("colleague", PASSWORD).status_code == 302
    assert sign_in("curator", PASSWORD, address="10.0.0.2").status_code == 302
    assert sign_in("curator", PASSWORD).status_code == 429


def test_a_successful_sign_in_starts_the_count_afresh():
    fail(4)
    assert sign_in("curator", PASSWORD).status_code == 302
    assert fail(4) == [200, 200, 200, 200]
    assert sign_in("curator", PASSWORD).status_code == 302


def test_axes_reset_lifts_every_lockout():
    fail(5)
    call_command("axes_reset", stdout=StringIO())
    assert sign_in("curator", PASSWORD).status_code == 302


def test_the_lockout_follows_the_proxys_address_not_the_one_a_client_claims(settings):
    settings.BEHIND_TLS_PROXY = True
    for invented in range(5):
        client = Client(
            REMOTE_ADDR="172.16.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{invented}, 203.0.113.9",
        )
        client.post(LOGIN, {"username": "curator", "password": "wrong"})
    honest = Client(REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = honest.post(LOGIN, {"username": "curator", "password": PASSWORD})
    assert response.status_code == 429
