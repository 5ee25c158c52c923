"""A guide's translation, field by field: the source language next to another, for the guide,
its prerequisites, its steps and their device variants, with what changed in the source text
since that translation was last brought up to date.

"Last brought up to date" is read from history: the newest version of the object in which the
field was not marked out of date (``TracksTranslations``) holds the source text the translation
was made from; the word diff from it to today's source text is what the translator has to carry
over. Without history, the whole source text is shown.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from modeltranslation.utils import build_localized_fieldname
from reversion.errors import RevertError
from reversion.models import Version

from guides.models import SOURCE_LANGUAGE, Guide, Prerequisite, Step, StepVariant

# What translators translate: text readers read. Addresses (slugs) are made from titles.
TRANSLATED = {
    Guide: ("title", "summary", "conclusion"),
    Prerequisite: ("text",),
    Step: ("title", "body"),
    StepVariant: ("title", "body"),
}


def target_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


@dataclass
class Row:
    obj: models.Model
    name: str  # the translated field, e.g. "body"
    label: str
    source: str
    target: str
    outdated: bool
    multiline: bool
    diff: SafeString | None = None  # the source's changes since the translation was up to date
    posted: str | None = None  # what a refused save sent, shown again

    @property
    def missing(self) -> bool:
        return bool(self.source) and not self.target

    @property
    def input_name(self) -> str:
        return f"{self.obj._meta.model_name}-{self.obj.pk}-{self.name}"


@dataclass
class Section:
    title: str
    rows: list[Row]
    parts: list["Section"] = field(default_factory=list)


def sections(guide: Guide, language: str) -> list[Section]:
    """The guide's translatable texts in ``language``, with the diffs of those out of date."""
    prerequisites = list(guide.prerequisites.order_by("position"))
    steps = list(guide.steps.order_by("position").prefetch_related("variants"))
    found = [Section(str(capfirst(Guide._meta.verbose_name)), _rows(guide, language))]
    if prerequisites:
        found.append(
            Section(
                str(capfirst(Prerequisite._meta.verbose_name_plural)),
                [row for item in prerequisites for row in _rows(item, language)],
            )
        )
    for step in steps:
        variants = [Section(variant.get_device_display(), _rows(variant, language)) for variant in step.variants.all()]
        found.append(Section(f"{capfirst(Step._meta.verbose_name)} {step.position}", _rows(step, language), variants))
    _add_diffs([row for section in found for row in all_rows(section)])
    return found


def all_rows(section: Section):
    yield from section.rows
    for part in section.parts:
        yield from all_rows(part)


def _rows(obj, language: str) -> list[Row]:
    outdated = set(getattr(obj, "outdated_translations", None) or [])
    rows = []
    for name in TRANSLATED[type(obj)]:
        model_field = obj._meta.get_field(build_localized_fieldname(name, language))
        rows.append(
            Row(
                obj=obj,
                name=name,
                label=str(capfirst(obj._meta.get_field(name).verbose_name)),
                source=getattr(obj, build_localized_fieldname(name, SOURCE_LANGUAGE)) or "",
                target=getattr(obj, build_localized_fieldname(name, language)) or "",
                outdated=name in outdated,
                multiline=isinstance(model_field, models.TextField),
            )
        )
    return rows


def _add_diffs(rows: list[Row]) -> None:
    """Give each out-of-date row the word diff of its source since it was last up to date:
    one query per model, whatever the number of objects."""
    from guides.admin.version_diff import word_diff

    wanted = [row for row in rows if row.outdated]
    by_model = defaultdict(set)
    for row in wanted:
        by_model[type(row.obj)].add(str(row.obj.pk))
    versions = defaultdict(list)  # (model, object id) -> versions, newest first
    for model, ids in by_model.items():
        for version in Version.objects.get_for_model(model).filter(object_id__in=ids).order_by("-pk"):
            versions[(model, version.object_id)].append(version)
    for row in wanted:
        then = _source_when_up_to_date(versions[(type(row.obj), str(row.obj.pk))], row.name)
        row.diff = word_diff(then, row.source) if then is not None else None


def _source_when_up_to_date(versions: list[Version], name: str) -> str | None:
    for version in versions:
        try:
            values = version.field_dict
        except RevertError:  # a version of an older shape of the model: not comparable
            continue
        if name not in (values.get("outdated_translations") or []):
            return values.get(build_localized_fieldname(name, SOURCE_LANGUAGE)) or ""
    return None


def apply(guide: Guide, language: str, posted: dict[str, str], confirmed: set[str]) -> list[models.Model]:
    """Write the translations posted (by ``Row.input_name``) that differ from the stored ones,
    and clear the marks of those ``confirmed`` up to date unchanged; returns the objects saved."""
    saved = []
    for section in sections(guide, language):
        for obj, rows in _by_object(all_rows(section)).items():
            changed = False
            for row in rows:
                value = posted.get(row.input_name)
                if value is not None and value.replace("\r\n", "\n") != row.target:
                    setattr(obj, build_localized_fieldname(row.name, language), value.replace("\r\n", "\n"))
                    changed = True
                elif row.outdated and row.input_name in confirmed:
                    obj.outdated_translations = [name for name in obj.outdated_translations if name != row.name]
                    changed = True
            if changed:
                obj.save()
                saved.append(obj)
    return saved


def _by_object(rows) -> dict[models.Model, list[Row]]:
    grouped: dict[models.Model, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.obj, []).append(row)
    return grouped


def stored_values(guide: Guide, language: str) -> dict[str, str]:
    """Every translation of the guide as stored now, by input name: what a page was opened with."""
    return {row.input_name: row.target for section in sections(guide, language) for row in all_rows(section)}


def to_do(language: str) -> list[dict]:
    """Per guide: how many texts have no translation in ``language`` and how many are out of date,
    for the guides that have any; in four queries."""
    guides = Guide.objects.select_related("platform").prefetch_related(
        "prerequisites", models.Prefetch("steps", queryset=Step.objects.prefetch_related("variants"))
    )
    found = []
    for guide in guides:
        objects = [guide, *guide.prerequisites.all()]
        for step in guide.steps.all():
            objects += [step, *step.variants.all()]
        rows = [row for obj in objects for row in _rows(obj, language)]
        missing, outdated = sum(row.missing for row in rows), sum(row.outdated for row in rows)
        if missing or outdated:
            found.append({"guide": guide, "missing": missing, "outdated": outdated})
    return found
