"""How Debian's chromium is found and started, for the browser tests and scripts/screenshots.py.

Needs no Django, so a script can import it before any settings exist.
"""

import os
import shutil

# Headless chromium as root in a closed network: no sandbox, no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    "Debian's chromium is not installed: run `make browser` (apt-get install chromium)"
)


def find_chromium() -> str | None:
    """Return the chromium to drive: CHROMIUM_PATH, else `chromium` on the PATH, else None."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
