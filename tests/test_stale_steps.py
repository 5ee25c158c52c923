"""A step readers suddenly stop at is flagged for editors, with the numbers behind it: the share
of the previous step's readers who go on to it fell sharply lately, with enough readers to mean
something."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guides.models import StepCompletion
from guides.stale_steps import stale_steps
from tests.admin_pages import admin_url

pytestmark = pytest.mark.django_db


def readers_did(step, count: int, days_ago: int, prefix: str) -> None:
    StepCompletion.objects.bulk_create(
        [StepCompletion(reader_key=f"{prefix}-{number}", step=step) for number in range(count)]
    )
    StepCompletion.objects.filter(step=step, reader_key__startswith=f"{prefix}-").update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.fixture
def readers_stop_at_step_2(guide):
    first, second, third = guide.steps.order_by("position")
    readers_did(first, 40, days_ago=30, prefix="before")
    readers_did(second, 36, days_ago=30, prefix="before")
    readers_did(third, 35, days_ago=30, prefix="before")
    readers_did(first, 30, days_ago=3, prefix="lately")
    readers_did(second, 6, days_ago=3, prefix="lately")
    readers_did(third, 6, days_ago=3, prefix="lately")
    return second


def test_a_step_readers_stopped_going_on_to_is_flagged_with_its_numbers(guide, readers_stop_at_step_2):
    [flagged] = stale_steps()
    assert flagged.step == readers_stop_at_step_2
    assert (flagged.before_readers, flagged.recent_readers) == (40, 30)
    assert (flagged.before_percent, flagged.recent_percent) == (90, 20)
    assert flagged.since == timezone.localdate(timezone.now() - timedelta(days=14))


def test_too_few_readers_or_a_steady_share_flag_nothing(guide, settings):
    first, second, _third = guide.steps.order_by("position")
    readers_did(first, 40, days_ago=30, prefix="before")
    readers_did(second, 36, days_ago=30, prefix="before")
    readers_did(first, 10, days_ago=3, prefix="few")  # fewer than GUIDES_STALE_MIN_READERS
    readers_did(second, 1, days_ago=3, prefix="few")
    assert stale_steps() == []
    readers_did(first, 30, days_ago=2, prefix="steady")
    readers_did(second, 30, days_ago=2, prefix="steady")
    assert stale_steps() == []  # 31 of 40 lately: no sharp fall


def test_editors_see_it_on_the_guides_funnel_and_the_admin_index(editor_client, guide, readers_stop_at_step_2):
    funnel = editor_client.get(admin_url(guide, "funnel"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="stale-step-{readers_stop_at_step_2.pk}"' in funnel
    assert "20% of the 30 readers of the step before went on to it, against 90% of 40" in funnel
    index = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="stale-steps"' in index and "step 2: 20% of readers go on to it, against 90% before" in index
