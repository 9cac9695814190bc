"""The change log that keeps every search index in step with the database.

A row is written, in the same transaction, whenever something an article's index document is
made of changes (the article, its tags, its source). Each index remembers the id of the last row
it applied; applying means "re-read these articles from the database and upsert or delete them",
so applying a row twice is harmless and a row is never lost with the transaction that wrote it.
Several web hosts, each with its own index, can follow one shared log.

On PostgreSQL each row also records the id of the transaction that wrote it: ids are handed out
as rows are inserted but become visible when their transaction commits, in another order, and
the applier needs to know which rows may still appear below the ids it has read (search.index.sync).
"""

from django.db import models


class CurrentTransactionId(models.Func):
    """The writing transaction's id, as the column's default: PostgreSQL's pg_current_xact_id();
    elsewhere NULL (SQLite has one writer at a time, so ids become visible in order)."""

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra):
        return "(pg_current_xact_id()::text::bigint)", []


class ArticleChange(models.Model):
    id = models.BigAutoField(primary_key=True)
    # No foreign key: the row must outlive the article when the change is its deletion.
    article_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    transaction_id = models.BigIntegerField(null=True, db_default=CurrentTransactionId())

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"change #{self.pk} to article #{self.article_id}"
