"""Merging duplicate taxonomy entries, recorded so that nothing is lost and it can be undone.

A merge folds entries into the one kept: their tags move over (where an article holds both, the
stronger assignment stays), their sub-entries, ministries and sources follow, and their names
become aliases of the one kept. The merged entries are then removed, but a TaxonomyMerge row keeps
each of them as it was and every move made, and their own history stays in the history tables:
`undo_merge` puts every entry, tag and link back.

An entry is never merged into its own parent or child: the hierarchy would lose a level, and the
tags of the broader entry would narrow (or the reverse). `merge_problem` says why such a merge is
refused, and `merge_preview` what a merge would move, for the page that asks to confirm it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import serializers
from django.db import transaction
from django.utils import timezone

from archive.curation import kind_of
from archive.models import (
    TAG_KINDS,
    Article,
    Country,
    CrimeType,
    Ministry,
    Source,
    TagAssignment,
    TaxonomyEntry,
    TaxonomyMerge,
)
from archive.signals import articles_changed
from archive.taxonomy import descendant_ids, parse_aliases

HIERARCHICAL = (Ministry, CrimeType)


@dataclass(frozen=True)
class PreviewLine:
    entry: str
    tags: int
    sub_entries: int
    names: list[str]


def merge_problem(entries: list[TaxonomyEntry]) -> str:
    """Return why these entries cannot be merged, or ""."""
    if len(entries) < 2:
        return "Select at least two entries to merge."
    if len({type(entry) for entry in entries}) > 1:
        return "Only entries of the same kind can be merged."
    model = type(entries[0])
    if model in HIERARCHICAL:
        parent_of = dict(model.objects.values_list("pk", "parent_id"))
        for entry in entries:
            below = descendant_ids(parent_of, [entry.pk]) - {entry.pk}
            inside = [other for other in entries if other.pk in below]
            if inside:
                return (
                    f"{entry} is above {', '.join(map(str, inside))} in the hierarchy: merging an "
                    "entry into its own parent or child would flatten the tree and change what "
                    "their tags mean. Move the narrower entry elsewhere first, or reject its tags."
                )
    return ""


def merge_preview(entries: list[TaxonomyEntry]) -> list[PreviewLine]:
    """Return, per entry, what a merge into another would move: tags, sub-entries, names."""
    lines = []
    for entry in entries:
        if isinstance(entry, Source):
            tags = Article.objects.filter(source=entry).count()
        else:
            kind = kind_of(entry)
            tags = kind.model.objects.filter(**{kind.target_field: entry}).count()
        children = (
            type(entry).objects.filter(parent=entry).count()
            if isinstance(entry, HIERARCHICAL)
            else 0
        )
        lines.append(PreviewLine(str(entry), tags, children, entry.all_names()))
    return lines


def merge_entries(
    survivor: TaxonomyEntry, duplicates: Iterable[TaxonomyEntry], *, user=None
) -> TaxonomyMerge:
    """Fold `duplicates` into `survivor` and return the record of it (see the module)."""
    model = type(survivor)
    duplicates = [entry for entry in duplicates if entry.pk != survivor.pk]
    problem = merge_problem([survivor, *duplicates])
    if problem:
        raise ValueError(problem)
    moves: dict[str, list] = {
        "assignments": [],
        "deleted_assignments": [],
        "children": [],
        "ministries": [],
        "sources": [],
        "articles": [],
    }
    with transaction.atomic():
        record = TaxonomyMerge(
            model_name=model._meta.model_name,
            survivor_id=survivor.pk,
            survivor_name=survivor.name,
            merged=serializers.serialize("json", duplicates),
            survivor_before=serializers.serialize("json", [survivor]),
            merged_by=user,
        )
        for duplicate in duplicates:
            if model is Source:
                affected = list(
                    Article.objects.filter(source=duplicate).values_list("pk", flat=True)
                )
                Article.objects.filter(pk__in=affected).update(source=survivor)
                moves["articles"] += [[pk, duplicate.pk] for pk in affected]
                articles_changed.send(sender=Source, article_ids=affected)
            else:
                _move_assignments(duplicate, survivor, moves)
            if model in HIERARCHICAL:
                for child in model.objects.filter(parent=duplicate).exclude(pk=survivor.pk):
                    moves["children"].append([child.pk, duplicate.pk])
                    child.parent = survivor
                    child._change_reason = f"moved from merged entry {duplicate.name}"
                    child.save()
            if model is Country:
                for ministry in Ministry.objects.filter(country=duplicate):
                    moves["ministries"].append([ministry.pk, duplicate.pk])
                Ministry.objects.filter(country=duplicate).update(country=survivor)
                for source in Source.objects.filter(country=duplicate):
                    moves["sources"].append([source.pk, duplicate.pk])
                Source.objects.filter(country=duplicate).update(country=survivor)
            survivor.aliases = "\n".join(
                parse_aliases("\n".join([survivor.aliases, duplicate.name, duplicate.aliases]))
            )
            if model is Country:
                survivor.places = "\n".join(
                    parse_aliases("\n".join([survivor.places, duplicate.places]))
                )
            duplicate._change_reason = f"merged into {survivor.name}"
            duplicate.delete()
        # The survivor's own name is not an alias of itself.
        survivor.aliases = "\n".join(
            alias
            for alias in parse_aliases(survivor.aliases)
            if alias.casefold() != survivor.name.casefold()
        )
        survivor._change_reason = "merged " + ", ".join(entry.name for entry in duplicates)
        survivor.save()
        record.moves = moves
        record.save()
    return record


def undo_merge(record: TaxonomyMerge, *, user=None) -> None:
    """Put back every entry, tag and link the merge moved; the survivor loses the names it
    took from them (names given to it since stay)."""
    if record.undone_at is not None:
        raise ValueError(f"Merge #{record.pk} was undone already.")
    model = record.model
    moves = record.moves
    with transaction.atomic():
        restored = []
        for found in serializers.deserialize("json", record.merged):
            entry = found.object
            entry._change_reason = f"restored by undoing merge #{record.pk}"
            entry.save()
            restored.append(entry)
        survivor = model.objects.filter(pk=record.survivor_id).first()
        for label, pk, old_target in moves["assignments"]:
            kind = TAG_KINDS[label]
            assignment = kind.model.objects.filter(pk=pk).first()
            if assignment is not None:
                setattr(assignment, f"{kind.target_field}_id", old_target)
                assignment._change_reason = f"moved back by undoing merge #{record.pk}"
                assignment.save()
        for _label, serialized in moves["deleted_assignments"]:
            for found in serializers.deserialize("json", serialized):
                found.object._change_reason = f"restored by undoing merge #{record.pk}"
                found.object.save()
        for pk, old_parent in moves["children"]:
            model.objects.filter(pk=pk, parent_id=record.survivor_id).update(parent_id=old_parent)
        for pk, old_country in moves["ministries"]:
            Ministry.objects.filter(pk=pk).update(country_id=old_country)
        for pk, old_country in moves["sources"]:
            Source.objects.filter(pk=pk).update(country_id=old_country)
        if moves["articles"]:
            for pk, old_source in moves["articles"]:
                Article.objects.filter(pk=pk, source_id=record.survivor_id).update(
                    source_id=old_source
                )
            articles_changed.send(sender=Source, article_ids=[pk for pk, _ in moves["articles"]])
        if survivor is not None:
            _give_back_names(survivor, restored, record)
        record.undone_at = timezone.now()
        record.undone_by = user
        record.save()


def _give_back_names(survivor, restored, record: TaxonomyMerge) -> None:
    (before,) = [found.object for found in serializers.deserialize("json", record.survivor_before)]
    kept_before = {alias.casefold() for alias in before.alias_list()}
    taken = {
        name.casefold()
        for entry in restored
        for name in entry.all_names()
        if name.casefold() not in kept_before
    }
    survivor.aliases = "\n".join(
        alias for alias in survivor.alias_list() if alias.casefold() not in taken
    )
    if isinstance(survivor, Country):
        places_before = {place.casefold() for place in before.place_list()}
        taken_places = {
            place.casefold()
            for entry in restored
            for place in entry.place_list()
            if place.casefold() not in places_before
        }
        survivor.places = "\n".join(
            place for place in survivor.place_list() if place.casefold() not in taken_places
        )
    survivor._change_reason = f"names given back by undoing merge #{record.pk}"
    survivor.save()


def _move_assignments(duplicate, survivor, moves: dict) -> None:
    kind = kind_of(survivor)
    for assignment in kind.model.objects.filter(**{kind.target_field: duplicate}):
        existing = kind.model.objects.filter(
            article_id=assignment.article_id, **{kind.target_field: survivor}
        ).first()
        if existing is None:
            _move(assignment, kind, survivor, duplicate, moves)
        elif _strength(assignment) > _strength(existing):
            moves["deleted_assignments"].append(
                [kind.key, serializers.serialize("json", [existing])]
            )
            existing.delete()
            _move(assignment, kind, survivor, duplicate, moves)
        else:
            moves["deleted_assignments"].append(
                [kind.key, serializers.serialize("json", [assignment])]
            )
            assignment.delete()


def _move(assignment, kind, survivor, duplicate, moves: dict) -> None:
    moves["assignments"].append([kind.key, assignment.pk, duplicate.pk])
    setattr(assignment, kind.target_field, survivor)
    assignment._change_reason = f"moved from merged entry {duplicate.name}"
    assignment.save()


def _strength(assignment: TagAssignment) -> tuple:
    return (
        assignment.is_curated,
        assignment.status != TagAssignment.Status.REJECTED,
        assignment.confidence,
    )
