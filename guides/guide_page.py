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
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guides import devices, structured_data
from guides.addresses import in_each_language
from guides.forms import GuideVoteForm
from guides.models import GuideVote, Step, StepCompletion
from guides.page_cache import TIMEOUT, is_shared
from guides.progress import ReaderProgress
from guides.related_guides import published_with_related
from guides.templatetags.slots import MARKER

_SLOT = re.compile(MARKER.format(r"(\w+)"))
_NOT_PUBLISHED = "not published"
TEMPLATE = "guides/guide.html"
STEP_PARTS = ("variants", "screenshots")  # what a step's part shows besides the step


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
        helpful, explained = None, False
        if with_vote:
            cursor.execute(_VOTE, [skeleton.guide_id, reader_key])
            row = cursor.fetchone()
            helpful, explained = (bool(row[0]), bool(row[1])) if row else (None, False)
    return ReaderState(done_at=done_at, helpful=helpful, explained=explained)


def _aware(value: datetime | str) -> datetime:
    # PostgreSQL gives an aware datetime; SQLite the UTC time Django stored, without its zone.
    value = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_DONE_AT = (
    f"SELECT step_id, created_at FROM {StepCompletion._meta.db_table} WHERE reader_key = %s "  # noqa: S608
    f"AND step_id IN (SELECT id FROM {Step._meta.db_table} WHERE guide_id = %s)"
)
_VOTE = f"SELECT helpful, reason <> '' FROM {GuideVote._meta.db_table} WHERE guide_id = %s AND reader_key = %s"  # noqa: S608


def page(request: HttpRequest, skeleton: Skeleton, state: ReaderState) -> str:
    parts = {
        "progress": progress_part(skeleton, state),
        "steps": "".join(step_parts(skeleton, skeleton.steps, state)),
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
        "skeleton": True,
        "alternates": in_each_language(guide.get_absolute_url),
        "guide_url": guide_url,
    }
    html = render_to_string(TEMPLATE, context, request=request)
    facts = tuple(StepFacts(step.pk, step.position, step.updated_at) for step in steps)
    built = Skeleton(version, get_language(), guide.pk, guide_url, tuple(_SLOT.split(html)), facts)
    _render_steps(built, {step: (False, False, False) for step in steps})  # loaded already: the next page needs them
    return built


def _alternating(pieces: tuple[str, ...]):
    return ((index % 2 == 1, piece) for index, piece in enumerate(pieces))
