"""Keep the positions of a parent's children (a guide's steps, its prerequisites) at 1..n.

Positions are unique per parent and databases check that row by row, so writing a new order
directly (swapping 1 and 2, say) collides half-way. Every sibling is first moved out of the
range in one statement, then each is given its final number.

Callers that read the siblings before writing them (a form opened minutes ago, "add after the
last step") lock the parent guide's row first, so that two editors' saves take turns.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F
from django.dispatch import Signal

_OUT_OF_THE_WAY = 1_000_000

# Sent once children were renumbered, with ``parents``: the ids of their guides. Positions are
# written without ``save()``, so without Django's signals: watchers of changes listen to this.
order_saved = Signal()


def lock(*rows: models.Model) -> None:
    """Make concurrent writers of these rows (a guide: of its children) wait for the current
    transaction. Rows are locked in one order, parents' model first then by id, so that two
    writers locking the same rows can never deadlock."""
    for row in sorted(rows, key=lambda row: (row._meta.label != "guides.Guide", row._meta.label, row.pk)):
        type(row)._default_manager.select_for_update().filter(pk=row.pk).exists()


@transaction.atomic
def save_in_order(siblings: models.QuerySet, ordered: Iterable[models.Model], changed: Iterable[models.Model] = ()):
    """Number ``ordered`` 1..n, then every other sibling after them in its current order: a
    sibling the caller did not know of (added by someone else meanwhile) keeps a place.

    Rows in ``changed`` (or new ones) are saved in full; the others only get their position,
    so that their ``updated_at`` keeps meaning "content edited"."""
    ordered = list(ordered)
    changed_ids = {id(item) for item in changed}
    known = {item.pk for item in ordered if item.pk is not None}
    others = list(siblings.exclude(pk__in=known).order_by("position", "pk"))
    siblings.update(position=F("position") + _OUT_OF_THE_WAY)
    for number, item in enumerate([*ordered, *others], start=1):
        item.position = number
        if item.pk is None or id(item) in changed_ids:
            item.save()
        else:
            type(item).objects.filter(pk=item.pk).update(position=number)
    order_saved.send(sender=siblings.model, parents={item.guide_id for item in [*ordered, *others]})
