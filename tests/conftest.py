"""Fixtures that build on each other: a platform, a guide with steps, an editor, a superuser."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from guides import outbox, ratelimit
from guides.groups import EDITORS, PUBLISHERS
from guides.models import Platform
from tests.factories import make_guide
from tests.fake_smtp import FakeSMTPServer


@pytest.fixture(autouse=True)
def _empty_cache():
    # Whatever a test cached must not leak into the next one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _mail_server_not_paused(monkeypatch):
    # After a mail server failure, a process sends no mail after responses for a while: a test
    # must not inherit that from the one before.
    monkeypatch.setattr(outbox, "_paused_until", 0.0)


@pytest.fixture(autouse=True)
def _rate_limit_windows_hold_still(monkeypatch):
    # Counters are kept per fixed window of time: a test that crossed a window's end would see
    # its count start again. Tests run within one window.
    held = ratelimit.now()
    monkeypatch.setattr(ratelimit, "now", lambda: held)


@pytest.fixture(autouse=True)
def _french_by_default():
    # Data code must not depend on the active language; tests start from the source language.
    with translation.override("fr"):
        yield


@pytest.fixture
def platform(db):
    return Platform.objects.create(slug="demo", name_fr="Démo", name_en="Demo", position=2)


@pytest.fixture
def guide(platform):
    guide = make_guide(platform, steps=3)
    guide.prerequisites.create(position=1, text_fr="Un téléphone", text_en="A phone")
    return guide


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="editor-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def editors_publish(editor):
    """For tests of something else than reviews (history, concurrent edits): the editor may
    publish, so what they save to a published guide applies at once (see test_proposals)."""
    editor.groups.add(Group.objects.get(name=PUBLISHERS))


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("publisher", password="publisher-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=PUBLISHERS))
    return user


@pytest.fixture
def publisher_client(client, publisher):
    # A client of its own, so that tests can act as the publisher and as the editor in turn.
    other = Client()
    other.force_login(publisher)
    return other


def _use_smtp(settings, server: FakeSMTPServer) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False


@pytest.fixture
def smtp_server(settings):
    """A working mail server on a free local port, for this test only."""
    with FakeSMTPServer() as server:
        _use_smtp(settings, server)
        yield server


@pytest.fixture
def stalled_smtp_server(settings):
    """A mail server that accepts connections and never answers, until the test ends or sets
    ``release``; each SMTP step waits ``EMAIL_TIMEOUT`` at most."""
    with FakeSMTPServer(stall=True) as server:
        _use_smtp(settings, server)
        settings.EMAIL_TIMEOUT = 10
        yield server


# Browser tests: Debian's Chromium, kept off the network so that any request leaving the
# machine shows up as a failure rather than as a slow page.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone held in one hand.
    return {**browser_context_args, "viewport": {"width": 360, "height": 780}, "locale": "fr-FR"}


@pytest.fixture
def watched_page(page, live_server):
    """A page that fails the test on a console error, a failed request or any request that
    would leave this machine (which is refused)."""
    problems: list[str] = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            problems.append(f"request leaving the machine: {route.request.url}")
            route.abort()

    page.route("**/*", guard)

    def on_console(message):
        # A refused form (422) is an answer we designed; Chromium still logs it as an error. So
        # does htmx for a request it cancelled because a newer one replaced it (hx-sync); a real
        # failure logs htmx:sendError, htmx:timeout or htmx:responseError as well.
        expected = ("status of 422", "htmx:sendAbort", "htmx:afterRequest")
        if message.type == "error" and not any(text in message.text for text in expected):
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_request_failed(request):
        # ERR_ABORTED is the browser dropping what it still loaded when the test navigates on.
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"failed: {request.url} {request.failure}")

    page.on("requestfailed", on_request_failed)
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.status != 422
            and problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    yield page
    assert problems == []


@pytest.fixture
def htmx(client):
    """A client that sends requests the way htmx does."""
    client.defaults["HTTP_HX_REQUEST"] = "true"
    return client
