"""The publishing rule, in one place: only publishers change whether a guide is public.

Editors without the "publish guides" permission write guides and send them to review: they move
a guide between *draft* and *in review*, and nothing else. What they change in a published guide
waits for a publisher's approval (``guides.proposals``): readers keep the published text.
Whether a guide is published or archived, or exists at all once published, changes only at a
publisher's hand, whatever the entry point: a change form, an action, a deletion, a restore or
recovery from history, an import.

Forms and buttons offer editors only what they may do, but the rule itself is enforced by
``publishing_guard``, around every admin request that can write (see ``guides.adminsite``): it
compares the guides that are public or archived, and where they are public (platform and
address), before and after the request and undoes the whole request when they differ. It looks
at the database, not at the path taken, so a new entry point or a library's new way of saving
cannot get around it.

The comparison is only sound if nobody else writes guides between its two readings: the admin
site runs its writes one at a time (see ``guides.adminsite``).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from guides import proposals
from guides.models import Guide
from guides.models.content import language_codes

# Statuses only publishers may give or take away; editors move guides between the others.
PUBLISHER_STATUSES = frozenset({Guide.Status.PUBLISHED, Guide.Status.ARCHIVED})


class PublishingDenied(PermissionDenied):
    def __init__(self, guides: list[str]):
        self.guides = guides
        super().__init__(
            _("Only publishers may publish, unpublish or archive a guide. Nothing was saved. Guides concerned: %s")
            % ", ".join(guides)
        )


def may_publish(user) -> bool:
    return user.has_perm("guides.publish_guide")


def may_set_status(user, guide: Guide) -> bool:
    """Whether ``user`` may change this guide's status by hand (forms show it read-only otherwise)."""
    return may_publish(user) or guide.status not in PUBLISHER_STATUSES


def publication_state() -> frozenset[tuple]:
    """Every guide readers can see or that was archived, with its status and its public address
    (platform and slug in each language): what publishers own."""
    guides = Guide.objects.filter(status__in=PUBLISHER_STATUSES)
    slugs = [build_localized_fieldname("slug", code) for code in language_codes()]
    return frozenset(guides.values_list("pk", "status", "platform_id", *slugs))


def changed_guides(before: frozenset[tuple], after: frozenset[tuple]) -> list[str]:
    """Names of the guides whose publication differs between two states, for messages."""
    ids = {pk for pk, *_rest in before ^ after}
    titles = dict(Guide.objects.filter(pk__in=ids).values_list("pk", "title"))
    return sorted(titles.get(pk) or f"#{pk}" for pk in ids)


class Proposed(Exception):
    """The request changed published guides: undone, its result is to be proposed."""

    def __init__(self, snapshots: dict[int, dict]):
        self.snapshots = snapshots
        super().__init__(sorted(snapshots))


@contextmanager
def publishing_guard(user) -> Iterator[None]:
    """Run the block in a transaction that is undone if ``user`` may not publish and the block
    changed which guides are published or archived (``PublishingDenied``), or what readers see
    of a published guide (``Proposed``, with the guides as the block left them: see
    ``guides.proposals``)."""
    if may_publish(user):
        yield
        return
    with transaction.atomic():
        before = publication_state()
        published = frozenset(pk for pk, status, *_rest in before if status == Guide.Status.PUBLISHED)
        with proposals.collecting(published) as touched:
            yield
        after = publication_state()
        if before != after:
            raise PublishingDenied(changed_guides(before, after))
        if touched.guides:
            raise Proposed({pk: proposals.snapshot(pk, touched.created) for pk in sorted(touched.guides)})
