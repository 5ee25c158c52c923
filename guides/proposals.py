"""Changes to a published guide by editors who may not publish: proposed, then approved.

An editor without the "publish guides" permission may still change a published guide from any
admin page: its form, a step's page, an action, a restore from history. Readers must keep the
published text until a publisher agrees, so the publishing rule's guard (``guides.publishing``)
watches which published guides such a request changes (``collecting``). When it changed some,
the guard takes a ``snapshot`` of each as the request left it, undoes the whole request, and
files the snapshots as proposals (``propose``), each with the guide as it is after the undo as
its base. Publishers are told by e-mail, through the outbox.

A publisher reads a proposal as what changed from its base, field by field and language by
language, with a word diff (``differences``). Approving applies those changes, and those only, to
the guide as it is then (``apply``): a field, step or screenshot the proposal did not touch keeps
what was saved since, so two proposals on one guide can both go through. Sending back tells the
author why. Either way the author is told by e-mail.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from guides.change_messages import field_label
from guides.models import Guide, Prerequisite, Proposal, Screenshot, Step, StepVariant
from guides.models.content import language_codes
from guides.notifications import message, publisher_addresses
from guides.ordering import lock, save_in_order
from guides.outbox import queue


def _localized(*names: str) -> tuple[str, ...]:
    return tuple(build_localized_fieldname(name, code) for name in names for code in language_codes())


# What a proposal carries of each object: what readers see of it. A guide's status, platform and
# addresses belong to publishers alone (``guides.publishing``); an editor changing them is refused.
FIELDS = {
    Guide: (*_localized("title", "summary", "conclusion"), "estimated_minutes"),
    Prerequisite: _localized("text"),
    Step: (*_localized("title", "body"), "surface"),
    StepVariant: ("device", *_localized("title", "body")),
    Screenshot: ("device", "language", "image", "width", "height", "renditions", "alt"),
}


# ---- Which published guides a request changes ----


@dataclass
class Touched:
    watched: frozenset[int]  # the guides published when the request began
    guides: set[int] = field(default_factory=set)
    created: set[tuple[str, int]] = field(default_factory=set)  # (model label, id) of new rows


_touched: ContextVar[Touched | None] = ContextVar("guides_proposals_touched", default=None)


@contextmanager
def collecting(watched: frozenset[int]) -> Iterator[Touched]:
    """Note, while the block runs, which of the ``watched`` guides it changes for readers."""
    touched = Touched(watched)
    token = _touched.set(touched)
    try:
        yield touched
    finally:
        _touched.reset(token)


def part_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    touched = _touched.get()
    if touched is None:
        return
    if created:
        touched.created.add((sender._meta.label, instance.pk))
    # A minor edit is still an edit: only a save that changes nothing readers see is left alone.
    if raw or created or getattr(instance, "changed_content", True):
        _note(touched, _guide_of(instance))


def part_deleted(sender, instance, **kwargs) -> None:
    if (touched := _touched.get()) is not None:
        _note(touched, _guide_of(instance))


def related_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    touched = _touched.get()
    if touched is None or not action.startswith("post_"):
        return
    for guide_id in (pk_set or ()) if reverse else (instance.pk,):
        _note(touched, guide_id)


def order_saved(sender, parents: set[int], **kwargs) -> None:
    if (touched := _touched.get()) is not None:
        for guide_id in parents:
            _note(touched, guide_id)


def _note(touched: Touched, guide_id: int | None) -> None:
    if guide_id in touched.watched:
        touched.guides.add(guide_id)


def _guide_of(instance) -> int | None:
    if isinstance(instance, Guide):
        return instance.pk
    if hasattr(instance, "guide_id"):
        return instance.guide_id
    return Step.objects.filter(pk=instance.step_id).values_list("guide_id", flat=True).first()


# ---- A guide as data ----


def snapshot(guide_id: int, created: frozenset[tuple[str, int]] | set = frozenset()) -> dict:
    """The guide's content as plain data: its fields, related guides, prerequisites and steps in
    order, each step's variants and screenshots. Rows in ``created`` (made by the request being
    undone) have no id: approving creates them anew."""
    guide = Guide.objects.get(pk=guide_id)

    def row(obj) -> dict:
        known = (obj._meta.label, obj.pk) not in created
        return {"id": obj.pk if known else None, **{name: _plain(getattr(obj, name)) for name in FIELDS[type(obj)]}}

    steps = Step.objects.filter(guide=guide).order_by("position").prefetch_related("variants", "screenshots")
    return {
        "guide": row(guide),
        "related_guides": sorted(guide.related_guides.values_list("pk", flat=True)),
        "prerequisites": [row(item) for item in guide.prerequisites.order_by("position")],
        "steps": [
            {
                **row(step),
                "variants": [row(variant) for variant in step.variants.all()],
                "screenshots": [row(screenshot) for screenshot in step.screenshots.all()],
            }
            for step in steps
        ],
    }


def _plain(value):
    return value.name if isinstance(value, models.fields.files.FieldFile) else value


# ---- Proposing, approving, sending back ----


def propose(touched: dict[int, dict], author, replaces: Proposal | None = None) -> list[Proposal]:
    """File the snapshots taken of an undone request (by guide id) as proposals, the guides as
    they are now as their bases, and tell the publishers."""
    proposals = []
    with transaction.atomic():
        for guide_id, proposed in touched.items():
            base = snapshot(guide_id)
            if base != proposed:  # else the request changed something and changed it back
                proposals.append(
                    Proposal.objects.create(guide_id=guide_id, author=author, base=base, proposed=proposed)
                )
        if replaces is not None and replaces.is_waiting:
            replaces.status = Proposal.Status.REPLACED
            replaces.save(update_fields=["status"])
        for proposal in proposals:
            if (message := _waiting_message(proposal)) is not None:
                queue(message)
    return proposals


def approve(proposal: Proposal, publisher, comment: str = "") -> None:
    """Apply the proposal to its guide, as one version in the guide's history, and tell its author."""
    with transaction.atomic(), reversion.create_revision():
        apply(proposal)
        guide = Guide.objects.get(pk=proposal.guide_id)
        reversion.add_to_revision(guide)
        reversion.set_user(publisher)
        author = _name(proposal.author)
        reversion.set_comment(
            _("Approved the change proposed by %(author)s.") % {"author": author} + (f" {comment}" if comment else "")
        )
        _reviewed(proposal, Proposal.Status.APPROVED, publisher, comment)


