"""Readers' actions are protected by what the browser says of where a request comes from
(Sec-Fetch-Site, Origin), not by a token in the page: pages stay the same for everyone, and
another site still cannot act on a reader's behalf."""

import pytest
from django.test import Client

from guides.models import StepCompletion
from tests.factories import step_url

pytestmark = pytest.mark.django_db


def mark_done(guide, **headers):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    return client.post(step_url(guide.steps.first(), "done", "en"), {"done": "1"}, **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "none"},  # typed in, or from a bookmark
        {"HTTP_ORIGIN": "http://testserver"},  # a browser from before Sec-Fetch-Site
        {},  # no browser's form or script: nobody's cookie is being abused
    ],
    ids=["same-origin", "user-initiated", "old-browser-same-host", "not-a-browser"],
)
def test_it_accepts_this_sites_own_forms_without_a_token(guide, headers):
    assert mark_done(guide, **headers).status_code == 303
    assert StepCompletion.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://shop.testserver"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},  # an old browser, from another site
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame or a file
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},  # forged Origin
    ],
    ids=["cross-site", "same-site", "cross-site-no-origin", "old-browser-other-origin", "null-origin", "forged-origin"],
)
def test_it_refuses_other_sites_with_a_message(guide, headers):
    response = mark_done(guide, **headers)
    assert response.status_code == 403
    assert "This form was sent from another site" in response.content.decode()
    assert StepCompletion.objects.count() == 0


def test_a_trusted_origin_may_send_readers_actions(guide, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://partner.example"]
    headers = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://partner.example"}
    assert mark_done(guide, **headers).status_code == 303


def test_the_refusal_speaks_french_to_a_french_reader(guide):
    response = Client().post(step_url(guide.steps.first(), "done"), {"done": "1"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert "un autre site" in response.content.decode()


def test_the_admin_keeps_csrf_tokens(admin_user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert strict.post("/admin/guides/platform/add/", {"slug": "x", "name_fr": "X"}).status_code == 403
