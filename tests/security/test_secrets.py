"""No secret in the repository: every file git would commit is scanned for secret-like text."""

import re
import subprocess
from pathlib import Path

import pytest

from config.environment import secret_key_weakness
from tests.conftest import REPO_ROOT

# Keys in the repository on purpose, each public and useless outside its throw-away use. Any
# other SECRET_KEY literal that production would accept is reported.
PUBLIC_KEYS = {
    # pyproject.toml: the test suite's key (README.md, "Security").
    "public-test-suite-only-key-it-is-in-the-repository-never-deploy-it",
}
# Passwords in example addresses (README.md, error messages, tests): words no one deploys.
EXAMPLE_PASSWORDS = {"pass", "password", "secret", "pw"}

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(
        r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}", re.IGNORECASE
    ),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
}
# SECRET_KEY = "...", "SECRET_KEY": "...", SECRET_KEY=... (shell, .env), SECRET_KEY: ... (YAML).
SECRET_KEY_VALUE = re.compile(r"""SECRET_KEY['"]?\s*[:=]\s*['"]?([^'"\s$(){}]+)""")
# scheme://user:password@host
PASSWORD_IN_URL = re.compile(r"""\b[a-z][a-z0-9+.-]*://[^/\s:@'"<>]+:([^@\s/'"<>]+)@""")
# Files that should never be committed at all, whatever they hold.
SECRET_FILE_NAMES = re.compile(r"(^|/)(\.env(\..+)?|id_rsa|id_ed25519|.*\.pem|.*\.key)$")


def committable_files() -> list[str]:
    """Return the files git tracks or would add: tracked, and untracked but not ignored."""
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return [name for name in result.stdout.decode().split("\0") if name]


def find_secrets(name: str, text: str) -> list[str]:
    """Return "file:line: what" for each secret-like piece of `text`."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{name}:{number}"
        found += [f"{where}: {what}" for what, pattern in PATTERNS.items() if pattern.search(line)]
        for key in SECRET_KEY_VALUE.findall(line):
            if key not in PUBLIC_KEYS and secret_key_weakness(key) is None:
                found.append(f"{where}: a SECRET_KEY production would accept")
        for password in PASSWORD_IN_URL.findall(line):
            if not password.startswith("${") and password not in EXAMPLE_PASSWORDS:
                found.append(f"{where}: a password in an address")
    return found


def test_the_scan_finds_each_kind_of_secret():
    # Assembled here so that this file does not itself hold the patterns it looks for.
    random_key = "Zq8" + "vT2mLx9Rw4Pk7Hs1Nd6Fb3Jc5Gy0Ua" * 2
    samples = {
        "-----BEGIN " + "RSA PRIVATE KEY-----": "private key",
        "key_id = AKIA" + "Q3EXAMPLE7KEYID0": "AWS access key id",
        "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY": "AWS secret",
        "token: ghp_" + "a1B2c3D4" * 5: "GitHub token",
        f'SECRET_KEY = "{random_key}"': "a SECRET_KEY production would accept",
        f"export SECRET_KEY={random_key}": "a SECRET_KEY production would accept",
        "DATABASE_URL=postgres://archive:" + "hunter22@db:5432/archive": "a password in an address",
    }
    for line, what in samples.items():
        assert len(found := find_secrets("f", line)) == 1, line
        assert what in found[0]


def test_the_scan_lets_placeholders_and_the_public_keys_through():
    harmless = [
        "SECRET_KEY = read_secret_key(os.environ, debug=DEBUG)",
        'os.environ["SECRET_KEY"] = "bench-only-key-for-a-throwaway-archive"',  # refused anyway
        "SECRET_KEY: ${SECRET_KEY:?set SECRET_KEY to a long random string}",
        "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')",
        *(f'"SECRET_KEY": "{key}"' for key in PUBLIC_KEYS),
        "postgres://archive:${POSTGRES_PASSWORD:-archive}@db:5432/archive",
        "e.g. postgres://user:pass@host:5432/archive",
        "https://example.org/report",
    ]
    assert [find_secrets("f", line) for line in harmless] == [[]] * len(harmless)


def test_no_file_git_would_commit_holds_a_secret():
    names = committable_files()
    assert "config/settings.py" in names and "pyproject.toml" in names
    found = []
    for name in names:
        path = REPO_ROOT / name
        if not path.is_file():
            continue  # deleted in the working tree
        data = path.read_bytes()
        if b"\0" in data[:8000]:
            continue  # binary
        found += find_secrets(name, data.decode("utf-8", errors="replace"))
    assert found == []


def test_no_secret_file_is_committed():
    assert [name for name in committable_files() if SECRET_FILE_NAMES.search(name)] == []


@pytest.mark.parametrize("key", sorted(PUBLIC_KEYS))
def test_each_public_key_is_still_used_where_it_is_documented(key):
    """The allow-list stays tiny: a key no file holds any more leaves it."""
    holders = {"pyproject.toml"}
    assert any(key in Path(REPO_ROOT / name).read_text() for name in holders)
