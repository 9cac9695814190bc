"""A cheap guess at a text's language from its script, for texts that do not say."""

import re
import unicodedata

# Unicode script name prefix -> language code, for the region's own scripts.
SCRIPT_LANGUAGES = {"KHMER": "km", "THAI": "th", "LAO": "lo", "MYANMAR": "my", "CJK": "zh"}
# Letters found in Vietnamese and in no other common Latin-script language.
VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
# Only the head of a text is read.
SAMPLE_CHARS = 5000
# ASCII letters need no look-up: they are counted in bulk, and only the other characters (none,
# or a few, in an English report) are looked at one by one.
_NOT_ASCII_LETTERS = bytes(byte for byte in range(128) if not chr(byte).isalpha())
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def guess_language(text: str, *, default: str = "en") -> str:
    """Return an ISO 639-1 code for the script most letters of `text` are in."""
    sample = text[:SAMPLE_CHARS]
    letters = len(sample.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    counts: dict[str, int] = {}
    vietnamese = 0
    for char in _NON_ASCII.findall(sample):
        if not char.isalpha():
            continue
        letters += 1
        if char.lower() in VIETNAMESE_LETTERS:
            vietnamese += 1
        name = unicodedata.name(char, "")
        for script, language in SCRIPT_LANGUAGES.items():
            if name.startswith(script):
                counts[language] = counts.get(language, 0) + 1
                break
    if not letters:
        return default
    if counts:
        language, count = max(counts.items(), key=lambda item: item[1])
        if count > letters / 2:
            return language
    if vietnamese > letters / 50:
        return "vi"
    return default
