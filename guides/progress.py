"""A reader's progress through a guide, and what they should know about each step.

The guide page decorates the steps it has loaded (no query per step); the htmx answers to a
single action ask the database for the few numbers they need.
"""

from dataclasses import dataclass

from django.conf import settings

from guides.models import Guide, Step, StepCompletion


@dataclass(frozen=True)
class ReaderProgress:
    total: int
    done: int
    next_step: Step | None

    @property
    def is_partly_done(self) -> bool:
        return 0 < self.done < self.total

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def _completions(reader_key: str | None, steps) -> dict[int, object]:
    if not reader_key:
        return {}
    return dict(
        StepCompletion.objects.filter(reader_key=reader_key, step__in=steps).values_list("step_id", "created_at")
    )


def decorate(steps: list[Step], reader_key: str | None) -> None:
    """Give each step ``is_done``, ``changed_since_done`` and ``flagged_by_readers``.

    ``steps`` must come from ``Step.objects.with_open_report_readers()``."""
    done_at = _completions(reader_key, [step.pk for step in steps])
    for step in steps:
        step.is_done = step.pk in done_at
        step.changed_since_done = step.is_done and step.updated_at > done_at[step.pk]
        step.flagged_by_readers = step.open_report_readers >= settings.GUIDES_REPORT_NOTICE_READERS


def steps_for_reader(guide: Guide, reader_key: str | None, with_parts: tuple[str, ...] = ()) -> list[Step]:
    """All of the guide's steps, in order, decorated for this reader, in two queries (and one
    per relation of ``with_parts``)."""
    steps = list(Step.objects.filter(guide=guide).with_open_report_readers().prefetch_related(*with_parts))
    decorate(steps, reader_key)
    return steps


def progress_of_loaded(steps: list[Step]) -> ReaderProgress:
    """Progress computed from decorated steps: the whole guide's, already in memory."""
    remaining = [step for step in steps if not step.is_done]
    return ReaderProgress(total=len(steps), done=len(steps) - len(remaining), next_step=next(iter(remaining), None))


def progress_of(guide: Guide, reader_key: str) -> ReaderProgress:
    """Progress counted in the database, for answers that loaded one step only."""
    steps = guide.steps.all()
    done = StepCompletion.objects.filter(reader_key=reader_key, step__guide=guide).count()
    next_step = steps.exclude(completions__reader_key=reader_key).first()
    return ReaderProgress(total=steps.count(), done=done, next_step=next_step)
