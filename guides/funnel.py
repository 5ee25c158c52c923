"""Where readers get stuck: for each step of a guide, how many readers marked it done and how
many reports it drew. Editors read it as a funnel: a step where the count falls by more than
half is where readers give up or find the app no longer matches."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from guides.models import Guide, StepCompletion, StepReport


@dataclass(frozen=True)
class FunnelRow:
    step_id: int
    position: int
    title: str
    done: int
    reports: int
    open_reports: int
    drop: bool  # fewer than half of the previous step's readers marked this one done


def funnel_for(guide: Guide) -> list[FunnelRow]:
    """One row per step, in order, from a single query whatever the number of steps."""
    steps = guide.steps.order_by("position").annotate(
        done_count=_count_per_step(StepCompletion.objects.all(), "reader_key"),
        report_count=_count_per_step(StepReport.objects.all(), "pk"),
        open_report_count=_count_per_step(StepReport.objects.open(), "pk"),
    )
    rows: list[FunnelRow] = []
    previous_done = 0
    for step in steps:
        rows.append(
            FunnelRow(
                step_id=step.pk,
                position=step.position,
                title=step.title,
                done=step.done_count,
                reports=step.report_count,
                open_reports=step.open_report_count,
                drop=is_drop(previous_done, step.done_count),
            )
        )
        previous_done = step.done_count
    return rows


def is_drop(previous_done: int, done: int) -> bool:
    """More than half of the readers who did the previous step did not do this one."""
    return previous_done > 0 and done < previous_done / 2


def _count_per_step(rows: QuerySet, counted: str) -> Coalesce:
    # A subquery per count rather than joins: joining completions and reports to the steps
    # at once would multiply them (readers times reports rows for every step) before counting.
    per_step = (
        rows.filter(step=OuterRef("pk"))
        .order_by()
        .values("step")
        .annotate(count=Count(counted, distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(per_step), 0)
