"""The tag autocomplete on an article's admin page offers every taxonomy entry exactly once."""

import pytest

from archive.models import CrimeType, Ministry

pytestmark = pytest.mark.django_db

# (inline model, field): the tag inlines' autocomplete fields (archive/admin/articles.py).
SOURCES = {Ministry: ("articleministry", "ministry"), CrimeType: ("articlecrimetype", "crime_type")}


def offered(client, model) -> list[tuple[str, str]]:
    """Page through the autocomplete as the admin's select widget does; return (id, text)."""
    model_name, field_name = SOURCES[model]
    entries, page = [], 1
    while True:
        answer = client.get(
            "/admin/autocomplete/",
            {
                "app_label": "archive",
                "model_name": model_name,
                "field_name": field_name,
                "term": "",
                "page": page,
            },
        ).json()
        entries += [(entry["id"], entry["text"]) for entry in answer["results"]]
        if not answer["pagination"]["more"]:
            return entries
        page += 1


@pytest.mark.parametrize("model", [Ministry, CrimeType], ids=lambda model: model.__name__)
def test_every_entry_is_offered_once_in_name_order(admin_client, model):
    assert model.objects.count() > 20, "the shipped taxonomy spans several autocomplete pages"
    entries = offered(admin_client, model)
    ids = [entry_id for entry_id, _ in entries]
    assert sorted(ids) == sorted(str(pk) for pk in model.objects.values_list("pk", flat=True))
    names = [model.objects.get(pk=entry_id).name for entry_id in ids]
    assert names == sorted(names)
