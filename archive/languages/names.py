"""People the region's enforcement news names, with the spellings each language's press uses.

Curated: one row per person, every form a reader may type or a report may print (English press
spellings, the person's own script, Chinese and Thai renderings where the press uses them). The
search asks for any form when one is typed, so "Sar Kheng" finds ស ខេង and the reverse, and an
article's page lists the people its report names with their other forms (`people_named`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from archive.languages.identify import VIETNAMESE_LETTERS
from archive.languages.scripts import SCRIPT_LANGUAGES, main_script
from archive.languages.words import is_whole_word_in_any_script

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


@dataclass(frozen=True)
class NameForm:
    text: str
    language: str  # for the `lang` attribute: the language whose press writes this form


@dataclass(frozen=True)
class NamedPerson:
    """A person a report names: the form it writes first, and every other form of the name."""

    name: NameForm
    others: tuple[NameForm, ...]

    @property
    def query(self) -> str:
        """Return what to search for to find every report naming them: a name typed unquoted
        is asked in all its forms."""
        return self.name.text


def people_named(text: str) -> list[NamedPerson]:
    """Return the people of PEOPLE whose name `text` writes, in the order it first names them.

    A form is found as a whole word: in a script without spaces, between two letter clusters
    and never inside one (ស ខេង is not found in ស ខេងៗ). Unlike a typed query, a form must be
    written with its capitals (or all in capitals, as a headline may be): "To Lam" is a name,
    "to Lam Dong" is not.
    """
    named = []
    for person in PEOPLE:
        found = [(at, form) for form in person if (at := _first_place(text, form)) is not None]
        if found:
            at, written = min(found)
            others = tuple(
                NameForm(form, form_language(form)) for form in person if form != written
            )
            named.append((at, NamedPerson(NameForm(written, form_language(written)), others)))
    return [person for _at, person in sorted(named, key=lambda item: item[0])]


def form_language(form: str) -> str:
    """Return the language whose press writes a form of a name: its script's, or for Latin
    letters Vietnamese when it has Vietnamese letters, else English."""
    script, _share = main_script(form)
    if script in SCRIPT_LANGUAGES:
        return SCRIPT_LANGUAGES[script]
    return "vi" if VIETNAMESE_LETTERS & set(form.lower()) else "en"


def _first_place(text: str, form: str) -> int | None:
    """Return where `text` first writes `form` as a whole word, or None."""
    for match in _form_pattern(form).finditer(text):
        if is_whole_word_in_any_script(text, match.start(), match.end()):
            return match.start()
    return None


@functools.cache
def _form_pattern(form: str) -> re.Pattern:
    """Return the pattern of a form as written or in capitals; spaces or hyphens between its
    parts either way."""
    variants = dict.fromkeys((form, form.upper()))
    return re.compile(
        "|".join(r"[\s\-]+".join(map(re.escape, re.split(r"[\s\-]+", v))) for v in variants)
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
