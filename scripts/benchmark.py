"""How close do the reader's pages come to the cost of merely sending their bytes?

What it measures. Each case (the home page; a guide of 7, 100 and 300 steps read anonymously;
the 7-step guide read by a reader with progress; the htmx toggle of a step; search once it
exists) is timed against its *bare twin*: a view that returns exactly the bytes the case
returned, with its status and content type, served by the same gunicorn through the same
middleware (``scripts/benchmark_urls.py``). The ratio of their requests per second is the
measure: 1.0 would be a page that costs nothing beyond sending its bytes, 0.1 a page that costs
ten times that. It also prints, per case, the p50/p99
latency, the bytes (uncompressed, and as sent to a browser that accepts gzip and Brotli) and the
SQL queries per request; the bytes a first visit to the 7-step guide downloads (its HTML, and
every stylesheet and script it links, compressed as a browser gets them); the gunicorn workers'
memory; the machine's core count, and the share of its CPU other processes took while timing.
The summary on standard output is Markdown, ready to
paste in the README; progress goes to standard error.

How. A throw-away SQLite database (migrations seed the 7-step TikTok guide; guides of 100 and
300 steps are added, their steps cycling the TikTok guide's texts in both languages), static
files collected in a temporary folder, gunicorn with sync workers in production mode (debug off,
plain HTTP, a random secret key, nothing inherited from the caller's ``DJANGO_*``, ``GUIDES_*``,
``DATABASE_URL`` or ``REDIS_URL``, rate limits far out of the benchmark's reach). A reader
marks 3 steps done through the real endpoint to get their cookies. Every case is then checked
(status) and captured, and its twin checked to answer the same number of bytes. Then ``wrk``,
sending the ``Accept-Encoding`` a browser sends, warms each pair up and runs rounds that
alternate real and bare; the medians of the rounds are reported. Queries are counted
in-process with Django's test client. Only 127.0.0.1 is contacted; every loop and wait is
bounded.

    make benchmark                                          # needs wrk (the Makefile installs it)
    .venv/bin/python scripts/benchmark.py --rounds 5 --seconds 5
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from itertools import cycle
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import benchmark_search  # beside this script

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"

# What browsers send; both a case and its twin are timed with it.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"
TIKTOK_GUIDE = ("tiktok", "dissocier-tiktok-for-business")  # seeded by the migrations, 7 steps
TIKTOK_PATH = f"/fr/{TIKTOK_GUIDE[0]}/{TIKTOK_GUIDE[1]}/"
LONG_GUIDES = {100: "cent-etapes", 300: "trois-cents-etapes"}  # step count: slug, on platform "benchmark"
SEARCH = "/fr/search/?q=tiktok"
STEPS_DONE = 3  # by the reader with progress; the toggle marks the last of them done again
# Settings that refuse a client's traffic past a rate; the benchmark's own must never be refused.
RATE_LIMITS = ("GUIDES_NEW_READERS_PER_WINDOW", "GUIDES_REPORTS_PER_WINDOW", "DJANGO_LOGIN_ATTEMPTS_PER_WINDOW")


class BenchmarkError(Exception):
    """Something to fix before any figure can be trusted; printed without a traceback."""


# --- the server ------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes  # as transferred: still compressed when Content-Encoding says so

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for header in self.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


class Server:
    """gunicorn in production mode on a free local port, and requests to it."""

    def __init__(self, env: dict[str, str], scratch: Path, workers: int):
        self.port = _free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log = scratch / "gunicorn.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "helpcenter.wsgi", "--workers", str(workers),
                 "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
                cwd=ROOT, env=env, stdout=log, stderr=log,
            )  # fmt: skip

    def wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if self.request("GET", "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchmarkError(f"gunicorn did not come up within {seconds:.0f} s:\n{self.log.read_text()[-3000:]}")

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: str = "") -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body.encode() or None, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker (the master's children), from /proc."""
        return sorted(int(status["VmRSS"].split()[0]) / 1024 for status in self._workers() if "VmRSS" in status)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers."""
        pids = [str(self.process.pid), *(status["Pid"].strip() for status in self._workers())]
        ticks = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a worker that ended meanwhile
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def _workers(self) -> list[dict[str, str]]:
        found = []
        for path in Path("/proc").glob("[0-9]*/status"):
            try:
                status = dict(line.split(":", 1) for line in path.read_text().splitlines() if ":" in line)
            except OSError:  # a process that ended meanwhile
                continue
            if status.get("PPid", "").strip() == str(self.process.pid):
                found.append(status)
        return found

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(scratch: Path, database_url: str = "") -> dict[str, str]:
    """Production mode over plain HTTP on files in ``scratch`` (and a SQLite database there
    unless ``database_url`` says otherwise), whatever the caller's settings."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUIDES_")) and name not in {"DATABASE_URL", "REDIS_URL", "PYTHONPATH"}
    }
    return {
        **inherited,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(SCRIPTS)]),
        "DJANGO_SETTINGS_MODULE": "benchmark_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url or f"sqlite:///{scratch}/benchmark.sqlite3",
        "DJANGO_STATIC_ROOT": str(scratch / "static"),
        "DJANGO_MEDIA_ROOT": str(scratch / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "BENCHMARK_CAPTURE_DIR": str(scratch / "captured"),
        **dict.fromkeys(RATE_LIMITS, str(10**9)),
    }


