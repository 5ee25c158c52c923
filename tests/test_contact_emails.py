"""Readers' contact e-mails: kept only until the reader's fix notice is sent, or for
``GUIDES_CONTACT_EMAIL_DAYS`` when the report is never fixed; in the admin, seen, searched and
filtered on only by people given their own permission."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.utils import timezone

from guides import retention
from guides.groups import EDITORS
from guides.models import OutboxMessage, StepReport
from tests.factories import make_report

pytestmark = pytest.mark.django_db

ADDRESS = "secret-reader@example.org"
REPORTS = "/admin/guides/stepreport/"


def purge() -> str:
    out = StringIO()
    call_command("purge_expired_data", stdout=out)
    return out.getvalue()


def reported(days_ago: int, step, reader: str = "reader-a", **fields) -> StepReport:
    report = make_report(step, reader, contact_email=ADDRESS, **fields)
    StepReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return report


def stored_anywhere(address: str) -> bool:
    rows = [*StepReport.objects.values(), *OutboxMessage.objects.values()]
    return address in str(rows)


# Erased once used


def test_the_address_is_gone_everywhere_once_the_fix_notice_is_sent(editor_client, guide, mailoutbox):
    report = make_report(guide.steps.get(position=1), contact_email=ADDRESS)

    editor_client.post(REPORTS, {"action": "mark_fixed", "_selected_action": [report.pk]})
    assert stored_anywhere(ADDRESS)  # in the notice waiting to be sent
    call_command("send_outbox", stdout=StringIO())

    assert [message.to for message in mailoutbox] == [[ADDRESS]]
    assert not stored_anywhere(ADDRESS)


# Erased when never used


def test_the_purge_erases_addresses_of_reports_older_than_the_retention_period(guide, settings):
    settings.GUIDES_CONTACT_EMAIL_DAYS = 90
    step = guide.steps.get(position=1)
    expired = reported(91, step, "a")
    confirmed = reported(91, step, "b", status=StepReport.Status.CONFIRMED)
    recent = reported(89, step, "c")

    output = purge()

    assert "readers' contact e-mails erased: 2\n" in output
    for report, address in ((expired, ""), (confirmed, ""), (recent, ADDRESS)):
        report.refresh_from_db()
        assert report.contact_email == address
    assert confirmed.status == StepReport.Status.CONFIRMED  # the report itself stays
    assert "readers' contact e-mails erased: 0\n" in purge()


def test_the_purge_deletes_outbox_messages_sent_or_given_up_a_month_ago():
    now = timezone.now()

    def message(days_ago: int, **state) -> OutboxMessage:
        kept = OutboxMessage.objects.create(subject="s", body="b", **state)
        OutboxMessage.objects.filter(pk=kept.pk).update(created_at=now - timedelta(days=days_ago))
        return kept

    message(31, sent_at=now, next_attempt_at=None)
    message(31, next_attempt_at=None, last_error="gave up")
    recent = message(29, sent_at=now, next_attempt_at=None)
    waiting = message(31, to=["someone@example.org"])

    output = purge()

    assert "sent or given-up e-mails deleted from the outbox: 2\n" in output
    assert set(OutboxMessage.objects.all()) == {recent, waiting}


def test_a_failing_purge_step_undoes_only_its_own_work_and_fails_the_command(guide, monkeypatch):
    reported(400, guide.steps.get(position=1))

    def failing(now):
        OutboxMessage.objects.all().delete()
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "STEPS", [retention.PurgeStep("broken", failing), *retention.STEPS])
    OutboxMessage.objects.create(subject="s", body="b")
    out = StringIO()

    with pytest.raises(CommandError, match="broken"):
        call_command("purge_expired_data", stdout=out)

    assert OutboxMessage.objects.count() == 1
    assert "readers' contact e-mails erased: 1" in out.getvalue()
    assert not StepReport.objects.exclude(contact_email="").exists()


# Who sees them


@pytest.fixture
def report(guide) -> StepReport:
    return make_report(guide.steps.get(position=1), contact_email=ADDRESS, seen_instead="Autre bouton.")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_editors_never_see_readers_addresses(editor_client, report, language):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}

    listing = editor_client.get(REPORTS, **headers)
    detail = editor_client.get(f"{REPORTS}{report.pk}/change/", **headers)
    searched = editor_client.get(f"{REPORTS}?q=secret-reader", **headers)

    assert listing.status_code == detail.status_code == searched.status_code == 200
    assert "Autre bouton." in detail.content.decode()
    for page in (listing, detail, searched):
        assert ADDRESS not in page.content.decode()
    assert searched.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "lookup",
    [
        "contact_email",
        "contact_email__startswith",
        "contact_email__iexact",
        "guide__reports__contact_email__startswith",
    ],
)
def test_filtering_on_addresses_is_refused_to_editors(editor_client, report, lookup):
    assert editor_client.get(f"{REPORTS}?{lookup}={ADDRESS[:1]}").status_code == 400


def test_people_given_the_permission_see_search_and_filter_addresses(client, django_user_model, report):
    user = django_user_model.objects.create_user("answers", password="answers-password-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_stepreport", "change_stepreport", "view_contact_email"])
    )
    client.force_login(user)

    assert ADDRESS in client.get(f"{REPORTS}{report.pk}/change/").content.decode()
    assert client.get(f"{REPORTS}?q=secret-reader").context["cl"].result_count == 1
    assert client.get(f"{REPORTS}?contact_email={ADDRESS}").context["cl"].result_count == 1


def test_superusers_see_addresses(admin_client, report):
    assert ADDRESS in admin_client.get(f"{REPORTS}{report.pk}/change/").content.decode()


def test_the_editors_group_is_not_given_the_permission():
    permission = Permission.objects.get(codename="view_contact_email")
    assert permission.name == "Can see readers' contact e-mails"
    assert not Group.objects.get(name=EDITORS).permissions.filter(pk=permission.pk).exists()
