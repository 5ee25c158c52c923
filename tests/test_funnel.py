"""Where readers get stuck: per step, the readers who marked it done and the reports it drew,
counted in a constant number of queries and drawn without JavaScript."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides.funnel import FunnelRow, funnel_for, is_drop
from guides.models import Guide, StepCompletion, StepReport
from tests.factories import make_guide, step_url

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
DROP_NOTE = "More than half of the readers stop here"


def funnel_url(guide) -> str:
    return f"/admin/guides/guide/{guide.pk}/funnel/"


def readers_go_as_far_as(guide, last_steps: list[int]) -> None:
    """One reader per number: each marks steps 1..number done, through the reader's pages."""
    steps = list(guide.steps.order_by("position"))
    for last in last_steps:
        reader = Client()
        for step in steps[:last]:
            response = reader.post(step_url(step, "done"), {"done": "1"})
            assert response.status_code == 303


def report(step, reader: str, status=StepReport.Status.NEW) -> StepReport:
    return StepReport.objects.create(
        step=step,
        language="fr",
        problem=StepReport.Problem.MISSING,
        seen_instead="Rien",
        device=StepReport.Device.ANDROID,
        reader_key=reader,
        status=status,
    )


@pytest.fixture
def followed_guide(platform):
    """Eight readers start; six go on to step 2 (not a drop); two reach step 3 (a drop); one
    reaches step 4 (half exactly, not a drop: the rule is "more than half")."""
    guide = make_guide(platform, steps=4)
    readers_go_as_far_as(guide, [1, 1, 2, 2, 2, 2, 3, 4])
    second, third = guide.steps.get(position=2), guide.steps.get(position=3)
    report(second, "a" * 32)
    report(second, "b" * 32, StepReport.Status.FIXED)
    report(third, "c" * 32, StepReport.Status.CONFIRMED)
    report(third, "d" * 32, StepReport.Status.DISMISSED)
    report(third, "e" * 32)
    return guide


def test_it_counts_readers_and_reports_as_the_database_holds_them(followed_guide):
    expected = []
    previous = 0
    for step in followed_guide.steps.order_by("position"):
        done = StepCompletion.objects.filter(step=step).values("reader_key").distinct().count()
        expected.append(
            FunnelRow(
                step_id=step.pk,
                position=step.position,
                title=step.title,
                done=done,
                reports=StepReport.objects.filter(step=step).count(),
                open_reports=StepReport.objects.filter(step=step).open().count(),
                drop=previous > 0 and done < previous / 2,
            )
        )
        previous = done

    assert funnel_for(followed_guide) == expected
    assert [(row.done, row.reports, row.open_reports) for row in expected] == [
        (8, 0, 0),
        (6, 2, 1),
        (2, 3, 2),
        (1, 0, 0),
    ]


def test_a_step_is_flagged_only_where_more_than_half_of_the_readers_stop(followed_guide):
    assert [row.drop for row in funnel_for(followed_guide)] == [False, False, True, False]


@pytest.mark.parametrize(
    ("previous", "done", "drop"),
    [(0, 0, False), (1, 0, True), (4, 2, False), (5, 2, True), (3, 1, True), (10, 10, False), (2, 3, False)],
)
def test_a_drop_is_a_fall_below_half_of_the_previous_step(previous, done, drop):
    assert is_drop(previous, done) is drop


def test_the_page_draws_the_funnel_and_says_where_readers_stop(editor_client, followed_guide):
    response = editor_client.get(funnel_url(followed_guide), **ENGLISH)

    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr class="funnel-row( funnel-drop)?" id="funnel-step-(\d+)">', html)
    third = followed_guide.steps.get(position=3)
    assert [(bool(drop), int(pk)) for drop, pk in rows] == [
        (pk == third.pk, pk) for pk in followed_guide.steps.order_by("position").values_list("pk", flat=True)
    ]
    assert html.count(DROP_NOTE) == 1
    # Bars are scaled to the largest count: 8 readers is the full width, 2 is a quarter.
    assert html.count('class="funnel-bar done" style="width: 100%"') == 1
    assert 'class="funnel-bar done" style="width: 25%"' in html
    assert 'class="funnel-bar reports" style="width: 100%"' in html
    assert "2 open" in html and "1 open" in html


def test_the_page_needs_no_script_of_its_own(editor_client, followed_guide):
    html = editor_client.get(funnel_url(followed_guide)).content.decode()

    content = html[html.index('id="content-main"') :]
    assert "<script" not in content
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert all(source.startswith("/static/admin/") for source in sources), sources
    assert not re.search(r"chart|d3|plotly|highcharts", " ".join(sources), re.IGNORECASE)


def test_a_guide_with_no_steps_says_so(editor_client, platform):
    guide = make_guide(platform, steps=0)
    response = editor_client.get(funnel_url(guide), **ENGLISH)
    assert response.status_code == 200
    assert "This guide has no steps yet." in response.content.decode()


def queries_for_funnel_page(client, guide) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(funnel_url(guide)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_steps(editor_client, platform):
    short = make_guide(platform, steps=3, slug="short")
    long = make_guide(platform, steps=30, slug="long")
    readers_go_as_far_as(short, [3, 2])
    readers_go_as_far_as(long, [30, 12])
    report(long.steps.get(position=7), "f" * 32)
    queries_for_funnel_page(editor_client, short)  # warm up per-process caches (content types)

    assert queries_for_funnel_page(editor_client, short) == queries_for_funnel_page(editor_client, long)
    with CaptureQueriesContext(connection) as queries:
        assert len(funnel_for(long)) == 30
    assert len(queries) == 1


def test_the_page_needs_permission_to_view_guides(client, django_user_model, followed_guide):
    assert client.get(funnel_url(followed_guide)).status_code == 302  # to the login page

    nobody = django_user_model.objects.create_user("nobody", password="x-long-password-1", is_staff=True)
    client.force_login(nobody)
    assert client.get(funnel_url(followed_guide)).status_code == 403

    nobody.user_permissions.add(Permission.objects.get(codename="view_guide"))
    assert client.get(funnel_url(followed_guide)).status_code == 200


def test_an_unknown_guide_is_not_found(editor_client, guide):
    assert editor_client.get("/admin/guides/guide/999999/funnel/").status_code == 404


def test_the_guide_change_page_links_to_the_funnel_and_keeps_its_tools(editor_client, guide):
    html = editor_client.get(f"/admin/guides/guide/{guide.pk}/change/", **ENGLISH).content.decode()

    assert f'<a href="{funnel_url(guide)}" class="funnellink">Where readers get stuck</a>' in html
    assert 'class="historylink"' in html
    assert "adminsortable2" in html  # drag and drop of the inlines is still there


def test_the_guide_list_can_show_a_link_to_each_funnel(editor_client, guide, monkeypatch):
    guide_admin = admin.site._registry[Guide]
    monkeypatch.setattr(guide_admin, "list_display", [*guide_admin.list_display, "funnel_link"])

    html = editor_client.get("/admin/guides/guide/", **ENGLISH).content.decode()

    assert f'<a href="{funnel_url(guide)}">Where readers get stuck</a>' in html
