"""Compare two versions of an object from its history: field by field, language by language,
with a word diff, and for a guide the steps and prerequisites saved with it.

The same field-by-field comparison shows editors what someone else changed while they were
editing (``guides.admin.conflicts``).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import pgettext, pgettext_lazy
from modeltranslation.fields import TranslationField
from reversion.models import Version

_WORDS = re.compile(r"\s+|\w+|[^\w\s]+")
WORD_DIFF_LIMIT = 4000  # words and spaces of both texts (1,000 words each): a quarter of a second


class CompareForm(forms.Form):
    """Two versions of one object, named ``from`` and ``to`` in the address, as on a wiki."""

    def __init__(self, versions: models.QuerySet, data):
        super().__init__(data)
        self.fields["from"] = forms.ModelChoiceField(versions, label=pgettext_lazy("compared versions", "From"))
        self.fields["to"] = forms.ModelChoiceField(versions, label=pgettext_lazy("compared versions", "To"))


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    diff: SafeString


@dataclass(frozen=True)
class ChildChange:
    kind: str
    name: str
    state: str
    changes: list[FieldChange]


def field_changes(model: type[models.Model], before: dict, after: dict) -> list[FieldChange]:
    """The fields that differ between two versions' ``field_dict``, in the model's order."""
    changes = []
    for field in _compared_fields(model):
        old, new = before.get(field.attname), after.get(field.attname)
        if _same(old, new):
            continue
        old_text, new_text = shown(field, old), shown(field, new)
        changes.append(FieldChange(capfirst(field.verbose_name), old_text, new_text, word_diff(old_text, new_text)))
    return changes


def child_changes(before: Version, after: Version) -> list[ChildChange]:
    """What changed among the objects saved with these versions (a guide's steps and prerequisites)."""
    old, new = _children(before), _children(after)
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda key: _child_order(key, old, new)):
        model = model_of(new.get(key) or old[key])
        if key not in old:
            state, fields = pgettext("compared versions", "Added"), []
        elif key not in new:
            state, fields = pgettext("compared versions", "Removed"), []
        else:
            fields = field_changes(model, old[key].field_dict, new[key].field_dict)
            if not fields:
                continue
            state = pgettext("compared versions", "Changed")
        name = (new.get(key) or old[key]).object_repr
        changes.append(ChildChange(capfirst(model._meta.verbose_name), name, state, fields))
    return changes


def word_diff(before: str, after: str) -> SafeString:
    """``after`` compared with ``before`` word by word: removed words in <del>, added ones in <ins>.

    Comparing word by word takes time that grows with the square of the length: past
    ``WORD_DIFF_LIMIT`` words, the whole texts are shown as replaced."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    if len(old) + len(new) > WORD_DIFF_LIMIT:
        return format_html("<del>{}</del><ins>{}</ins>", before, after)
    pieces = []
    for operation, old_start, old_end, new_start, new_end in SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if operation == "equal":
            pieces.append(escape("".join(old[old_start:old_end])))
        if operation in ("delete", "replace"):
            pieces.append(format_html("<del>{}</del>", "".join(old[old_start:old_end])))
        if operation in ("insert", "replace"):
            pieces.append(format_html("<ins>{}</ins>", "".join(new[new_start:new_end])))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _compared_fields(model: type[models.Model]) -> list[models.Field]:
    # The plain column of a translated field (``title``) holds whichever language was active
    # at save time; ``title_fr`` and ``title_en`` say what changed, language by language.
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    translated = {field.translated_field.name for field in fields if isinstance(field, TranslationField)}
    return [field for field in fields if field.editable and not field.primary_key and field.name not in translated]


def _same(old: object, new: object) -> bool:
    if isinstance(old, list) or isinstance(new, list):  # related objects, in no particular order
        return sorted(map(str, old or [])) == sorted(map(str, new or []))
    # An untouched translation is stored as None or "" depending on how the row was written.
    return (old if old is not None else "") == (new if new is not None else "")


def shown(field: models.Field, value: object) -> str:
    """A stored value as an editor reads it: choice labels, the related object's name, local times."""
    if value is None or value == "":
        return ""
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if field.many_to_many:
        return ", ".join(sorted(map(str, field.related_model._default_manager.filter(pk__in=value))))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, datetime):
        return formats.localize(timezone.template_localtime(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(formats.localize(value))


def _children(version: Version) -> dict[tuple[int, str], Version]:
    """Versions saved in the same revision of objects pointing at this one (a guide's steps and
    prerequisites, not a step's siblings), by content type and object id."""
    parent = model_of(version)
    return {
        (child.content_type_id, child.object_id): child
        for child in version.revision.version_set.all()
        if _points_at(child, parent, version.object_id)
    }


def _points_at(child: Version, parent: type[models.Model], parent_id: str) -> bool:
    model = model_of(child)
    return model is not None and any(
        field.many_to_one and field.related_model is parent and str(child.field_dict[field.attname]) == parent_id
        for field in model._meta.concrete_fields
    )


def _child_order(key: tuple[int, str], old: dict, new: dict) -> tuple[int, int, str]:
    version = new.get(key) or old[key]
    return key[0], version.field_dict.get("position") or 0, key[1]


def model_of(version: Version) -> type[models.Model] | None:
    return ContentType.objects.get_for_id(version.content_type_id).model_class()
