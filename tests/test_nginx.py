"""deploy/nginx.conf, for real: Debian's nginx in front of gunicorn in production mode.

The committed site file is served as it is, with only its "fill in" values (paths, a throw-away
certificate) and its ports replaced, inside a main configuration like Debian's /etc/nginx/nginx.conf.
Everything listens on 127.0.0.1 at free ports and is stopped at the end of the module.
"""

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_FILE = ROOT / "deploy" / "nginx.conf"
GUIDE = "/fr/tiktok/dissocier-tiktok-for-business/"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
OPENSSL = shutil.which("openssl")
REPORTS_PER_WINDOW = 2
SHARED_CACHE_SECONDS = 2
RENAME_THE_GUIDE = """
from guides.models import Guide
guide = Guide.objects.get(slug_fr="dissocier-tiktok-for-business")
guide.title_fr = "Guide renamed"
guide.save()
"""
SCREENSHOT = b"\x89PNG\r\n\x1a\n not really a screenshot"

pytestmark = pytest.mark.skipif(
    not (NGINX and OPENSSL), reason="needs Debian's nginx and openssl (apt-get install nginx openssl)"
)

# What Debian's /etc/nginx/nginx.conf provides around a site file, with state kept in the test's
# folder. Workers run as the user running the test: as root they would otherwise drop to a user
# that cannot reach the temporary folder.
MAIN_CONF = """\
{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    sendfile on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


class Site:
    def __init__(self, http_port: int, https_port: int):
        self.http_port, self.https_port = http_port, https_port
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE  # our own throw-away certificate

    def connect(self, *, https: bool = True, source: str = "127.0.0.1") -> http.client.HTTPConnection:
        if https:
            return http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=self.tls, timeout=10, source_address=(source, 0)
            )
        return http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10, source_address=(source, 0))

    def get(self, path: str, *, https: bool = True, headers=None) -> tuple[http.client.HTTPResponse, bytes]:
        connection = self.connect(https=https)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


class Reader:
    """One person's browser: its own address on the loopback network, and its cookies."""

    def __init__(self, site: Site, source: str):
        self.site, self.source, self.cookies = site, source, SimpleCookie()

    def request(self, method: str, path: str, body: str = "", headers=None) -> tuple[int, str]:
        connection = self.site.connect(source=self.source)
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
        try:
            connection.request(method, path, body=body or None, headers={"Cookie": cookie, **(headers or {})})
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(header)
            self.last_headers = response.headers
            return response.status, response.read().decode()
        finally:
            connection.close()

    def report(self, step_id: int, spoofed_address: str) -> int:
        path = f"{GUIDE}steps/{step_id}/report/"
        _status, page = self.request("GET", path)
        submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
        form = f"submission={submission}&problem=renamed&seen_instead=Autre+libell%C3%A9&device=android"
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{self.site.https_port}",
            "Sec-Fetch-Site": "same-origin",
            "X-Forwarded-For": spoofed_address,
        }
        status, _page = self.request("POST", path, form, headers)
        return status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_file(tmp: Path, http_port: int, https_port: int) -> str:
    text = SITE_FILE.read_text()
    for fill_in, value in {
        "unix:/run/helpcenter/gunicorn.sock": f"unix:{tmp}/gunicorn.sock",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/letsencrypt/live/help.example.org/fullchain.pem": f"{tmp}/cert.pem",
        "/etc/letsencrypt/live/help.example.org/privkey.pem": f"{tmp}/key.pem",
        "alias /srv/helpcenter/media/;": f"alias {tmp}/media/;",
        "alias /srv/helpcenter/staticfiles/;": f"alias {tmp}/static/;",
        "proxy_cache_path /var/cache/nginx/helpcenter": f"proxy_cache_path {tmp}/cache",
    }.items():
        assert fill_in in text, f"deploy/nginx.conf no longer has {fill_in!r}: update this test"
        text = text.replace(fill_in, value)
    return text


