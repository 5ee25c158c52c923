"""Saves that overlap in time, on a real database server: the later one waits for the earlier,
then either sees its changes (a conflict to merge) or is refused; never a silent overwrite, never
an editor changing what is public, never a gap in step numbers.

Each test slows one save down from inside, so that the other one surely starts meanwhile. They
need a database where transactions really run side by side: PostgreSQL. SQLite runs one writer
at a time (IMMEDIATE transactions), so there the overlap cannot happen and the tests are skipped.
"""

import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from guides.admin import content
from guides.groups import EDITORS, PUBLISHERS
from guides.models import Guide, Platform, Step
from tests.admin_pages import NO_STEP_INLINES, admin_url, save_through_admin, versions_of
from tests.factories import make_guide
from tests.html_forms import form_fields

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs transactions that overlap: PostgreSQL"),
]

PAUSE = 1.0
SLOW = "slow save"


def signed_in(django_user_model, name: str, *groups: str) -> Client:
    user = django_user_model.objects.create_user(name, password="a-long-password-42", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(user)
    return client


def slowed_down(function):
    """``function``, pausing first when called from the thread named SLOW."""

    def slow(*args, **kwargs):
        if threading.current_thread().name == SLOW:
            time.sleep(PAUSE)
        return function(*args, **kwargs)

    return slow


def overlap(slow_save, other_save) -> tuple:
    """Start ``slow_save``, then ``other_save`` while the first is paused; their answers."""
    answers = {}

    def run(name, save):
        try:
            answers[name] = save()
        finally:
            connection.close()

    first = threading.Thread(target=run, args=(SLOW, slow_save), name=SLOW)
    first.start()
    time.sleep(PAUSE / 3)
    second = threading.Thread(target=run, args=("other", other_save))
    second.start()
    first.join()
    second.join()
    return answers[SLOW], answers["other"]


@pytest.fixture
def guide():
    return make_guide(Platform.objects.create(slug="demo", name_fr="Démo"), status=Guide.Status.DRAFT)


def test_an_editors_restore_cannot_undo_a_publication_made_meanwhile(django_user_model, guide, monkeypatch):
    editor = signed_in(django_user_model, "editor", EDITORS)
    publisher = signed_in(django_user_model, "publisher", EDITORS, PUBLISHERS)
    save_through_admin(editor, guide, lambda fields: fields.update(title_en="A draft"))
    url = f"{admin_url(guide, 'history')}{versions_of(guide)[0].pk}/"
    restore_page = form_fields(editor.get(url).content.decode(), "guide_form")
    publish = {**form_fields(publisher.get(admin_url(guide)).content.decode(), "guide_form"), "status": "published"}
    monkeypatch.setattr(content.GuideAdmin, "save_model", slowed_down(content.GuideAdmin.save_model))

    published, restored = overlap(
        lambda: publisher.post(admin_url(guide), publish),
        lambda: editor.post(url, restore_page),
    )

    assert published.status_code == 302
    # Refused: the page no longer shows what is stored (back to it), or the rule said no.
    assert (restored.status_code, restored.get("Location")) in ((302, url), (403, None))
    assert Guide.objects.get(pk=guide.pk).status == Guide.Status.PUBLISHED


@pytest.mark.parametrize("groups", [(EDITORS,), (EDITORS, PUBLISHERS)], ids=["editor", "publisher"])
def test_a_guide_form_saved_while_its_step_is_saved_does_not_revert_the_step(
    django_user_model, guide, monkeypatch, groups
):
    step = guide.steps.get(position=1)
    first = signed_in(django_user_model, "first", EDITORS)
    second = signed_in(django_user_model, "second", *groups)
    step_form = {**form_fields(first.get(admin_url(step)).content.decode(), "step_form"), "body_en": "First's body"}
    guide_form = form_fields(second.get(admin_url(guide)).content.decode(), "guide_form")
    guide_form["steps-0-title_en"] = "Second's title"
    monkeypatch.setattr(content.StepAdmin, "save_model", slowed_down(content.StepAdmin.save_model))

    step_saved, guide_saved = overlap(
        lambda: first.post(admin_url(step), step_form).status_code,
        lambda: second.post(admin_url(guide), guide_form).status_code,
    )

    assert step_saved == 302
    assert guide_saved in (200, 409)  # shown merged, or refused: either way, not saved over
    assert Step.objects.get(pk=step.pk).body_en == "First's body"


def test_a_step_deleted_while_another_is_added_leaves_no_gap(django_user_model, guide, monkeypatch):
    deleting, adding = signed_in(django_user_model, "a", EDITORS), signed_in(django_user_model, "b", EDITORS)
    last = guide.steps.get(position=3)
    # Paused once the step is deleted and the rest renumbered, before that is committed.
    monkeypatch.setattr(content, "tell_of_reports_kept", slowed_down(content.tell_of_reports_kept))
    new_step = {"guide": guide.pk, "title_fr": "Nouvelle", "title_en": "New", "surface": "app", **NO_STEP_INLINES}

    deleted, added = overlap(
        lambda: deleting.post(admin_url(last, "delete"), {"post": "yes"}).status_code,
        lambda: adding.post("/admin/guides/step/add/", new_step).status_code,
    )

    assert (deleted, added) == (302, 302)
    assert list(guide.steps.order_by("position").values_list("position", "title_fr")) == [
        (1, "Étape 1"),
        (2, "Étape 2"),
        (3, "Nouvelle"),
    ]
