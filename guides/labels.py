"""Interface labels: the words of an app that steps quote as `Label`, per platform and
language, with the steps and device variants that quote them; and renaming one everywhere when
the app renames it.

A rename changes the label in that language only, in every body of the platform's steps and
variants that quotes it, in one transaction and one version of history. Renamed in the source
language, the other languages' texts are marked out of date (``TracksTranslations``), not
changed: a translator checks them. Through the admin, the publishing rule applies: an editor
who may not publish proposes the change to each published guide concerned.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from guides.models import Platform, Step, StepVariant
from guides.search.text import labels as labels_in


@dataclass(frozen=True)
class Use:
    """A step or a variant that quotes a label in its body."""

    obj: Step | StepVariant
    step: Step

    @property
    def guide(self):
        return self.step.guide


@dataclass(frozen=True)
class Change:
    use: Use
    field: str
    before: str
    after: str


def index(platform: Platform, language: str) -> dict[str, list[Use]]:
    """Every label the platform's steps and variants quote in ``language``, with who quotes it,
    in two queries."""
    found: dict[str, list[Use]] = defaultdict(list)
    for obj, step in _bodies(platform):
        for label in dict.fromkeys(labels_in(getattr(obj, build_localized_fieldname("body", language)) or "")):
            found[label].append(Use(obj, step))
    return dict(sorted(found.items(), key=lambda item: item[0].casefold()))


def _bodies(platform: Platform):
    steps = (
        Step.objects.filter(guide__platform=platform)
        .select_related("guide")
        .prefetch_related("variants")
        .order_by("guide_id", "position")
    )
    for step in steps:
        yield step, step
        for variant in step.variants.all():
            yield variant, step


def rename_preview(platform: Platform, language: str, old: str, new: str) -> list[Change]:
    """What renaming `old` to `new` in ``language`` would change, body by body."""
    field = build_localized_fieldname("body", language)
    quoted = re.compile(rf"`{re.escape(old)}`")
    changes = []
    for obj, step in _bodies(platform):
        before = getattr(obj, field) or ""
        if quoted.search(before):
            changes.append(Change(Use(obj, step), field, before, quoted.sub(lambda _match: f"`{new}`", before)))
    return changes


@transaction.atomic
def rename(platform: Platform, language: str, old: str, new: str) -> list[Change]:
    """Rename the label everywhere in ``language``; returns what changed. The caller opens the
    revision of history that holds it."""
    changes = rename_preview(platform, language, old, new)
    for change in changes:
        setattr(change.use.obj, change.field, change.after)
        change.use.obj.save()
    return changes
