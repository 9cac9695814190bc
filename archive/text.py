"""Text folding shared by name lookups and content hashes."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Typographic quotes and dashes that vary between copies of the same text.
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fold_text(text: str) -> str:
    """Return `text` with Unicode form, typography, case and runs of white space folded away.

    Content hashes are computed from this form: changing it changes every article's hash, so a
    change here needs a migration that recomputes them.
    """
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return _SPACES.sub(" ", text).strip()
