"""The incidents' part of the OpenAPI document: a group, its members, the list and its parameters.

Built from the names search/api/incidents.py uses, and strict like search/api/schemas.py, so that
the tests catch a field added or dropped.
"""

from __future__ import annotations

from archive.models import GroupKind, GroupMember, GroupStatus
from search.api.incidents import INCIDENT_KEYS, KIND, KINDS, SINCE, STATUS, STATUSES, UNTIL
from search.api.params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_SIZE
from search.api.schemas import INTEGER, STRING, STRINGS, URL, nullable, ref, strict
from search.service.url_state import PAGE

DATE = {"type": "string", "format": "date"}


def _summary_properties() -> dict:
    return {
        "id": INTEGER,
        "kind": {
            "type": "string",
            "enum": list(KINDS),
            "description": "incident: reports of one event (copies of one text and independent "
            "reports), to be counted once; thread: the stages of one case over time.",
        },
        "status": {
            "type": "string",
            "enum": list(STATUSES),
            "description": "proposed: grouped by the machine, unchecked; confirmed: by a curator.",
        },
        "first_published": nullable({**DATE, "description": "Its earliest report's day."}),
        "report_count": {
            "type": "integer",
            "minimum": 0,
            "description": "Its live reports (those a curator split out are not counted).",
        },
        "links": strict(
            {"self": URL, "html": {**URL, "description": "The group's page in the archive."}}
        ),
    }


def incident_schemas() -> dict:
    """Return the component schemas the incidents add."""
    summary = _summary_properties()
    member = strict(
        {
            "article_id": INTEGER,
            "url": {**URL, "description": "The article's page in the archive."},
            "title": STRING,
            "source": nullable({**STRING, "description": "The publication."}),
            "published": nullable(DATE),
            "tier": {
                "type": "string",
                "enum": list(GroupMember.Tier.values),
                "description": "How it joined: the first report, a copy of one text, the same "
                "incident reported independently, a later stage of the case, or a curator.",
            },
            "matched_with": nullable(
                {**INTEGER, "description": "The article it was matched with."}
            ),
            "score": nullable(
                {
                    "type": "number",
                    "description": "How strongly: a copy's share of wording (0 to 1), else the "
                    "weight of the reasons.",
                }
            ),
            "reasons": {**STRINGS, "description": "Why, in words ('same province KH-12')."},
            "status": {
                "type": "string",
                "enum": [s for s in GroupStatus.values if s != GroupStatus.REJECTED],
                "description": "Whether a curator confirmed it belongs; reports split out are "
                "never listed.",
            },
            "figures": {
                "type": "array",
                "items": ref("Figure"),
                "description": "What the report states, confirmed and proposed (rejected ones "
                "left out); each says its status.",
            },
        }
    )
    return {
        "IncidentSummary": strict(summary, description="An incident or story thread."),
        "IncidentMember": member,
        "Incident": strict(
            {**summary, "members": {"type": "array", "items": ref("IncidentMember")}},
            description="An incident or story thread with its reports, earliest first.",
        ),
        "IncidentList": strict(
            {
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "pages": {"type": "integer", "minimum": 0},
                "results": {"type": "array", "items": ref("IncidentSummary")},
                "links": strict({"self": URL, "next": nullable(URL), "previous": nullable(URL)}),
            }
        ),
    }


def incident_parameters() -> list[dict]:
    def query(name: str, schema: dict, description: str) -> dict:
        return {"name": name, "in": "query", "schema": schema, "description": description}

    described = {
        KIND: query(
            KIND,
            {"type": "string", "enum": list(GroupKind.values)},
            "incident or thread; both when absent.",
        ),
        STATUS: query(
            STATUS,
            {"type": "string", "enum": list(STATUSES)},
            "proposed (by the machine) or confirmed (by a curator).",
        ),
        SINCE: query(SINCE, DATE, "First reported on or after this day (YYYY-MM-DD)."),
        UNTIL: query(UNTIL, DATE, "First reported on or before this day (YYYY-MM-DD)."),
        PAGE: query(PAGE, {"type": "integer", "minimum": 1, "default": 1}, "The page."),
        PAGE_SIZE: query(
            PAGE_SIZE,
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
            "Groups per page.",
        ),
    }
    return [described[name] for name in INCIDENT_KEYS]
