"""Find what a reader's URL names, answering 404 for anything that is not public."""

from django.shortcuts import get_object_or_404

from guides.models import Guide, Step


def published_guide(platform_slug: str, guide_slug: str) -> Guide:
    return get_object_or_404(
        Guide.objects.published().select_related("platform"), platform__slug=platform_slug, slug=guide_slug
    )


def published_step(platform_slug: str, guide_slug: str, step_id: int, steps=None) -> Step:
    """The step, only if it belongs to this published guide: another guide's step is a 404.
    ``steps`` lets a caller ask for annotations in the same query."""
    return get_object_or_404(
        (steps if steps is not None else Step.objects).select_related("guide__platform"),
        pk=step_id,
        guide__slug=guide_slug,
        guide__platform__slug=platform_slug,
        guide__status=Guide.Status.PUBLISHED,
    )
