"""The change log that keeps every search index in step with the database.

A row is written, in the same transaction, whenever something an article's index document is
made of changes (the article, its tags, its source). Each index remembers the id of the last row
it applied; applying means "re-read these articles from the database and upsert or delete them",
so applying a row twice is harmless and a row is never lost with the transaction that wrote it.
Several web hosts, each with its own index, can follow one shared log.
"""

from django.db import models


class ArticleChange(models.Model):
    id = models.BigAutoField(primary_key=True)
    # No foreign key: the row must outlive the article when the change is its deletion.
    article_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"change #{self.pk} to article #{self.article_id}"
