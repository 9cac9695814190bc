"""The secret key: production refuses the development key and any key too weak to sign with."""

import re
import secrets

import pytest

from config.environment import (
    DEVELOPMENT_SECRET_KEY,
    ConfigurationError,
    read_secret_key,
    secret_key_weakness,
)

STRONG = secrets.token_urlsafe(50)


@pytest.mark.parametrize(
    ("key", "weakness"),
    [
        (DEVELOPMENT_SECRET_KEY, "is the development key, which is public"),
        ("django-insecure-" + STRONG, "starts with 'django-insecure'"),
        ("x" * 49, "is too short (49 characters; at least 50 are needed)"),
        ("abcd" * 20, "uses too few different characters (4; at least 5 are needed)"),
    ],
)
def test_weak_keys_are_named_with_the_reason(key, weakness):
    assert weakness in secret_key_weakness(key)
    with pytest.raises(ConfigurationError, match=re.escape(f"SECRET_KEY {weakness}")):
        read_secret_key({"SECRET_KEY": key}, debug=False)


def test_a_long_random_key_is_fit_for_production():
    assert secret_key_weakness(STRONG) is None
    assert secret_key_weakness("abcde" * 10) is None  # exactly the minimums
    assert read_secret_key({"SECRET_KEY": f"  {STRONG}\n"}, debug=False) == STRONG


def test_the_message_says_how_to_make_a_good_key():
    with pytest.raises(ConfigurationError, match=r"secrets\.token_urlsafe\(50\)"):
        read_secret_key({"SECRET_KEY": "short"}, debug=False)


def test_local_development_may_use_any_key_or_none():
    assert read_secret_key({}, debug=True) == DEVELOPMENT_SECRET_KEY
    assert read_secret_key({"SECRET_KEY": "short"}, debug=True) == "short"
