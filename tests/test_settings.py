"""Settings from the environment: safe defaults locally, a production mode that refuses to start
unsafely, and values that cannot be understood rejected loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from helpcenter.env import env_bool, env_float, env_int, env_list
from tests.configured import settings_for

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


def test_a_negative_number_of_trusted_proxy_hops_is_rejected():
    result = run_django(["check"], DJANGO_TRUSTED_PROXY_HOPS="-1")
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_HOPS must be 0 or more" in result.stderr


def test_numbers_with_a_fraction_are_read(monkeypatch):
    monkeypatch.setenv("DJANGO_CACHE_TIMEOUT_SECONDS", "0.5")
    assert env_float("DJANGO_CACHE_TIMEOUT_SECONDS", 0.25) == 0.5


@pytest.mark.parametrize("raw", ["half a second", "nan", "inf", "-1", "0.001"])
def test_a_bad_or_too_small_fraction_is_rejected(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_CACHE_TIMEOUT_SECONDS", raw)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CACHE_TIMEOUT_SECONDS"):
        env_float("DJANGO_CACHE_TIMEOUT_SECONDS", 0.25, minimum=0.01)


def test_postgresql_connections_get_connect_and_statement_timeouts(monkeypatch):
    configured = settings_for(monkeypatch, DATABASE_URL="postgres://help@db:5432/help")
    assert configured["DATABASES"]["default"]["OPTIONS"] == {
        "connect_timeout": 5,
        "options": "-c statement_timeout=30000",
    }


def test_the_database_timeouts_come_from_the_environment(monkeypatch):
    configured = settings_for(
        monkeypatch,
        DATABASE_URL="postgres://help@db:5432/help",
        DJANGO_DB_CONNECT_TIMEOUT="3",
        DJANGO_DB_STATEMENT_TIMEOUT="2.5",
    )
    assert configured["DATABASES"]["default"]["OPTIONS"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=2500",
    }


def test_a_statement_timeout_of_zero_leaves_the_servers_own_setting(monkeypatch):
    # PgBouncer refuses the "options" start-up parameter; the timeout then belongs to the role.
    configured = settings_for(monkeypatch, DATABASE_URL="postgres://help@db/help", DJANGO_DB_STATEMENT_TIMEOUT="0")
    assert "options" not in configured["DATABASES"]["default"]["OPTIONS"]


def test_options_in_the_database_url_win(monkeypatch):
    configured = settings_for(monkeypatch, DATABASE_URL="postgres://help@db/help?connect_timeout=10")
    assert configured["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 10


def test_sqlite_queues_writers_instead_of_failing(monkeypatch, tmp_path):
    configured = settings_for(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'help.sqlite3'}")
    assert configured["DATABASES"]["default"]["OPTIONS"] == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }


def test_a_number_below_its_minimum_is_rejected(monkeypatch):
    monkeypatch.setenv("GUIDES_CONTACT_EMAIL_DAYS", "0")
    with pytest.raises(ImproperlyConfigured, match="GUIDES_CONTACT_EMAIL_DAYS must be at least 1"):
        env_int("GUIDES_CONTACT_EMAIL_DAYS", 90, minimum=1)
