"""Khmer, Thai, Lao, Burmese and Chinese text is drawn with fonts that hold those scripts.

Chromium tells which fonts drew a node's text (the DevTools protocol's
CSS.getPlatformFontsForNode). The font that drew most of a node's glyphs must be one the
stylesheet names for the node's language, and fontconfig must say that it covers the language.
Without the fonts Chromium draws the text with whatever fontconfig falls back to (on a machine
with only DejaVu: empty boxes for Khmer, DejaVu Sans's Lao) and the test fails; `make browser`
installs them.
"""

import subprocess
from dataclasses import dataclass
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from archive.models import Article
from bench.languages import FIXTURES, read_reports
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# CSS's generic families: a font they pick is the machine's choice, not the stylesheet's.
GENERIC_FAMILIES = {
    "serif",
    "sans-serif",
    "monospace",
    "cursive",
    "fantasy",
    "system-ui",
    "ui-serif",
    "ui-sans-serif",
    "ui-monospace",
    "ui-rounded",
    "math",
    "emoji",
    "fangsong",
    "-apple-system",
}
# The page's language -> fontconfig's name for it (fontconfig tells Chinese apart by region).
FONTCONFIG_LANGUAGES = {"km": "km", "th": "th", "lo": "lo", "my": "my", "zh": "zh-cn"}
# Yaba (methamphetamine pills) in Thai, Lao and Burmese, and crystal meth in Chinese: a search
# whose results hold passages in all four.
MIXED_QUERY = "ยาบ้า OR ຢາບ້າ OR စိတ်ကြွဆေးပြား OR 冰毒"
MISSING_FONTS = "run `make browser`, which installs them (scripts/install-browser)"


@dataclass(frozen=True)
class DrawnNode:
    selector: str
    fonts: list[dict]  # {familyName, postScriptName, glyphCount, ...}, one per font used
    font_family: str  # the computed CSS font-family

    def main_font(self) -> str | None:
        """Return the family that drew most of the node's glyphs."""
        if not self.fonts:
            return None
        return max(self.fonts, key=lambda font: font["glyphCount"])["familyName"]

    def named_families(self) -> list[str]:
        """Return the families the stylesheet names for the node, generic ones left out."""
        names = (name.strip().strip("\"'") for name in self.font_family.split(","))
        return [name for name in names if name and name.lower() not in GENERIC_FAMILIES]


def drawn_nodes(page, selector: str) -> list[DrawnNode]:
    """Return the fonts Chromium drew each node matching `selector` with (its own text)."""
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        found = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
        nodes = []
        for node_id in found["nodeIds"]:
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
            style = session.send("CSS.getComputedStyleForNode", {"nodeId": node_id})
            family = next(p["value"] for p in style["computedStyle"] if p["name"] == "font-family")
            nodes.append(DrawnNode(selector=selector, fonts=fonts, font_family=family))
        return nodes
    finally:
        session.detach()


def fontconfig_covers(family: str, language: str) -> bool:
    """Return whether fontconfig has a font of `family` that covers `language`."""
    escaped = "".join(f"\\{char}" if char in "\\-:," else char for char in family)
    try:
        listed = subprocess.run(
            ["fc-list", "-q", f"{escaped}:lang={FONTCONFIG_LANGUAGES[language]}"], check=False
        )
    except FileNotFoundError:
        pytest.fail(f"fontconfig's fc-list is missing: {MISSING_FONTS}")
    return listed.returncode == 0


def font_problems(page, selector: str, language: str) -> list[str]:
    """Return what is wrong with the fonts the nodes matching `selector` were drawn with."""
    nodes = drawn_nodes(page, selector)
    if not nodes:
        return [f"{selector}: no such text on the page"]
    problems = []
    for node in nodes:
        main = node.main_font()
        used = ", ".join(f"{f['familyName']} ({f['glyphCount']} glyphs)" for f in node.fonts)
        if main not in node.named_families():
            problems.append(
                f"{selector}: drawn mostly with {main}, which the stylesheet does not name "
                f"for {language} ({node.font_family}); fonts used: {used}"
            )
        elif not fontconfig_covers(main, language):
            problems.append(f"{selector}: {main} does not cover {language} ({used})")
    return problems


@pytest.fixture
def language_reports(search_index):
    """The written reports in every language of the region, ingested and indexed."""
    factories.load_initial_taxonomy()
    call_command("ingest", str(FIXTURES), stdout=StringIO(), stderr=StringIO())


def test_a_khmer_articles_title_and_body_are_drawn_in_a_khmer_font(
    live_server, new_page, screenshot, language_reports
):
    khmer = next(report for report in read_reports(FIXTURES) if report["language"] == "km")
    article = Article.objects.get(title=khmer["title"])
    page = new_page()
    page.goto(live_server.url + article.get_absolute_url())
    screenshot(page, "fonts-khmer-article")

    problems = font_problems(page, "h1[lang=km]", "km")
    problems += font_problems(page, ".body[lang=km] p", "km")

    assert not problems, f"{MISSING_FONTS}:\n" + "\n".join(problems)


def test_thai_lao_burmese_and_chinese_passages_are_drawn_in_fonts_of_their_scripts(
    live_server, new_page, screenshot, language_reports
):
    page = new_page()
    page.goto(f"{live_server.url}/?{urlencode({'q': MIXED_QUERY})}")
    screenshot(page, "fonts-passages")

    problems = []
    for language in ("th", "lo", "my", "zh"):
        problems += font_problems(page, f".passage bdi[lang={language}]", language)

    assert not problems, f"{MISSING_FONTS}:\n" + "\n".join(problems)
