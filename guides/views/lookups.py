"""Find what a reader's URL names, answering 404 for anything that is not public.

An address a guide had before an editor renamed it still finds the guide (see
``guides.addresses``): a page loaded before the rename keeps working."""

from django.http import Http404

from guides.addresses import moved_guide
from guides.models import Guide, Step


def published_guide(platform_slug: str, guide_slug: str) -> Guide:
    guide = Guide.objects.published().select_related("platform").filter(platform__slug=platform_slug, slug=guide_slug)
    found = guide.first() or moved_guide(platform_slug, guide_slug)
    if found is None:
        raise Http404
    return found


def published_step(platform_slug: str, guide_slug: str, step_id: int, steps=None) -> Step:
    """The step, only if it belongs to this published guide: another guide's step is a 404.
    ``steps`` lets a caller ask for annotations in the same query."""
    steps = (steps if steps is not None else Step.objects).select_related("guide__platform")
    published = {"pk": step_id, "guide__status": Guide.Status.PUBLISHED}
    found = steps.filter(guide__slug=guide_slug, guide__platform__slug=platform_slug, **published).first()
    if found is None and (moved := moved_guide(platform_slug, guide_slug)) is not None:
        found = steps.filter(guide=moved, **published).first()
    if found is None:
        raise Http404
    return found
