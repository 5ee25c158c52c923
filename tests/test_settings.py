"""Settings from the environment: safe defaults locally, a production mode that refuses to start
unsafely, and values that cannot be understood rejected loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from helpcenter.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def run_django(command: list[str], **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    clean["DJANGO_SETTINGS_MODULE"] = "helpcenter.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(["check"], DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x7#kP2!vQ9-long-random-secret-for-the-deploy-check-4mZ8@wR1^tY6&",
        DJANGO_ALLOWED_HOSTS="help.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_boolean_is_rejected(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", default=True)


def test_a_bad_number_is_rejected(monkeypatch):
    monkeypatch.setenv("DJANGO_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_HSTS_SECONDS"):
        env_int("DJANGO_HSTS_SECONDS", 0)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "a.example, b.example,")
    assert env_list("DJANGO_ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_a_number_below_its_minimum_is_rejected(monkeypatch):
    monkeypatch.setenv("GUIDES_CONTACT_EMAIL_DAYS", "0")
    with pytest.raises(ImproperlyConfigured, match="GUIDES_CONTACT_EMAIL_DAYS must be at least 1"):
        env_int("GUIDES_CONTACT_EMAIL_DAYS", 90, minimum=1)
