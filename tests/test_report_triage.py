"""Editors triage readers' reports: a queue by step, bulk actions, the status change noted,
one click from a report to its step, and the count on the admin index."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags

from guides import triage
from guides.models import Guide, StepReport
from tests.factories import make_guide, make_report
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db

QUEUE = "/admin/guides/stepreport/queue/"
REPORTS = "/admin/guides/stepreport/"


def reported_at(report: StepReport, hours_ago: int) -> StepReport:
    StepReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    report.refresh_from_db()
    return report


def staff_with(django_user_model, *codenames: str):
    user = django_user_model.objects.create_user("staff", password="staff-password-123", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="guides", codename__in=codenames))
    return user


def run_action(client, action: str, reports: list[StepReport], **headers):
    data = {"action": action, "_selected_action": [str(report.pk) for report in reports]}
    return client.post(REPORTS, data, **headers)


# The queue


def test_it_groups_open_reports_by_step_with_readers_devices_and_versions(admin_client, guide):
    first, second = guide.steps.get(position=1), guide.steps.get(position=2)
    make_report(first, "a", device=StepReport.Device.IOS, app_version="38.10")
    make_report(first, "b", device=StepReport.Device.ANDROID, app_version="38.9")
    make_report(first, "c", device=StepReport.Device.IOS, app_version="38.9")
    latest = make_report(first, "d", device=StepReport.Device.IOS, seen_instead="Le menu a disparu.")
    make_report(second, "a", app_version="38.9")

    queue = admin_client.get(QUEUE).context["reported_steps"]

    assert [(item.step, item.readers) for item in queue] == [(first, 4), (second, 1)]
    assert queue[0].latest == latest
    assert queue[0].devices == ["Android", "iPhone ou iPad (iOS)"]
    assert queue[0].app_versions == ["38.9", "38.10"]
    assert queue[1].devices == ["Android"]


def test_it_shows_the_latest_report_and_links_to_the_step_and_its_reports(admin_client, guide):
    step = guide.steps.get(position=2)
    reported_at(make_report(step, "a", seen_instead="Un ancien texte."), hours_ago=3)
    make_report(step, "b", seen_instead="Le bouton dit « Centre de comptes ».", app_version="38.2")

    page = admin_client.get(QUEUE).content.decode()

    assert "Le bouton dit « Centre de comptes »." in page
    assert "Un ancien texte." not in page
    assert f'href="/admin/guides/step/{step.pk}/change/"' in page
    assert f'href="{REPORTS}?original_step_id={step.pk}"' in page
    filtered = admin_client.get(f"{REPORTS}?original_step_id={step.pk}")
    assert filtered.context["cl"].result_count == 2


def test_it_leaves_handled_reports_out_of_the_queue(admin_client, guide):
    step = guide.steps.get(position=1)
    make_report(step, "a", status=StepReport.Status.FIXED)
    make_report(step, "b", status=StepReport.Status.DISMISSED)
    confirmed = make_report(guide.steps.get(position=2), "a", status=StepReport.Status.CONFIRMED)

    queue = admin_client.get(QUEUE).context["reported_steps"]

    assert [(item.step, item.readers) for item in queue] == [(confirmed.step, 1)]


def test_it_puts_the_steps_most_readers_reported_first_then_the_latest(admin_client, guide):
    one, two, three = guide.steps.order_by("position")
    reported_at(make_report(one, "a"), hours_ago=5)
    reported_at(make_report(one, "b"), hours_ago=4)
    reported_at(make_report(two, "a"), hours_ago=3)
    reported_at(make_report(three, "a"), hours_ago=1)

    queue = admin_client.get(QUEUE).context["reported_steps"]

    assert [item.step for item in queue] == [one, three, two]


def test_it_keeps_the_queue_to_the_same_queries_however_many_steps(admin_client, platform):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(QUEUE).status_code == 200
        return len(captured)

    short = make_guide(platform, steps=2, slug="short")
    for step in short.steps.all():
        make_report(step)
    with_two = queries()
    long = make_guide(platform, steps=20, slug="long")
    for step in long.steps.all():
        make_report(step, "a", app_version="1.0")
        make_report(step, "b", device=StepReport.Device.WEB)

    assert len(admin_client.get(QUEUE).context["reported_steps"]) == 22
    assert queries() == with_two


def test_it_refuses_the_queue_to_staff_without_the_view_permission(client, django_user_model, guide):
    client.force_login(staff_with(django_user_model))
    assert client.get(QUEUE).status_code == 403


def test_it_opens_the_queue_to_staff_who_may_view_reports(client, django_user_model, guide):
    client.force_login(staff_with(django_user_model, "view_stepreport"))
    assert client.get(QUEUE).status_code == 200


def test_it_sends_visitors_who_are_not_signed_in_to_the_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_links_to_the_queue_from_the_report_list(editor_client):
    assert f'href="{QUEUE}"' in editor_client.get(REPORTS).content.decode()


# Bulk actions


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("confirm", StepReport.Status.CONFIRMED),
        ("mark_fixed", StepReport.Status.FIXED),
        ("dismiss", StepReport.Status.DISMISSED),
    ],
)
def test_it_changes_the_status_of_selected_reports_and_notes_who(admin_client, admin_user, guide, action, status):
    chosen = [make_report(guide.steps.get(position=1)), make_report(guide.steps.get(position=2))]
    other = make_report(guide.steps.get(position=3))

    response = run_action(admin_client, action, chosen)

    assert response.status_code == 302
    for report in chosen:
        report.refresh_from_db()
        assert (report.status, report.handled_by) == (status, admin_user)
        assert timezone.now() - report.handled_at < timedelta(minutes=1)
    other.refresh_from_db()
    assert (other.status, other.handled_by, other.handled_at) == (StepReport.Status.NEW, None, None)


def test_it_says_how_many_reports_changed(admin_client, admin_user, guide):
    fresh = make_report(guide.steps.get(position=1))
    already = make_report(guide.steps.get(position=2), status=StepReport.Status.CONFIRMED)

    response = run_action(admin_client, "confirm", [fresh, already], HTTP_ACCEPT_LANGUAGE="en")

    assert [str(message) for message in get_messages(response.wsgi_request)] == ["1 report is now “Confirmed”."]
    already.refresh_from_db()
    assert already.handled_by is None  # it was not changed, so nobody handled it now


def test_it_lets_a_member_of_the_editors_group_run_the_actions(editor_client, editor, guide):
    report = make_report(guide.steps.get(position=1))
    assert 'value="mark_fixed"' in editor_client.get(REPORTS).content.decode()

    run_action(editor_client, "mark_fixed", [report])

    report.refresh_from_db()
    assert (report.status, report.handled_by) == (StepReport.Status.FIXED, editor)


def test_it_keeps_the_actions_from_staff_who_may_only_view(client, django_user_model, guide):
    client.force_login(staff_with(django_user_model, "view_stepreport"))
    report = make_report(guide.steps.get(position=1))

    assert 'value="mark_fixed"' not in client.get(REPORTS).content.decode()
    run_action(client, "mark_fixed", [report])

    report.refresh_from_db()
    assert (report.status, report.handled_by) == (StepReport.Status.NEW, None)


# The change form and the list


def change_url(report: StepReport) -> str:
    return f"{REPORTS}{report.pk}/change/"


def test_it_notes_who_changed_the_status_in_the_change_form(editor_client, editor, guide):
    report = make_report(guide.steps.get(position=1), seen_instead="Ce que le lecteur a écrit.")
    fields = form_fields(editor_client.get(change_url(report)).content.decode(), "stepreport_form")
    fields.update(status=StepReport.Status.CONFIRMED, seen_instead="Réécrit par quelqu'un.")

    response = editor_client.post(change_url(report), fields)

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.handled_by) == (StepReport.Status.CONFIRMED, editor)
    assert report.handled_at is not None
    assert report.seen_instead == "Ce que le lecteur a écrit."


def test_it_leaves_a_report_unhandled_when_the_status_did_not_change(editor_client, guide):
    report = make_report(guide.steps.get(position=1))
    fields = form_fields(editor_client.get(change_url(report)).content.decode(), "stepreport_form")

    assert editor_client.post(change_url(report), fields).status_code == 302

    report.refresh_from_db()
    assert (report.status, report.handled_by, report.handled_at) == (StepReport.Status.NEW, None, None)


def test_it_is_one_click_from_a_report_to_its_step(editor_client, guide):
    step = guide.steps.get(position=2)
    report = make_report(step)
    step_link = f'<a href="/admin/guides/step/{step.pk}/change/">Étape 2</a>'

    assert step_link in editor_client.get(REPORTS).content.decode()
    assert step_link in editor_client.get(change_url(report)).content.decode()


def readonly_value(page: str, field: str) -> str:
    found = re.search(rf'class="form-row field-{field}".*?<div class="readonly">(.*?)</div>', page, re.DOTALL)
    return strip_tags(found.group(1)).strip() if found else ""


def test_it_shows_who_handled_a_report_and_when_in_the_list_and_the_form(editor_client, editor, guide):
    report = make_report(guide.steps.get(position=1))
    triage.handle(StepReport.objects.filter(pk=report.pk), StepReport.Status.DISMISSED, editor)
    report.refresh_from_db()
    when = date_format(timezone.localtime(report.handled_at), "DATETIME_FORMAT")

    listing = editor_client.get(REPORTS).content.decode()
    form = editor_client.get(change_url(report)).content.decode()

    assert '<td class="field-handled_by_name">editor</td>' in listing
    assert f'<td class="field-handled_at nowrap">{when}</td>' in listing
    assert (readonly_value(form, "handled_by_name"), readonly_value(form, "handled_at")) == ("editor", when)
    assert "/admin/auth/user/" not in form  # editors may not open users' pages


# The admin index


def test_it_counts_new_reports_and_guides_to_review_on_the_admin_index(admin_client, guide):
    make_report(guide.steps.get(position=1), "a")
    make_report(guide.steps.get(position=1), "b")
    make_report(guide.steps.get(position=2), "a", status=StepReport.Status.CONFIRMED)
    to_review = Guide.objects.to_review().count()

    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'<a href="{QUEUE}">2 new reports</a>' in page
    guides = f"{to_review} guide due for verification" if to_review == 1 else f"{to_review} guides due for verification"
    assert f'<a href="/admin/guides/guide/?review=due">{guides}</a>' in page


def test_it_uses_the_singular_for_one_new_report(admin_client, guide):
    make_report(guide.steps.get(position=1))
    assert (
        f'<a href="{QUEUE}">1 new report</a>' in admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_it_keeps_the_counts_off_the_apps_own_index(admin_client):
    response = admin_client.get("/admin/guides/")
    assert response.status_code == 200
    assert "editors-to-do" not in response.content.decode()


def test_reopening_a_report_never_gives_a_reader_two_open_reports_on_a_step(editor_client, guide):
    step = guide.steps.get(position=1)
    closed = make_report(step, "a", status=StepReport.Status.FIXED)
    make_report(step, "a")  # the same reader reported the step again since
    response = editor_client.post(REPORTS, {"action": "confirm", "_selected_action": [closed.pk]})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.status == StepReport.Status.FIXED
    fields = form_fields(editor_client.get(change_url(closed)).content.decode(), "stepreport_form")
    fields["status"] = "new"
    assert editor_client.post(change_url(closed), fields).status_code == 302
    closed.refresh_from_db()
    assert closed.status == StepReport.Status.FIXED
    assert StepReport.objects.open().filter(step=step, reader_key="a").count() == 1