def wait_until_healthy(site: Site, processes: list[subprocess.Popen], tmp: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            break
        try:
            if site.get("/healthz")[0].status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    logs = "\n".join(path.read_text() for path in (tmp / "error.log", tmp / "gunicorn.log") if path.exists())
    pytest.fail(f"nginx and gunicorn did not come up:\n{logs}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    (tmp / "media" / "steps" / "2026").mkdir(parents=True)
    (tmp / "media" / "steps" / "2026" / "screenshot.png").write_bytes(SCREENSHOT)
    http_port, https_port = free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUIDES_", "DATABASE_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Operators on port 443 need no such line; nginx passes the host without its port.
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_TRUSTED_PROXY_HOPS": "1",
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUIDES_REPORTS_PER_WINDOW": str(REPORTS_PER_WINDOW),
        "GUIDES_SHARED_CACHE_SECONDS": str(SHARED_CACHE_SECONDS),
    }
    python = [sys.executable, "manage.py"]
    setup = [
        subprocess.Popen([*python, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env),
        subprocess.Popen([*python, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env),
        subprocess.Popen(
            [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ),
    ]  # fmt: skip
    assert [process.wait(timeout=120) for process in setup] == [0, 0, 0]

    (tmp / "site.conf").write_text(site_file(tmp, http_port, https_port))
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(MAIN_CONF.format(user=user, tmp=tmp))
    # One worker: without REDIS_URL the rate-limit counters live in each process's memory.
    with open(tmp / "gunicorn.log", "w") as log:
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "helpcenter.wsgi", "--workers", "1",
             "--bind", f"unix:{tmp}/gunicorn.sock", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
    nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")])
    site = Site(http_port, https_port)
    site.environment = env
    try:
        wait_until_healthy(site, [gunicorn, nginx], tmp)
        yield site
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
            process.wait(timeout=20)


def test_it_serves_the_seeded_guide_compressed(site):
    response, body = site.get(GUIDE, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "TikTok" in gzip.decompress(body).decode()
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_it_serves_static_files_itself_for_a_year(site):
    _response, page = site.get(GUIDE)
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.decode()).group(1)
    response, body = site.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"  # the .gz copy collectstatic wrote
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert gzip.decompress(body)


def test_it_serves_uploads_from_the_media_folder(site):
    response, body = site.get("/media/steps/2026/screenshot.png")
    assert response.status == 200
    assert body == SCREENSHOT  # the app serves no media in production: only nginx can answer this
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_it_refuses_an_oversize_body_before_the_app(site):
    connection = site.connect()
    try:
        connection.putrequest("POST", f"{GUIDE}vote/")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(11 * 1024 * 1024))
        connection.endheaders()  # nginx answers on the headers alone, before any of the body
        response = connection.getresponse()
        assert response.status == 413
        assert b"nginx" in response.read()
    finally:
        connection.close()


def test_it_redirects_plain_http_to_https_but_answers_the_health_check(site):
    response, _body = site.get(GUIDE, https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1{GUIDE}"
    for https in (False, True):
        response, body = site.get("/healthz", https=https)
        assert (response.status, json.loads(body)["status"]) == (200, "ok")


def test_the_app_knows_clients_by_the_address_nginx_appends_not_the_one_they_send(site):
    _response, page = site.get(GUIDE)
    step_ids = [int(found) for found in re.findall(r'id="report-link-(\d+)"', page.decode())]
    reader = Reader(site, source="127.0.0.1")
    # A new forged address on every report, and a different step each time (not a double submit).
    sent = [reader.report(step_id, f"198.51.100.{n}") for n, step_id in enumerate(step_ids[:3], start=1)]
    assert sent == [303] * REPORTS_PER_WINDOW + [429]
    # Another machine (another loopback address) is another client, with a window of its own.
    assert Reader(site, source="127.0.0.2").report(step_ids[3], "198.51.100.1") == 303


def test_it_keeps_the_pages_readers_without_cookies_get(site):
    site.get(GUIDE, headers={"Accept-Encoding": "gzip"})
    response, body = site.get(GUIDE, headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["X-Cache-Status"] == "HIT"
    assert response.headers["Content-Encoding"] == "gzip" and b"TikTok" in gzip.decompress(body)
    plain, body = site.get(GUIDE)  # another encoding: another copy, not the compressed one
    assert "Content-Encoding" not in plain.headers and b"TikTok" in body


def test_htmx_gets_its_part_of_a_page_not_the_whole_page_kept_at_the_same_address(site):
    search = "/en/search/?q=tiktok"
    site.get(search)
    whole, page = site.get(search)
    assert whole.headers["X-Cache-Status"] == "HIT" and b"<html" in page
    for _ in range(2):
        part, results = site.get(search, headers={"HX-Request": "true"})
        assert b"<html" not in results and b'id="search-results"' in results
    assert part.headers["X-Cache-Status"] == "HIT"  # kept too, apart from the whole page


def test_a_reader_with_progress_always_reaches_the_app(site):
    _response, page = site.get(GUIDE)
    first_step = re.search(r'id="done-(\d+)"', page.decode()).group(1)
    reader = Reader(site, source="127.0.0.3")
    same_origin = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
    assert reader.request("POST", f"{GUIDE}steps/{first_step}/done/", "done=1", same_origin)[0] == 303
    for _ in range(2):
        status, page = reader.request("GET", GUIDE)
        assert status == 200
        assert reader.last_headers["X-Cache-Status"] == "BYPASS"
        assert 'value="1" aria-labelledby="progress-label"' in page


def test_an_editors_change_shows_once_the_shared_cache_time_is_over(site):
    site.get(GUIDE)
    assert site.get(GUIDE)[0].headers["X-Cache-Status"] == "HIT"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", f"{RENAME_THE_GUIDE}"],
        cwd=ROOT, env=site.environment, check=True, capture_output=True,
    )  # fmt: skip
    changed = time.monotonic()
    while b"Guide renamed" not in site.get(GUIDE)[1]:
        assert time.monotonic() - changed < SHARED_CACHE_SECONDS + 2, "still the old page"
        time.sleep(0.2)
