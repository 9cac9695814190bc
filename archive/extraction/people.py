"""People a report names, officials and suspects, with the role it gives them.

    find_people("Interior Minister Sar Kheng said ... Lt. Gen. Neth Savoeun, National Police
                 chief, ...", demonyms={"Chinese": "CN"})
    -> [Figure(kind=PERSON, values={"name": "Sar Kheng", "role": "minister",
                                    "title": "Interior Minister", "names": ["Sor Kheng", "ស ខេង"]}),
        Figure(kind=PERSON, values={"name": "Neth Savoeun", "role": "police chief", ...})]

A name is a run of two to four capitalised words (Latin letters, Vietnamese ones too) once the
titles, honorifics, demonyms and agencies' words before it are set aside; it is a person only
when the report gives it a role, by one of these rules (their confidence is in RULES):

- `title-before-name`: a title written before it, "Interior Minister Sar Kheng", "Minister of
  Interior Sar Kheng", "Lt. Gen. Neth Savoeun", "suspect Li Wei", "Bộ trưởng Bộ Công an Tô Lâm";
- `apposition`: a title after it and a comma, "Sar Thet, Phnom Penh police chief", "Sar Kheng,
  who is also deputy prime minister";
- `identified-as`: "a suspect identified as Li Wei", "a Chinese national named Zhang Min";
- `age-apposition`: "Li Wei, a 35-year-old Chinese national", "Nguyen Van Hai, 38," in a
  sentence about an arrest (suspect) or a court (accused); a sentence about victims, the rescued
  or the dead gives no role, and victims are never recorded;
- `arrested-name`, `name-was-arrested`: "police arrested Tran Van Long", "Heng Sokha was
  charged" (suspect after an arrest, accused after a charge or a sentence);
- `listed-with`: the next names of a list whose first is a suspect or accused ("identified as
  Li Wei, 32, and Zhang Min, 28");
- `km-honorific`, `km-suspect-named`: Khmer ឯកឧត្តម (and លោកជំទាវ, សម្ដេច) before a name, with a
  title before or after it (else the role is "official"); ជនសង្ស័យឈ្មោះ + a name;
- `th-honorific`: Thai นาย/นาง/นางสาว or a police rank (พล.ต.อ.) + given name and surname, with a
  role from a title before or after it.

Roles are normalised (ROLES: "Interior Minister" -> minister, "National Police Commissioner" ->
police chief, "Lt. Gen." -> general, "defendant" -> accused, "mastermind" -> ringleader), and a
deputy keeps the word ("deputy police chief"); the title as written is kept beside. A person
named several times is one figure: the first mention's sentence is its evidence, and the most
specific role wins (a position over a rank, a ringleader over a suspect). The cross-script name
table (archive/languages/names.py) joins the forms of one person and gives the other spellings.
A name the place gazetteer knows, one written after a word for a place ("tỉnh Tây Ninh"), a
country, agency or ministry, is not a person; nor are headlines read (their every word is
capitalised). A name the cross-script table holds is surely a person: KNOWN_NAME_CONFIDENCE.

Speed: the role patterns are tried only where one Aho-Corasick pass has found a word of a title
or another cue near a capitalised name (ROLE_WORDS, CUE_WORDS); a report with none costs that
pass alone. Pure: no database here.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

import ahocorasick

from archive.extraction.figures import Figure, FigureKind
from archive.extraction.places import Gazetteer
from archive.languages.characters import KHMER, THAI, holds_range
from archive.languages.names import PEOPLE
from archive.tagging.lexicon import fold
from archive.text import sentence_span_at

# rule -> confidence
RULES = {
    "title-before-name": 0.85,
    "apposition": 0.8,
    "identified-as": 0.8,
    "age-apposition": 0.6,
    "listed-with": 0.7,
    "arrested-name": 0.75,
    "name-was-arrested": 0.75,
    "km-honorific": 0.75,
    "km-suspect-named": 0.8,
    "th-honorific": 0.75,
}
KNOWN_NAME_CONFIDENCE = 0.9  # a name the cross-script table holds: surely a person
OFFICIAL = "official"  # a Khmer honorific with no title: an official, of which office unsaid

# (normalised role, pattern of its titles): the first that a title matches names its role, so
# longer and more specific titles come first. English, then Vietnamese.
ROLES: tuple[tuple[str, str], ...] = (
    ("deputy prime minister", r"deputy\s+prime\s+minister|deputy\s+PM|DPM|phó\s+thủ\s+tướng"),
    ("prime minister", r"prime\s+minister|premier|PM|thủ\s+tướng"),
    ("secretary-general", r"secretary[-\s]general"),
    ("secretary of state", r"(?:under[-\s]?)?secretary\s+of\s+state"),
    ("deputy minister", r"vice[-\s]minister|thứ\s+trưởng"),
    (
        "police chief",
        r"police\s+(?:chief|commissioner|director|commander)|chief\s+of\s+police"
        r"|(?:director|head|chief)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?police"
        r"|commissioner|giám\s+đốc\s+công\s+an",
    ),
    ("minister", r"minister|bộ\s+trưởng"),
    ("governor", r"governor"),
    ("spokesperson", r"spokes(?:person|man|woman)|người\s+phát\s+ngôn"),
    ("prosecutor", r"prosecutor|kiểm\s+sát\s+viên|viện\s+trưởng"),
    ("judge", r"judge|thẩm\s+phán"),
    ("chairman", r"chair(?:man|woman|person)|chủ\s+tịch"),
    ("president", r"president"),
    ("director", r"director(?:[-\s]general)?|giám\s+đốc"),
    ("commander", r"commander"),
    (
        "general",
        r"(?:(?:lieutenant|major|brigadier|police|lt|maj|brig|pol)\.?\s*)?(?:general|gen\.)"
        r"|(?:đại|thượng|trung|thiếu)\s+tướng",
    ),
    (
        "colonel",
        r"(?:(?:lieutenant|police|lt|pol)\.?\s*)?(?:colonel|col\.)|(?:đại|thượng|trung)\s+tá",
    ),
    (
        "ringleader",
        r"ringleader|mastermind|kingpin|(?:gang|ring|syndicate|casino|scam|drug)\s+(?:leader|boss)"
        r"|(?:đối\s+tượng\s+)?cầm\s+đầu|trùm",
    ),
    ("accused", r"accused|defendants?|bị\s+can|bị\s+cáo"),
    ("suspect", r"suspects?|accomplices?|fugitives?|đối\s+tượng|nghi\s+phạm|nghi\s+can"),
)
CRIMINAL_ROLES = ("suspect", "accused", "ringleader")
RANKS = ("general", "colonel", "commander")
# Which role says more of a person: a later mention replaces the role only with a higher one.
SPECIFICITY = {OFFICIAL: 0, "suspect": 1, "accused": 2, "ringleader": 3} | dict.fromkeys(RANKS, 1)
NO_DEPUTY = ("deputy prime minister", "deputy minister", *RANKS, *CRIMINAL_ROLES)

# One pattern for all roles, a group each; of the roles a title holds, the one listed first wins
# ("General Commissariat spokesman" is a spokesperson).
_ROLE_IN_TITLE = re.compile(
    "|".join(rf"(?<![\w-])(?P<r{index}>{p})(?![\w-])" for index, (_r, p) in enumerate(ROLES)),
    re.IGNORECASE,
)
_ROLE_ALT = "|".join(f"(?:{pattern})" for _role, pattern in ROLES)
_DEPUTY = re.compile(r"\b(?:deputy|vice|phó)\b", re.IGNORECASE)

_UPPER = "A-ZĐÀ-ÖØ-ÝĂƠƯ\u1ea0-\u1ef8"
_TOKEN = rf"[{_UPPER}][\w'’-]*"
# Runs of two or more capitalised words on one line: "Interior Minister Sar Kheng", "Tô Lâm"
# (a lone capitalised word is no name, and most runs are one word: "The", "Police").
# (The capital first and the look-behind after it: a pattern that starts with a character class
# is only tried where one stands, five times faster.)
_RUN = re.compile(rf"[{_UPPER}](?<![\w'’-].)[\w'’-]*(?:[ \t]+{_TOKEN})+")
_WORD_START = re.compile(r"(?<![\w'’.])\w")
# Words before a role that are part of its title: "National Police", "deputy", "Phnom Penh".
_QUALIFIER = (
    rf"(?:[{_UPPER}][\w'’.-]*|deputy|vice|provincial|municipal|national|district|executive"
    r"|senior|acting|former|police|anti-drug|anti-narcotics|immigration|ministry|court"
    r"|investigating|presiding|chief|general|alleged|main|key|two|three|the|a|an|one)"
)
# "Minister of Interior", and in Vietnamese the agency after the title, "Bộ trưởng Bộ Công an".
_OF_CLAUSE = (
    rf"(?:\s+(?:of|for|in\s+charge\s+of|at)\s+(?:the\s+)?(?:[{_UPPER}][\w'’.-]*\s*){{1,5}}"
    r"|\s+(?:Bộ|Cục|Sở|Công|Viện|Tòa|Ủy|UBND|VKSND|TAND)"
    rf"(?:\s+(?:[{_UPPER}][\w'’-]*|an|tỉnh|thành\s+phố|huyện|quận|nhân|dân)){{0,6}})?"
)
_HONORIFIC = r"(?:(?:ông|bà|Ông|Bà|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Samdech|Oknha|H\.E\.)\s+)?"
_TITLE_BEFORE = re.compile(
    rf"(?P<title>(?:{_QUALIFIER}\s+){{0,5}}(?i:{_ROLE_ALT})(?![\w-]){_OF_CLAUSE})"
    rf"\s*,?\s*{_HONORIFIC}$"
)
_APPOSITION = re.compile(
    rf"\s*,\s+(?:who\s+(?:is|was)\s+(?:also\s+)?)?(?:(?:the|a|an|his|her)\s+)?"
    rf"(?P<title>(?:{_QUALIFIER}\s+){{0,4}}?(?i:{_ROLE_ALT}))(?![\w-])"
)
_NAME_NEXT = re.compile(rf"[ \t]+{_TOKEN}")
_IDENTIFIED = re.compile(
    r"(?P<title>(?:[\w'’-]+,?\s+){0,5}?)[,]?\s*\b(?:named|identified\s+as|known\s+as|called)\s+$"
)
_AGE = re.compile(
    r"\s*,\s+(?:(?:a|an)\s+)?(?:(?:aged\s+)?(?P<age>\d{1,2})(?:-year-old)?\b)?"
    r"(?P<rest>[^.;()\n]{0,40})"
)
_PERSON_NOUN = re.compile(r"\b(?:national|citizen|man|woman|male|female|suspect)\b")
_LIST_JOIN = re.compile(r"(?:\s*\(\d{1,2}\))?(?:\s*,\s*(?:aged\s+)?\d{1,2})?\s*,?\s*(?:and\s+)?")

# What a sentence is about, for a name it gives no title: the nearest word wins.
_CONTEXT = re.compile(
    r"\b(?:(?P<victim>victims?|rescued|freed|killed|died|dead|injured|missing|kidnapped|abducted"
    r"|trafficked|lured)|(?P<court>sentenced|convicted|jailed|charged|indicted|tried|trial|court"
    r"|defendants?|prosecuted)|(?P<arrest>arrest(?:ed)?|detained|apprehended|caught|nabbed"
    r"|custody|raid(?:ed)?|suspects?|suspected|wanted|seized|smuggl(?:ed|ing)|extradited"
    r"|intercepted|stopped))\b",
    re.IGNORECASE,
)
# "police arrested Tran Van Long", "Heng Sokha was charged": the verb gives the role.
_VERB = (
    r"(?:(?P<arrest>arrested|detained|apprehended|nabbed|caught|captured)"
    r"|(?P<court>charged|indicted|sentenced|convicted|jailed|prosecuted))"
)
_VERB_BEFORE = re.compile(
    rf"\b{_VERB}\s+(?:(?:Mr|Mrs|Ms|Sergeant|Sgt|Captain|Capt|Corporal|Officer)\.?\s+)?$"
)
_VERB_AFTER = re.compile(
    rf"\s+(?:was|were|has\s+been|had\s+been|is\s+being)\s+(?:\w+ly\s+)?{_VERB}\b"
)
_VICTIM_WORD = re.compile(r"\b(?:victims?|survivors?|witness(?:es)?)\b", re.IGNORECASE)

# Words that are never part of a person's name: titles, honorifics, agencies, calendar.
_NOT_NAME = frozenset(
    """
    mr mrs ms dr his her excellency samdech oknha lok chumteav the a and of for in on at by
    minister ministry deputy prime pm dpm premier governor general gen lieutenant lt major maj
    brigadier brig colonel col sergeant sgt captain capt corporal officer police pol chief
    commissioner commander spokesperson spokesman spokeswoman judge prosecutor secretary state
    director chairman chairwoman suspect suspects accused defendant ringleader interior justice
    defence defense security public national provincial municipal department bureau office unit
    force forces court commission committee authority council agency administration government
    royal kingdom republic army military immigration customs anti-drug anti-narcotics narcotics
    drug drugs gendarmerie military anti-human trafficking human rights party association
    organisation organization network international transparency union bank company group club
    hotel casino road street village commune district province city town capital border operation
    checkpoint sez zone monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december today
    yesterday cambodia cambodian cambodians khmer thailand thai vietnam vietnamese laos lao
    china chinese myanmar burmese burma malaysia malaysian indonesia indonesian korea korean
    taiwan japan philippines asean interpol unodc un eu us bộ cục sở phòng viện tòa ủy ban tỉnh
    thành phố huyện quận xã việt ông bà thủ tướng trưởng đốc giám phó chủ tịch
    """.split()  # noqa: SIM905
)
# A word for a place just before a name makes it a place's name, gazetteer or not.
_PLACE_WORD_BEFORE = re.compile(
    r"(?:\b(?:province|district|commune|village|khan|sangkat|srok|tỉnh|huyện|quận|xã|phường"
    r"|thành\s+phố)|ខេត្ត|ស្រុក|ខណ្ឌ|จังหวัด|อำเภอ)\s*$",
    re.IGNORECASE,
)
PLACE_WORD_REACH = 24  # the longest place word, "thành phố", with room for spaces
_HEADLINE_SHARE = 0.7  # a line this share of whose words are capitalised is a headline

# Khmer: honorifics, titles (their first word: a title runs on with its office, unspaced), and
# the words that follow a name but are not part of it.
_KM_TOKEN = r"[\u1780-\u17d3\u17dd]+"
_KM_HONORIFIC = r"ឯកឧត្តម|លោកជំទាវ|សម្ដេច\S*|សម្តេច\S*"
_KM_ROLES = (
    ("deputy prime minister", "ឧបនាយករដ្ឋមន្ត្រី"),
    ("prime minister", "នាយករដ្ឋមន្ត្រី"),
    ("secretary of state", "រដ្ឋលេខាធិការ"),
    ("minister", "រដ្ឋមន្ត្រី"),
    ("governor", "អភិបាល"),
    ("police chief", "(?:អគ្គ)?ស្នងការ"),
    ("spokesperson", "អ្នកនាំពាក្យ"),
    ("prosecutor", "ព្រះរាជអាជ្ញា"),
    ("judge", "ចៅក្រម"),
    ("general", "(?:នាយ)?ឧត្តមសេនីយ៍"),
    ("colonel", "(?:នាយ)?វរសេនីយ៍"),
    ("ringleader", "មេក្លោង"),
    ("accused", "ជនជាប់ចោទ"),
    ("suspect", "ជនសង្ស័យ"),
)
_KM_ROLE_ALT = "|".join(pattern for _role, pattern in _KM_ROLES)
_KM_NAME = rf"(?P<name>{_KM_TOKEN}[ \t]+{_KM_TOKEN}|{_TOKEN}(?:[ \t]+{_TOKEN}){{1,2}})"
_KM_PERSON = re.compile(
    rf"(?=ឯកឧត្តម|លោកជំទាវ|សម្ដេច|សម្តេច|{_KM_ROLE_ALT})(?:(?P<honorific>{_KM_HONORIFIC})\s*)?(?P<title>(?:(?:{_KM_ROLE_ALT})\S*\s*){{0,2}})"
    rf"(?:ឈ្មោះ\s*)?{_KM_NAME}(?P<after>\s*(?:{_KM_ROLE_ALT})\S*)?"
)
_KM_NOT_NAME = re.compile(r"^(?:ភេទ|អាយុ|ជា|និង|ត្រូវ|បាន|នៅ|ឈ្មោះ|ជនជាតិ|ដែល|ក្នុង|ថា)")
_KM_NATIONALITY = re.compile(r"ជនជាតិ\s*(ចិន|វៀតណាម|ថៃ|ខ្មែរ|ឡាវ|កូរ៉េ|ឥណ្ឌូនេស៊ី)")
_KM_DEMONYMS = {"ចិន": "CN", "វៀតណាម": "VN", "ថៃ": "TH", "ខ្មែរ": "KH", "ឡាវ": "LA"} | {
    "កូរ៉េ": "KR",
    "ឥណ្ឌូនេស៊ី": "ID",
}

# Thai: an honorific or a police rank, then the given name, a space and the surname. "นาย" is
# also the first syllable of words that are not honorifics (นายก, chief; นายหน้า, broker).
_TH_TOKEN = r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+"
_TH_RANKS = (("general", r"พล\.ต\.[อทต]\.|พล\.[อทต]\."), ("colonel", r"พ\.ต\.[อทต]\."))
_TH_PERSON = re.compile(
    r"(?P<honorific>นางสาว|น\.ส\.|นาย(?!ก|อำเภอ|ตำรวจ|ทหาร|ด่าน|จ้าง|ทุน|หน้า|ประกัน|พราน|แพทย์"
    r"|ช่าง|งาน|สิบ|ร้อย|พัน)|นาง(?!งาน|ฟ้า)|"
    + "|".join(pattern for _role, pattern in _TH_RANKS)
    + rf")\s*(?P<given>{_TH_TOKEN})[ \t]+(?P<surname>{_TH_TOKEN})"
)
_TH_ROLES_BEFORE = (
    ("ringleader", r"แกนนำ|หัวหน้าแก๊ง|ตัวการใหญ่"),
    ("accused", r"จำเลย"),
    ("suspect", r"ผู้ต้องหา|ผู้ต้องสงสัย"),
)
_TH_ROLES_AFTER = (
    ("deputy prime minister", r"รองนายกรัฐมนตรี"),
    ("prime minister", r"นายกรัฐมนตรี"),
    ("minister", r"รัฐมนตรี|รมว\."),
    ("police chief", r"ผบ\.ตร\.|ผู้บัญชาการตำรวจ|ผบก\.|ผกก\."),
    ("spokesperson", r"โฆษก"),
    ("governor", r"ผู้ว่าราชการ|ผู้ว่าฯ"),
    ("secretary-general", r"เลขาธิการ"),
    ("prosecutor", r"อัยการ"),
    ("judge", r"ผู้พิพากษา"),
)
_TH_DEMONYM = re.compile(r"ชาว(จีน|เมียนมา|พม่า|ลาว|กัมพูชา|เวียดนาม|ไทย)")
_TH_DEMONYMS = {"จีน": "CN", "เมียนมา": "MM", "พม่า": "MM", "ลาว": "LA", "กัมพูชา": "KH"} | {
    "เวียดนาม": "VN",
    "ไทย": "TH",
}
_TH_REACH = 40  # characters before or after a Thai name where its title is looked for

# Cheap checks before the patterns run. The role patterns are costly to try at every place in a
# report, so one Aho-Corasick pass finds where a word of a title stands (ROLE_WORDS, folded) and
# where another word that may give a name a role does (CUE_WORDS); a name is read only when one
# stands within WINDOW characters, and a title is looked for only where a role word stands.
ROLE_WORDS = (
    "minister", "premier", "pm", "dpm", "secretary", "governor", "chief", "commissioner", "head",
    "director", "commander", "general", "gen.", "colonel", "col.", "spokes", "prosecutor",
    "judge", "chair", "president", "ringleader", "mastermind", "kingpin", "boss", "leader",
    "accused", "defendant", "suspect", "accomplice", "fugitive", "trưởng", "tướng", "tá",
    "đốc", "phát ngôn", "kiểm sát", "thẩm phán", "chủ tịch", "đối tượng", "nghi phạm",
    "nghi can", "cầm đầu", "trùm", "bị can", "bị cáo",
)  # fmt: skip
CUE_WORDS = (
    "named", "identified", "known as", "called", "year-old", "arrest", "detained",
    "apprehended", "nabbed", "caught", "captured", "charged", "indicted", "sentenced",
    "convicted", "jailed", "prosecuted", "wanted", "court", "custody", "raid", "seized",
    "smuggl", "intercepted", "stopped", "tried", "trial",
)  # fmt: skip
WINDOW = 100  # characters around a name where its title, or a cue, may stand
TITLE_REACH = 60  # how far before its first role word a title may begin (four qualifiers)
VERB_REACH = 30  # "arrested Mr ", "detained Sergeant "


@dataclass(frozen=True)
class Mention:
    name: str  # as written
    start: int
    end: int
    role: str
    title: str  # as written
    rule: str
    nationality: str = ""


def find_people(
    text: str, *, demonyms: Mapping[str, str] | None = None, gazetteer: Gazetteer | None = None
) -> list[Figure]:
    """Return one PERSON figure per person `text` names with a role, in order of first mention.

    `demonyms` maps a demonym ("Chinese") to its ISO 3166-1 alpha-2 code, for nationalities;
    `gazetteer`, when given, rules out names that are places.
    """
    demonyms = demonyms or {}
    mentions: list[Mention] = []
    roles, cues = _anchors(text)
    if cues:
        mentions += _latin_mentions(text, roles, cues, demonyms, gazetteer)
    if holds_range(text, KHMER):
        mentions += _khmer_mentions(text)
    if holds_range(text, THAI):
        mentions += _thai_mentions(text)
    mentions.sort(key=lambda mention: mention.start)
    return _merged(text, mentions)


def role_of(title: str) -> str:
    """Return the normalised role a title names ("Interior Minister" -> "minister"), or ""."""
    found = [int(str(match.lastgroup)[1:]) for match in _ROLE_IN_TITLE.finditer(title)]
    if not found:
        return ""
    role = ROLES[min(found)][0]
    if role not in NO_DEPUTY and _DEPUTY.search(title):
        return f"deputy {role}"
    return role


def _specificity(role: str) -> int:
    return SPECIFICITY.get(role.removeprefix("deputy "), 2)


@functools.cache
def _anchor_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in ROLE_WORDS:
        automaton.add_word(word, (len(word), True))
    for word in CUE_WORDS:
        automaton.add_word(word, (len(word), False))
    automaton.make_automaton()
    return automaton


def _anchors(text: str) -> tuple[list[int], list[int]]:
    """Return where role words start in `text`, and where any word that may give a role does;
    each where a word starts, in order."""
    folded = fold(text)
    roles, cues = [], []
    for last, (length, is_role) in _anchor_automaton().iter(folded):
        start = last - length + 1
        if start and folded[start - 1].isalpha():
            continue
        cues.append(start)
        if is_role:
            roles.append(start)
    return sorted(roles), sorted(cues)


def _any_between(positions: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


def _latin_mentions(
    text: str,
    roles: list[int],
    cues: list[int],
    demonyms: Mapping[str, str],
    gazetteer: Gazetteer | None,
) -> list[Mention]:
    codes = demonyms  # demonyms are looked up as written: capitalised, like the names
    mentions: list[Mention] = []
    for run in _RUN.finditer(text):
        if not _any_between(cues, run.start() - WINDOW, run.end() + WINDOW):
            continue
        for name, start, end in _names_in_run(run.group(), run.start(), codes):
            mention = _role_of_name(text, name, start, end, codes, mentions, roles, cues)
            if mention and not _is_headline(text, start) and not _is_place(name, gazetteer):
                mentions.append(mention)
    return mentions


def _names_in_run(run: str, offset: int, codes: Mapping[str, str]) -> list[tuple[str, int, int]]:
    """Return (name, start, end) of each name in a run of capitalised words: two to four words
    between titles, agencies and demonyms ("Finance Minister Aun Pornmoniroth"), a possessive
    ending one ("Sar Kheng's Facebook page")."""
    names, words, position = [], [], offset
    for token in [*run.split(), ""]:  # "" ends the last name
        start = run.find(token, position - offset) + offset if token else 0
        position = start + len(token)
        possessive = token.endswith(("'s", "’s"))
        word = token[:-2] if possessive else token
        if word and not _is_not_name(word, codes):
            words.append((word, start))
            if not possessive:
                continue
        if 2 <= len(words) <= 4:
            end = words[-1][1] + len(words[-1][0])
            names.append((" ".join(word for word, _ in words), words[0][1], end))
        words = []
    return names


def _is_not_name(token: str, codes: Mapping[str, str]) -> bool:
    word = token.rstrip(".")
    return word.casefold() in _NOT_NAME or word in codes or word.removesuffix("s") in codes


def _is_headline(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if len(line) > 120 or line.endswith((".", "”", '"', ":")):
        return False
    words = [word for word in line.split() if len(word) > 3 and word[0].isalpha()]
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(words) >= 3 and capitalised >= _HEADLINE_SHARE * len(words)


def _is_place(name: str, gazetteer: Gazetteer | None) -> bool:
    if gazetteer is None:
        return False
    found = gazetteer.automaton.get(fold(name), None)
    return found is not None and found[1].place is not None


def _role_of_name(
    text: str,
    name: str,
    start: int,
    end: int,
    codes: Mapping[str, str],
    earlier: list[Mention],
    roles: list[int],
    cues: list[int],
) -> Mention | None:
    """Return the mention of the name at start:end with the role its words give it, or None."""
    line_start = text.rfind("\n", max(0, start - WINDOW), start) + 1
    window_start = max(line_start, start - WINDOW)
    before = text[window_start:start]
    line_end = text.find("\n", end)
    after = text[end : min(end + WINDOW, len(text) if line_end < 0 else line_end)]
    # The place word ends the window: searching its tail alone spares trying every position.
    if _PLACE_WORD_BEFORE.search(before, max(0, len(before.rstrip()) - PLACE_WORD_REACH)):
        return None  # "tỉnh Tây Ninh", "Khan Sen Sok": a place
    found: list[tuple[str, str, str, str]] = []  # (role, title, rule, nationality)
    match = _title_before(text, window_start, start, roles)
    if match and earlier and earlier[-1].end > match.start("title"):
        match = None  # "Minister Sar Kheng, Hun Sen": the title is the earlier name's
    if match:
        title = match["title"].strip()
        if role := role_of(title):
            found.append((role, title, "title-before-name", _nationality(title, codes)))
    match = _APPOSITION.match(after) if _any_between(roles, end, end + WINDOW) else None
    if match and _NAME_NEXT.match(after, match.end()):
        match = None  # "Road Traffic Victims, Interior Minister Sar Kheng": the next name's
    if match:
        title = match["title"].strip()
        if " and " not in title and (role := role_of(title)):
            found.append((role, title, "apposition", ""))
    identified = before.rstrip().endswith((" named", " as", " called"))
    if not found and identified and (match := _IDENTIFIED.search(before)):
        title = match["title"].strip()
        if not _VICTIM_WORD.search(title):
            role = role_of(title) or _context_role(text, start)
            if role in CRIMINAL_ROLES:
                found.append((role, title, "identified-as", _nationality(title, codes)))
    verb_before = _any_between(cues, start - VERB_REACH, start)
    if not found and (
        match := (verb_before and _VERB_BEFORE.search(before)) or _VERB_AFTER.match(after)
    ):
        rule = "arrested-name" if match.re is _VERB_BEFORE else "name-was-arrested"
        found.append(("suspect" if match["arrest"] else "accused", "", rule, ""))
    if not found and earlier:
        last = earlier[-1]
        joined = _LIST_JOIN.match(text, last.end)
        if last.role in CRIMINAL_ROLES and joined and joined.end() == start and last.end < start:
            found.append((last.role, last.title, "listed-with", ""))
    if not found and (match := _AGE.match(after)):
        rest = match["rest"].strip()
        nationality = _nationality(rest, codes)
        stated = match["age"] or (nationality and _PERSON_NOUN.search(rest))
        if stated and not _VICTIM_WORD.search(rest):
            role = role_of(rest)
            role = role if role in CRIMINAL_ROLES else _context_role(text, start)
            if role:
                found.append((role, "", "age-apposition", nationality))
    if not found:
        return None
    role, title, rule, nationality = max(found, key=lambda item: _specificity(item[0]))
    if not nationality:
        nationality = next((item[3] for item in found if item[3]), "")
    if not nationality and (match := _AGE.match(after)):
        nationality = _nationality(match["rest"], codes)
    return Mention(name, start, end, role, title, rule, nationality)


def _title_before(text: str, window_start: int, start: int, roles: list[int]) -> re.Match | None:
    """Return the title written just before a name starting at `start`, the longest, or None."""
    first = bisect.bisect_left(roles, window_start)
    last = bisect.bisect_left(roles, start)
    if first == last:
        return None
    begin = max(window_start, roles[first] - TITLE_REACH)
    for word in _WORD_START.finditer(text, begin, roles[last - 1] + 1):
        if match := _TITLE_BEFORE.match(text, word.start(), start):
            return match
    return None


def _nationality(words: str, codes: Mapping[str, str]) -> str:
    for word in re.findall(r"[\w'-]+", words):
        if code := codes.get(word) or (word.endswith("s") and codes.get(word[:-1])):
            return code
    return ""


def _context_role(text: str, position: int) -> str:
    """Return "suspect" or "accused" when the sentence around a name speaks of an arrest or a
    court (the word nearest the name decides), "" when of victims or neither."""
    sentence_start, sentence_end = sentence_span_at(text, position)
    nearest, distance = "", len(text)
    for match in _CONTEXT.finditer(text, sentence_start, sentence_end):
        gap = abs(match.start() - position)
        if gap < distance:
            nearest, distance = match.lastgroup or "", gap
    return {"arrest": "suspect", "court": "accused"}.get(nearest, "")


def _khmer_mentions(text: str) -> list[Mention]:
    mentions = []
    for match in _KM_PERSON.finditer(text):
        honorific, title = match["honorific"], match["title"].strip()
        if not (honorific or title):
            continue
        parts = match["name"].split()
        if any(_KM_NOT_NAME.match(part) or re.match(_KM_ROLE_ALT, part) for part in parts):
            continue
        roles = [
            role
            for words in (title, match["after"] or "")
            for role, pattern in _KM_ROLES
            if words and re.match(pattern, words.strip())
        ]
        role = max(roles, key=_specificity) if roles else (OFFICIAL if honorific else "")
        if not role:
            continue
        nearby = text[match.start() : match.end() + 30]
        nationality = _KM_NATIONALITY.search(nearby)
        rule = "km-suspect-named" if role == "suspect" else "km-honorific"
        mentions.append(
            Mention(
                name=match["name"],
                start=match.start("name"),
                end=match.end("name"),
                role=role,
                title=" ".join(part for part in (honorific, title) if part),
                rule=rule,
                nationality=_KM_DEMONYMS.get(nationality[1], "") if nationality else "",
            )
        )
    return mentions


def _thai_mentions(text: str) -> list[Mention]:
    mentions = []
    for match in _TH_PERSON.finditer(text):
        honorific = match["honorific"]
        before = text[max(0, match.start() - _TH_REACH) : match.start()]
        after = text[match.end() : match.end() + _TH_REACH]
        roles = [role for role, pattern in _TH_RANKS if re.fullmatch(pattern, honorific)]
        title = honorific if roles else ""
        for role, pattern in _TH_ROLES_BEFORE:
            if found := re.search(pattern, before):
                roles.append(role)
                title = found.group()
                break
        for role, pattern in _TH_ROLES_AFTER:
            if found := re.match(rf"\s*({pattern})", after):
                roles.append(role)
                title = found[1]
                break
        if not roles:
            continue
        demonym = _TH_DEMONYM.search(before)
        mentions.append(
            Mention(
                name=f"{match['given']} {match['surname']}",
                start=match.start("given"),
                end=match.end(),
                role=max(roles, key=_specificity),
                title=title,
                rule="th-honorific",
                nationality=_TH_DEMONYMS.get(demonym[1], "") if demonym else "",
            )
        )
    return mentions


@functools.cache
def _known_forms() -> dict[str, tuple[str, ...]]:
    """Return every form of the cross-script name table, folded, -> that person's forms."""
    return {_key(form): person for person in PEOPLE for form in person}


