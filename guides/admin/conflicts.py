"""Two editors, one object: a save never silently undoes what someone else saved meanwhile.

Each change form carries, signed, the stored values it was opened with (the object's fields and
its inline children's: ``edit_base``). On save, the object's row is locked and its values read
again. When they differ from the form's, someone else saved in between: nothing is saved, and
the form comes back merged, field by field, the way a three-way merge does it:

- a field only they changed takes their value; a field only this editor changed keeps this
  editor's value; a field both changed to different values keeps this editor's value and is
  listed as a conflict, with both texts and a word diff;
- a child they added appears in the form; a child they removed is left out, or, when this editor
  changed it, kept in the form as a new child;
- the children come in their stored order, as the admin expects of a re-displayed form.

The editor reads the list, adjusts and saves again: the form now carries the new values, so that
save goes through unless someone saved once more. Files chosen in the refused form are not kept
(no browser lets a page fill in a file input), which the list says.
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.models import Revision

from guides.admin.version_diff import FieldChange, shown, word_diff
from guides.ordering import lock

_SALT = "guides.admin.edit-base"
BASE_FIELD = "edit_base"


@dataclass
class ChildMerge:
    """What the merge did to one inline child (a step, a prerequisite)."""

    kind: str
    name: str
    note: str = ""
    taken: list[FieldChange] = field(default_factory=list)
    conflicts: list[FieldChange] = field(default_factory=list)


@dataclass
class EditConflict:
    """Someone saved the object after this editor opened it: the merged form, and what changed."""

    data: QueryDict
    files: MultiValueDict
    saved_by: list[str] = field(default_factory=list)
    taken: list[FieldChange] = field(default_factory=list)
    conflicts: list[FieldChange] = field(default_factory=list)
    children: list[ChildMerge] = field(default_factory=list)
    unknown_base: bool = False
    files_dropped: bool = False


class EditConflictMixin:
    """For a ``ModelAdmin``: detect saves made after the form was opened, and merge."""

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or object_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                lock(*self.rows_to_lock(obj))  # a second editor's save waits here, then sees this one's
                self._check_base(request, obj)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def stored_token(self, request: HttpRequest, obj: models.Model) -> str:
        """What ``obj`` and its children hold now, signed: for a page that will write them later."""
        return _sign(self._stored(request, obj))

    def unchanged_since(self, request: HttpRequest, obj: models.Model, token: str) -> bool:
        base = _unsign(token)
        return base is not None and base["values"] == self._stored(request, obj)["values"]

    def rows_to_lock(self, obj: models.Model) -> list[models.Model]:
        """The rows whose lock makes two saves of ``obj`` take turns. A guide's step is also
        saved from its guide's form: the admins of children lock the guide too."""
        return [obj]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        conflict = getattr(request, "edit_conflict", None)
        if conflict is None:
            return form
        return type(form.__name__, (_Refused, form), {"edit_conflict": conflict})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        conflict = getattr(request, "edit_conflict", None)
        if conflict is not None:
            kwargs.update(data=conflict.data.copy(), files=conflict.files)
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            # After a refused save ``obj`` holds the posted values: sign what is stored instead.
            context["edit_base"] = getattr(request, "edit_base", None) or _sign(self._stored(request, obj))
            context["edit_conflict"] = getattr(request, "edit_conflict", None)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _check_base(self, request: HttpRequest, obj: models.Model) -> None:
        stored = self._stored(request, obj)
        base = _unsign(request.POST.get(BASE_FIELD, ""))
        request.edit_base = _sign(stored)
        if base is not None and base["values"] == stored["values"]:
            return
        conflict = EditConflict(data=request.POST.copy(), files=request.FILES, unknown_base=base is None)
        if base is not None:
            conflict.saved_by = self._saved_by(request, obj, base)
            self._merge(request, obj, conflict, base["values"], stored["values"])
        conflict.data[BASE_FIELD] = request.edit_base
        request.edit_conflict = conflict

    def _edited_forms(self, request: HttpRequest, obj: models.Model):
        """(prefix, form class, model) of the main form ("" prefix), then of each inline formset."""
        fieldsets = self.get_fieldsets(request, obj)
        yield "", self.get_form(request, obj, change=True, fields=flatten_fieldsets(fieldsets)), type(obj)
        for formset, inline in self.get_formsets_with_inlines(request, obj):
            yield formset.get_default_prefix(), formset, inline.model

    def _stored(self, request: HttpRequest, obj: models.Model) -> dict:
        """What the database holds for every field the forms edit, as strings; children in
        their stored order."""
        values = {}
        for prefix, form, model in self._edited_forms(request, obj):
            if not prefix:
                values[""] = _values(obj, _model_fields(form, model))
                continue
            children = model._default_manager.filter(**{form.fk.name: obj})
            names = _model_fields(form.form, model)
            values[prefix] = {str(child.pk): _values(child, names) for child in children}
        return {"values": values, "opened_at": timezone.now().isoformat()}

    def _saved_by(self, request: HttpRequest, obj: models.Model, base: dict) -> list[str]:
        """Who saved the object, or one of its children, after the form was opened."""
        held = models.Q(version__content_type=ContentType.objects.get_for_model(obj), version__object_id=str(obj.pk))
        for prefix, _form, model in self._edited_forms(request, obj):
            if prefix:
                ids = list(base["values"].get(prefix, {}))
                held |= models.Q(
                    version__content_type=ContentType.objects.get_for_model(model), version__object_id__in=ids
                )
        revisions = Revision.objects.filter(held, date_created__gt=base["opened_at"]).select_related("user").distinct()
        return sorted({revision.user.get_username() for revision in revisions if revision.user})

    def _merge(self, request, obj, conflict: EditConflict, base: dict, stored: dict) -> None:
        for prefix, form, model in self._edited_forms(request, obj):
            if not prefix:
                merged = _merge_fields(conflict.data, request.FILES, form.base_fields, model, "", base[""], stored[""])
                conflict.taken, conflict.conflicts = merged
                continue
            conflict.children += _merge_children(conflict, request.FILES, form, model, prefix, obj, base, stored)
        conflict.files_dropped = bool(request.FILES)


