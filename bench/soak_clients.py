"""The soak's actors: researchers searching, curators editing in admin, an ingest, all over HTTP.

Each actor is a thread with its own keep-alive connection (`Browser`) that runs until the shared
stop event is set and counts every request in a shared `Tally`. Curators remember what they last
saved to each article (`Curator.intended`) so that the soak can check afterwards that the
database and the index hold exactly that.

Curators split the articles between them (article id modulo the number of curators), so no two
curators ever edit the same article: admin has no optimistic locking, and two people saving one
article at once lose one edit by design. Within its share a curator must never lose an edit.
"""

from __future__ import annotations

import http.client
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.http_load import REQUEST_TIMEOUT_SECONDS, fresh_word
from bench.soak_checks import CONNECTION_ERROR, TIMEOUT, ArticleState, Tally, ingest_counts
from bench.soak_forms import (
    CSRF_FIELD,
    autocomplete_choices,
    form_errors,
    live_tags,
    parse_forms,
    plan_edit,
    review_decisions,
)

REPO = Path(__file__).resolve().parent.parent
LOGIN_PATH = "/admin/login/"
ADMIN_HOME = "/admin/"
ARTICLE_CHANGELIST = "/admin/archive/article/"
REVIEW_QUEUE = "/admin/archive/reviewitem/"
AUTOCOMPLETE = "/admin/autocomplete/"
# (inline model, field) the autocomplete endpoint serves each tag kind's choices for.
AUTOCOMPLETE_SOURCES = {
    "country": ("articlecountry", "country"),
    "ministry": ("articleministry", "ministry"),
    "crime_type": ("articlecrimetype", "crime_type"),
}
# What the researchers ask for: kind -> share. The search page and the API carry most of it;
# exports of small result sets and feeds are rarer and costlier.
SEARCH_KINDS = {
    "search page": 40,
    "api search": 24,
    "article page": 12,
    "api article": 8,
    "feed": 8,
    "export": 4,
}
EXPORT_FORMATS = ("csv", "jsonl", "ris")
# Chance that a curator's next step is a decision in the review queue rather than an edit, and
# that an edit goes back to an article this curator already edited (read-your-writes check).
REVIEW_SHARE = 0.15
REEDIT_SHARE = 0.3


# --- HTTP -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location_path(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path


class RequestFailed(Exception):
    """No answer: the connection failed or timed out. `status` is CONNECTION_ERROR or TIMEOUT."""

    def __init__(self, status: str, reason: str, seconds: float):
        super().__init__(reason)
        self.status, self.reason, self.seconds = status, reason, seconds


class Browser:
    """One keep-alive connection with a cookie jar, sending what a browser's form would."""

    def __init__(self, base_url: str, *, timeout: float = REQUEST_TIMEOUT_SECONDS):
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"base_url must look like http://127.0.0.1:8000, not {base_url!r}")
        self.origin = f"http://{parts.netloc}"
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=timeout
        )

    def get(self, path: str) -> Response:
        return self._send("GET", path, None, retry=True)

    def post(self, path: str, fields: Sequence[tuple[str, str]], *, referer: str) -> Response:
        return self._send("POST", path, urlencode(list(fields)).encode(), referer=referer)

    def close(self) -> None:
        self.connection.close()

    def _send(self, method, path, body, *, retry=False, referer=None) -> Response:
        headers = {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
        reused = self.connection.sock is not None
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as error:
            self.connection.close()
            if reused and retry:
                # The server dropped an idle keep-alive connection: try once on a new one.
                return self._send(method, path, body, referer=referer)
            raise RequestFailed(
                CONNECTION_ERROR, f"{type(error).__name__}: {error}", time.perf_counter() - started
            ) from error
        except TimeoutError as error:
            self.connection.close()
            raise RequestFailed(
                TIMEOUT, f"no answer: {error}", time.perf_counter() - started
            ) from error
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            raise RequestFailed(
                CONNECTION_ERROR, f"{type(error).__name__}: {error}", time.perf_counter() - started
            ) from error
        seconds = time.perf_counter() - started
        self._remember_cookies(response.msg.get_all("Set-Cookie") or [])
        return Response(response.status, response.msg, content, seconds)

    def _remember_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)


