"""How long the help center keeps what it holds about people: the steps of
``manage.py purge_expired_data``, run daily from cron.

Each step removes what has expired at ``now`` and returns how much it removed; the command runs
them in order, each in its own transaction (one that fails undoes only its own work, and the
command goes on, then fails), and prints one line per step. Add a clean-up by adding a step to
``STEPS``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from guides.models import GuideVote, MissedSearch, OutboxMessage, RateLimitCounter, StepCompletion, StepReport

# Long enough for an operator to look into a complaint about an e-mail.
OUTBOX_KEEP_DAYS = 30


@dataclass(frozen=True)
class PurgeStep:
    removed: str  # what the count is of, for the command's output
    run: Callable[[datetime], int]


def erase_expired_contact_emails(now: datetime) -> int:
    """Readers' addresses on reports older than ``GUIDES_CONTACT_EMAIL_DAYS``: a report fixed in
    time has already handed its address to its notice; one fixed later tells nobody."""
    expired = now - timedelta(days=settings.GUIDES_CONTACT_EMAIL_DAYS)
    return StepReport.objects.filter(created_at__lt=expired).exclude(contact_email="").update(contact_email="")


def delete_old_outbox_messages(now: datetime) -> int:
    """Messages sent or given up more than ``OUTBOX_KEEP_DAYS`` ago (their recipients are
    already erased)."""
    old = OutboxMessage.objects.done().filter(created_at__lt=now - timedelta(days=OUTBOX_KEEP_DAYS))
    deleted, _by_model = old.delete()
    return deleted


def delete_forgotten_progress(now: datetime) -> int:
    """Steps marked done by readers who have not acted for longer than their reader cookie lasts
    (``GUIDES_READER_COOKIE_DAYS``): nobody can ever be shown that progress again."""
    since = now - timedelta(days=settings.GUIDES_READER_COOKIE_DAYS)
    active = [
        StepCompletion.objects.filter(created_at__gte=since).values("reader_key"),
        GuideVote.objects.filter(updated_at__gte=since).values("reader_key"),
        StepReport.objects.filter(created_at__gte=since).values("reader_key"),
    ]
    forgotten = StepCompletion.objects.filter(created_at__lt=since)
    for keys in active:
        forgotten = forgotten.exclude(reader_key__in=keys)
    deleted, _by_model = forgotten.delete()
    return deleted


def delete_expired_sessions(now: datetime) -> int:
    """Signed-in editors' sessions past their expiry (Django's ``clearsessions``, counted)."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


def delete_expired_rate_limit_counters(now: datetime) -> int:
    deleted, _by_model = RateLimitCounter.objects.filter(expires_at__lt=now).delete()
    return deleted


def delete_old_missed_searches(now: datetime) -> int:
    """Counts of searches without results older than ``GUIDES_MISSED_SEARCH_DAYS``."""
    # Days are the site's local days, as counted (``guides.search.missed``), not UTC's.
    since = timezone.localdate(now) - timedelta(days=settings.GUIDES_MISSED_SEARCH_DAYS)
    deleted, _by_model = MissedSearch.objects.filter(day__lt=since).delete()
    return deleted


STEPS = [
    PurgeStep("readers' contact e-mails erased", erase_expired_contact_emails),
    PurgeStep("sent or given-up e-mails deleted from the outbox", delete_old_outbox_messages),
    PurgeStep("steps marked done by readers gone for good deleted", delete_forgotten_progress),
    PurgeStep("expired sessions deleted", delete_expired_sessions),
    PurgeStep("expired rate-limit counters deleted", delete_expired_rate_limit_counters),
    PurgeStep("old counts of searches without results deleted", delete_old_missed_searches),
]
