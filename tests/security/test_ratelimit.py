"""Rate limits: a client over its window's limit gets 429 and Retry-After, others carry on."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from config.environment import ConfigurationError, read_rate
from search import ratelimit
from search.ratelimit import EXPORT, SEARCH, client_key, count_request, describe_limit
from tests.search.conftest import corpus  # noqa: F401  (an indexed archive to search)

SEARCH_PAGE = reverse("search:search")
API_SEARCH = reverse("search:api_search")
EXPORT_CSV = reverse("search:export", args=["csv"])
WINDOW_START = 1_800_000_000  # a whole number of minutes since the epoch
HOME, NEIGHBOUR = "198.51.100.7", "198.51.100.8"


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock(WINDOW_START + 15)
    monkeypatch.setattr(ratelimit, "clock", fake)
    return fake


@pytest.fixture
def limits_on(settings, clock, corpus, request):  # noqa: F811
    """Turn the limits on (the suite runs without them) with small numbers and a fresh cache."""
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {SEARCH: (3, 60), EXPORT: (2, 60)}
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratelimit-{request.node.name}",
        },
    }
    return settings


def get(client, path, address=HOME, **extra):
    return client.get(path, REMOTE_ADDR=address, **extra)


# --- The counting, without requests -----------------------------------------------------------


def test_the_request_after_the_limit_is_refused_until_the_window_ends():
    cache = LocMemCache("count-test", {})
    now = WINDOW_START + 15
    decisions = [count_request(cache, "k", limit=(3, 60), now=now) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 45
    assert count_request(cache, "k", limit=(3, 60), now=WINDOW_START + 59.5).retry_after == 1
    assert count_request(cache, "k", limit=(3, 60), now=WINDOW_START + 60).allowed
    assert count_request(cache, "other", limit=(3, 60), now=now).count == 1


def test_the_counts_are_shared_by_every_worker_through_files(tmp_path, settings):
    assert settings.CACHES["ratelimit"]["BACKEND"].endswith("FileBasedCache")
    assert str(settings.VAR_DIR) in str(settings.CACHES["ratelimit"]["LOCATION"])
    # Two workers are two processes, each with its own cache object on the same folder.
    first, second = (FileBasedCache(str(tmp_path), {}) for _ in range(2))
    count_request(first, "k", limit=(2, 60), now=WINDOW_START)
    count_request(second, "k", limit=(2, 60), now=WINDOW_START)
    assert not count_request(first, "k", limit=(2, 60), now=WINDOW_START).allowed


def test_ipv6_clients_are_counted_by_their_network():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9")
    assert client_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:198.51.100.7") == "198.51.100.7"
    assert client_key(HOME) != client_key(NEIGHBOUR)


def test_limits_are_read_and_described_as_people_write_them():
    assert read_rate({"R": "120/minute"}, "R", default="1/second") == (120, 60)
    assert read_rate({"R": " 10 / 5 minutes "}, "R", default="1/second") == (10, 300)
    assert read_rate({}, "R", default="1000/hour") == (1000, 3600)
    assert describe_limit(SEARCH, (120, 60)) == "120 searches a minute"
    assert describe_limit(EXPORT, (10, 3600)) == "10 exports an hour"
    assert describe_limit(EXPORT, (10, 300)) == "10 exports per 300 seconds"
    for wrong in ("120", "120/fortnight", "0/minute", "5/0minutes", "lots/minute"):
        with pytest.raises(ConfigurationError, match="is not a rate"):
            read_rate({"R": wrong}, "R", default="1/second")


# --- Through the middleware -------------------------------------------------------------------


def test_the_search_page_answers_429_with_retry_after_and_a_page_that_explains(client, limits_on):
    assert [get(client, SEARCH_PAGE).status_code for _ in range(3)] == [200, 200, 200]
    response = get(client, SEARCH_PAGE)
    assert response.status_code == 429
    assert response["Retry-After"] == "45"
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Too many searches from your address: the limit is 3 searches a minute." in content
    assert "Try again in 45 seconds." in content


def test_the_api_answers_429_in_its_own_error_format(client, limits_on):
    for _ in range(3):
        assert get(client, API_SEARCH).status_code == 200
    response = get(client, API_SEARCH)
    assert response.status_code == 429
    assert response["Retry-After"] == "45"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "error": {
            "status": 429,
            "message": "Too many searches from your address: the limit is 3 searches a minute. "
            "Try again in 45 seconds.",
        }
    }


def test_another_client_is_not_refused(client, limits_on):
    for _ in range(4):
        get(client, SEARCH_PAGE)
    assert get(client, SEARCH_PAGE).status_code == 429
    assert get(client, SEARCH_PAGE, address=NEIGHBOUR).status_code == 200


def test_the_next_window_starts_afresh(client, limits_on, clock):
    for _ in range(4):
        get(client, SEARCH_PAGE)
    clock.now = WINDOW_START + 59
    assert get(client, SEARCH_PAGE).status_code == 429
    clock.now = WINDOW_START + 60
    assert [get(client, SEARCH_PAGE).status_code for _ in range(3)] == [200, 200, 200]
    assert get(client, SEARCH_PAGE)["Retry-After"] == "60"


def test_exports_have_their_own_smaller_limit(client, limits_on):
    assert [get(client, EXPORT_CSV).status_code for _ in range(3)] == [200, 200, 429]
    response = get(client, EXPORT_CSV)
    assert "Too many exports from your address: the limit is 2 exports a minute." in (
        response.content.decode()
    )
    assert get(client, SEARCH_PAGE).status_code == 200  # searches are counted apart


def test_the_search_family_shares_one_count(client, limits_on):
    statuses = [
        get(client, path).status_code
        for path in (
            reverse("search:feed"),
            reverse("search:overview"),
            reverse("search:browse"),
            SEARCH_PAGE,
        )
    ]
    assert statuses == [200, 200, 200, 429]


def test_cheap_pages_are_not_counted(client, limits_on):
    for _ in range(5):
        assert get(client, "/healthz").status_code == 200
        assert get(client, reverse("archive:article_list")).status_code == 302  # to the page
        assert get(client, reverse("search:api_index")).status_code == 200
    assert get(client, SEARCH_PAGE).status_code == 200


def test_signed_in_staff_are_not_limited(client, limits_on):
    client.force_login(User.objects.create_user("curator", is_staff=True))
    assert {get(client, SEARCH_PAGE).status_code for _ in range(5)} == {200}


def test_signed_in_readers_who_are_not_staff_are_limited(client, limits_on):
    client.force_login(User.objects.create_user("reader"))
    assert [get(client, SEARCH_PAGE).status_code for _ in range(4)][-1] == 429


def test_behind_the_proxy_the_address_it_saw_is_counted(client, limits_on):
    limits_on.BEHIND_TLS_PROXY = True
    for invented in range(3):
        forwarded = f"192.0.2.{invented}, {HOME}"  # the client wrote the first entry
        get(client, SEARCH_PAGE, address="172.16.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    refused = get(client, SEARCH_PAGE, address="172.16.0.1", HTTP_X_FORWARDED_FOR=HOME)
    assert refused.status_code == 429
    other = get(client, SEARCH_PAGE, address="172.16.0.1", HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert other.status_code == 200


def test_without_the_proxy_setting_a_forwarded_address_is_ignored(client, limits_on):
    for invented in range(3):
        get(client, SEARCH_PAGE, HTTP_X_FORWARDED_FOR=f"192.0.2.{invented}")
    assert get(client, SEARCH_PAGE, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_the_switch_turns_every_limit_off(client, limits_on):
    limits_on.RATE_LIMIT_ENABLED = False
    assert {get(client, SEARCH_PAGE).status_code for _ in range(5)} == {200}
    assert caches["ratelimit"].get(f"ratelimit:search:{HOME}") is None