def fetch(
    browser: Browser,
    tally: Tally,
    kind: str,
    path: str,
    *,
    expect: tuple[int, ...] = (200,),
    check: Callable[[Response], str | None] | None = None,
    post: Sequence[tuple[str, str]] | None = None,
    referer: str = "",
) -> Response | None:
    """Send one request and count it; return the response, or None when it failed.

    An answer with a status not in `expect`, or one `check` finds fault with (it returns the
    fault), counts as an error of its kind, with the path in the reason.
    """
    try:
        if post is None:
            response = browser.get(path)
        else:
            response = browser.post(path, post, referer=referer or path)
    except RequestFailed as failure:
        tally.record(kind, status=failure.status, error=f"{path}: {failure.reason}")
        return None
    problem = None
    if response.status not in expect:
        problem = f"HTTP {response.status}"
        if response.status == 200 and post is not None:
            problem += f" with form errors {form_errors(response.text)[:3]}"
    elif check is not None:
        problem = check(response)
    tally.record(
        kind,
        status=response.status,
        seconds=response.seconds,
        error=None if problem is None else f"{path}: {problem}",
        path=path,
    )
    return None if problem else response


# --- Researchers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchPicker:
    """Draws the researchers' requests: searches from the query mix, articles, feeds, exports.

    `search_queries` are query strings ("q=police&country=KH") the search page, the API and
    the feed all take; `small_queries` are ones with few results, fit for an export.
    """

    search_queries: Sequence[str]
    small_queries: Sequence[str]
    article_ids: Sequence[int]

    def pick(self, rng: random.Random) -> tuple[str, str]:
        """Return (kind, path) of the next request."""
        kind = rng.choices(list(SEARCH_KINDS), weights=list(SEARCH_KINDS.values()))[0]
        query = rng.choice(self.search_queries)
        if kind == "search page":
            return kind, _with_query("/", query)
        if kind == "api search":
            return kind, _with_query("/api/v1/search", query)
        if kind == "article page":
            return kind, f"/articles/{rng.choice(self.article_ids)}/"
        if kind == "api article":
            return kind, f"/api/v1/articles/{rng.choice(self.article_ids)}"
        if kind == "feed":
            return kind, _with_query("/feeds/search.atom", query)
        small = rng.choice(self.small_queries or self.search_queries)
        return kind, _with_query(f"/export.{rng.choice(EXPORT_FORMATS)}", small)


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def check_answer(kind: str) -> Callable[[Response], str | None]:
    """Return a check that the body is whole for its kind (a cut-off stream is an error)."""

    def check(response: Response) -> str | None:
        body = response.body
        if kind in ("api search", "api article"):
            try:
                data = json.loads(body)
            except ValueError:
                return "the API answered with something other than JSON"
            key = "total" if kind == "api search" else "id"
            return None if key in data else f"the API's answer has no {key!r}"
        if kind in ("search page", "article page"):
            return None if body.rstrip().endswith(b"</html>") else "the page ends early"
        if kind == "feed":
            return None if body.rstrip().endswith(b"</feed>") else "the feed ends early"
        return None if body else "the export is empty"

    return check


def search_client(
    base_url: str, picker: SearchPicker, tally: Tally, stop: threading.Event, *, seed: int
) -> None:
    """Request what `picker` draws until `stop` is set."""
    rng = random.Random(seed)
    browser = Browser(base_url)
    try:
        while not stop.is_set():
            kind, path = picker.pick(rng)
            fetch(browser, tally, kind, path, check=check_answer(kind))
    finally:
        browser.close()


# --- Curators -------------------------------------------------------------------------------


