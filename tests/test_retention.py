"""What the nightly `purge_expired_data` removes besides contact e-mails and old outbox messages:
progress no reader can see again, expired sessions, spent rate-limit counters. What is still in
use stays."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from guides.models import GuideVote, RateLimitCounter, StepCompletion
from guides.ratelimit import first_use

pytestmark = pytest.mark.django_db


def purge() -> str:
    out = StringIO()
    call_command("purge_expired_data", stdout=out)
    return out.getvalue()


def age(queryset, days: int, field: str = "created_at") -> None:
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


def test_progress_of_readers_gone_for_longer_than_their_cookie_is_deleted(guide, settings):
    settings.GUIDES_READER_COOKIE_DAYS = 60
    first, second = guide.steps.order_by("position")[:2]
    gone, ticking, voting = (f"{name:0<32}" for name in ("gone", "ticking", "voting"))
    for reader in (gone, ticking, voting):
        StepCompletion.objects.create(reader_key=reader, step=first)
    age(StepCompletion.objects.all(), 61)
    StepCompletion.objects.create(reader_key=ticking, step=second)  # still ticking steps
    GuideVote.objects.create(guide=guide, helpful=True, language="fr", reader_key=voting)  # voted lately

    assert "steps marked done by readers gone for good deleted: 1" in purge()
    assert sorted(StepCompletion.objects.values_list("reader_key", flat=True)) == [ticking, ticking, voting]


def test_expired_sessions_and_spent_counters_are_deleted():
    expired, current = SessionStore(), SessionStore()
    expired.create()
    current.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    first_use("test", "spent", seconds=60)
    first_use("test", "current", seconds=60)
    RateLimitCounter.objects.filter(key__contains="spent").update(expires_at=timezone.now() - timedelta(seconds=1))

    output = purge()

    assert "expired sessions deleted: 1" in output
    assert "expired rate-limit counters deleted: 1" in output
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
    assert RateLimitCounter.objects.filter(key__contains="current").exists()
