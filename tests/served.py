"""The help center served for real, for tests that need processes: gunicorn in production mode on
a throw-away SQLite database, and visitors that keep cookies like a browser, each from its own
loopback address (127.0.0.0/8 is all this machine's)."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SEEDED_GUIDE = "/fr/tiktok/dissocier-tiktok-for-business/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(tmp: Path, **overrides: str) -> dict[str, str]:
    """Production settings on a local machine: debug off, plain HTTP, a database in ``tmp``."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUIDES_", "DATABASE_", "REDIS_"))}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        **overrides,
    }


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)


@contextmanager
def gunicorn(env: dict[str, str], tmp: Path, workers: int = 2) -> Iterator[int]:
    """Migrate, collect static files, and serve with ``workers`` processes; yields the port."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    port = free_port()
    with open(tmp / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "helpcenter.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
    try:
        _wait_until_up(port, server, tmp)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_until_up(port: int, server: subprocess.Popen, tmp: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if Visitor(port).get("/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not come up:\n{(tmp / 'gunicorn.log').read_text()}")


class Visitor:
    """One browser: its cookies, and its own address on the loopback network."""

    def __init__(self, port: int, address: str = "127.0.0.1"):
        self.port, self.address, self.cookies = port, address, SimpleCookie()

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, http.client.HTTPMessage]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.address, 0))
        headers = {"Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies["csrftoken"].value if "csrftoken" in self.cookies else ""
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(header)
            return response.status, response.read().decode(), response.headers
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)

    def sign_in(self, username: str, password: str) -> None:
        self.get("/admin/login/")
        status, _page, _headers = self.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}
        )
        assert status == 302, "could not sign in"


def step_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="report-link-(\d+)"', page)]