class Curator:
    """A curator's browser session: log in, then edit and re-tag articles of its share and
    decide proposals in the review queue, until stopped.

    `intended` maps each article this curator saved to the title and live tags of its last
    save, `markers` to the marker word of each save; `uncertain` holds articles whose last save
    got no answer (their state is unknown).
    """

    def __init__(
        self,
        base_url: str,
        *,
        username: str,
        password: str,
        article_ids: Sequence[int],
        owns: Callable[[int], bool],
        tally: Tally,
        seed: int,
        leave_alone: Mapping[str, Collection[int]] | None = None,
    ):
        self.base_url, self.username, self.password = base_url, username, password
        # Entries offered but never added (kind -> ids): the bulk action's own, whose articles
        # are checked to be exactly its.
        self.leave_alone = leave_alone or {}
        self.article_ids, self.owns, self.tally = list(article_ids), owns, tally
        self.rng = random.Random(seed)
        self.browser = Browser(base_url)
        self.options: dict[str, list[int]] = {}
        self.intended: dict[int, ArticleState] = {}
        self.markers: dict[int, list[str]] = {}  # every marker saved to each article, in order
        self.uncertain: set[int] = set()
        self.decided: set[int] = set()
        self.edits = self.decisions = self.repeated_options = 0
        self.changes: list[str] = []

    def run(self, stop: threading.Event) -> None:
        try:
            if not self.log_in():
                return
            self.options = self.load_options()
            # At least one edit, however short the run: the checks afterwards need one.
            self.edit_one()
            while not stop.is_set():
                if self.rng.random() < REVIEW_SHARE:
                    self.decide_one()
                else:
                    self.edit_one()
        finally:
            self.browser.close()

    def log_in(self) -> bool:
        """Log in through the admin's form; count a refusal as an error and return False."""
        page = fetch(self.browser, self.tally, "admin login", f"{LOGIN_PATH}?next={ADMIN_HOME}")
        if page is None:
            return False
        form = parse_forms(page.text).get("login-form")
        if form is None:
            self.tally.fault("admin login", f"{self.username}: the login page has no login form")
            return False
        fields = [
            (name, value) for name, value in form.fields if name not in ("username", "password")
        ]
        fields += [("username", self.username), ("password", self.password)]
        answer = fetch(
            self.browser,
            self.tally,
            "admin login",
            f"{LOGIN_PATH}?next={ADMIN_HOME}",
            post=fields,
            expect=(302,),
        )
        return answer is not None and answer.location_path == ADMIN_HOME

    def load_options(self) -> dict[str, list[int]]:
        """Return each tag kind's selectable entries, read page by page from the autocomplete.

        Entries offered on more than one page are noted in `repeated_options`.
        """
        options = {}
        for kind, (model_name, field_name) in AUTOCOMPLETE_SOURCES.items():
            ids: list[int] = []
            page, more = 1, True
            while more:
                query = urlencode(
                    {
                        "term": "",
                        "app_label": "archive",
                        "model_name": model_name,
                        "field_name": field_name,
                        "page": page,
                    }
                )
                answer = fetch(
                    self.browser, self.tally, "admin autocomplete", AUTOCOMPLETE + "?" + query
                )
                if answer is None:
                    break
                choices, more = autocomplete_choices(answer.body)
                self.repeated_options += sum(pk in ids for pk, _label in choices)
                ids += [pk for pk, _label in choices if pk not in ids]
                page += 1
            options[kind] = ids
        return options

    def edit_one(self) -> None:
        """Open an article's change page, change its title and one tag, save, see the list."""
        edited = sorted(set(self.intended) - self.uncertain)
        if edited and self.rng.random() < REEDIT_SHARE:
            article_id = self.rng.choice(edited)
        else:
            article_id = self.rng.choice(self.article_ids)
        path = f"/admin/archive/article/{article_id}/change/"
        page = fetch(self.browser, self.tally, "admin change page", path)
        if page is None:
            return
        form = parse_forms(page.text).get("article_form")
        if form is None or form.value(CSRF_FIELD) is None:
            self.tally.fault("admin change page", f"{path}: no article form with a CSRF token")
            return
        self._check_last_save(article_id, form.fields)
        marker = fresh_word()
        edit = plan_edit(
            form.fields,
            article_id=article_id,
            marker=marker,
            options={
                kind: [pk for pk in ids if pk not in self.leave_alone.get(kind, ())]
                for kind, ids in self.options.items()
            },
            rng=self.rng,
        )
        saved = fetch(self.browser, self.tally, "admin save", path, post=edit.fields, expect=(302,))
        if saved is None:
            # A save without an answer may or may not have landed.
            self.intended.pop(article_id, None)
            self.uncertain.add(article_id)
            return
        self.uncertain.discard(article_id)
        self.intended[article_id] = ArticleState(edit.title, edit.live_tags)
        self.markers.setdefault(article_id, []).append(marker)
        self.edits += 1
        self.changes.append(f"#{article_id} {edit.change}")
        if saved.location_path != ARTICLE_CHANGELIST:
            self.tally.fault(
                "admin save", f"{path}: redirected to {saved.location_path}, not the list"
            )
            return
        fetch(self.browser, self.tally, "admin changelist", ARTICLE_CHANGELIST)

    def _check_last_save(self, article_id: int, fields) -> None:
        """Count a lost update when the form does not show this curator's last save."""
        wanted = self.intended.get(article_id)
        if wanted is None:
            return
        shown = ArticleState(dict(fields).get("title", ""), live_tags(fields))
        if shown.title != wanted.title or _nonempty(shown.tags) != _nonempty(wanted.tags):
            self.tally.fault(
                "lost update",
                f"#{article_id}: saved {wanted.title!r} {_nonempty(wanted.tags)}, the change "
                f"page shows {shown.title!r} {_nonempty(shown.tags)}",
            )

    def decide_one(self) -> None:
        """Confirm or reject a proposal in the review queue on an article of this share."""
        queue = fetch(self.browser, self.tally, "review queue", REVIEW_QUEUE)
        if queue is None:
            return
        form = parse_forms(queue.text).get("changelist-form")
        # Only articles of this share, and none this curator is tracking: a decision changes
        # tags, and the tracked state is that of the last save.
        choices = [
            (article_id, value)
            for article_id, value in review_decisions(queue.text)
            if self.owns(article_id) and article_id not in self.intended
        ]
        if form is None or not choices:
            return
        article_id, value = self.rng.choice(choices)
        answer = fetch(
            self.browser,
            self.tally,
            "review decision",
            REVIEW_QUEUE + "decide/",
            post=[*form.fields, ("decide", value)],
            referer=REVIEW_QUEUE,
            expect=(302,),
        )
        if answer is None:
            return
        self.decisions += 1
        self.decided.add(article_id)
        self.changes.append(f"#{article_id} review {value}")
        if answer.location_path != REVIEW_QUEUE:
            self.tally.fault(
                "review decision", f"{value}: redirected to {answer.location_path}, not the queue"
            )


