"""A write that fails and rolls back must not stop the process indexing later writes."""

import pytest
from django.db import transaction

from search.backends.base import SearchRequest
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def indexed(backend, word: str) -> set[int]:
    return set(backend.matching_ids(SearchRequest(query=word)))


def test_a_rolled_back_save_does_not_stop_later_saves_reaching_the_index(search_index, settings):
    settings.SEARCH_SYNC_ON_COMMIT = True
    first = factories.make_article(title="Quarry raid")
    search_index.open_writer(create=True).commit(last_change=0)  # an index, as a site has
    first.save()
    assert indexed(search_index, "quarry") == {first.pk}

    with pytest.raises(RuntimeError), transaction.atomic():
        factories.make_article(title="Quarry raid, never saved")
        raise RuntimeError("the curator's form failed after the save")

    later = factories.make_article(title="Quarry inspection")
    with transaction.atomic():
        kept = factories.make_article(title="Quarry licence revoked")
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.make_article(title="Quarry raid in a savepoint, never saved")
            raise RuntimeError("an inner step failed")
    assert indexed(search_index, "quarry") == {first.pk, later.pk, kept.pk}
