"""bench/crash_loop.py in small: each index writer killed once, and the index comes level.

The full loop (20 random kills, `python bench/crash_loop.py`) is reported in the README; here
each of the three writers is killed once, in turn, on a small archive of the database in use.
"""

import json
import subprocess
import sys

from django.db import connection

from tests.faults.conftest import REPO_ROOT, database_url


def test_each_writer_killed_once_leaves_the_index_level(tmp_path, settings):
    command = [
        sys.executable,
        "bench/crash_loop.py",
        "--runs",
        "3",
        "--in-turn",
        "--articles",
        "80",
        "--out",
        str(tmp_path / "crash_loop.json"),
    ]
    if connection.vendor == "postgresql":
        database = {**settings.DATABASES["default"], "NAME": "archive_crash_test"}
        command += ["--database", database_url(database)]
    completed = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    runs = json.loads((tmp_path / "crash_loop.json").read_text())["runs"]
    assert [run["writer"] for run in runs] == ["ingest", "update_index", "rebuild_index"]
    assert all(run["level"] and not any(run["left"].values()) for run in runs), runs
    assert all(run["search_status"] == 200 for run in runs), runs
