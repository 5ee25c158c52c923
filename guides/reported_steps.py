"""What the reports on each step say together: a line of the editors' triage queue and of
their digest, for a step or for a step removed since."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import groupby

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guides import app_versions
from guides.models import Device, Guide, Step, StepReport

COMMON_TEXT = _("Common text")


@dataclass(frozen=True)
class ReportedStep:
    """What the reports on one step, or on one removed step, say together: a line of the triage
    queue and of the editors' digest."""

    step: Step | None  # None once the step was removed from its guide
    guide: Guide
    title: str  # in the active language; a removed step's as its readers saw it
    number: int
    original_step_id: int
    count: int
    readers: int
    latest: StepReport
    devices: list[str]
    app_versions: list[str]
    variant: str = ""  # the device whose variant of the step these readers followed, or ""
    variant_label: str = ""  # its name; for the common text, "" unless a variant has a line too
    by_version: list[tuple[int | None, int]] = field(default_factory=list)  # (major version, readers)


def by_step(reports: Iterable[StepReport]) -> list[ReportedStep]:
    """``reports``, sorted by ``original_step_id``, gathered by step."""
    return [_reported_step(list(same)) for _id, same in groupby(reports, key=lambda report: report.original_step_id)]


def by_variant(reports: Iterable[StepReport]) -> list[ReportedStep]:
    """``reports``, sorted by ``original_step_id`` then ``variant``, gathered by step and by the
    text the readers followed: what is wrong on iPhone is often right on Android."""
    lines = [
        _reported_step(list(same), variant)
        for (_id, variant), same in groupby(reports, key=lambda report: (report.original_step_id, report.variant))
    ]
    with_variants = {line.original_step_id for line in lines if line.variant}
    common = str(COMMON_TEXT)
    return [
        replace(line, variant_label=common) if not line.variant and line.original_step_id in with_variants else line
        for line in lines
    ]


def _reported_step(reports: list[StepReport], variant: str = "") -> ReportedStep:
    # A restore may bring a removed step back under its old id: its reports then meet again.
    step = next((report.step for report in reports if report.step is not None), None)
    return ReportedStep(
        step=step,
        guide=reports[0].guide,
        title=step.title if step else StepReport.step_title_in(reports, get_language()),
        number=step.position if step else reports[0].step_number,
        original_step_id=reports[0].original_step_id,
        count=len(reports),
        readers=len({report.reader_key for report in reports}),
        latest=max(reports, key=lambda report: report.created_at),
        devices=sorted({str(report.get_device_display()) for report in reports}),
        app_versions=sorted({report.app_version for report in reports if report.app_version}, key=app_versions.order),
        variant=variant,
        variant_label=str(Device(variant).label) if variant else "",
        by_version=_by_version(reports),
    )


def _by_version(reports: list[StepReport]) -> list[tuple[int | None, int]]:
    """How many readers reported from each major version of the app, newest first, then those
    who did not say: a new version is the likeliest reason a step changed."""
    readers: dict[int | None, set[str]] = {}
    for report in reports:
        readers.setdefault(app_versions.major(report.app_version), set()).add(report.reader_key)
    return sorted(((version, len(keys)) for version, keys in readers.items()), key=lambda item: -(item[0] or -1))