def prepare(env: dict[str, str]) -> dict[str, list[int]]:
    """Migrate, collect static files and add the long guides; returns each guide's step ids."""
    if not list((ROOT / "locale").glob("*/LC_MESSAGES/django.mo")):
        progress("warning: no compiled translations (run `make messages`): pages will lack their French texts")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        _run_quietly([sys.executable, "manage.py", *command, "-v0"], env)
    return json.loads(_run_quietly([sys.executable, __file__, "--inside", "seed"], env))


def _run_quietly(command: list[str], env: dict[str, str], stdin: str = "") -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise BenchmarkError(f"{' '.join(command[1:])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# --- inside Django (run in a child process with the benchmark's environment) -----------------


def inside_seed() -> None:
    """Publish guides of 100 and 300 steps whose steps cycle the TikTok guide's, in both
    languages, with its prerequisites; print every guide's step ids, in order."""
    import django

    django.setup()
    from guides.models import Guide, Platform, Prerequisite, Step

    tiktok = Guide.objects.get(platform__slug=TIKTOK_GUIDE[0], slug=TIKTOK_GUIDE[1])
    models = list(tiktok.steps.order_by("position"))
    prerequisites = list(tiktok.prerequisites.order_by("position"))
    platform = Platform.objects.create(
        slug="benchmark", position=99, name_fr="Banc d'essai", name_en="Benchmark",
        description_fr="Des guides longs.", description_en="Long guides.",
    )  # fmt: skip
    for count, slug in LONG_GUIDES.items():
        guide = Guide.objects.create(
            platform=platform, slug=slug, status=Guide.Status.PUBLISHED,
            estimated_minutes=min(600, count * 2), last_verified_on=tiktok.last_verified_on,
            title_fr=f"Un guide de {count} étapes", title_en=f"A guide of {count} steps",
            summary_fr=tiktok.summary_fr, summary_en=tiktok.summary_en,
            conclusion_fr=tiktok.conclusion_fr, conclusion_en=tiktok.conclusion_en,
        )  # fmt: skip
        Prerequisite.objects.bulk_create(
            Prerequisite(guide=guide, position=p.position, text=p.text_fr, text_fr=p.text_fr, text_en=p.text_en)
            for p in prerequisites
        )
        Step.objects.bulk_create(
            Step(
                guide=guide,
                position=position,
                surface=model.surface,
                title=model.title_fr,
                title_fr=model.title_fr,
                title_en=model.title_en,
                body=model.body_fr,
                body_fr=model.body_fr,
                body_en=model.body_en,
            )
            for position, model in zip(range(1, count + 1), cycle(models), strict=False)
        )
    benchmark_search.seed_catalogue(ROOT)
    guides = (
        Guide.objects.published().select_related("platform").filter(slug__in=[TIKTOK_GUIDE[1], *LONG_GUIDES.values()])
    )
    print(json.dumps({f"/fr/{g.platform.slug}/{g.slug}/": list(g.steps.values_list("pk", flat=True)) for g in guides}))


def inside_count_search_queries() -> None:
    """SQL queries of each planned search, a first request each, by kind."""
    import django

    django.setup()
    print(json.dumps(benchmark_search.count_queries(benchmark_search.searches(ROOT))))


def inside_count_queries() -> None:
    """SQL queries of the second of two identical requests, per case read from standard input."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = []
    for case in json.load(sys.stdin):
        headers = dict(case["headers"])
        content_type = headers.pop("Content-Type", "application/octet-stream")
        client = Client(enforce_csrf_checks=True)

        def send(client=client, case=case, headers=headers, content_type=content_type):
            return client.generic(case["method"], case["path"], case["body"].encode(), content_type, headers=headers)

        send()
        with CaptureQueriesContext(connection) as queries:
            response = send()
        counts.append([response.status_code, len(queries)])
    print(json.dumps(counts))


# --- the cases ------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    slug: str  # names its bare twin, /<lang>/_bare/<slug>/
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    status: int = 200
    target: float | None = None  # the ratio aimed for, when there is one

    @property
    def bare_path(self) -> str:
        language = self.path.split("/")[1]
        return f"/{language if language in ('fr', 'en') else 'fr'}/_bare/{self.slug}/"


@dataclass
class Reader:
    """A reader who marked steps done: their cookies, and the CSRF token the page carried, if any."""

    cookies: dict[str, str]
    csrf_token: str | None

    def headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    def post_headers(self, server: Server) -> dict[str, str]:
        """What a browser's htmx POST from the page sends: the page's origin, and the token if any
        (reader POSTs may be checked by Origin rather than by a token)."""
        headers = {
            **self.headers(),
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
            "Origin": server.origin,
            "Sec-Fetch-Site": "same-origin",
        }
        if self.csrf_token:
            headers["X-CSRFToken"] = self.csrf_token
        return headers


def become_reader(server: Server, guide: str, step_ids: list[int]) -> Reader:
    """Open the guide and mark its first steps done through the real endpoint, keeping every
    cookie the answers set, as a browser would."""
    page = server.request("GET", guide)
    expect(page, 200, f"GET {guide}")
    reader = Reader(page.cookies(), None)
    reader.csrf_token = _csrf_token(page.body.decode(errors="replace")) or reader.cookies.get("csrftoken")
    for step_id in step_ids[:STEPS_DONE]:
        path = f"{guide}steps/{step_id}/done/"
        reply = server.request("POST", path, reader.post_headers(server), "done=1")
        expect(reply, 200, f"POST {path} (marking a step done, htmx)")
        reader.cookies.update(reply.cookies())
    return reader


def _csrf_token(html: str) -> str | None:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken"\s*:\s*"([^"]+)"', html
    )
    return found.group(1) if found else None


def measured_cases(server: Server, guides: dict[str, list[int]], reader: Reader) -> list[Case]:
    """Every case timed against its bare twin: new pages are added here. Targets are the ratios
    the reader pages' speed work aims for."""
    toggled = guides[TIKTOK_PATH][STEPS_DONE - 1]
    cases = [
        Case("home (fr)", "home", "/fr/"),
        Case("guide, 7 steps (fr)", "guide-7", TIKTOK_PATH, target=0.8),
        Case("guide, 100 steps (fr)", "guide-100", f"/fr/benchmark/{LONG_GUIDES[100]}/", target=0.6),
        Case("guide, 300 steps (fr)", "guide-300", f"/fr/benchmark/{LONG_GUIDES[300]}/"),
        Case("reader with progress, 7 steps", "reader-7", TIKTOK_PATH, headers=reader.headers(), target=0.3),
        Case(
            "htmx toggle (POST)",
            "toggle",
            f"{TIKTOK_PATH}steps/{toggled}/done/",
            method="POST",
            headers=reader.post_headers(server),
            body="done=1",
            target=0.25,
        ),
        Case("search “tiktok” (fr)", "search", SEARCH),
    ]
    return cases


def expect(reply: Reply, status: int, what: str) -> None:
    if reply.status != status:
        excerpt = reply.body[:300].decode(errors="replace")
        raise BenchmarkError(f"{what} answered {reply.status}, expected {status}:\n{excerpt}")


# --- capture and the bare twins ---------------------------------------------------------------


@dataclass
class Sizes:
    plain: int  # uncompressed body
    sent: int  # body as sent to a browser
    encoding: str  # of what was sent: "br", "gzip", or "none"


def capture(server: Server, case: Case, folder: Path) -> Sizes:
    """Check the case answers as expected, keep its bytes for its twin, and check the twin."""
    what = f"{case.name}: {case.method} {case.path}"
    plain = server.request(case.method, case.path, {**case.headers, "Accept-Encoding": "identity"}, case.body)
    expect(plain, case.status, what)
    if plain.headers.get("Content-Encoding", "identity") != "identity":
        raise BenchmarkError(f"{what} was compressed although the request accepted no compression")
    sent = server.request(
        case.method, case.path, {**case.headers, "Accept-Encoding": BROWSER_ACCEPT_ENCODING}, case.body
    )
    expect(sent, case.status, f"{what} (compressed)")
    encoding = sent.headers.get("Content-Encoding")
    folder.mkdir(exist_ok=True)
    meta = {"status": plain.status, "content_type": plain.headers.get("Content-Type"), "encoding": encoding}
    (folder / f"{case.slug}.json").write_text(json.dumps(meta))
    (folder / f"{case.slug}.body").write_bytes(plain.body)
    if encoding:
        (folder / f"{case.slug}.encoded").write_bytes(sent.body)

    for accept, expected in (("identity", plain.body), (BROWSER_ACCEPT_ENCODING, sent.body)):
        twin = server.request(case.method, case.bare_path, {**case.headers, "Accept-Encoding": accept}, case.body)
        expect(twin, case.status, f"the bare twin of {case.name}, {case.method} {case.bare_path}")
        if len(twin.body) != len(expected):
            raise BenchmarkError(
                f"the bare twin of {case.name} answered {len(twin.body)} bytes, the case {len(expected)} "
                f"(Accept-Encoding: {accept})"
            )
    return Sizes(len(plain.body), len(sent.body), encoding or "none")


# --- timing with wrk ---------------------------------------------------------------------------


@dataclass
class Round:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(server: Server, path: str, case: Case, seconds: int, args: argparse.Namespace, scratch: Path) -> Round:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in {**case.headers, "Accept-Encoding": BROWSER_ACCEPT_ENCODING}.items():
        command += ["-H", f"{name}: {value}"]
    if case.method != "GET" or case.body:
        script = scratch / f"{case.slug}.lua"
        script.write_text(f"wrk.method = {json.dumps(case.method)}\nwrk.body = {json.dumps(case.body)}\n")
        command += ["-s", str(script)]
    command.append(server.origin + path)
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    output = result.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)\s*$", output, re.MULTILINE))
    if result.returncode != 0 or not rate or set(latency) != {"50", "99"}:
        raise BenchmarkError(f"wrk failed on {path}:\n{output}{result.stderr}")
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if refused:
        raise BenchmarkError(f"{case.name}: {refused.group(1)} answers to {path} were not 2xx during the run")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors and (int(errors.group(1)) or int(errors.group(4))):
        raise BenchmarkError(f"{case.name}: wrk could not connect or timed out on {path}:\n{output}")
    if errors:
        progress(f"  warning: wrk saw socket errors on {path}: {errors.group(0)}")
    return Round(float(rate.group(1)), _ms(latency["50"]), _ms(latency["99"]))


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS_MS[unit]