def approved_by_editing(proposal: Proposal, publisher) -> None:
    """A publisher saved the guide's form opened on the proposal: applied, with their edits."""
    _reviewed(proposal, Proposal.Status.APPROVED, publisher, _("Approved with edits."))


def send_back(proposal: Proposal, publisher, comment: str) -> None:
    with transaction.atomic():
        _reviewed(proposal, Proposal.Status.SENT_BACK, publisher, comment)


def _reviewed(proposal: Proposal, status: str, publisher, comment: str) -> None:
    proposal.status, proposal.reviewed_by, proposal.reviewed_at = status, publisher, timezone.now()
    proposal.review_comment = comment
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    if proposal.author and proposal.author.email:
        queue(_reviewed_message(proposal))


def _name(user) -> str:
    if user is None:
        return _("a former editor")
    return user.get_full_name() or user.get_username()


# ---- Applying a proposal ----


def apply(proposal: Proposal) -> None:
    """Write what the proposal changed from its base onto the guide as it is now."""
    base, proposed = proposal.base, proposal.proposed
    guide = Guide.objects.get(pk=proposal.guide_id)
    lock(guide)
    guide = Guide.objects.get(pk=proposal.guide_id)
    if _take_changes(guide, base["guide"], proposed["guide"]):
        guide.save()
    if proposed["related_guides"] != base["related_guides"]:
        added = set(proposed["related_guides"]) - set(base["related_guides"])
        guide.related_guides.add(*Guide.objects.filter(pk__in=added))
        guide.related_guides.remove(*(set(base["related_guides"]) - set(proposed["related_guides"])))
    _apply_ordered(Prerequisite, guide, base["prerequisites"], proposed["prerequisites"])
    steps = _apply_ordered(Step, guide, base["steps"], proposed["steps"])
    base_steps = {row["id"]: row for row in base["steps"] if row["id"]}
    for row, step in steps:
        before = base_steps.get(row["id"], {"variants": [], "screenshots": []})
        _apply_rows(StepVariant, step, before["variants"], row["variants"])
        _apply_rows(Screenshot, step, before["screenshots"], row["screenshots"])


