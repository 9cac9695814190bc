from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive"

    def ready(self):
        from django.db.models.signals import post_migrate

        from archive.permissions import ensure_curator_group

        post_migrate.connect(ensure_curator_group, sender=self)
