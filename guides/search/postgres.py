"""Search on PostgreSQL: full-text search with each language's text search configuration.

Each document carries a ``vector`` its trigger computes on every write (the migration creates
both): the title weighted A, the interface labels B, the body C, each through ``unaccent`` and
the document's configuration (``french``, ``english``: ``GUIDES_SEARCH_LANGUAGES``), under a GIN
index. A query's words go through ``unaccent`` and the same configuration. Typos are corrected
with ``pg_trgm``: a word no published text uses, of five letters or more, is replaced by the
closest word of the vocabulary that is one typo away.
"""

from django.db import connection

from guides.models import Guide
from guides.search.text import MIN_TYPO_LENGTH, algorithm, one_typo_apart
from guides.search.types import Ranked, Word

GUIDE_BOOST = 1.5  # showing where a guide matches: its own title and summary over a step's


def terms_of(word: str, language: str) -> tuple[str, ...]:
    return (word,)  # stemmed by PostgreSQL


def corrections(words: list[str], language: str) -> dict[str, str]:
    """The corrected spelling of each word of ``words`` that no published text uses: one query
    for all, each unknown word with its closest neighbours by trigrams (a known word costs an
    index look-up, not a trigram search)."""
    long_words = [word for word in words if len(word) >= MIN_TYPO_LENGTH]
    if not long_words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT typed, near.word FROM unnest(%s::text[]) AS typed
            CROSS JOIN LATERAL (
                SELECT word FROM guides_searchword
                WHERE language = %s AND word %% typed
                ORDER BY word <-> typed, word LIMIT 8
            ) near
            WHERE NOT EXISTS (SELECT FROM guides_searchword WHERE language = %s AND word = typed)
            """,
            [long_words, language, language],
        )
        neighbours: dict[str, list[str]] = {}
        for typed, word in cursor.fetchall():
            neighbours.setdefault(typed, []).append(word)
    found = {}
    for word in long_words:
        near = neighbours.get(word, [])
        best = next((known for known in near if one_typo_apart(word, known)), None)
        if best:
            found[word] = best
    return found


def find(words: list[Word], language: str, limit: int, offset: int) -> tuple[list[Ranked], int]:
    """Published guides matching any of ``words``, by their whole documents: those having the
    most words first, then by relevance. Returns a page of them, and how many there are in all."""
    coverage = " + ".join(f"(d.vector @@ q{index})::int" for index in range(len(words))) if len(words) > 1 else "1"
    sql = f"""
        {_queries(words)}
        SELECT d.guide_id, ts_rank(d.vector, any_word) AS score, {coverage} AS coverage, COUNT(*) OVER () AS found
        FROM guides_searchdocument d, query
        WHERE d.scope = 'whole' AND d.language = %(language)s AND d.vector @@ any_word
          AND d.guide_id IN (SELECT id FROM guides_guide WHERE status = %(published)s)
        ORDER BY coverage DESC, score DESC, d.guide_id
        LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608 - only named placeholders and constants are formatted in
    parameters = {**_parameters(words, language), "published": Guide.Status.PUBLISHED, "limit": limit, "offset": offset}
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    return [Ranked(guide_id, coverage, score) for guide_id, score, coverage, _found in rows], rows[0][3] if rows else 0


def best_parts(words: list[Word], language: str, guide_ids: list[int]) -> dict[int, int]:
    """The part of each of these guides that matches ``words`` best, by guide."""
    if not guide_ids:
        return {}
    sql = f"""
        {_queries(words)}
        SELECT DISTINCT ON (d.guide_id) d.guide_id, d.id
        FROM guides_searchdocument d, query
        WHERE d.guide_id = ANY(%(guides)s) AND d.language = %(language)s AND d.scope <> 'whole'
          AND d.vector @@ any_word
        ORDER BY d.guide_id,
                 ts_rank(d.vector, any_word) * (CASE WHEN d.step_id IS NULL THEN {GUIDE_BOOST} ELSE 1 END) DESC, d.id
    """  # noqa: S608 - only named placeholders and constants are formatted in
    with connection.cursor() as cursor:
        cursor.execute(sql, {**_parameters(words, language), "guides": guide_ids})
        return dict(cursor.fetchall())


def _queries(words: list[Word]) -> str:
    """A ``WITH`` clause naming each word's tsquery (``q0``, ``q1``…) and ``any_word``, their
    union, worked out once for the whole statement."""
    each = ", ".join(f"{_word_query(word, index)} AS q{index}" for index, word in enumerate(words))
    any_word = " || ".join(f"q{index}" for index in range(len(words)))
    return f"""WITH words AS MATERIALIZED (SELECT {each}),
             query AS MATERIALIZED (SELECT *, {any_word} AS any_word FROM words)"""  # noqa: S608 - placeholders


def _parameters(words: list[Word], language: str) -> dict[str, str]:
    return {
        "config": algorithm(language),
        "language": language,
        **{f"word{index}": word.text for index, word in enumerate(words)},
    }


def _word_query(word: Word, index: int) -> str:
    """The tsquery of one word, in SQL, its text a parameter: ``plainto_tsquery`` reads no
    operator in it; the word being typed is quoted, then becomes a prefix of its stem."""
    text = f"unaccent(%(word{index})s)"
    if word.prefix:
        return f"to_tsquery(%(config)s::regconfig, quote_literal({text}) || ':*')"
    return f"plainto_tsquery(%(config)s::regconfig, {text})"