def _take_changes(obj, before: dict, after: dict) -> bool:
    changed = [name for name in FIELDS[type(obj)] if after[name] != before.get(name)]
    for name in changed:
        setattr(obj, name, after[name])
    return bool(changed)


def _apply_ordered(model, guide: Guide, base_rows: list[dict], rows: list[dict]) -> list[tuple[dict, models.Model]]:
    """Steps or prerequisites: remove those the proposal removed, change what it changed, add what
    it added; put them in its order only if it changed the order."""
    base_by_id = {row["id"]: row for row in base_rows if row["id"]}
    current = {obj.pk: obj for obj in model.objects.filter(guide=guide)}
    for gone in base_by_id.keys() - {row["id"] for row in rows}:
        if gone in current:
            current.pop(gone).delete()
    placed, changed = [], []
    for row in rows:
        obj = current.get(row["id"]) if row["id"] else None
        if obj is None:  # new, or removed since by someone else: brought back
            obj = model(guide=guide)
            _take_changes(obj, {}, row)
            changed.append(obj)
        elif _take_changes(obj, base_by_id.get(row["id"], {}), row):
            changed.append(obj)
        placed.append((row, obj))
    kept_order = [row["id"] for row in base_rows if row["id"] in current]
    proposed_order = [row["id"] for row in rows if row["id"] in current]
    if kept_order != proposed_order or any(obj.pk is None for _row, obj in placed):
        save_in_order(model.objects.filter(guide=guide), ordered=[obj for _row, obj in placed], changed=changed)
    else:
        for obj in changed:
            obj.save()
    return placed


def _apply_rows(model, step: Step, base_rows: list[dict], rows: list[dict]) -> None:
    base_by_id = {row["id"]: row for row in base_rows if row["id"]}
    current = {obj.pk: obj for obj in model.objects.filter(step=step)}
    for gone in base_by_id.keys() - {row["id"] for row in rows}:
        if gone in current:
            current.pop(gone).delete()
    for row in rows:
        obj = current.get(row["id"]) if row["id"] else None
        if obj is None:
            obj = model(step=step)
            _take_changes(obj, {}, row)
            obj.save()
        elif _take_changes(obj, base_by_id.get(row["id"], {}), row):
            obj.save()


# ---- What a proposal changes, as publishers read it ----


@dataclass(frozen=True)
class FieldDifference:
    label: str
    before: str
    after: str
    diff: SafeString
    changed_since: bool  # the guide's current value is neither the base's nor the proposal's


@dataclass(frozen=True)
class PartDifference:
    kind: str  # "step", "prerequisite", "variant", "screenshot", "related guides"
    name: str
    state: str  # "added", "removed", "changed", "moved"
    fields: list[FieldDifference]
    parts: list["PartDifference"] = field(default_factory=list)
    image: str = ""  # a screenshot's file, for its thumbnail


def differences(proposal: Proposal, current: dict | None = None) -> tuple[list[FieldDifference], list[PartDifference]]:
    """The guide's fields, then its parts, that the proposal changes; ``current`` (a snapshot
    of the guide now) marks the fields someone else changed since."""
    base, proposed = proposal.base, proposal.proposed
    current = current or base
    fields = _field_differences(Guide, base["guide"], proposed["guide"], current["guide"])
    parts = []
    if base["related_guides"] != proposed["related_guides"]:
        titles = dict(
            Guide.objects.filter(pk__in=base["related_guides"] + proposed["related_guides"]).values_list("pk", "title")
        )
        before, after = (
            ", ".join(titles.get(pk, f"#{pk}") for pk in ids)
            for ids in (base["related_guides"], proposed["related_guides"])
        )
        parts.append(
            PartDifference(_("related guides"), "", "changed", [_difference(_("related guides"), before, after, False)])
        )
    parts += _part_differences(Prerequisite, base["prerequisites"], proposed["prerequisites"], current["prerequisites"])
    parts += _part_differences(Step, base["steps"], proposed["steps"], current["steps"])
    return fields, parts


