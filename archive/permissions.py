"""The curator group: edits articles and tags, never users, never deletes."""

from django.contrib.auth.models import Group, Permission

CURATOR_GROUP = "Curators"

# (model, actions) the group may perform. Removing a tag is done by rejecting it, which keeps its
# provenance and stops the tagger from proposing it again, so curators need no delete rights.
CURATOR_PERMISSIONS = {
    "article": ("view", "change"),
    "reviewitem": ("view", "change"),
    "articlecountry": ("view", "add", "change"),
    "articleministry": ("view", "add", "change"),
    "articlecrimetype": ("view", "add", "change"),
    "country": ("view", "add", "change"),
    "ministry": ("view", "add", "change"),
    "crimetype": ("view", "add", "change"),
    "source": ("view", "add", "change"),
    "importbatch": ("view",),
    # A merge removes entries but records them: curators may merge and undo (no delete right).
    "taxonomymerge": ("view", "change"),
    # Figures are rejected, never deleted, for the same reason as tags.
    "reportedfigure": ("view", "add", "change"),
    "anchorevent": ("view", "add", "change"),
    # Groups are confirmed, split, merged and added to, never deleted or made from nothing: a
    # report split out keeps its row so the grouping never proposes it there again.
    "reportgroup": ("view", "change"),
}


def ensure_curator_group(sender=None, using="default", **kwargs):
    """Create the curator group, or reset its permissions to exactly the list above."""
    codenames = [
        f"{action}_{model}" for model, actions in CURATOR_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="archive", codename__in=codenames
    )
    if permissions.count() != len(codenames):
        return  # permissions are created by a later post_migrate step of this same migrate run
    group, _ = Group.objects.using(using).get_or_create(name=CURATOR_GROUP)
    group.permissions.set(permissions)
