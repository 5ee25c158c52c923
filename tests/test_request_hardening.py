"""Requests no view could handle safely get a readable 400 in the reader's language, never a 500."""

import pytest
from django.test import Client

from guides.models import Guide, Step
from tests.factories import SEEDED_GUIDE_URL

pytestmark = pytest.mark.django_db

LATIN_1_FORM = "application/x-www-form-urlencoded; charset=latin-1"


def _seeded_step_id() -> int:
    return Step.objects.filter(guide__slug_fr="dissocier-tiktok-for-business").order_by("position").first().pk


@pytest.mark.parametrize(
    "url",
    [
        SEEDED_GUIDE_URL["en"] + "vote/",
        SEEDED_GUIDE_URL["en"] + "start-over/",
        "/i18n/setlang/",
        "/admin/login/",
    ],
)
def test_a_form_in_another_charset_than_utf8_is_refused_with_a_message(url):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(url, data="helpful=yes&language=en", content_type=LATIN_1_FORM)
    assert response.status_code == 400
    assert "This form could not be read" in response.content.decode()


def test_marking_a_step_in_another_charset_is_refused_in_french():
    client = Client(enforce_csrf_checks=True)
    url = f"{SEEDED_GUIDE_URL['fr']}steps/{_seeded_step_id()}/done/"
    response = client.post(url, data="done=1", content_type=LATIN_1_FORM)
    assert response.status_code == 400
    assert "pas pu être lu" in response.content.decode()


def test_a_broken_multipart_body_is_refused_with_a_message():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/admin/login/", data=b"--x--", content_type="multipart/form-data")  # no boundary
    assert response.status_code == 400
    assert "This form could not be read" in response.content.decode()


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "django_language"])
def test_a_null_character_in_a_cookie_is_refused_with_a_message(cookie):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[cookie] = "abcdefgh\x00ijklmnop"
    response = client.get("/en/")
    assert response.status_code == 400
    assert "character that is not allowed" in response.content.decode()


def test_a_null_character_in_a_parameter_is_refused_with_a_message(admin_client):
    response = admin_client.get("/admin/guides/stepreport/?status__exact=%00")
    assert response.status_code == 400
    assert "caractère" in response.content.decode()


@pytest.mark.parametrize("selected", ["abc", "1\x00", "1.5"])
def test_an_admin_action_on_rows_that_are_not_numbers_is_refused_with_a_message(admin_client, guide, selected):
    response = admin_client.post(
        "/admin/guides/guide/", {"action": "mark_verified", "_selected_action": [str(guide.pk), selected]}
    )
    assert response.status_code == 400
    assert Guide.objects.get(pk=guide.pk).last_verified_on is None