class _Refused(forms.ModelForm):
    """The main form of a save that came after someone else's: shown again merged, never saved."""

    edit_conflict: EditConflict

    def __init__(self, data=None, files=None, **kwargs):
        super().__init__(self.edit_conflict.data, self.edit_conflict.files, **kwargs)

    def clean(self):
        if self.edit_conflict.unknown_base:
            raise ValidationError(
                _("This form did not say which version it was opened from. Check the values below and save again.")
            )
        raise ValidationError(
            _(
                "Someone else saved this page after you opened it. Nothing is saved yet: their changes are now in "
                "the form and yours are kept. Check the changes listed above, then save again."
            )
        )


def _merge_children(conflict, files, formset, model, prefix, obj, base, stored) -> list[ChildMerge]:
    """Rebuild one formset's rows: stored children in stored order, merged; then new rows."""
    rows = _rows(conflict.data, prefix, formset.absolute_max)
    posted_files = _rows(conflict.files, prefix, formset.absolute_max) + [{}] * len(rows)
    initial = _count(conflict.data, f"{prefix}-INITIAL_FORMS")
    form_fields = formset.form.base_fields
    kind = capfirst(model._meta.verbose_name)
    mine = {row.get("id", [""])[0]: index for index, row in enumerate(rows[:initial]) if row.get("id", [""])[0]}
    # New rows the browser did not send at all (a count that claims more) are left out.
    merges, initial_rows, new_rows = [], [], [index for index in range(initial, len(rows)) if rows[index]]
    for pk in stored[prefix]:
        if pk in mine:
            initial_rows.append(mine.pop(pk))
        else:
            initial_rows.append(_row_of(stored[prefix][pk], formset.fk.name, obj.pk, pk))
            merges.append(ChildMerge(kind, _child_name(stored[prefix][pk]), _("Added by someone else.")))
    for pk, index in mine.items():  # children removed since the form was opened
        row_prefix = f"{prefix}-{index}-"
        if conflict.data.get(f"{row_prefix}DELETE") or pk not in base[prefix]:
            continue
        name = _child_name(base[prefix][pk])
        if _changed_fields(conflict.data, files, form_fields, model, row_prefix, base[prefix][pk]):
            rows[index]["id"] = [""]
            new_rows.insert(0, index)
            merges.append(ChildMerge(kind, name, _("Removed by someone else, changed by you: saving adds it back.")))
        else:
            merges.append(ChildMerge(kind, name, _("Removed by someone else.")))
    order = initial_rows + new_rows
    _write_rows(conflict.data, prefix, [rows[item] if isinstance(item, int) else item for item in order])
    conflict.data[f"{prefix}-INITIAL_FORMS"] = str(len(initial_rows))
    conflict.files = _rewrite_files(
        conflict.files, prefix, [posted_files[i] if isinstance(i, int) else {} for i in order]
    )
    for index, pk in enumerate(stored[prefix]):
        if pk not in base[prefix]:
            continue
        taken, conflicts = _merge_fields(
            conflict.data,
            conflict.files,
            form_fields,
            model,
            f"{prefix}-{index}-",
            base[prefix][pk],
            stored[prefix][pk],
        )
        if taken or conflicts:
            merges.append(ChildMerge(kind, _child_name(stored[prefix][pk]), taken=taken, conflicts=conflicts))
    return merges


