"""A cheap guess at a text's language from its script, for texts that do not say."""

import unicodedata

# Unicode script name prefix -> language code, for the region's own scripts.
SCRIPT_LANGUAGES = {"KHMER": "km", "THAI": "th", "LAO": "lo", "MYANMAR": "my", "CJK": "zh"}
# Letters found in Vietnamese and in no other common Latin-script language.
VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def guess_language(text: str, *, default: str = "en") -> str:
    """Return an ISO 639-1 code for the script most letters of `text` are in."""
    counts: dict[str, int] = {}
    letters = 0
    vietnamese = 0
    for char in text[:5000]:
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
