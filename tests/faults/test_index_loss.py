"""The index deleted or damaged under a running site: searches answer 503 and say the index is
being rebuilt, everything else keeps working, and `rebuild_index` brings search back in the
same process, with nothing written meanwhile missing."""

import logging
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive import curation
from archive.ingest.batch import ingest_paths
from archive.models import Article
from search.backends import get_backend
from search.index.sync import apply_pending
from search.models import ArticleChange
from tests import factories

# Real commits: writes apply their changes after commit, as on the site.
pytestmark = pytest.mark.django_db(transaction=True)

SEARCH_PAGES = ("/?q=casino", "/export.csv?q=casino", "/feeds/search.atom?q=casino")
API_SEARCH = "/api/v1/search?q=casino"


@pytest.fixture
def live_site(search_index, client):
    """Three indexed reports, and a backend that has already answered a search (its searcher
    and files are open, as in a web process that has been running for a while)."""
    factories.load_initial_taxonomy()  # a transactional test starts without it
    articles = [
        factories.make_article(title=f"Casino raid {n}", body=f"Police raided casino {n}.")
        for n in range(3)
    ]
    apply_pending()
    response = client.get("/", {"q": "casino"})
    assert response.status_code == 200
    assert len(response.context["results"]) == 3
    return articles


def delete_index(root) -> None:
    shutil.rmtree(root)


def garble_index(root) -> None:
    """Overwrite the table of contents with garbage and cut a segment's term file short."""
    generation = (root / "current").resolve()
    (toc,) = generation.glob("_MAIN_*.toc")
    toc.write_bytes(b"\x00garbage\xff" * 40)
    terms = sorted(generation.glob("MAIN_*.trm"))[0]
    with terms.open("r+b") as file:
        file.truncate(terms.stat().st_size // 3)


def truncate_segments(root) -> None:
    """Cut every segment file short, leaving the table of contents as it was."""
    generation = (root / "current").resolve()
    for segment_file in generation.glob("MAIN_*.*"):
        if segment_file.name != "MAIN_WRITELOCK":
            with segment_file.open("r+b") as file:
                file.truncate(segment_file.stat().st_size // 2)


@pytest.mark.parametrize("damage", [delete_index, garble_index, truncate_segments])
def test_searches_answer_503_until_rebuild_index_restores_them_in_the_same_process(
    damage, live_site, search_index, client, tmp_path, caplog
):
    damage(search_index.root)

    for url in SEARCH_PAGES:
        response = client.get(url)
        assert response.status_code == 503, url
        assert "being rebuilt" in response.content.decode(), url
        assert int(response["Retry-After"]) > 0
    response = client.get(API_SEARCH)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "being rebuilt" in response.json()["error"]["message"]

    # Pages that do not need the index carry on (the article page only loses "similar reports").
    edited = live_site[0]
    assert client.get(f"/articles/{edited.pk}/").status_code == 200
    assert client.get("/articles/").status_code == 200

    # Writes carry on too; their changes wait in the log.
    logged = ArticleChange.objects.count()
    with caplog.at_level(logging.WARNING):
        edited.title = "Casino raid, corrected roulette"
        edited.save()
        curation.add_tag([edited], factories.country("KH"), user=None)
    source = tmp_path / "incoming"
    source.mkdir()
    (source / "new.txt").write_text("Casino owner fined\n\nA roulette casino owner was fined.")
    report = ingest_paths([source])
    assert report.created == 1
    assert ArticleChange.objects.count() > logged
    assert not [record for record in caplog.records if record.exc_info]  # no traceback floods
    damage_reports = [record for record in caplog.records if record.name.startswith("search.back")]
    assert len(damage_reports) <= 1  # once, however many requests met it

    out = StringIO()
    call_command("rebuild_index", stdout=out, verbosity=0)
    assert "Rebuilt the index with 4 articles" in out.getvalue()
    response = client.get("/", {"q": "roulette"})
    assert response.status_code == 200
    found = {article.pk for _, article in response.context["results"]}
    assert found == {edited.pk, Article.objects.get(title="Casino owner fined").pk}
    assert client.get(API_SEARCH).json()["total"] == 4
    assert get_backend() is search_index  # the very backend that saw the damage
    call_command("check_index", stdout=StringIO())


@pytest.mark.parametrize("command", ["update_index", "check_index"])
def test_commands_meeting_a_damaged_index_ask_for_rebuild_index_instead_of_replacing_it(
    command, live_site, search_index
):
    factories.make_article(title="Written after the damage")
    garble_index(search_index.root)
    damaged = (search_index.root / "current").resolve()
    with pytest.raises(CommandError, match="rebuild_index"):
        call_command(command, stdout=StringIO())
    assert (search_index.root / "current").resolve() == damaged  # not swapped for an empty one
