"""Search on SQLite: FTS5 over the documents' terms, typos corrected in Python.

The index (``guides_search_fts``, created by the migration with its triggers) holds each
document's terms, stemmed and folded by ``guides.search.text``; a query's words go through the
same rules. Typos are corrected against the vocabulary, loaded once per content version by each
process: a word not in it, of five letters or more, is replaced by the one word one typo away.
"""

from django.db import connection

from guides import content_version
from guides.models import Guide, SearchDocument, SearchWord
from guides.search.text import MIN_TYPO_LENGTH, one_typo_apart, stems
from guides.search.types import Ranked, Word

TITLE, LABELS, BODY = 10.0, 4.0, 1.0  # column weights: title over labels over body
GUIDE_BOOST = 1.5  # showing where a guide matches: its own title and summary over a step's


def terms_of(word: str, language: str) -> tuple[str, ...]:
    return stems(word, language)


def corrections(words: list[str], language: str) -> dict[str, str]:
    """The corrected spelling of each word of ``words`` that no published text uses."""
    long_words = [word for word in words if len(word) >= MIN_TYPO_LENGTH]
    if not long_words:
        return {}
    known = set(SearchWord.objects.filter(language=language, word__in=long_words).values_list("word", flat=True))
    unknown = [word for word in long_words if word not in known]
    if not unknown:
        return {}
    vocabulary = _vocabulary(language)
    found = {}
    for word in unknown:
        candidates = sorted(
            {known for variant in _variants(word) for known in vocabulary.get(variant, ())},
            key=lambda known: (abs(len(known) - len(word)), known),
        )
        best = next((known for known in candidates if one_typo_apart(word, known)), None)
        if best:
            found[word] = best
    return found


def find(words: list[Word], language: str, limit: int, offset: int) -> tuple[list[Ranked], int]:
    """Published guides matching any of ``words``, by their whole documents: those having the
    most words first, then by relevance. Returns a page of them, and how many there are in all."""
    whole = [SearchDocument.WHOLE]
    parameters = [_match_expression(words, language, whole)]
    coverage = "1"
    if len(words) > 1:  # how many of the words each guide has: one look-up in the index per word
        coverage = " + ".join(
            "(h.id IN (SELECT rowid FROM guides_search_fts WHERE guides_search_fts MATCH %s))" for _ in words
        )
        parameters.extend(_match_expression([word], language, whole) for word in words)
    sql = f"""
        WITH hits AS MATERIALIZED (
            SELECT rowid AS id, -bm25(guides_search_fts, 0, 0, 0, {TITLE}, {LABELS}, {BODY}) AS score
            FROM guides_search_fts WHERE guides_search_fts MATCH %s
        )
        SELECT d.guide_id, h.score, {coverage} AS coverage, COUNT(*) OVER () AS found
        FROM hits h JOIN guides_searchdocument d ON d.id = h.id
        WHERE d.guide_id IN (SELECT id FROM guides_guide WHERE status = %s)
        ORDER BY coverage DESC, h.score DESC, d.guide_id
        LIMIT %s OFFSET %s
    """  # noqa: S608 - only placeholders and constants are formatted in
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parameters, Guide.Status.PUBLISHED, limit, offset])
        rows = cursor.fetchall()
    return [Ranked(guide, coverage, score) for guide, score, coverage, _found in rows], rows[0][3] if rows else 0


def best_parts(words: list[Word], language: str, guide_ids: list[int]) -> dict[int, int]:
    """The part of each of these guides that matches ``words`` best, by guide."""
    if not guide_ids:
        return {}
    sql = f"""
        SELECT d.guide_id, d.id,
               -bm25(guides_search_fts, 0, 0, 0, {TITLE}, {LABELS}, {BODY})
               * (CASE WHEN d.step_id IS NULL THEN {GUIDE_BOOST} ELSE 1 END) AS score
        FROM guides_search_fts JOIN guides_searchdocument d ON d.id = guides_search_fts.rowid
        WHERE guides_search_fts MATCH %s
    """  # noqa: S608 - only constants are formatted in
    with connection.cursor() as cursor:
        match = _match_expression(words, language, [SearchDocument.GUIDE, SearchDocument.STEP], guide_ids)
        cursor.execute(sql, [match])
        rows = cursor.fetchall()
    best: dict[int, tuple[float, int]] = {}
    for guide_id, document_id, score in rows:
        if guide_id not in best or score > best[guide_id][0]:
            best[guide_id] = (score, document_id)
    return {guide_id: document_id for guide_id, (_score, document_id) in best.items()}


def _match_expression(words: list[Word], language: str, scopes: list[str], guide_ids: list[int] = ()) -> str:
    """An FTS5 query: the language's documents of those scopes (and of those guides) with any
    term of any word. Terms are letters and digits only, and quoted: nothing a reader types is
    read as FTS5 syntax."""
    parts = [f"scope : ({' OR '.join(scopes)})", f'language : "{language}"']
    if guide_ids:
        parts.append(f"guide_id : ({' OR '.join(str(int(guide)) for guide in guide_ids)})")
    terms = " OR ".join(f'"{term}"' + ("*" if word.prefix else "") for word in words for term in word.terms)
    parts.append(f"{{title_terms labels_terms body_terms}} : ({terms})")
    return " AND ".join(parts)


_vocabularies: dict[str, tuple[int, dict[str, tuple[str, ...]]]] = {}


def _vocabulary(language: str) -> dict[str, tuple[str, ...]]:
    """The language's words by each spelling one letter shorter (and their own): two words one
    typo apart share at least one of these. Kept by each process until the content changes."""
    version = content_version.current()
    kept = _vocabularies.get(language)
    if kept is None or kept[0] != version:
        index: dict[str, list[str]] = {}
        for word in SearchWord.objects.filter(language=language).values_list("word", flat=True).iterator():
            for variant in _variants(word):
                index.setdefault(variant, []).append(word)
        kept = _vocabularies[language] = (version, {variant: tuple(known) for variant, known in index.items()})
    return kept[1]


def _variants(word: str) -> set[str]:
    return {word, *(word[:index] + word[index + 1 :] for index in range(len(word)))}
