"""Search as a real catalogue tests it, for ``scripts/benchmark.py``.

A catalogue of ``CATALOGUE_GUIDES`` published guides of ``CATALOGUE_STEPS`` steps, in French
and English, written with the words of the help center's own translations (real words, so that
stemming, stop words and typos behave as they would), common words far more often than rare
ones. Then a few hundred distinct searches, each sent once, so that no cache answers: one word,
two words, the word being typed, a typo, nothing found, in both languages. Their latency is the
measure (p95 against the target), and the SQL queries of each kind of search, which must not
grow with the catalogue or the number of results.
"""

import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

CATALOGUE_GUIDES = 1000
CATALOGUE_STEPS = 10
SEARCHES = 300
P95_TARGET_MS = 50
_WORD = re.compile(r"[^\W\d_]{3,}")


def vocabulary(root: Path) -> dict[str, list[str]]:
    """Words of the French and English translations, most frequent first."""
    found: dict[str, dict[str, int]] = {"fr": {}, "en": {}}
    for language, counts in found.items():
        in_translation = False
        for line in (root / "locale" / language / "LC_MESSAGES" / "django.po").read_text().splitlines():
            if line.startswith(("msgid", "msgctxt", "#")) or not line.strip():
                in_translation = False
            elif line.startswith("msgstr"):
                in_translation = True
            if in_translation:
                text = line.partition('"')[2].rpartition('"')[0]  # the quoted text, not the keyword
                for word in _WORD.findall(re.sub(r"%\(\w+\)s|\{\{.*?\}\}|<[^>]+>|\\[nt\"]", "", text)):
                    counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return {language: sorted(counts, key=lambda word: -counts[word]) for language, counts in found.items()}


def searched_words(root: Path) -> dict[str, list[str]]:
    """The vocabulary without the words search leaves out, as readers' queries would use it."""
    names = {"fr": "french", "en": "english"}
    searched = {}
    for language, words in vocabulary(root).items():
        stop = set((root / "guides" / "search" / "stopwords" / f"{names[language]}.txt").read_text().split())
        searched[language] = [word for word in words if word not in stop]
    return searched


def seed_catalogue(root: Path) -> None:
    """Publish the catalogue (inside Django), then write its search documents."""
    from django.db import connection

    from guides.models import Guide, Platform, Step
    from guides.search import documents

    words = vocabulary(root)
    rng = random.Random(20261126)  # noqa: S311 - the same catalogue every run, not a secret
    weights = {language: [1 / rank for rank in range(1, len(found) + 1)] for language, found in words.items()}

    def text(language: str, count: int, label: bool = False) -> str:
        chosen = rng.choices(words[language], weights[language], k=count)
        if label:
            chosen[rng.randrange(count)] = f"`{rng.choice(words[language]).capitalize()}`"
        return " ".join(chosen).capitalize() + "."

    platforms = [
        Platform.objects.create(slug=f"catalogue-{number}", name_fr=name, name_en=name, position=100 + number)
        for number, name in enumerate(["Instagram", "Facebook", "WhatsApp", "Snapchat", "YouTube"])
    ]
    guides = Guide.objects.bulk_create(
        Guide(
            platform=platforms[number % len(platforms)],
            slug=f"guide-{number}",
            slug_fr=f"guide-{number}",
            slug_en=f"guide-{number}",
            status=Guide.Status.PUBLISHED,
            title=title_fr,
            title_fr=title_fr,
            title_en=text("en", rng.randint(4, 7)),
            summary=summary_fr,
            summary_fr=summary_fr,
            summary_en=text("en", rng.randint(15, 25)),
        )
        for number in range(CATALOGUE_GUIDES)
        for title_fr, summary_fr in [(text("fr", rng.randint(4, 7)), text("fr", rng.randint(15, 25)))]
    )
    Step.objects.bulk_create(
        Step(
            guide=guide,
            position=position,
            title=title_fr,
            title_fr=title_fr,
            title_en=text("en", rng.randint(3, 6)),
            body_fr=text("fr", rng.randint(20, 40), label=True),
            body_en=text("en", rng.randint(20, 40), label=True),
        )
        for guide in guides
        for position in range(1, CATALOGUE_STEPS + 1)
        for title_fr in [text("fr", rng.randint(3, 6))]
    )
    documents.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum soon would: the planner's figures for the new rows


@dataclass(frozen=True)
class Search:
    kind: str
    path: str


def searches(root: Path, count: int = SEARCHES) -> list[Search]:
    """Distinct searches of every kind, in both languages."""
    words = searched_words(root)
    rng = random.Random(7)  # noqa: S311 - the same searches every run
    made: dict[str, Search] = {}
    kinds: list[tuple[str, Callable[[list[str]], str]]] = [
        ("one word", lambda found: rng.choice(found[:300])),
        ("two words", lambda found: f"{rng.choice(found[:300])} {rng.choice(found[:600])}"),
        ("being typed", lambda found: rng.choice([w for w in found[:400] if len(w) > 5])[: rng.randint(3, 5)]),
        ("a typo", lambda found: _typo(rng, rng.choice([w for w in found[:400] if len(w) > 6]))),
        ("nothing found", lambda found: "".join(rng.choices("bcdfghjklmnpqrstvwxz", k=9))),
    ]
    while len(made) < count:
        for kind, make in kinds:
            language = rng.choice(["fr", "en"])
            query = make(words[language])
            path = f"/{language}/search/?q={quote(query)}"
            made.setdefault(path, Search(kind, path))
    return list(made.values())[:count]


def _typo(rng: random.Random, word: str) -> str:
    index = rng.randrange(1, len(word) - 2)
    return word[:index] + word[index + 1] + word[index] + word[index + 2 :]  # two letters swapped


@dataclass(frozen=True)
class Latency:
    database: str
    p50_ms: float
    p95_ms: float
    max_ms: float
    found_share: float  # of searches with at least one result

    def line(self) -> str:
        verdict = "within" if self.p95_ms < P95_TARGET_MS else "OVER"
        return (
            f"{self.database}: p50 {self.p50_ms:.1f} ms, **p95 {self.p95_ms:.1f} ms** ({verdict} the "
            f"{P95_TARGET_MS} ms target), slowest {self.max_ms:.1f} ms; {self.found_share:.0%} found something"
        )


def latency(database: str, get: Callable[[str], tuple[int, bytes]], planned: list[Search]) -> Latency:
    """Each search once, one after the other, as the server answers them without a cache."""
    times, found = [], 0
    for search in planned:
        started = time.perf_counter()
        status, body = get(search.path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{search.path} answered {status}")
        found += b'class="search-result"' in body
    times.sort()
    return Latency(
        database,
        statistics.median(times),
        times[int(len(times) * 0.95) - 1],
        times[-1],
        found / len(planned),
    )


def count_queries(planned: list[Search]) -> dict[str, list[int]]:
    """SQL queries of each search (inside Django, a first request: nothing cached), by kind."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, list[int]] = {}
    for search in planned:
        with CaptureQueriesContext(connection) as queries:
            status = Client(HTTP_HOST="127.0.0.1").get(search.path).status_code
        if status != 200:
            raise RuntimeError(f"{search.path} answered {status} in-process")
        counts.setdefault(search.kind, []).append(len(queries))
    return counts
