"""The guide page, put together from cached parts instead of rendered for each reader.

A guide page is the same for every reader but for four parts, the template's slots: the flash
message, the progress bar, each step (done or not, changed since) and "Did this guide help?".
The rest, the skeleton (related guides and the structured data for search engines included),
is rendered once per content version and language and cached, with what the parts need to
know of the steps (order, number, when each last changed). Each part is cached too, by
version, language and the reader's state of it. A reader's page, or the answer to one of
their actions, is then a few queries and cache reads, however long the guide.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guides import devices, structured_data
from guides.addresses import in_each_language
from guides.app_versions import major
from guides.forms import ConfirmationDetailsForm, GuideVoteForm
from guides.models import GuideConfirmation, GuideVote, Step, StepCompletion, StepReport
from guides.page_cache import TIMEOUT, is_shared
from guides.progress import ReaderProgress
from guides.related_guides import published_with_related
from guides.templatetags.slots import MARKER

_SLOT = re.compile(MARKER.format(r"(\w+)"))
_NOT_PUBLISHED = "not published"
TEMPLATE = "guides/guide.html"
# What a step's part shows besides the step: its variants, screenshots, and its open reports'
# app versions (for "This step may have changed in version 35").
STEP_PARTS = (
    "variants",
    "screenshots",
    Prefetch(
        "reports",
        queryset=StepReport.objects.open().only("step_id", "reader_key", "app_version"),
        to_attr="open_reports",
    ),
)


def changed_in_version(reports, verified_major: int | None) -> int | None:
    """The newest major version that enough readers reported a step from, when newer than the one
    the guide was checked with (``GUIDES_VERSION_NOTICE_READERS``, fewer than for the general
    notice: a new version is a likely cause)."""
    if verified_major is None:
        return None
    newer: dict[int, set[str]] = {}
    for report in reports:
        found = major(report.app_version)
        if found is not None and found > verified_major:
            newer.setdefault(found, set()).add(report.reader_key)
    readers = set().union(*newer.values()) if newer else set()
    return max(newer) if len(readers) >= settings.GUIDES_VERSION_NOTICE_READERS else None


@dataclass(frozen=True)
class StepFacts:
    """What a step's part needs to know of it without loading it."""

    pk: int
    position: int
    updated_at: datetime

    @property
    def anchor(self) -> str:
        return f"step-{self.pk}"


@dataclass(frozen=True)
class Skeleton:
    version: int
    language: str
    guide_id: int
    guide_url: str
    pieces: tuple[str, ...]  # HTML, slot name, HTML, slot name, ..., HTML
    steps: tuple[StepFacts, ...]
    verified_major: int | None = None  # the app's major version the guide was checked with

    def step(self, pk: int) -> StepFacts | None:
        return next((facts for facts in self.steps if facts.pk == pk), None)

    def assemble(self, parts: dict[str, str]) -> str:
        return "".join(parts.get(piece, "") if odd else piece for odd, piece in _alternating(self.pieces))

    def key(self, *parts) -> str:
        return ":".join(map(str, ("guides", *parts, self.version, self.language)))


@dataclass(frozen=True)
class ReaderState:
    """Where one reader is in one guide: when they marked each step done, and their vote."""

    done_at: dict[int, datetime]
    helpful: bool | None = None
    explained: bool = False  # said what could be better
    confirmed: bool = False  # said whether the guide worked

    def progress(self, skeleton: Skeleton) -> ReaderProgress:
        remaining = [facts for facts in skeleton.steps if facts.pk not in self.done_at]
        total = len(skeleton.steps)
        return ReaderProgress(total=total, done=total - len(remaining), next_step=next(iter(remaining), None))

    def changed_since_done(self, facts: StepFacts) -> bool:
        return facts.pk in self.done_at and facts.updated_at > self.done_at[facts.pk]


NOBODY = ReaderState(done_at={})


def skeleton(
    request: HttpRequest, version: int, platform_slug: str, guide_slug: str, device: str = ""
) -> Skeleton | None:
    """The published guide's skeleton at ``version``, in the active language, for readers who
    chose ``device`` in the address (see ``guides.devices``); None when there is no such
    published guide (remembered too, until the next version)."""
    key = ":".join(("guides", "skeleton", str(version), get_language(), platform_slug, guide_slug, device))
    found = cache.get(key)
    if found is None:
        found = _build(request, version, platform_slug, guide_slug, device) or _NOT_PUBLISHED
        cache.set(key, found, TIMEOUT)
    return found if isinstance(found, Skeleton) else None


