"""Drop indexes nothing looks up by, which every imported article paid for on each tag row.

- on the tag tables, the article column (the unique (article, target) index serves look-ups by
  article) and the curator columns (only deleting a user would use those);
- on the history tables, every copied column but the id (history is read per record and by
  date, which keep their indexes).

The model state changes by AlterField; the database only drops the indexes (or adds them back
when reversed), found by introspection: SQLite would otherwise copy each table once per field.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (model name, field name) of every index dropped.
UNINDEXED = [
    ("articlecountry", "article"),
    ("articlecountry", "assigned_by"),
    ("articlecountry", "reviewed_by"),
    ("articleministry", "article"),
    ("articleministry", "assigned_by"),
    ("articleministry", "reviewed_by"),
    ("articlecrimetype", "article"),
    ("articlecrimetype", "assigned_by"),
    ("articlecrimetype", "reviewed_by"),
    ("historicalarticle", "source"),
    ("historicalarticle", "import_batch"),
    ("historicalarticle", "year"),
    ("historicalarticle", "review_status"),
    ("historicalarticle", "content_hash"),
    *[
        (model, field)
        for model, target in (
            ("historicalarticlecountry", "country"),
            ("historicalarticleministry", "ministry"),
            ("historicalarticlecrimetype", "crime_type"),
        )
        for field in ("article", "status", "assigned_by", "reviewed_by", target)
    ],
]


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for model_name, field_name in UNINDEXED:
            model = apps.get_model("archive", model_name)
            column = model._meta.get_field(field_name).column
            table = model._meta.db_table
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                plain_index = info["index"] and not info["unique"] and not info["primary_key"]
                if plain_index and info["columns"] == [column]:
                    schema_editor.execute(schema_editor._delete_index_sql(model, name))


def add_indexes(apps, schema_editor):
    for model_name, field_name in UNINDEXED:
        model = apps.get_model("archive", model_name)
        field = model._meta.get_field(field_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
        # PostgreSQL keeps a second, pattern-matching index on indexed text columns.
        like = getattr(schema_editor, "_create_like_index_sql", None)
        if like and (like_sql := like(model, field)):
            schema_editor.execute(like_sql)


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0004_review_queue'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='articlecountry',
                    name='article',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='country_tags', to='archive.article'),
                ),
                migrations.AlterField(
                    model_name='articlecountry',
                    name='assigned_by',
                    field=models.ForeignKey(blank=True, db_index=False, help_text='The curator who added it by hand.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='articlecountry',
                    name='reviewed_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='articlecrimetype',
                    name='article',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='crime_type_tags', to='archive.article'),
                ),
                migrations.AlterField(
                    model_name='articlecrimetype',
                    name='assigned_by',
                    field=models.ForeignKey(blank=True, db_index=False, help_text='The curator who added it by hand.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='articlecrimetype',
                    name='reviewed_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='articleministry',
                    name='article',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='ministry_tags', to='archive.article'),
                ),
                migrations.AlterField(
                    model_name='articleministry',
                    name='assigned_by',
                    field=models.ForeignKey(blank=True, db_index=False, help_text='The curator who added it by hand.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='articleministry',
                    name='reviewed_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='content_hash',
                    field=models.CharField(editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='import_batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.importbatch'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='review_status',
                    field=models.CharField(choices=[('unreviewed', 'Not reviewed'), ('needs_review', 'Needs review'), ('reviewed', 'Reviewed')], default='unreviewed', max_length=20),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='source',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.source'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='year',
                    field=models.PositiveSmallIntegerField(blank=True, null=True),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecountry',
                    name='article',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.article'),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecountry',
                    name='assigned_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='The curator who added it by hand.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecountry',
                    name='country',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.country'),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecountry',
                    name='reviewed_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecountry',
                    name='status',
                    field=models.CharField(choices=[('proposed', 'Proposed'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='proposed', max_length=10),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecrimetype',
                    name='article',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.article'),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecrimetype',
                    name='assigned_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='The curator who added it by hand.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecrimetype',
                    name='crime_type',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.crimetype'),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecrimetype',
                    name='reviewed_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalarticlecrimetype',
                    name='status',
                    field=models.CharField(choices=[('proposed', 'Proposed'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='proposed', max_length=10),
                ),
                migrations.AlterField(
                    model_name='historicalarticleministry',
                    name='article',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.article'),
                ),
                migrations.AlterField(
                    model_name='historicalarticleministry',
                    name='assigned_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='The curator who added it by hand.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalarticleministry',
                    name='ministry',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.ministry'),
                ),
                migrations.AlterField(
                    model_name='historicalarticleministry',
                    name='reviewed_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalarticleministry',
                    name='status',
                    field=models.CharField(choices=[('proposed', 'Proposed'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='proposed', max_length=10),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, add_indexes)],
        ),
    ]
