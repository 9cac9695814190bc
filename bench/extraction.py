"""How well web pages become reports: story kept, page furniture gone, and how fast.

    python bench/extraction.py [--pages tests/fixtures/pages] [--rounds 5] [--inflate-kb 100]

Each page NAME.html in the folder has a sidecar NAME.expected.json listing the story's
paragraphs ("body") and strings of page furniture ("boilerplate": menus, adverts, cookie
banners, share buttons, bylines, captions, related articles, comments, footers). The page goes
through archive.ingest.html.extract_page, then through the cleaner (archive.ingest.cleaning,
given the page's title, as ingest gives it), and at each stage:

- body kept: the share of the story's characters whose paragraph is found whole in the text;
- boilerplate removed: the share of furniture strings not found anywhere in the text;

per page and over all pages (characters and strings added up, not page shares averaged). Text is
compared with runs of white space made one space.

Speed: milliseconds per page for extract_page alone, the median of `--rounds` runs, on the pages
as they are (5-15 KB) and inflated to `--inflate-kb` (pages on the web weigh 50-150 KB, mostly
inline scripts, styles, icons and menus; see inflate_page), whose scores are reported too. Both
for extract_page's default (trafilatura's balanced mode, which asks readability and jusText for
a second opinion when its own extraction looks thin) and for fast=True, which does not.

Results go to bench/results/extraction.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PAGES = REPO / "tests" / "fixtures" / "pages"


@dataclass(frozen=True)
class Score:
    body_chars: int
    body_chars_kept: int
    boilerplate: int
    boilerplate_removed: int
    missing: tuple[str, ...]  # story paragraphs not found whole
    leaked: tuple[str, ...]  # furniture still there

    @property
    def body_kept(self) -> float:
        return self.body_chars_kept / self.body_chars if self.body_chars else 1.0

    @property
    def boilerplate_gone(self) -> float:
        return self.boilerplate_removed / self.boilerplate if self.boilerplate else 1.0


@dataclass(frozen=True)
class PageResult:
    name: str
    size_bytes: int
    extracted: Score
    cleaned: Score


def expected_pages(folder: Path = PAGES) -> list[tuple[Path, dict]]:
    """Return (page, expectations) for every page with a sidecar, by name."""
    pages = []
    for sidecar in sorted(folder.glob("*.expected.json")):
        page = sidecar.with_name(sidecar.name.removesuffix(".expected.json") + ".html")
        pages.append((page, json.loads(sidecar.read_text(encoding="utf-8"))))
    return pages


def flattened(text: str) -> str:
    return " ".join(text.split())


def score(text: str, expected: dict) -> Score:
    """Return how much of the expected story `text` keeps and how much furniture it drops."""
    found = flattened(text)
    body = [flattened(paragraph) for paragraph in expected["body"]]
    boilerplate = [flattened(string) for string in expected["boilerplate"]]
    missing = tuple(paragraph for paragraph in body if paragraph not in found)
    leaked = tuple(string for string in boilerplate if string in found)
    total = sum(map(len, body))
    return Score(
        body_chars=total,
        body_chars_kept=total - sum(map(len, missing)),
        boilerplate=len(boilerplate),
        boilerplate_removed=len(boilerplate) - len(leaked),
        missing=missing,
        leaked=leaked,
    )


def measure_page(data: bytes, expected: dict, *, name: str = "", fast: bool = False) -> PageResult:
    from archive.ingest.cleaning import clean_text
    from archive.ingest.html import extract_page

    page = extract_page(data, fast=fast)
    cleaned = clean_text(page.text, given_title=page.title)
    return PageResult(name, len(data), score(page.text, expected), score(cleaned.body, expected))


def total(scores: list[Score]) -> Score:
    return Score(
        body_chars=sum(s.body_chars for s in scores),
        body_chars_kept=sum(s.body_chars_kept for s in scores),
        boilerplate=sum(s.boilerplate for s in scores),
        boilerplate_removed=sum(s.boilerplate_removed for s in scores),
        missing=tuple(m for s in scores for m in s.missing),
        leaked=tuple(leak for s in scores for leak in s.leaked),
    )


# Furniture of the kind that makes real pages heavy, none of it text a reader sees: a framework's
# serialised state, a mega-menu, inline icons and styles. Repeated until the page is large.
_HEAVY_HEAD = (
    "<style>"
    + "".join(
        f".c{n}{{margin:{n % 9}px;padding:{n % 7}px;color:#{n % 999:03d}}}" for n in range(400)
    )
    + "</style>"
)
_HEAVY_BODY_PIECE = (
    '<script>window.__STATE__=window.__STATE__||[];window.__STATE__.push({"widgets":['
    + ",".join(
        f'{{"id":{n},"slot":"side-{n}","lazy":true,"sizes":[[300,250],[300,600]]}}'
        for n in range(40)
    )
    + "]});</script>"
    + '<nav class="mega-menu"><ul>'
    + "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(60))
    + "</ul></nav>"
    + '<svg class="icons" style="display:none">'
    + "".join(f'<symbol id="i{n}"><path d="M{n} 0L{n + 4} 8L{n} 16Z"/></symbol>' for n in range(40))
    + "</svg>"
)


def inflate_page(data: bytes, target_bytes: int) -> bytes:
    """Return the page grown to about `target_bytes` with invisible furniture (same story)."""
    head_at = data.lower().find(b"</head>")
    body_at = data.lower().rfind(b"</body>")
    if head_at < 0 or body_at < 0:
        return data
    piece = _HEAVY_BODY_PIECE.encode("ascii")
    room = max(0, target_bytes - len(data) - len(_HEAVY_HEAD))
    body_padding = piece * max(1, room // len(piece))
    return (
        data[:head_at]
        + _HEAVY_HEAD.encode("ascii")
        + data[head_at:body_at]
        + body_padding
        + data[body_at:]
    )


def milliseconds_per_page(pages: list[bytes], rounds: int, *, fast: bool = False) -> float:
    from archive.ingest.html import extract_page

    for data in pages:  # warm up: imports, compiled patterns, caches
        extract_page(data, fast=fast)
    runs = []
    for _ in range(rounds):
        started = time.perf_counter()
        for data in pages:
            extract_page(data, fast=fast)
        runs.append((time.perf_counter() - started) * 1000 / len(pages))
    return statistics.median(runs)


def summary(results: list[PageResult]) -> dict:
    extracted = total([r.extracted for r in results])
    cleaned = total([r.cleaned for r in results])
    return {
        "pages": len(results),
        "extracted": {
            "body_kept": round(extracted.body_kept, 4),
            "boilerplate_removed": round(extracted.boilerplate_gone, 4),
        },
        "cleaned": {
            "body_kept": round(cleaned.body_kept, 4),
            "boilerplate_removed": round(cleaned.boilerplate_gone, 4),
        },
        "missing": list(cleaned.missing),
        "leaked_after_cleaning": list(cleaned.leaked),
    }


def run(folder: Path, *, rounds: int, inflate_kb: int) -> dict:
    pages = expected_pages(folder)
    datas = [page.read_bytes() for page, _ in pages]
    inflated = [inflate_page(data, inflate_kb * 1024) for data in datas]
    result: dict = {"inflated_mean_kb": round(statistics.mean(map(len, inflated)) / 1024, 1)}
    for mode, fast in (("balanced", False), ("fast", True)):
        results = [
            measure_page(data, expected, name=page.stem, fast=fast)
            for data, (page, expected) in zip(datas, pages, strict=True)
        ]
        inflated_results = [
            measure_page(data, expected, name=page.stem, fast=fast)
            for data, (page, expected) in zip(inflated, pages, strict=True)
        ]
        result[mode] = {
            "per_page": [page_summary(r) for r in results],
            "overall": summary(results),
            "inflated": summary(inflated_results),
            "ms_per_page": {
                "as_written": round(milliseconds_per_page(datas, rounds, fast=fast), 1),
                "inflated": round(milliseconds_per_page(inflated, rounds, fast=fast), 1),
            },
        }
    return result


def page_summary(result: PageResult) -> dict:
    return {
        "name": result.name,
        "kb": round(result.size_bytes / 1024, 1),
        "extracted": {
            "body_kept": round(result.extracted.body_kept, 4),
            "boilerplate_removed": round(result.extracted.boilerplate_gone, 4),
        },
        "cleaned": {
            "body_kept": round(result.cleaned.body_kept, 4),
            "boilerplate_removed": round(result.cleaned.boilerplate_gone, 4),
            "leaked": list(result.cleaned.leaked),
        },
    }


def print_mode(mode: str, block: dict, inflated_kb: float) -> None:
    print(f"{mode} (extract_page(fast={mode == 'fast'})):")
    for page in block["per_page"]:
        extracted, cleaned = page["extracted"], page["cleaned"]
        print(
            f"  {page['name']:38} {page['kb']:5.1f} KB  extracted: body "
            f"{extracted['body_kept']:.0%}, furniture gone {extracted['boilerplate_removed']:.0%}"
            f"  cleaned: body {cleaned['body_kept']:.0%}, furniture gone "
            f"{cleaned['boilerplate_removed']:.0%}"
        )
        for leak in cleaned["leaked"]:
            print(f"{'':44}left: {leak[:70]}")
    for label in ("overall", "inflated"):
        totals = block[label]
        print(
            f"  {label}: extracted body {totals['extracted']['body_kept']:.1%}, furniture gone "
            f"{totals['extracted']['boilerplate_removed']:.1%}; cleaned body "
            f"{totals['cleaned']['body_kept']:.1%}, furniture gone "
            f"{totals['cleaned']['boilerplate_removed']:.1%}"
        )
    timing = block["ms_per_page"]
    print(
        f"  ms per page: {timing['as_written']} as written, {timing['inflated']} at "
        f"~{inflated_kb} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--inflate-kb", type=int, default=100)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    result = run(args.pages, rounds=args.rounds, inflate_kb=args.inflate_kb)
    for mode in ("balanced", "fast"):
        print_mode(mode, result[mode], result["inflated_mean_kb"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "extraction.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