def _nonempty(tags) -> dict:
    return {kind: sorted(ids) for kind, ids in tags.items() if ids}


# --- The ingest -----------------------------------------------------------------------------


class IngestRunner:
    """`manage.py ingest` on each folder in turn, in its own process, until done or stopped.

    Runs the product's own command as an operator would, with the web server's environment.
    Each run's exit status must be 0 and its summary must show every record created.
    """

    def __init__(self, folders: Sequence[Path], *, environment: dict, tally: Tally):
        self.folders, self.environment, self.tally = list(folders), environment, tally
        self.runs: list[dict] = []
        self.started = time.monotonic()

    def run(self, stop: threading.Event, *, every_seconds: float) -> None:
        """Start batch n at n * every_seconds (or when the one before ends, if later); once
        stopped, ingest the rest at once, so the planned arrivals always arrive."""
        self.started = time.monotonic()
        for number, folder in enumerate(self.folders, start=1):
            stop.wait(max(0.0, self.started + number * every_seconds - time.monotonic()))
            during_load = not stop.is_set()
            self.runs.append({**self._ingest(folder, number), "during_load": during_load})

    def _ingest(self, folder: Path, number: int) -> dict:
        command = [
            sys.executable,
            "manage.py",
            "ingest",
            str(folder),
            "--no-progress",
            "--label",
            f"soak batch {number}",
        ]
        started = time.monotonic()
        completed = subprocess.run(
            command, cwd=REPO, env=self.environment, capture_output=True, text=True, check=False
        )
        counts = ingest_counts(completed.stdout) or {}
        run = {
            "folder": folder.name,
            "exit_status": completed.returncode,
            "seconds": round(time.monotonic() - started, 1),
            "started_at_s": round(started - self.started, 1),
            **counts,
        }
        if completed.returncode != 0 or not counts or counts["skipped"]:
            self.tally.fault(
                "ingest",
                f"{folder.name}: exit {completed.returncode}, {counts or 'no summary'}; "
                f"{completed.stderr.strip()[-1500:]}",
            )
        return run

    @property
    def created(self) -> int:
        return sum(run.get("created", 0) for run in self.runs)


class BulkActionRunner:
    """A curator's bulk action (tag many articles) whose transaction stays open for a while
    (bench/soak_bulk_action.py), started once the load is under way."""

    def __init__(
        self,
        article_ids: Sequence[int],
        *,
        hold_seconds: float,
        username: str,
        slug: str,
        environment: dict,
        tally: Tally,
    ):
        self.article_ids, self.hold_seconds = list(article_ids), hold_seconds
        self.username, self.slug = username, slug
        self.environment, self.tally = environment, tally
        self.outcome: dict = {}

    def run(self, *, start_after: float) -> None:
        time.sleep(start_after)
        command = [
            sys.executable,
            "bench/soak_bulk_action.py",
            "--ids",
            ",".join(map(str, self.article_ids)),
            "--hold",
            str(self.hold_seconds),
            "--user",
            self.username,
            "--slug",
            self.slug,
        ]
        completed = subprocess.run(
            command, cwd=REPO, env=self.environment, capture_output=True, text=True, check=False
        )
        lines = completed.stdout.strip().splitlines()
        if completed.returncode != 0 or not lines:
            self.tally.fault(
                "bulk action",
                f"exit {completed.returncode}: {completed.stderr.strip()[-1500:]}",
            )
            return
        self.outcome = json.loads(lines[-1])
        if self.outcome["tagged"] != len(self.article_ids):
            self.tally.fault(
                "bulk action", f"tagged {self.outcome['tagged']} of {len(self.article_ids)}"
            )
