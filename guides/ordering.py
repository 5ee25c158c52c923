"""Keep the positions of a parent's children (a guide's steps, its prerequisites) at 1..n.

Positions are unique per parent and databases check that row by row, so writing a new order
directly (swapping 1 and 2, say) collides half-way. Every sibling is first moved out of the
range in one statement, then each is given its final number.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F

_OUT_OF_THE_WAY = 1_000_000


@transaction.atomic
def save_in_order(siblings: models.QuerySet, ordered: Iterable[models.Model], changed: Iterable[models.Model] = ()):
    """Number ``ordered`` 1..n. Rows in ``changed`` (or new ones) are saved in full; the others
    only get their position, so that their ``updated_at`` keeps meaning "content edited"."""
    changed_ids = {id(item) for item in changed}
    siblings.update(position=F("position") + _OUT_OF_THE_WAY)
    for number, item in enumerate(ordered, start=1):
        item.position = number
        if item.pk is None or id(item) in changed_ids:
            item.save()
        else:
            type(item).objects.filter(pk=item.pk).update(position=number)
