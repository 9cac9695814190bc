"""People the region's enforcement news names, with the spellings each language's press uses.

Curated: one row per person, every form a reader may type or a report may print (English press
spellings, the person's own script, Chinese and Thai renderings where the press uses them). The
search asks for any form when one is typed, so "Sar Kheng" finds ស ខេង and the reverse.
"""

from __future__ import annotations

import functools
import re

PEOPLE: tuple[tuple[str, ...], ...] = (
    ("Sar Kheng", "Sor Kheng", "ស ខេង"),
    ("Sar Sokha", "ស សុខា"),
    ("Hun Sen", "ហ៊ុន សែន", "洪森", "ฮุน เซน"),
    ("Hun Manet", "ហ៊ុន ម៉ាណែត", "洪玛奈", "ฮุน มาเนต"),
    ("Tea Banh", "ទៀ បាញ់"),
    ("Neth Savoeun", "នេត សាវឿន"),
    ("Prayut Chan-o-cha", "Prayuth Chan-ocha", "ประยุทธ์ จันทร์โอชา"),
    ("Srettha Thavisin", "เศรษฐา ทวีสิน"),
    ("Paetongtarn Shinawatra", "แพทองธาร ชินวัตร"),
    ("Min Aung Hlaing", "မင်းအောင်လှိုင်", "敏昂莱"),
    ("To Lam", "Tô Lâm", "苏林"),
    ("Chen Zhi", "陈志"),
    ("She Zhijiang", "佘智江"),
)


def other_forms(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return where `text` names a person, and every form of that person's name:
    (start, end, forms), in order, not overlapping."""
    found, position = [], 0
    for match in _pattern().finditer(text):
        if match.start() < position:
            continue
        forms = _forms_of()[_key(re.sub(r"['’]s$", "", match.group()))]
        found.append((match.start(), match.end(), forms))
        position = match.end()
    return found


def _key(form: str) -> str:
    return re.sub(r"[\s\-]+", " ", form).casefold()


@functools.cache
def _forms_of() -> dict[str, tuple[str, ...]]:
    return {_key(form): person for person in PEOPLE for form in person}


@functools.cache
def _pattern() -> re.Pattern:
    forms = sorted({form for person in PEOPLE for form in person}, key=len, reverse=True)
    # Spaces and hyphens between a name's parts may be written either way.
    parts = [r"[\s\-]+".join(map(re.escape, re.split(r"[\s\-]+", form))) for form in forms]
    # A possessive is part of the name as typed ("Sar Kheng's").
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:['’]s)?(?!\w)", re.IGNORECASE)
