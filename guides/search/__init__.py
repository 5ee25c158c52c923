"""Search in the reader's language, over published guides only.

A query becomes words (no case, no accents, no stop words, at most eight); a word that no
published text uses and that is one typo away from one that does is corrected; the last word
counts as a prefix, for results while typing. Guides are ranked by how many of the words they
have (anywhere: title, steps, prerequisites, platform), then by relevance, the title weighing
more than interface labels, and those more than body text. Each result shows the guide's best
matching part (a step, or the guide's summary) with the words marked.

The database does the matching: FTS5 on SQLite (``guides.search.sqlite``), full-text search with
per-language configurations on PostgreSQL (``guides.search.postgres``), over the documents
``guides.search.documents`` keeps: guides are ranked by their whole documents, then the parts of
the guides on the page are read to show where each matches. A search is four or five queries,
whatever the catalogue.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q
from django.utils.safestring import SafeString

from guides.models import SearchDocument
from guides.search import postgres, sqlite
from guides.search.snippets import Marker
from guides.search.text import fold, query_words
from guides.search.types import Word

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200  # characters read from a query; the rest is ignored
_PREFIX_FROM = 3  # letters before the word being typed counts as a prefix


@dataclass(frozen=True)
class Result:
    title: SafeString
    title_language: str
    platform_name: str
    url: str
    extract: SafeString
    extract_language: str
    step_number: int | None = None  # when the best match is a step
    step_title: SafeString | None = None


@dataclass(frozen=True)
class Results:
    query: str
    corrected: str = ""  # the query as searched, when a typo was corrected
    results: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1

    @property
    def searched(self) -> bool:
        return bool(self.query.strip())

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def search(query: str, language: str, page: int = 1) -> Results:
    query = query[:MAX_QUERY_LENGTH]
    typed = query_words(query, language)
    if not typed:
        return Results(query=query)
    backend = postgres if connection.vendor == "postgresql" else sqlite
    fixes = backend.corrections([fold(word) for word in typed], language)
    words = _words(backend, typed, fixes, language, being_typed=not query[-1:].isspace())
    found, total = backend.find(words, language, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    best = backend.best_parts(words, language, [guide.guide_id for guide in found])
    corrected = " ".join(fixes.get(fold(word), word) for word in typed) if fixes else ""
    results = _results([guide.guide_id for guide in found], best, words, language)
    return Results(query=query, corrected=corrected, results=results, total=total, page=page)


def _words(backend, typed: list[str], fixes: dict[str, str], language: str, being_typed: bool) -> list[Word]:
    words = []
    for index, word in enumerate(typed):
        fixed = fixes.get(fold(word))
        prefix = being_typed and index == len(typed) - 1 and fixed is None and len(word) >= _PREFIX_FROM
        spelled = fixed or word
        terms = backend.terms_of(spelled, language)
        if terms:
            words.append(Word(text=fold(spelled), terms=terms, prefix=prefix))
    return words


def _results(guide_ids: list[int], best: dict[int, int], words: list[Word], language: str) -> list[Result]:
    """The guides found, in order, each with its part that matches best (or its own)."""
    if not guide_ids:
        return []
    documents = (
        SearchDocument.objects.filter(language=language, guide_id__in=guide_ids)  # by its index
        .filter(Q(scope=SearchDocument.GUIDE) | Q(pk__in=best.values()))
        .defer("title_terms", "labels_terms", "body_terms")
        .annotate(step_number=F("step__position"))
    )
    by_id = {document.pk: document for document in documents}
    guides = {document.guide_id: document for document in by_id.values() if document.step_id is None}
    marker = Marker(words, language)
    results = []
    for guide_id in guide_ids:
        guide = guides.get(guide_id)
        if guide is None:  # changed since the first query
            continue
        best_part = by_id.get(best.get(guide_id), guide)
        in_step = best_part.step_id is not None
        results.append(
            Result(
                title=marker.mark(guide.title),
                title_language=guide.title_language,
                platform_name=guide.platform_name,
                url=best_part.anchor_url,
                extract=marker.extract(best_part.body or best_part.labels or guide.body),
                extract_language=best_part.body_language if best_part.body else guide.body_language,
                step_number=best_part.step_number if in_step else None,
                step_title=marker.mark(best_part.title) if in_step else None,
            )
        )
    return results
