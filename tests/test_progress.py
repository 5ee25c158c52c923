"""Readers tick steps off, see how far they are, and start over."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides.models import Guide, StepCompletion
from tests.factories import guide_url, make_guide, step_url

pytestmark = pytest.mark.django_db


def progress_label(html: str) -> str:
    return re.search(r'id="progress-label">([^<]*)<', html).group(1)


def test_marking_a_step_done_without_javascript_redirects_to_the_step(client, guide):
    step = guide.steps.get(position=2)
    response = client.post(step_url(step, "done"), {"done": "1"})
    assert response.status_code == 303
    assert response["Location"] == f"/fr/demo/guide/#step-{step.pk}"
    assert StepCompletion.objects.filter(step=step).count() == 1


def test_the_guide_page_shows_the_progress_and_where_to_continue(client, guide):
    first, second, _third = guide.steps.order_by("position")
    client.post(step_url(first, "done"), {"done": "1"})
    page = client.get(guide_url(guide, language="en")).content.decode()
    assert progress_label(page) == "1 of 3 steps done"
    assert '<progress max="3" value="1"' in page
    assert f'href="#step-{second.pk}">Continue at step 2</a>' in page
    assert f'<li class="step is-done" id="step-{first.pk}">' in page
    assert "Start over" in page


def test_progress_is_kept_per_reader(client, guide):
    client.post(step_url(guide.steps.first(), "done"), {"done": "1"})
    someone_else = Client()
    assert progress_label(someone_else.get(guide_url(guide, language="en")).content.decode()) == "0 of 3 steps done"


def test_marking_twice_counts_once_and_undo_removes_it(client, guide):
    step = guide.steps.first()
    client.post(step_url(step, "done"), {"done": "1"})
    client.post(step_url(step, "done"), {"done": "1"})
    assert StepCompletion.objects.count() == 1
    client.post(step_url(step, "done"), {"done": "0"})
    assert StepCompletion.objects.count() == 0


def test_start_over_clears_only_this_guides_progress(client, guide):
    other = make_guide(guide.platform, slug="other")
    for step in [*guide.steps.all(), other.steps.first()]:
        client.post(step_url(step, "done"), {"done": "1"})
    response = client.post(guide_url(guide, "start-over"))
    assert response.status_code == 303
    assert response["Location"] == "/fr/demo/guide/#steps-title"
    assert list(StepCompletion.objects.values_list("step__guide", flat=True)) == [other.pk]


def test_the_htmx_answer_is_a_small_fragment_with_the_progress_out_of_band(htmx, guide):
    step = guide.steps.get(position=1)
    response = htmx.post(step_url(step, "done", "en"), {"done": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert len(response.content) < 5000
    assert "<html" not in body
    assert body.lstrip().startswith(f'<li class="step is-done" id="step-{step.pk}">')
    assert '<div class="progress" id="progress" hx-swap-oob="true">' in body
    assert progress_label(body) == "1 of 3 steps done"
    assert 'hx-swap-oob="innerHTML">Step 1 marked as done.</div>' in body
    assert 'name="done" value="0"' in body
    assert response["Vary"].count("HX-Request") == 1


def test_the_htmx_start_over_answers_with_the_steps_and_progress(htmx, guide):
    htmx.post(step_url(guide.steps.first(), "done"), {"done": "1"})
    response = htmx.post(guide_url(guide, "start-over", "en"))
    body = response.content.decode()
    assert body.lstrip().startswith('<ol class="steps" id="steps"')
    assert progress_label(body) == "0 of 3 steps done"
    assert "is-done" not in body


def test_progress_lives_in_a_signed_cookie_of_its_own_and_no_session(client, guide):
    response = client.post(step_url(guide.steps.first(), "done"), {"done": "1"})
    cookie = response.cookies["reader"]
    assert cookie["max-age"] >= 30 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    key = StepCompletion.objects.get().reader_key
    assert key in cookie.value and cookie.value != key  # signed, not the bare key


def test_a_forged_reader_cookie_reads_no_ones_progress(client, guide):
    client.post(step_url(guide.steps.first(), "done"), {"done": "1"})
    victim = StepCompletion.objects.get().reader_key
    intruder = Client()
    intruder.cookies["reader"] = victim
    assert progress_label(intruder.get(guide_url(guide, language="en")).content.decode()) == "0 of 3 steps done"
    intruder.post(step_url(guide.steps.last(), "done"), {"done": "1"})
    assert StepCompletion.objects.filter(reader_key=victim).count() == 1


def test_a_reader_whose_key_was_in_the_session_keeps_their_progress(client, guide):
    session = SessionStore()
    session["reader_key"] = "a" * 32
    session.save()
    StepCompletion.objects.create(reader_key="a" * 32, step=guide.steps.first())
    client.cookies["sessionid"] = session.session_key
    response = client.get(guide_url(guide, language="en"))
    assert progress_label(response.content.decode()) == "1 of 3 steps done"
    assert "a" * 32 in response.cookies["reader"].value


def test_an_edited_step_tells_the_reader_it_changed_since(client, guide):
    step = guide.steps.first()
    client.post(step_url(step, "done"), {"done": "1"})
    assert "changed since you marked it done" not in client.get(guide_url(guide, language="en")).content.decode()
    step.body_en = "New instructions."
    step.save()
    assert "changed since you marked it done" in client.get(guide_url(guide, language="en")).content.decode()


def test_the_page_query_count_is_the_same_for_7_and_100_steps_for_a_reader_with_progress(client, platform):
    short = make_guide(platform, slug="short", steps=7)
    long = make_guide(platform, slug="long", steps=100)
    for guide in (short, long):
        for step in guide.steps.all()[:5]:
            client.post(step_url(step, "done"), {"done": "1"})

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(guide_url(short)) == count(guide_url(long)) <= 7


# Bad input: every write endpoint refuses with a message and stores nothing.


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_marking_refuses_other_methods(client, guide, method):
    response = getattr(client, method)(step_url(guide.steps.first(), "done", "en"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "only accepts a form sent from a guide page" in response.content.decode()


def test_marking_refuses_a_request_from_another_site(guide):
    url = step_url(guide.steps.first(), "done", "en")
    response = Client(enforce_csrf_checks=True).post(url, {"done": "1"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert "sent from another site" in response.content.decode()
    assert StepCompletion.objects.count() == 0


def test_start_over_refuses_a_request_from_another_site(client, guide):
    client.post(step_url(guide.steps.first(), "done"), {"done": "1"})
    response = client.post(guide_url(guide, "start-over", "fr"), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert StepCompletion.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "put"])
def test_start_over_refuses_other_methods(client, guide, method):
    assert getattr(client, method)(guide_url(guide, "start-over")).status_code == 405


def test_marking_refuses_another_guides_step(client, guide):
    other = make_guide(guide.platform, slug="other")
    wrong = f"/fr/demo/guide/steps/{other.steps.first().pk}/done/"
    response = client.post(wrong, {"done": "1"})
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert StepCompletion.objects.count() == 0


@pytest.mark.parametrize("status", [Guide.Status.DRAFT, Guide.Status.ARCHIVED])
def test_marking_refuses_an_unpublished_guides_step(client, platform, status):
    hidden = make_guide(platform, slug="hidden", status=status)
    assert client.post(step_url(hidden.steps.first(), "done"), {"done": "1"}).status_code == 404
    assert client.post(guide_url(hidden, "start-over")).status_code == 404
    assert StepCompletion.objects.count() == 0


def test_marking_refuses_an_unknown_step(client, guide):
    assert client.post("/fr/demo/guide/steps/999999/done/", {"done": "1"}).status_code == 404


@pytest.mark.parametrize("data", [{}, {"done": "yes"}, {"done": "1" * 5000}])
def test_marking_refuses_bad_values(client, guide, data):
    response = client.post(step_url(guide.steps.first(), "done", "en"), data)
    assert response.status_code == 400
    assert "Choose whether the step is done or not." in response.content.decode()
    assert StepCompletion.objects.count() == 0


def test_htmx_refusals_are_fragments_aimed_at_the_alert_region(htmx, guide):
    response = htmx.post("/fr/demo/guide/steps/999999/done/", {"done": "1"})
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#flash"
    assert "<html" not in response.content.decode()
    assert "n&#x27;est plus disponible" in response.content.decode()


def test_a_client_bringing_far_more_new_readers_than_people_is_slowed_down(guide, settings):
    settings.GUIDES_NEW_READERS_PER_WINDOW = 3
    step = guide.steps.first()
    answers = [
        Client(HTTP_ACCEPT_LANGUAGE="en").post(step_url(step, "done", "en"), {"done": "1"}, REMOTE_ADDR="192.0.2.9")
        for _ in range(4)
    ]
    assert [answer.status_code for answer in answers] == [303, 303, 303, 429]
    assert "Please wait a few minutes" in answers[-1].content.decode()
    assert StepCompletion.objects.count() == 3
    # A reader who keeps their cookie is not a new reader: never slowed down by others.
    reader = Client(REMOTE_ADDR="192.0.2.10")
    for done in "1010":
        assert reader.post(step_url(step, "done", "en"), {"done": done}).status_code == 303


def test_only_actions_that_leave_a_dated_trace_prolong_the_reader_cookie(client, guide):
    first = guide.steps.first()
    assert "reader" in client.post(step_url(first, "done"), {"done": "1"}).cookies
    for undo in (client.post(step_url(first, "done"), {"done": "0"}), client.post(guide_url(guide, "start-over"))):
        assert "reader" not in undo.cookies  # the purge dates readers by rows these leave none of
    assert "reader" in client.post(step_url(first, "done"), {"done": "1"}).cookies
