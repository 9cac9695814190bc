"""Curation in Django admin, one module per admin (as django.contrib.admin splits its own).

Importing the modules registers their admins with the default site.
"""

from django.contrib import admin

from archive.admin import anchors, articles, figures, groups, imports, review, taxonomy

__all__ = ["anchors", "articles", "figures", "groups", "imports", "review", "taxonomy"]

admin.site.site_header = "Enforcement Reports Archive: curation"
admin.site.site_title = "Archive curation"
admin.site.index_title = "Curate the archive"
