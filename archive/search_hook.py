"""The one door from the archive into the search app (declared in pyproject.toml's contracts).

The search app builds on the archive, so the archive never imports it, with the exceptions below,
all here: batch commands hold index updates back until they finish, and the admin asks the index
for the reports that best match a curator's words and for the tag counts the public search shows.
"""

from search.index.sync import deferred as index_updates_deferred
from search.service.results import best_matching_ids, tag_counts

__all__ = ["best_matching_ids", "index_updates_deferred", "tag_counts"]