@dataclass
class Result:
    case: Case
    sizes: Sizes
    queries: int | None
    real: list[Round]
    bare: list[Round]

    @property
    def ratio(self) -> float:
        return self.real_rate / self.bare_rate

    @property
    def real_rate(self) -> float:
        return statistics.median(r.requests_per_second for r in self.real)

    @property
    def bare_rate(self) -> float:
        return statistics.median(r.requests_per_second for r in self.bare)


def time_pair(server: Server, case: Case, args: argparse.Namespace, scratch: Path) -> tuple[list[Round], list[Round]]:
    """A warm-up of each, then rounds alternating real and bare, so that a slow patch of the
    machine weighs on both alike."""
    for path in (case.path, case.bare_path):
        wrk(server, path, case, args.warmup, args, scratch)
    real, bare = [], []
    for number in range(1, args.rounds + 1):
        real.append(wrk(server, case.path, case, args.seconds, args, scratch))
        bare.append(wrk(server, case.bare_path, case, args.seconds, args, scratch))
        progress(
            f"  round {number}/{args.rounds}: {real[-1].requests_per_second:7.0f} req/s, "
            f"bare {bare[-1].requests_per_second:7.0f} req/s"
        )
    return real, bare


class OtherLoad:
    """The share of the machine's CPU that went to processes other than the benchmark's (its own,
    wrk's, gunicorn's) while timing: figures from a busy machine are noisy, and say so."""

    def __init__(self, server: Server):
        self.server = server
        self.start = self._sample()

    def share(self) -> float:
        (busy, total, ours), (busy0, total0, ours0) = self._sample(), self.start
        seconds_per_tick = 1 / os.sysconf("SC_CLK_TCK")
        others = (busy - busy0) * seconds_per_tick - (ours - ours0)
        return max(0.0, others / ((total - total0) * seconds_per_tick or 1))

    def _sample(self) -> tuple[int, int, float]:
        user, nice, system, idle, iowait, _irq, _softirq, steal = map(
            int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
        )
        mine = os.times()  # this process, and the wrk runs it waited for
        ours = mine.user + mine.system + mine.children_user + mine.children_system + self.server.cpu_seconds()
        return user + nice + system + steal, user + nice + system + steal + idle + iowait, ours


