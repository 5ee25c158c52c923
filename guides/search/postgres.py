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
from guides.search.types import Match, Word

GUIDE_BOOST = 1.5  # the guide's own title and summary over a step's


def terms_of(word: str, language: str) -> tuple[str, ...]:
    return (word,)  # stemmed by PostgreSQL


def corrections(words: list[str], language: str) -> dict[str, str]:
    """The corrected spelling of each word of ``words`` that no published text uses: one query
    for all, each word with its closest neighbours by trigrams."""
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
            """,
            [long_words, language],
        )
        neighbours: dict[str, list[str]] = {}
        for typed, word in cursor.fetchall():
            neighbours.setdefault(typed, []).append(word)
    found = {}
    for word in long_words:
        near = neighbours.get(word, [])
        if word in near:
            continue
        best = next((known for known in near if one_typo_apart(word, known)), None)
        if best:
            found[word] = best
    return found


def find(words: list[Word], language: str, limit: int, offset: int) -> tuple[list[Match], int]:
    """Published guides matching any of ``words``: those matching the most words first, then
    by relevance. Returns a page of them, and how many there are in all."""
    config = algorithm(language)
    queries = [_word_query(word, index) for index, word in enumerate(words)]
    each = ", ".join(f"{query} AS q{index}" for index, query in enumerate(queries))
    columns = ", ".join(f"d.vector @@ q{index} AS w{index}" for index in range(len(words)))
    coverage = " + ".join(f"bool_or(w{index})::int" for index in range(len(words)))
    any_word = " || ".join(f"q{index}" for index in range(len(words)))
    sql = f"""
        WITH words AS MATERIALIZED (SELECT {each}),
             query AS MATERIALIZED (SELECT *, {any_word} AS any_word FROM words)
        SELECT guide_id, (array_agg(id ORDER BY score DESC))[1], SUM(score) AS total, {coverage} AS coverage,
               COUNT(*) OVER () AS found
        FROM (
            SELECT d.guide_id, d.id, {columns},
                   ts_rank(d.vector, any_word) * (CASE WHEN d.step_id IS NULL THEN {GUIDE_BOOST} ELSE 1 END) AS score
            FROM guides_searchdocument d, query
            WHERE d.language = %(language)s AND d.vector @@ any_word
              AND d.guide_id IN (SELECT id FROM guides_guide WHERE status = %(published)s)
        ) d
        GROUP BY guide_id
        ORDER BY coverage DESC, total DESC, guide_id
        LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608 - only named placeholders and constants are formatted in
    parameters = {
        "config": config,
        "language": language,
        "published": Guide.Status.PUBLISHED,
        "limit": limit,
        "offset": offset,
        **{f"word{index}": word.text for index, word in enumerate(words)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    matches = [Match(guide_id, document_id, coverage, total) for guide_id, document_id, total, coverage, _n in rows]
    return matches, rows[0][4] if rows else 0


def _word_query(word: Word, index: int) -> str:
    """The tsquery of one word, in SQL, its text a parameter: ``plainto_tsquery`` reads no
    operator in it; the word being typed is quoted, then becomes a prefix of its stem."""
    text = f"unaccent(%(word{index})s)"
    if word.prefix:
        return f"to_tsquery(%(config)s::regconfig, quote_literal({text}) || ':*')"
    return f"plainto_tsquery(%(config)s::regconfig, {text})"
