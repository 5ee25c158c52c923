"""Restore a version from history: the object and the children edited with it, nothing else.

django-reversion reverts a whole revision, and a revision can hold more than the object whose
history the editor is reading: "Mark as verified" run on two guides saves both in one revision,
and a guide's revision holds its steps, whose own histories list it too. Restoring one step
would then put back its whole guide, and restoring one guide another guide. A ``Restore`` puts
back only:

- the object's version, and the versions of its inline children saved in the same revision
  (a guide's steps and prerequisites), parent first;
- removes the object's current children that the version did not have, as reversion does,
  but only once the editor has seen which of them hold readers' progress or reports and has
  confirmed (reports themselves outlive their step);
- leaves out, of a guide's related guides, those deleted since the version was saved;
- keeps each guide's steps and prerequisites at positions 1..n. Reversion writes old positions
  back row by row, which would collide with the unique (guide, position) constraint half-way:
  current rows are first set aside, far above any real position, then renumbered, restored
  rows first where a restored and a current row claim one place.
"""

from dataclasses import dataclass

from django.db import connections, models
from django.db.models import Count, F
from reversion.models import Version

from guides.admin.version_diff import model_of
from guides.models import Guide, Ordered, Step
from guides.ordering import lock, save_in_order

# Far above any real position, so that rows set aside during a restore never collide.
_SET_ASIDE = 10_000_000


@dataclass(frozen=True)
class RemovedStep:
    """A step the restore removes although readers used it."""

    step: Step
    completions: int
    reports: int


class Restore:
    def __init__(self, version: Version, child_models: list[type[models.Model]]):
        self.version = version
        self.model = model_of(version)
        self._links = {child: _foreign_key_to(child, self.model) for child in child_models}
        self.family = [version] + [
            other for other in version.revision.version_set.all() if other.pk != version.pk and self._is_child(other)
        ]

    def removed_children(self) -> list[models.Model]:
        """The object's current children that the restored version does not hold."""
        kept = {(model_of(v), v.object_id) for v in self.family}
        return [
            child
            for model, link in self._links.items()
            for child in model._default_manager.filter(**{link.attname: self.version.object_id})
            if (model, str(child.pk)) not in kept
        ]

    def removed_steps_with_readers_data(self) -> list[RemovedStep]:
        ids = [child.pk for child in self.removed_children() if isinstance(child, Step)]
        steps = (
            Step.objects.filter(pk__in=ids)
            .annotate(
                completion_count=Count("completions", distinct=True), report_count=Count("reports", distinct=True)
            )
            .filter(models.Q(completion_count__gt=0) | models.Q(report_count__gt=0))
            .order_by("position")
        )
        return [RemovedStep(step, step.completion_count, step.report_count) for step in steps]

    def lock(self) -> None:
        """Make other saves of the guides this restore touches wait until it is committed or
        rolled back; called before reading what the restore would change."""
        guide_ids = sorted({guide_id for _model, guide_id in self._ordered_families()})
        if self.model is Guide:
            guide_ids = sorted({*guide_ids, int(self.version.object_id)})
        lock(*Guide.objects.filter(pk__in=guide_ids))

    def apply(self) -> None:
        """Write the restored state in the current transaction (the caller rolls it back for a
        preview). Raises ``IntegrityError`` or reversion's ``RevertError`` when it cannot."""
        families = self._ordered_families()
        for model, guide_id in families:
            model.objects.filter(guide_id=guide_id).update(position=F("position") + _SET_ASIDE)
        for child in self.removed_children():
            child.delete()
        for version in self.family:
            version.revert()
        if self.model is Guide:
            _forget_deleted_picks(int(self.version.object_id))
        # A restored row may point at a parent that is gone (a step of a deleted guide); the
        # database checks that only at commit, where it could no longer be refused cleanly.
        connections[self.version.db].check_constraints(table_names=self._tables())
        self._families = families

    def renumber(self) -> list[models.Model]:
        """Positions 1..n again after the restored form was saved; returns the renumbered rows."""
        renumbered = []
        for model, guide_id in self._families:
            siblings = model.objects.filter(guide_id=guide_id)
            ordered = sorted(siblings, key=_restored_first)
            save_in_order(siblings, ordered)
            renumbered += ordered
        return renumbered

    def _tables(self) -> list[str]:
        return sorted({model_of(version)._meta.db_table for version in self.family})

    def _is_child(self, other: Version) -> bool:
        link = self._links.get(model_of(other))
        return link is not None and str(other.field_dict.get(link.attname)) == self.version.object_id

    def _ordered_families(self) -> set[tuple[type[Ordered], int]]:
        """(model, guide id) of the steps and prerequisites the restore touches."""
        families = set()
        for version in self.family:
            model = model_of(version)
            if model is not None and issubclass(model, Ordered):
                families.add((model, version.field_dict["guide_id"]))
        for model in self._links:
            if issubclass(model, Ordered):
                families.add((model, int(self.version.object_id)))
        return families


def _foreign_key_to(child: type[models.Model], parent: type[models.Model]) -> models.ForeignKey:
    return next(field for field in child._meta.concrete_fields if field.many_to_one and field.related_model is parent)


def _forget_deleted_picks(guide_id: int) -> None:
    """A version's related guides may name guides deleted since: they are left out."""
    picks = Guide.related_guides.through.objects.filter(from_guide_id=guide_id)
    picks.exclude(to_guide_id__in=Guide.objects.values("pk")).delete()


def _restored_first(child: Ordered) -> tuple[int, bool]:
    set_aside, position = divmod(child.position, _SET_ASIDE)
    return position, bool(set_aside)
