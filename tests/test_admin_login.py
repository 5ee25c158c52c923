"""Signing in to the admin: a few wrong passwords lock that account from that address (with a
way for operators to unlock it), and one address cannot make the server check passwords without
end. No raw address is stored for it."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "editor-password-123"


def sign_in(password: str, address: str = "198.51.100.20", username: str = "editor", language: str = "en"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return client, response


def test_wrong_passwords_lock_the_account_from_that_address(editor, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        sign_in("wrong")
    client, response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert "This account is locked from your connection" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not signed in

    # The same account from elsewhere, and another account from here, are not locked.
    assert sign_in(PASSWORD, address="198.51.100.21")[1].status_code == 302


def test_the_lockout_page_speaks_french(editor):
    for _ in range(5):
        sign_in("wrong", language="fr")
    response = sign_in(PASSWORD, language="fr")[1]
    assert response.status_code == 429
    assert "Ce compte est bloqué" in response.content.decode()


def test_an_operator_unlocks_an_account(editor):
    for _ in range(5):
        sign_in("wrong")
    call_command("axes_reset_username", "editor", verbosity=0)
    assert sign_in(PASSWORD)[1].status_code == 302


def test_one_address_gets_a_bounded_number_of_attempts_whatever_the_account(editor, settings):
    settings.LOGIN_ATTEMPTS_PER_WINDOW = 10
    answers = [sign_in("wrong", username=f"someone-{number}")[1].status_code for number in range(12)]
    assert answers[:10] == [200] * 10
    assert answers[10:] == [429, 429]
    assert "Too many sign-in attempts came from your connection" in sign_in(PASSWORD)[1].content.decode()
    assert sign_in(PASSWORD, address="198.51.100.22")[1].status_code == 302


def test_lockouts_store_no_raw_address(editor):
    sign_in("wrong", address="203.0.113.77")
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address != "203.0.113.77"
    assert attempt.ip_address.startswith("fd")
