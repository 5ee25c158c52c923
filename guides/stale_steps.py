"""Steps readers suddenly stop at: the funnel's evidence that the app changed under a step.

Of the readers who mark a step done, a share goes on to mark the next one. When that share for a
step falls sharply in the last ``GUIDES_STALE_RECENT_DAYS`` compared with the weeks before
(``GUIDES_STALE_BASELINE_DAYS``), and enough readers went through both periods to mean something
(``GUIDES_STALE_MIN_READERS``), the step is flagged for editors with the numbers behind it:
often the screen it describes is no longer there. Counted in one query for every published guide.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from guides.models import Guide, Step

# The share must fall below this fraction of what it was.
DROP = 0.5


@dataclass(frozen=True)
class StaleStep:
    step: Step
    since: date  # the start of the recent period
    before_share: float  # of the previous step's readers who did this one, before
    recent_share: float  # and lately
    before_readers: int  # readers of the previous step, before
    recent_readers: int  # and lately

    @property
    def before_percent(self) -> int:
        return round(self.before_share * 100)

    @property
    def recent_percent(self) -> int:
        return round(self.recent_share * 100)


def stale_steps(guide: Guide | None = None) -> list[StaleStep]:
    """The steps of published guides (or of ``guide``) whose readers stopped going on lately."""
    now = timezone.now()
    split = now - timedelta(days=settings.GUIDES_STALE_RECENT_DAYS)
    start = split - timedelta(days=settings.GUIDES_STALE_BASELINE_DAYS)
    steps = Step.objects.filter(guide__status=Guide.Status.PUBLISHED).select_related("guide")
    if guide is not None:
        steps = steps.filter(guide=guide)
    counted = steps.annotate(
        before=Count("completions", filter=Q(completions__created_at__gte=start, completions__created_at__lt=split)),
        recent=Count("completions", filter=Q(completions__created_at__gte=split)),
    ).order_by("guide_id", "position")
    found, previous = [], None
    for step in counted:
        if previous is not None and previous.guide_id == step.guide_id:
            flagged = _flag(previous, step, timezone.localdate(split))
            if flagged is not None:
                found.append(flagged)
        previous = step
    return found


def _flag(previous: Step, step: Step, since: date) -> StaleStep | None:
    least = settings.GUIDES_STALE_MIN_READERS
    if previous.before < least or previous.recent < least:
        return None  # too few readers to tell a change from chance
    before_share = min(step.before / previous.before, 1.0)
    recent_share = min(step.recent / previous.recent, 1.0)
    if recent_share >= before_share * DROP:
        return None
    return StaleStep(step, since, before_share, recent_share, previous.before, previous.recent)
