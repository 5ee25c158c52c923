"""Count what readers searched for and did not find, for editors: the folded text, the language
and the day, never who searched."""

import logging

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from guides.models import MissedSearch
from guides.search.text import words

logger = logging.getLogger(__name__)
MAX_LENGTH = MissedSearch._meta.get_field("query").max_length

_COUNT = (
    f"INSERT INTO {MissedSearch._meta.db_table} (language, query, day, count) VALUES (%s, %s, %s, 1) "  # noqa: S608
    "ON CONFLICT (language, query, day) DO UPDATE SET count = "
    f"{MissedSearch._meta.db_table}.count + 1"
)


def normalised(query: str) -> str:
    """The query as editors see it: its words, folded, in order."""
    return " ".join(words(query))[:MAX_LENGTH].strip()


def count(query: str, language: str) -> None:
    """One more search for ``query`` found nothing today. A statement of its own, and never an
    error for the reader: a count that cannot be written is logged and dropped."""
    text = normalised(query)
    if not text:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_COUNT, [language, text, timezone.localdate()])
    except DatabaseError:
        logger.exception("could not count a search without results")
