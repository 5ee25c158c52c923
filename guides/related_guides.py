"""A published guide with the guides shown at its end: those editors picked for it, or, when
none of their picks is published, other guides of its platform. Drafts never show.

One query finds the guide and its candidates together (the guide first, then its picks), so
that building a guide page costs as many queries whatever its related guides.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from modeltranslation.utils import build_localized_fieldname, get_language

from guides.models import Guide

MOST_PICKS = 10  # of the guides editors picked, the first ones shown
SAME_PLATFORM = 5  # guides of its platform shown when editors picked none


@dataclass(frozen=True)
class GuideWithRelated:
    guide: Guide
    related: list[Guide]
    picked: bool  # whether ``related`` are the editors' picks, or guides of the same platform


def published_with_related(platform_slug: str, guide_slug: str) -> GuideWithRelated | None:
    """The published guide at these slugs (in the active language) and its related guides."""
    language = get_language()
    platform_field = f"platform__{build_localized_fieldname('slug', language)}"
    guide_field = build_localized_fieldname("slug", language)
    picks = Guide.related_guides.through.objects.filter(
        **{f"from_guide__{platform_field}": platform_slug, f"from_guide__{guide_field}": guide_slug}
    )
    found = list(
        Guide.objects.published()
        .select_related("platform")
        .filter(Q(**{platform_field: platform_slug}) | Q(pk__in=picks.values("to_guide")))
        .annotate(
            is_it=Case(
                When(Q(**{platform_field: platform_slug, guide_field: guide_slug}), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_pick=Exists(picks.filter(to_guide=OuterRef("pk"))),
        )
        .order_by("-is_it", "-is_pick", *Guide._meta.ordering, "pk")[: 1 + max(MOST_PICKS, SAME_PLATFORM)]
    )
    if not found or not found[0].is_it:
        return None
    guide, others = found[0], found[1:]
    chosen = [other for other in others if other.is_pick]
    if chosen:
        return GuideWithRelated(guide, chosen[:MOST_PICKS], picked=True)
    return GuideWithRelated(guide, others[:SAME_PLATFORM], picked=False)