def _part_differences(model, base_rows, rows, current_rows) -> list[PartDifference]:
    base_by_id = {row["id"]: row for row in base_rows if row["id"]}
    current_by_id = {row["id"]: row for row in current_rows if row["id"]}
    kind = str(model._meta.verbose_name)
    found = []
    proposed_ids = {row["id"] for row in rows}
    base_order = [row["id"] for row in base_rows if row["id"] in proposed_ids]
    new_order = [row["id"] for row in rows if row["id"] in base_by_id]
    for position, row in enumerate(rows, start=1):
        before = base_by_id.get(row["id"])
        name = _name_of(model, row)
        children = []
        if model is Step:
            before_step = before or {"variants": [], "screenshots": []}
            now = current_by_id.get(row["id"], before_step)
            children = _part_differences(StepVariant, before_step["variants"], row["variants"], now.get("variants", []))
            children += _part_differences(
                Screenshot, before_step["screenshots"], row["screenshots"], now.get("screenshots", [])
            )
        if before is None:
            fields = _field_differences(model, {}, row, {})
            found.append(PartDifference(kind, name, "added", fields, children, row.get("image") or ""))
            continue
        fields = _field_differences(model, before, row, current_by_id.get(row["id"], before))
        moved = base_order.index(row["id"]) != new_order.index(row["id"]) if model in (Step, Prerequisite) else False
        if fields or children or moved:
            state = "changed" if fields or children else "moved"
            now_at = _("now at position %(number)d") % {"number": position}
            label = f"{name} ({now_at})" if moved else name
            found.append(PartDifference(kind, label, state, fields, children, row.get("image") or ""))
    for row in base_rows:
        if row["id"] and row["id"] not in proposed_ids:
            found.append(PartDifference(kind, _name_of(model, row), "removed", [], [], row.get("image") or ""))
    return found


def _name_of(model, row: dict) -> str:
    language = translation.get_language()
    if model is Screenshot:
        return row["alt"]
    if model is StepVariant:
        return str(dict(StepVariant._meta.get_field("device").flatchoices).get(row["device"], row["device"]))
    name = "text" if model is Prerequisite else "title"
    return (
        row.get(build_localized_fieldname(name, language))
        or row.get(build_localized_fieldname(name, settings.LANGUAGE_CODE))
        or ""
    )


def _field_differences(model, before: dict, after: dict, current: dict) -> list[FieldDifference]:
    from guides.admin.version_diff import shown, word_diff  # the admin's way of showing values

    found = []
    for name in FIELDS[model]:
        if model is Screenshot and name in ("width", "height", "renditions"):
            continue
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        model_field = model._meta.get_field(name)
        old_text, new_text = shown(model_field, old), shown(model_field, new)
        changed_since = name in current and current.get(name) not in (old, new)
        found.append(
            FieldDifference(field_label(model, name), old_text, new_text, word_diff(old_text, new_text), changed_since)
        )
    return found


def _difference(label: str, before: str, after: str, changed_since: bool) -> FieldDifference:
    from guides.admin.version_diff import word_diff

    return FieldDifference(label, before, after, word_diff(before, after), changed_since)


# ---- E-mails ----


def _waiting_message(proposal: Proposal) -> EmailMessage | None:
    recipients = publisher_addresses()
    if not recipients:
        return None
    with translation.override(settings.GUIDES_EDITORS_LANGUAGE):
        context = {
            "proposal": proposal,
            "author": _name(proposal.author),
            "url": settings.SITE_URL + proposal.get_absolute_url(),
        }
        return message("guides/email/proposal_waiting", context, bcc=recipients)


def _reviewed_message(proposal: Proposal) -> EmailMessage:
    with translation.override(settings.GUIDES_EDITORS_LANGUAGE):
        context = {
            "proposal": proposal,
            "approved": proposal.status == Proposal.Status.APPROVED,
            "publisher": _name(proposal.reviewed_by),
            "url": settings.SITE_URL + proposal.get_absolute_url(),
        }
        return message("guides/email/proposal_reviewed", context, to=[proposal.author.email])
