"""Hardening headers: a Permissions-Policy on every response, and HSTS preload only when the
operator opts in (preloading is hard to undo)."""

import pytest
from django.test import Client

from tests.factories import SEEDED_GUIDE_URL
from tests.test_settings import run_django

DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth", "display-capture")


def assert_denies_powerful_features(response):
    directives = {item.strip() for item in response["Permissions-Policy"].split(",")}
    for feature in DENIED:
        assert f"{feature}=()" in directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SEEDED_GUIDE_URL["fr"], "/en/", "/admin/login/", "/healthz", "/fr/no-such-page/"])
def test_it_denies_powerful_features_on_public_pages_the_admin_and_errors(url):
    response = Client().get(url)
    assert response.status_code in (200, 404)
    assert_denies_powerful_features(response)


@pytest.mark.django_db
def test_it_denies_powerful_features_to_signed_in_editors(admin_client):
    response = admin_client.get("/admin/guides/guide/")
    assert response.status_code == 200
    assert_denies_powerful_features(response)


HSTS_HEADER = """
from django.test import Client
print(Client(HTTP_HOST="help.example.org").get("/healthz", secure=True)["Strict-Transport-Security"])
"""
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#kP2!vQ9-long-random-secret-for-the-deploy-check-4mZ8@wR1^tY6&",
    "DJANGO_ALLOWED_HOSTS": "help.example.org",
    "DATABASE_URL": "sqlite://:memory:",
}


def test_hsts_is_sent_without_preload_by_default():
    result = run_django(["shell", "-v0", "-c", HSTS_HEADER], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "max-age=31536000; includeSubDomains"


def test_hsts_preload_is_sent_when_the_operator_opts_in():
    result = run_django(["shell", "-v0", "-c", HSTS_HEADER], **PRODUCTION, DJANGO_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "max-age=31536000; includeSubDomains; preload"


def test_production_settings_with_preload_pass_the_deployment_checklist():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION, DJANGO_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr
