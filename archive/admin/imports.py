"""The import batches: what each ingest run read, added and refused."""

from __future__ import annotations

from django.contrib import admin

from archive.admin.display import html_list
from archive.models import (
    ImportBatch,
)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "started_at",
        "finished_at",
        "created_count",
        "updated_count",
        "unchanged_count",
        "skipped_count",
    )
    readonly_fields = (
        "label",
        "paths",
        "started_at",
        "finished_at",
        "created_count",
        "updated_count",
        "unchanged_count",
        "skipped_count",
        "problems_list",
    )
    exclude = ("problems",)

    @admin.display(description="skipped, with reasons")
    def problems_list(self, batch):
        if not batch.problems:
            return "none"
        return html_list((p["origin"], p["reason"]) for p in batch.problems)

    def has_add_permission(self, request):
        return False  # batches are made by `manage.py ingest`


# --- Review queue ---------------------------------------------------------------------------------