def reader_state(skeleton: Skeleton, reader_key: str | None, with_vote: bool = True) -> ReaderState:
    """One query for the steps a reader marked done, one more for their vote; none without a key.

    Written in SQL: on the hot path of every reader's page, building these two small queries
    with the ORM would cost more than running them."""
    if not reader_key:
        return NOBODY
    with connection.cursor() as cursor:
        cursor.execute(_DONE_AT, [reader_key, skeleton.guide_id])
        done_at = {step_id: _aware(created_at) for step_id, created_at in cursor.fetchall()}
        helpful, explained, confirmed = None, False, False
        if with_vote:
            cursor.execute(_VOTE, [skeleton.guide_id, reader_key, skeleton.guide_id, reader_key])
            voted, explained, confirmed = cursor.fetchone()
            helpful = None if voted is None else bool(voted)
    return ReaderState(done_at=done_at, helpful=helpful, explained=bool(explained), confirmed=bool(confirmed))


def _aware(value: datetime | str) -> datetime:
    # PostgreSQL gives an aware datetime; SQLite the UTC time Django stored, without its zone.
    value = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_DONE_AT = (
    f"SELECT step_id, created_at FROM {StepCompletion._meta.db_table} WHERE reader_key = %s "  # noqa: S608
    f"AND step_id IN (SELECT id FROM {Step._meta.db_table} WHERE guide_id = %s)"
)
# One row whatever the reader did: their vote (or NULLs) and whether they confirmed the guide.
_VOTE = (
    f"SELECT vote.helpful, vote.reason <> '', EXISTS (SELECT 1 FROM {GuideConfirmation._meta.db_table} "  # noqa: S608
    "WHERE guide_id = %s AND reader_key = %s) "
    f"FROM (SELECT 1 AS one) AS one LEFT JOIN {GuideVote._meta.db_table} AS vote "
    "ON vote.guide_id = %s AND vote.reader_key = %s"
)


def page(request: HttpRequest, skeleton: Skeleton, state: ReaderState) -> str:
    parts = {
        "progress": progress_part(skeleton, state),
        "steps": "".join(step_parts(skeleton, skeleton.steps, state)),
        "confirm": confirm_part(skeleton, state),
        "vote": vote_part(skeleton, state),
    }
    if not is_shared(request):
        parts["flash"] = render_to_string("base.html#flash", {"messages": messages.get_messages(request)})
    return skeleton.assemble(parts)


def step_parts(
    skeleton: Skeleton, steps: tuple[StepFacts, ...], state: ReaderState, autofocus_first: bool = False
) -> list[str]:
    """The parts of ``steps`` for this reader, in order, from one cache read (and, for those
    not cached yet, one query)."""
    flags = {facts.pk: _flags(state, facts, autofocus_first and index == 0) for index, facts in enumerate(steps)}
    keys = {pk: skeleton.key("step", pk, *map(int, step_flags)) for pk, step_flags in flags.items()}
    found = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        loaded = Step.objects.filter(pk__in=missing).with_open_report_readers().prefetch_related(*STEP_PARTS)
        found.update(_render_steps(skeleton, {step: flags[step.pk] for step in loaded}))
    return [found[keys[facts.pk]] for facts in steps]


def _flags(state: ReaderState, facts: StepFacts, autofocus: bool) -> tuple[bool, bool, bool]:
    return facts.pk in state.done_at, state.changed_since_done(facts), autofocus


@lru_cache(maxsize=len(settings.LANGUAGES))
def _step_labels(language: str) -> dict[str, str]:
    return {name: str(label) for name, label in _STEP_LABELS.items()}


def step_labels() -> dict[str, str]:
    """The words of every step, in the active language, looked up once per process."""
    return _step_labels(get_language())


_STEP_LABELS = {
    "step": _("Step"),
    "step_lower": _("step"),
    "done": _("Done"),
    "mark_done": _("Mark as done"),
    "mark_not_done": _("Mark as not done"),
    # "Not what you see?", where the step happens (Step.Surface)
    "report_app": _("Not what you see in the app?"),
    "report_website": _("Not what you see on the website?"),
    "report_email": _("Not what you see in your e-mail?"),
    "report_anywhere": _("Not what you see?"),
    "enlarge": _("Enlarge the screenshot"),
    "flagged": _("Readers reported that this step may have changed in the app. Editors are checking it."),
    "changed_in_version": _("This step may have changed in version %(version)s of the app. Editors are checking it."),
    "changed": _("This step changed since you marked it done: have a look again."),
}