def _merge_fields(data, files, form_fields, model, prefix, base: dict, stored: dict):
    """Merge one object's fields into ``data``; returns (taken from them, conflicts)."""
    taken, conflicts = [], []
    for name, theirs in stored.items():
        if theirs == base.get(name):
            continue
        model_field = model._meta.get_field(name)
        if not _changed_fields(data, files, form_fields, model, prefix, base, only=[name]):
            if not isinstance(model_field, models.FileField):  # a file is never posted back: theirs stays
                data[prefix + name] = theirs
            taken.append(_change(model_field, base.get(name, ""), theirs))
        elif form_fields[name].has_changed(
            _python(model_field, theirs), _posted(data, files, form_fields, prefix, name)
        ):
            # Theirs, then this editor's: the word diff shows what saving this form would change.
            conflicts.append(_change(model_field, theirs, data.get(prefix + name, "")))
    return taken, conflicts


def _changed_fields(data, files, form_fields, model, prefix, base: dict, only=None) -> list[str]:
    return [
        name
        for name in (only if only is not None else list(base))
        if form_fields[name].has_changed(
            _python(model._meta.get_field(name), base.get(name, "")), _posted(data, files, form_fields, prefix, name)
        )
    ]


def _posted(data, files, form_fields, prefix: str, name: str):
    return form_fields[name].widget.value_from_datadict(data, files, prefix + name)


def _rows(data: MultiValueDict, prefix: str, most: int) -> list[dict[str, list]]:
    """A formset's posted rows, by index: {field name: values}; no more than ``most``, the
    formset's own limit, whatever the form claims."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.+)$")
    rows: dict[int, dict[str, list]] = {}
    for key in data:
        if (match := pattern.match(key)) and int(match[1]) < most:
            rows.setdefault(int(match[1]), {})[match[2]] = data.getlist(key)
    total = max([_count(data, f"{prefix}-TOTAL_FORMS"), *(index + 1 for index in rows)], default=0)
    return [rows.get(index, {}) for index in range(min(total, most))]


def _write_rows(data: QueryDict, prefix: str, rows: list[dict[str, list]]) -> None:
    pattern = re.compile(rf"^{re.escape(prefix)}-\d+-")
    for key in [key for key in data if pattern.match(key)]:
        del data[key]
    for index, row in enumerate(rows):
        for name, values in row.items():
            data.setlist(f"{prefix}-{index}-{name}", values)
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))


def _rewrite_files(files: MultiValueDict, prefix: str, rows: list[dict[str, list]]) -> MultiValueDict:
    pattern = re.compile(rf"^{re.escape(prefix)}-\d+-")
    rewritten = MultiValueDict({key: files.getlist(key) for key in files if not pattern.match(key)})
    for index, row in enumerate(rows):
        for name, values in row.items():
            rewritten.setlist(f"{prefix}-{index}-{name}", values)
    return rewritten


def _row_of(values: dict[str, str], fk_name: str, parent_pk, pk: str) -> dict[str, list]:
    return {**{name: [value] for name, value in values.items()}, "id": [pk], fk_name: [str(parent_pk)]}


def _change(model_field, before: str, after: str) -> FieldChange:
    old, new = shown(model_field, _python(model_field, before)), shown(model_field, _python(model_field, after))
    return FieldChange(capfirst(model_field.verbose_name), old, new, word_diff(old, new))


def _model_fields(form, model) -> list[str]:
    names = []
    for name in form.base_fields:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.concrete and not model_field.primary_key and not model_field.many_to_many:
            names.append(name)
    return names


def _values(obj: models.Model, names: list[str]) -> dict[str, str]:
    values = {}
    for name in names:
        model_field = obj._meta.get_field(name)
        value = model_field.value_from_object(obj)
        values[name] = "" if value is None else model_field.value_to_string(obj)
    return values


def _python(model_field, value: str):
    if value == "":
        return None
    try:
        return model_field.to_python(value)
    except ValidationError:
        return value


def _child_name(values: dict[str, str]) -> str:
    for name in ("title_fr", "text_fr", "title", "text"):
        if values.get(name):
            return values[name]
    return "—"


def _count(data, key: str) -> int:
    try:
        return int(data.get(key, 0))
    except (TypeError, ValueError):
        return 0


def _sign(stored: dict) -> str:
    return signing.dumps(stored, salt=_SALT, compress=True)


def _unsign(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
