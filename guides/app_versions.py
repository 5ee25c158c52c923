"""App versions as editors and readers write them ("34.2.1", "v35", "35 (beta)"): their major
number, and their order ("38.10" after "38.9")."""

import re
from datetime import timedelta

from django.utils import timezone

_NUMBER = re.compile(r"\d+")


def major(version: str) -> int | None:
    """The first number of a version, or None when it has none."""
    found = _NUMBER.search(version or "")
    return int(found.group()) if found and len(found.group()) < 10 else None


def order(version: str) -> list[str | int]:
    """A sort key: numbers compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", version)]


def seen_lately(platform, days: int = 30, most: int = 3) -> list[str]:
    """The newest app versions readers gave with their reports and confirmations on this
    platform's guides in the last ``days``: what an editor may set as the current version."""
    from guides.models import GuideConfirmation, StepReport  # models use this module

    since = timezone.now() - timedelta(days=days)
    versions = set()
    for model in (StepReport, GuideConfirmation):
        versions |= set(
            model.objects.filter(guide__platform=platform, created_at__gte=since)
            .exclude(app_version="")
            .values_list("app_version", flat=True)
            .distinct()[:500]
        )
    return sorted(versions, key=order, reverse=True)[:most]