def _render_steps(skeleton: Skeleton, steps: dict[Step, tuple[bool, bool, bool]]) -> dict[str, str]:
    """Render and cache the parts of these loaded steps (with their open report readers)."""
    context = {"guide_url": skeleton.guide_url, "labels": step_labels()}
    rendered = {}
    for step, (done, changed, autofocus) in steps.items():
        devices.dress(step)
        step.is_done, step.changed_since_done, step.autofocus = done, changed, autofocus
        step.flagged_by_readers = step.open_report_readers >= settings.GUIDES_REPORT_NOTICE_READERS
        newer = changed_in_version(step.open_reports, skeleton.verified_major)
        step.version_notice = context["labels"]["changed_in_version"] % {"version": newer} if newer else ""
        key = skeleton.key("step", step.pk, int(done), int(changed), int(autofocus))
        rendered[key] = render_to_string(f"{TEMPLATE}#step", {**context, "step": step})
    cache.set_many(rendered, TIMEOUT)
    return rendered


def progress_part(skeleton: Skeleton, state: ReaderState, out_of_band: bool = False) -> str:
    if not skeleton.steps:
        return ""
    progress = state.progress(skeleton)
    next_pk = progress.next_step.pk if progress.next_step else 0
    key = skeleton.key("progress", skeleton.guide_id, progress.done, next_pk, int(out_of_band))
    return _cached(key, f"{TEMPLATE}#progress", progress=progress, oob=out_of_band, guide_url=skeleton.guide_url)


def confirm_part(
    skeleton: Skeleton, state: ReaderState, answered: bool | None = None, out_of_band: bool = False
) -> str:
    """ "Did it work?", once the reader has marked every step done: the question, then (just
    ``answered``) thanks and what app version and device they used, then thanks alone."""
    complete = bool(skeleton.steps) and state.progress(skeleton).is_complete
    stage = "answered" if answered is not None else "thanked" if state.confirmed else "ask" if complete else "none"
    key = skeleton.key("confirm", skeleton.guide_id, stage, int(bool(answered)), int(out_of_band))
    context = {
        "stage": stage,
        "worked": answered,
        "details_form": ConfirmationDetailsForm(),
        "guide_url": skeleton.guide_url,
        "oob": out_of_band,
    }
    return _cached(key, f"{TEMPLATE}#confirm", **context)


def vote_part(skeleton: Skeleton, state: ReaderState, just_voted: bool = False) -> str:
    answer = "thanks" if just_voted else {None: "ask", True: "helped", False: "did-not-help"}[state.helpful]
    answer += "-explained" if state.explained else ""
    vote = None if state.helpful is None else SimpleNamespace(helpful=state.helpful, explained=state.explained)
    context = {"vote": vote, "voted": just_voted, "vote_form": GuideVoteForm(), "guide_url": skeleton.guide_url}
    return _cached(skeleton.key("vote", skeleton.guide_id, answer), f"{TEMPLATE}#vote", **context)


def _cached(key: str, template: str, **context) -> str:
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context)
        cache.set(key, html, TIMEOUT)
    return html


def _build(request: HttpRequest, version: int, platform_slug: str, guide_slug: str, device: str) -> Skeleton | None:
    found = published_with_related(platform_slug, guide_slug)
    if found is None:
        return None
    guide = found.guide
    prefetch_related_objects([guide], "prerequisites")
    steps = list(Step.objects.filter(guide=guide).with_open_report_readers().prefetch_related(*STEP_PARTS))
    for step in steps:
        devices.dress(step)
    guide_url = guide.get_absolute_url()
    offered = devices.offered(steps)
    context = {
        "devices": offered,
        "device": device if device in dict(offered) else "",
        "guide": guide,
        "platform": guide.platform,
        "steps": steps,
        "related": found,
        "structured_data": structured_data.for_guide(guide, steps, guide.prerequisites.all()),
        "confirmed": confirmed_by_readers(guide),
        "skeleton": True,
        "alternates": in_each_language(guide.get_absolute_url),
        "guide_url": guide_url,
    }
    html = render_to_string(TEMPLATE, context, request=request)
    facts = tuple(StepFacts(step.pk, step.position, step.updated_at) for step in steps)
    built = Skeleton(
        version, get_language(), guide.pk, guide_url, tuple(_SLOT.split(html)), facts, guide.verified_major
    )
    _render_steps(built, {step: (False, False, False) for step in steps})  # loaded already: the next page needs them
    return built


@dataclass(frozen=True)
class Confirmed:
    """What readers last confirmed of a guide since it last changed: when, with which app version."""

    on: datetime
    app_version: str


def confirmed_by_readers(guide) -> Confirmed | None:
    """The latest "it worked" since the guide's last change, with the latest app version given;
    one query."""
    recent = (
        GuideConfirmation.objects.since_last_change(guide)
        .filter(worked=True)
        .order_by("-created_at")
        .values_list("created_at", "app_version")[:50]
    )
    recent = list(recent)
    if not recent:
        return None
    return Confirmed(recent[0][0], next((version for _on, version in recent if version), ""))


def _alternating(pieces: tuple[str, ...]):
    return ((index % 2 == 1, piece) for index, piece in enumerate(pieces))