def _key(name: str) -> str:
    return " ".join(name.replace("-", " ").split()).casefold()


def _merged(text: str, mentions: list[Mention]) -> list[Figure]:
    """Return one figure per person: the first mention's place and sentence, the most specific
    role (the first of equally specific ones) with its title, rule and confidence."""
    people: dict[str, list[Mention]] = {}
    for mention in mentions:
        forms = _known_forms().get(_key(mention.name))
        people.setdefault(_key(forms[0]) if forms else _key(mention.name), []).append(mention)
    figures = []
    for person in people.values():
        first = person[0]
        chosen = first
        for mention in person[1:]:
            if _specificity(mention.role) > _specificity(chosen.role):
                chosen = mention
        forms = _known_forms().get(_key(first.name), ())
        confidence = RULES[chosen.rule]
        if forms:
            confidence = max(confidence, KNOWN_NAME_CONFIDENCE)
        values: dict[str, object] = {"name": first.name, "role": chosen.role}
        if chosen.title:
            values["title"] = chosen.title
        if nationality := next((m.nationality for m in person if m.nationality), ""):
            values["nationality"] = nationality
        if others := [form for form in forms if _key(form) != _key(first.name)]:
            values["names"] = others
        sentence_start, sentence_end = sentence_span_at(text, first.start)
        figures.append(
            Figure(
                kind=FigureKind.PERSON,
                start=first.start,
                end=first.end,
                evidence=text[sentence_start : max(sentence_end, first.end)].strip(),
                rule=chosen.rule,
                confidence=confidence,
                values=values,
            )
        )
    return figures
