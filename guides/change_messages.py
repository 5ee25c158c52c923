"""What an admin save changed, written so that each reader of the history reads it in their own
language, with fields named as editors know them: "Changed Body (English)", not "body_en".

Django writes the labels of the changed fields into a change message in the language of the
editor who saved, and for a translated field the label is its column's ("Body [en]"). Here the
message holds the fields' names with their model (``guides.Step.body_en``) and is read back
with each field's label and language in the language of whoever reads it. A step edited on its
own page is written as a change of that step, so that its guide's history says which step.
"""

import json

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def construct(form, formsets, add: bool, named: bool = False) -> list[dict]:
    """The change message of an admin save, as Django builds it but with field names; ``named``
    writes the form's own object as a named part (a step saved on its own page)."""
    model = form._meta.model
    own = [name for name in form.changed_data if _is_field(model, name)]
    message = []
    if add:
        message.append({"added": _named(form.instance) if named else {}})
    elif own:
        message.append({"changed": {**(_named(form.instance) if named else {}), "fields": _names(model, own)}})
    for formset in formsets or ():
        for added in formset.new_objects:
            message.append({"added": _named(added)})
        for changed, fields in formset.changed_objects:
            message.append({"changed": {**_named(changed), "fields": _names(formset.model, fields)}})
        for deleted in formset.deleted_objects:
            message.append({"deleted": _named(deleted)})
    return message


def _is_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _named(obj) -> dict:
    return {"name": obj._meta.label, "object": str(obj)}


def _names(model, fields) -> list[str]:
    return [f"{model._meta.label}.{name}" for name in fields if _is_field(model, name)]


def readable(comment: str) -> str:
    """A revision's comment in the active language: a change message built by ``construct`` (or
    by Django), or a comment written as text (a restore, an approval)."""
    try:
        message = json.loads(comment)
    except ValueError:
        return comment
    if not isinstance(message, list):
        return comment
    parts = []
    for entry in message:
        for kind, details in entry.items() if isinstance(entry, dict) else ():
            parts.append(_sentence(kind, details if isinstance(details, dict) else {}))
    return " ".join(part for part in parts if part) or _("No fields changed.")


def _sentence(kind: str, details: dict) -> str:
    # Django's own phrases, as its admin translates them.
    name, obj = _model_name(details.get("name", "")), details.get("object", "")
    fields = get_text_list([_label(field) for field in details.get("fields", [])], _("and"))
    if kind == "added":
        return _("Added {name} “{object}”.").format(name=name, object=obj) if name else _("Added.")
    if kind == "changed":
        if name:
            return _("Changed {fields} for {name} “{object}”.").format(fields=fields, name=name, object=obj)
        return _("Changed {fields}.").format(fields=fields)
    if kind == "deleted":
        return _("Deleted {name} “{object}”.").format(name=name, object=obj)
    if kind == "review":
        said = REVIEW_STEPS.get(details.get("action"), "")
        comment = details.get("comment", "")
        return f"{said} {comment}".strip() if said else ""
    return ""


# How the review steps of a guide (guides.reviews) read in its history.
REVIEW_STEPS = {
    "_submit_for_review": gettext_lazy("Submitted for approval."),
    "_withdraw": gettext_lazy("Taken back to draft."),
    "_approve": gettext_lazy("Approved and published."),
    "_send_back": gettext_lazy("Sent back to its author."),
}


def _model_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return _(label)  # written by Django: the name in the saver's language


def _label(field: str) -> str:
    model_label, _dot, name = field.rpartition(".")
    try:
        return field_label(apps.get_model(model_label), name)
    except (LookupError, ValueError, FieldDoesNotExist):  # Django's label, or a field since removed
        return _(field)


def field_label(model, name: str) -> str:
    """A field's name as editors read it, with the language of a translated column: "Title
    (English)", not "title_en"."""
    languages = dict(settings.LANGUAGES)
    base, _sep, code = name.rpartition("_")
    if code in languages and base:
        try:
            verbose = model._meta.get_field(base).verbose_name
        except models.FieldDoesNotExist:
            verbose = None
        if verbose is not None:
            return f"{capfirst(verbose)} ({languages[code]})"
    return str(capfirst(model._meta.get_field(name).verbose_name))
