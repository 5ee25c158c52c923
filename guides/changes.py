"""When a guide last changed in a way readers should hear of: what the feed and the sitemap
date it by (``Guide.changed_at``).

A guide dates its own changes when saved (``Guide.save``); these signal receivers, connected in
``apps.py``, date it when one of its steps or prerequisites changes, other than by a minor edit
(see ``TracksChanges``), or goes. A version restored from history is written without ``save()``
(``raw``): readers see it change all the same.
"""

from django.utils import timezone

from guides.models import Guide, Prerequisite, Screenshot, Step, StepVariant
from guides.models.variants import touch


def guide_saved(sender, instance: Guide, raw: bool = False, **kwargs) -> None:
    if not raw:
        return
    now = timezone.now()
    Guide.objects.filter(pk=instance.pk).update(changed_at=now)
    Guide.objects.published().filter(pk=instance.pk, published_at__isnull=True).update(published_at=now)


def part_saved(sender, instance: Step | Prerequisite, raw: bool = False, **kwargs) -> None:
    if raw or instance.changed_for_readers:
        note_change(instance.guide_id)


def part_deleted(sender, instance: Step | Prerequisite, **kwargs) -> None:
    note_change(instance.guide_id)


def step_part_saved(sender, instance: StepVariant | Screenshot, raw: bool = False, **kwargs) -> None:
    """A step's device variant or screenshot changed: its guide changed for readers (a variant
    saved as a minor edit excepted)."""
    if raw or getattr(instance, "changed_for_readers", True):
        _note_change_of_step(instance.step_id)


def step_part_deleted(sender, instance: StepVariant | Screenshot, **kwargs) -> None:
    touch(instance.step_id)
    _note_change_of_step(instance.step_id)


def _note_change_of_step(step_id: int) -> None:
    guide_id = Step.objects.filter(pk=step_id).values_list("guide_id", flat=True).first()
    if guide_id is not None:  # unless the step itself is being deleted
        note_change(guide_id)


def note_change(guide_id: int) -> None:
    """Date a change of this guide that did not go through its own save (its parts moved)."""
    Guide.objects.filter(pk=guide_id).update(changed_at=timezone.now())
