"""Measure the reader's hot path as production serves it: gunicorn, debug off, WhiteNoise.

Builds a throw-away SQLite database (the seeded TikTok guide plus a 100-step guide), starts
gunicorn on a free local port, and reports for each page: response size, SQL queries, latency
percentiles of sequential requests, throughput with a few concurrent clients, and the memory
of the gunicorn workers. Every loop is bounded; only 127.0.0.1 is contacted.

    make benchmark                     # or: .venv/bin/python scripts/benchmark.py --requests 500
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home (fr)": "/fr/",
    "platform (en)": "/en/tiktok/",
    "TikTok guide, 7 steps (fr)": "/fr/tiktok/dissocier-tiktok-for-business/",
    "TikTok guide, 7 steps (en)": "/en/tiktok/dissocier-tiktok-for-business/",
    "guide with 100 steps (en)": "/en/benchmark/hundred-steps/",
    "health check": "/healthz",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict[str, str]) -> None:
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "-c", BUILD_LONG_GUIDE], cwd=ROOT, env=env, check=True)


BUILD_LONG_GUIDE = """
import django
django.setup()
from guides.models import Guide, Platform
platform = Platform.objects.create(slug="benchmark", name_fr="Banc d'essai", name_en="Benchmark", position=9)
guide = Guide.objects.create(platform=platform, slug="hundred-steps", status="published",
    title_fr="Cent étapes", title_en="A hundred steps", summary_fr="Long.", summary_en="Long.")
for n in range(1, 101):
    guide.steps.create(position=n, title_fr=f"Étape {n}", title_en=f"Step {n}",
        body_fr=f"Touchez **{n}** puis `Paramètres`.", body_en=f"Tap **{n}** then `Settings`.")
"""


def query_counts(env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(SQL queries, bytes) per page, measured in-process with Django's test client."""
    script = f"""
import django, json
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
out = {{}}
for name, url in {PAGES!r}.items():
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    out[name] = (len(queries), len(response.content))
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True)

    return {name: tuple(value) for name, value in json.loads(result.stdout).items()}


def get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return time.perf_counter() - started


def reader_actions(base: str, requests: int) -> None:
    """A reader with a session: the guide page, and htmx toggles of one step."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    guide_url = base + PAGES["TikTok guide, 7 steps (en)"]
    page = opener.open(guide_url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    action = re.search(r'action="([^"]+/done/)"', page).group(1)
    headers = {"HX-Request": "true", "X-CSRFToken": token, "Referer": guide_url}
    toggles, sizes = [], []
    for number in range(requests):
        body = f"done={1 - number % 2}".encode()
        request = urllib.request.Request(base + action, data=body, headers=headers)
        started = time.perf_counter()
        with opener.open(request, timeout=10) as response:
            sizes.append(len(response.read()))
        toggles.append(time.perf_counter() - started)
    opener.open(request, timeout=10).read()  # leave one step done for the page below
    pages = sorted(_timed(lambda: opener.open(guide_url, timeout=10).read()) for _ in range(requests))
    toggles.sort()
    for name, times in (("htmx toggle (POST, en)", toggles), ("guide page, reader with progress", pages)):
        p50, p95 = statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000
        size = f"{max(sizes):7d}" if "toggle" in name else " " * 7
        print(f"{name:30} {size}    - {p50:7.1f} {p95:7.1f} {times[-1] * 1000:7.1f}       -")


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def worker_rss_mib(master_pid: int) -> list[float]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == master_pid:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="sequential requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="clients in the throughput run")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each throughput run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{scratch}/benchmark.sqlite3",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        prepare(env)
        counts = query_counts(env)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "helpcenter.wsgi", "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    get(f"{base}/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            rss_idle = worker_rss_mib(server.pid)
            print(
                f"gunicorn, {args.workers} sync workers, SQLite, debug off; {args.requests} sequential requests/page\n"
            )
            print(f"{'page':30} {'bytes':>7} {'SQL':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'req/s':>7}")
            for name, path in PAGES.items():
                url = base + path
                for _ in range(10):
                    get(url)
                times = sorted(get(url) for _ in range(args.requests))
                done = 0
                deadline = time.perf_counter() + args.seconds

                def hammer(url=url, deadline=deadline):
                    count = 0
                    while time.perf_counter() < deadline:
                        get(url)
                        count += 1
                    return count

                started = time.perf_counter()
                with ThreadPoolExecutor(args.concurrency) as pool:
                    done = sum(pool.map(lambda _: hammer(), range(args.concurrency)))
                rate = done / (time.perf_counter() - started)
                queries, size = counts[name]
                p50 = statistics.median(times) * 1000
                p95 = times[int(len(times) * 0.95) - 1] * 1000
                print(f"{name:30} {size:7d} {queries:4d} {p50:7.1f} {p95:7.1f} {times[-1] * 1000:7.1f} {rate:7.0f}")
            reader_actions(base, args.requests)
            rss = worker_rss_mib(server.pid)
            print(
                f"\nworker memory (RSS): {', '.join(f'{m:.0f}' for m in rss_idle)} MiB after start, "
                f"{', '.join(f'{m:.0f}' for m in rss)} MiB after the run"
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
