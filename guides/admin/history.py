"""History of guides, steps and platforms: compare two versions; restore a version.

django-reversion gives the history pages and the restore. What is added here:

- a version of a guide holds its steps and prerequisites as saved. Reversion copies them when the
  guide is saved, before the inlines are; children that only moved get their new position by an
  UPDATE (so that their ``updated_at`` keeps meaning "content edited"), which it never sees;
- a restore keeps a guide's steps and prerequisites at positions 1..n. Reversion writes the old
  positions back row by row, so a guide restored to an order from before a reorder collides with
  the unique (guide, position) constraint half-way and the restore fails;
- a comparison of two versions, field by field and language by language, with a word diff, and
  for a guide the steps and prerequisites saved with it.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

import reversion
from django import forms
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from modeltranslation.fields import TranslationField
from reversion.models import Revision, Version

from guides.models import Ordered
from guides.ordering import save_in_order

# Far above any real position, so that rows set aside during a restore never collide.
_SET_ASIDE = 10_000_000

_WORDS = re.compile(r"\s+|\w+|[^\w\s]+")


class VersionCompareMixin:
    """Adds to a ``VersionAdmin`` a comparison of two versions, reached from the history page;
    makes its versions hold inline children as saved and its restores keep them at 1..n."""

    object_history_template = "admin/guides/object_history.html"
    compare_template = "admin/guides/compare.html"

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        # Reversion lists each version with the address of its restore page only; the
        # comparison's radio buttons need the version's id, which ends that address.
        for action in (getattr(response, "context_data", None) or {}).get("action_list", ()):
            action["version_id"] = action["url"].rstrip("/").rsplit("/", 1)[-1]
        return response

    def compare_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        form = CompareForm(Version.objects.get_for_object(obj).select_related("revision__user"), request.GET)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare two versions of “%(object)s”") % {"object": obj},
            "opts": self.opts,
            "object": obj,
            "form": form,
        }
        if not form.is_valid():
            return TemplateResponse(request, self.compare_template, context, status=400)
        before, after = form.cleaned_data["from"], form.cleaned_data["to"]
        context.update(
            before=before,
            after=after,
            changes=field_changes(self.model, before.field_dict, after.field_dict),
            children=child_changes(before, after),
        )
        return TemplateResponse(request, self.compare_template, context)

    def save_related(self, request, form, formsets, change):
        """Keep in the version the inline children as they were finally saved."""
        super().save_related(request, form, formsets, change)
        if not reversion.is_active():
            return
        for formset in formsets:
            if reversion.is_registered(formset.model):
                for child in formset.model._default_manager.filter(**{formset.fk.name: form.instance}):
                    reversion.add_to_revision(child)  # replaces the copy taken before the inlines were saved

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # Both the restore page (GET, shown and rolled back) and the restore itself (POST) revert
        # the revision first: set the current children aside so their old positions fit back.
        with transaction.atomic(using=version.db):
            families = _ordered_families(version.revision)
            _set_aside(families)
            response = super()._reversion_revisionform_view(request, version, template_name, extra_context)
            if request.method == "POST" and response.status_code == 302:
                # Restored; or refused by reversion (with a message), the children still set
                # aside in their current order, which renumbering gives back.
                _renumber(families)
            else:
                transaction.set_rollback(True, using=version.db)
        return response


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
        old_text, new_text = _shown(field, old), _shown(field, new)
        changes.append(FieldChange(capfirst(field.verbose_name), old_text, new_text, word_diff(old_text, new_text)))
    return changes


def child_changes(before: Version, after: Version) -> list[ChildChange]:
    """What changed among the objects saved with these versions (a guide's steps and prerequisites)."""
    old, new = _children(before), _children(after)
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda key: _child_order(key, old, new)):
        model = _model_of(new.get(key) or old[key])
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
    """``after`` compared with ``before`` word by word: removed words in <del>, added ones in <ins>."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
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
    fields = model._meta.concrete_fields
    translated = {field.translated_field.name for field in fields if isinstance(field, TranslationField)}
    return [field for field in fields if field.editable and not field.primary_key and field.name not in translated]


def _same(old: object, new: object) -> bool:
    # An untouched translation is stored as None or "" depending on how the row was written.
    return (old if old is not None else "") == (new if new is not None else "")


def _shown(field: models.Field, value: object) -> str:
    """A stored value as an editor reads it: choice labels, the related object's name, local times."""
    if value is None or value == "":
        return ""
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
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
    parent = _model_of(version)
    return {
        (child.content_type_id, child.object_id): child
        for child in version.revision.version_set.all()
        if _points_at(child, parent, version.object_id)
    }


def _points_at(child: Version, parent: type[models.Model], parent_id: str) -> bool:
    model = _model_of(child)
    return model is not None and any(
        field.many_to_one and field.related_model is parent and str(child.field_dict[field.attname]) == parent_id
        for field in model._meta.concrete_fields
    )


def _child_order(key: tuple[int, str], old: dict, new: dict) -> tuple[int, int, str]:
    version = new.get(key) or old[key]
    return key[0], version.field_dict.get("position") or 0, key[1]


def _model_of(version: Version) -> type[models.Model] | None:
    return ContentType.objects.get_for_id(version.content_type_id).model_class()


def _ordered_families(revision: Revision) -> set[tuple[type[Ordered], int]]:
    """(model, guide id) of every step or prerequisite the revision holds."""
    families = set()
    for version in revision.version_set.all():
        model = _model_of(version)
        if model is not None and issubclass(model, Ordered):
            families.add((model, version.field_dict["guide_id"]))
    return families


def _set_aside(families: set[tuple[type[Ordered], int]]) -> None:
    for model, guide_id in families:
        model.objects.filter(guide_id=guide_id).update(position=F("position") + _SET_ASIDE)


def _renumber(families: set[tuple[type[Ordered], int]]) -> None:
    """Positions 1..n again, restored rows first where a restored and a current row claim one place."""
    for model, guide_id in families:
        siblings = model.objects.filter(guide_id=guide_id)
        save_in_order(siblings, sorted(siblings, key=_restored_first))


def _restored_first(child: Ordered) -> tuple[int, bool]:
    set_aside, position = divmod(child.position, _SET_ASIDE)
    return position, bool(set_aside)
