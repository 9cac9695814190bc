"""Log every article that existed before the search app, so a new index can be built from the log."""

from django.db import migrations


def log_existing(apps, schema_editor):
    Article = apps.get_model("archive", "Article")
    ArticleChange = apps.get_model("search", "ArticleChange")
    ids = Article.objects.values_list("pk", flat=True).order_by("pk")
    ArticleChange.objects.bulk_create(ArticleChange(article_id=pk) for pk in ids.iterator())


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("archive", "0004_review_queue")]

    operations = [migrations.RunPython(log_existing, migrations.RunPython.noop)]