# --- a first visit -------------------------------------------------------------------------------


class _Assets(HTMLParser):
    """Stylesheets and scripts a page makes a browser download."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = set((attributes.get("rel") or "").lower().split())
        fetched = rel & {"stylesheet", "modulepreload"} or (
            "preload" in rel and attributes.get("as") in {"style", "script"}
        )
        if tag == "script" and attributes.get("src"):
            self.found.append(attributes["src"])
        elif tag == "link" and attributes.get("href") and fetched:
            self.found.append(attributes["href"])


def first_visit(server: Server, path: str) -> list[tuple[str, str, int]]:
    """(address, encoding, body bytes transferred) for the page and each stylesheet and script."""
    html = server.request("GET", path, {"Accept-Encoding": "identity"})
    expect(html, 200, f"GET {path}")
    parser = _Assets()
    parser.feed(html.body.decode(errors="replace"))
    downloads = []
    for address in [path, *dict.fromkeys(parser.found)]:
        url = urlsplit(urljoin(server.origin + path, address))
        if f"{url.scheme}://{url.netloc}" != server.origin:
            progress(f"warning: {address} is elsewhere than this server: not fetched, not counted")
            continue
        local = url.path + (f"?{url.query}" if url.query else "")
        reply = server.request("GET", local, {"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
        expect(reply, 200, f"GET {local} (linked from {path})")
        downloads.append((local, reply.headers.get("Content-Encoding", "none"), len(reply.body)))
    return downloads


# --- the report ------------------------------------------------------------------------------------


def report(results, downloads, rss_start, rss_end, busy, args, searched) -> str:
    lines = [
        "| case | req/s | bare req/s | ratio | target | p50 ms | p99 ms | bytes | bytes sent | SQL |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        target = f"≥ {result.case.target:g}" if result.case.target else ""
        p50 = statistics.median(r.p50_ms for r in result.real)
        p99 = statistics.median(r.p99_ms for r in result.real)
        sizes = result.sizes
        queries = "?" if result.queries is None else str(result.queries)
        lines.append(
            f"| {result.case.name} | {result.real_rate:,.0f} | {result.bare_rate:,.0f} | {result.ratio:.2f} | {target} "
            f"| {p50:.1f} | {p99:.1f} | {sizes.plain:,} | {sizes.sent:,} ({sizes.encoding}) | {queries} |"
        )
    total = sum(size for _path, _encoding, size in downloads)
    parts = ", ".join(
        f"{'HTML' if number == 0 else f'`{Path(urlsplit(address).path).name}`'} {size:,} ({encoding})"
        for number, (address, encoding, size) in enumerate(downloads)
    )
    cores = os.cpu_count()
    lines += [
        "",
        f"- First visit to the 7-step guide: **{total:,} bytes** on the wire (target ≤ 25,000): {parts}.",
        f"- Worker memory (RSS): {_mib(rss_start)} MiB after start, {_mib(rss_end)} MiB after the run.",
        *search_lines(searched),
        f"- {cores} cores ({_cpu_model()}), Python {platform.python_version()}; gunicorn {args.workers} sync "
        f"workers, SQLite, debug off; wrk {args.threads} threads, {args.connections} connections, "
        f"`Accept-Encoding: {BROWSER_ACCEPT_ENCODING}`; {args.rounds} interleaved round(s) of {args.seconds} s "
        f"per case after {args.warmup} s of warm-up; medians of the rounds. Other processes used "
        f"{busy:.0%} of the CPU meanwhile.",
    ]
    return "\n".join(lines)


def _mib(sizes: list[float]) -> str:
    return " and ".join(f"{size:.0f}" for size in sizes) or "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the run -----------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> None:
    if not shutil.which("wrk"):
        raise BenchmarkError("wrk is not installed: `make benchmark` installs it, or `apt-get install wrk`")
    with tempfile.TemporaryDirectory(prefix="benchmark-") as folder:
        scratch = Path(folder)
        env = environment(scratch)
        progress("preparing a throw-away database and static files…")
        guides = prepare(env)
        server = Server(env, scratch, args.workers)
        try:
            server.wait_until_up()
            rss_start = server.worker_rss_mib()
            reader = become_reader(server, TIKTOK_PATH, guides[TIKTOK_PATH])
            cases = measured_cases(server, guides, reader)
            sizes = {case.slug: capture(server, case, scratch / "captured") for case in cases}
            queries = count_queries(env, server, cases)
            downloads = first_visit(server, TIKTOK_PATH)
            results = []
            other_load = OtherLoad(server)
            for case in cases:
                progress(f"{case.name}: {case.method} {case.path}")
                real, bare = time_pair(server, case, args, scratch)
                results.append(Result(case, sizes[case.slug], queries[case.slug], real, bare))
            rss_end = server.worker_rss_mib()
            busy = other_load.share()
            searched = [measure_search("SQLite", env, server)]
        finally:
            server.stop()
        if args.postgres:
            searched.append(search_on_postgres(args.postgres, scratch, args.workers))
        logged = server.log.read_text()
        if logged.strip():
            progress(f"gunicorn logged:\n{logged[-3000:]}")
    if busy > 0.1:
        progress(f"warning: other processes used {busy:.0%} of the CPU while timing: expect noisy figures")
    print(report(results, downloads, rss_start, rss_end, busy, args, searched))


def measure_search(database: str, env: dict[str, str], server: Server):
    """Distinct searches over the catalogue, each once; and the SQL queries of each kind."""
    planned = benchmark_search.searches(ROOT)
    progress(f"search on {database}: {len(planned)} distinct searches, each once")

    def get(path: str) -> tuple[int, bytes]:
        reply = server.request("GET", path, {"Accept-Encoding": "identity"})
        return reply.status, reply.body

    latency = benchmark_search.latency(database, get, planned)
    queries = json.loads(_run_quietly([sys.executable, __file__, "--inside", "count-search-queries"], env))
    return latency, queries


def search_on_postgres(url: str, scratch: Path, workers: int):
    """The same catalogue and searches on a throw-away database of the PostgreSQL server at ``url``."""
    import psycopg

    name = f"benchmark_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        database_url = urlsplit(url)._replace(path=f"/{name}").geturl()
        env = environment(scratch / "postgresql", database_url)
        (scratch / "postgresql").mkdir(exist_ok=True)
        progress("preparing the same catalogue on PostgreSQL…")
        prepare(env)
        server = Server(env, scratch / "postgresql", workers)
        try:
            server.wait_until_up()
            return measure_search("PostgreSQL", env, server)
        finally:
            server.stop()
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def search_lines(searched) -> list[str]:
    catalogue = f"{benchmark_search.CATALOGUE_GUIDES:,} guides of {benchmark_search.CATALOGUE_STEPS} steps"
    lines = [
        f"- Search over {catalogue} (and the others), {benchmark_search.SEARCHES} distinct searches sent once "
        "each, one at a time, so that no cache answers (one word, two words, a word being typed, a typo, "
        "nothing found; French and English):"
    ]
    for latency, queries in searched:
        per_kind = ", ".join(
            f"{kind} {min(counts)}" + (f" to {max(counts)}" if max(counts) != min(counts) else "")
            for kind, counts in queries.items()
        )
        lines.append(f"  - {latency.line()}. SQL per search: {per_kind}.")
    lines.append(
        "  - The SQL count varies with the query, never with the catalogue: a word of five letters or more is "
        "checked for a typo (one query), on SQLite the first unknown word after a change loads the typo vocabulary in "
        "that process (two), and a search that finds nothing writes its count (`BEGIN`, `INSERT`, `COMMIT`)."
    )
    return lines


def count_queries(env: dict[str, str], server: Server, cases: list[Case]) -> dict[str, int | None]:
    sent = [
        {
            "method": c.method,
            "path": c.path,
            "body": c.body,
            "headers": {**c.headers, "Host": f"127.0.0.1:{server.port}"},
        }
        for c in cases
    ]
    answers = json.loads(_run_quietly([sys.executable, __file__, "--inside", "count-queries"], env, json.dumps(sent)))
    counts = {}
    for case, (status, queries) in zip(cases, answers, strict=True):
        if status != case.status:
            progress(f"warning: in-process, {case.name} answered {status}: its queries are not counted")
        counts[case.slug] = queries if status == case.status else None
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per case (default 3)")
    parser.add_argument("--seconds", type=int, default=3, help="length of each round, whole seconds (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up of each side, whole seconds (default 1)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCHMARK_POSTGRES_URL", ""),
        help="a PostgreSQL server (URL of any database on it) to time search on too, in a throw-away "
        "database (default: $BENCHMARK_POSTGRES_URL; none: SQLite only)",
    )
    parser.add_argument("--inside", choices=["seed", "count-queries", "count-search-queries"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside = {
            "seed": inside_seed,
            "count-queries": inside_count_queries,
            "count-search-queries": inside_count_search_queries,
        }
        inside[args.inside]()
        return
    if min(args.rounds, args.seconds, args.warmup, args.threads, args.workers) < 1 or args.connections < args.threads:
        parser.error("rounds, seconds, warm-up, threads and workers must be at least 1, connections at least threads")
    try:
        run(args)
    except BenchmarkError as error:
        sys.exit(f"benchmark: {error}")


if __name__ == "__main__":
    main()
