"""Words as search compares them: without case or accents, stemmed by language, stop words out.

The same rules serve the SQLite index, every query, the vocabulary typos are corrected against,
and the marking of matched words in results. PostgreSQL stems with its own configurations,
which run the same Snowball algorithms and stop-word lists (see ``guides.search.postgres``).
"""

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer
from django.conf import settings

MAX_QUERY_WORDS = 8
MIN_TYPO_LENGTH = 5  # shorter words have too many neighbours one typo away
_WORD = re.compile(r"\w+")
_LABEL = re.compile(r"`([^`\n]+)`")
# Letters that do not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "\u0131": "i"})


def algorithm(language: str) -> str:
    """The Snowball algorithm (and PostgreSQL configuration) of a language, or ``simple``."""
    return settings.GUIDES_SEARCH_LANGUAGES.get(language, "simple")


def fold(text: str) -> str:
    """Lower case without accents: "Paramètres" and "parametres" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text, folded, in order."""
    return _WORD.findall(fold(text))


def labels(markdown: str) -> list[str]:
    """Interface labels a step names, written `Label` in its Markdown."""
    return _LABEL.findall(markdown or "")


@cache
def stop_words(language: str) -> frozenset[str]:
    path = Path(__file__).parent / "stopwords" / f"{algorithm(language)}.txt"
    if not path.exists():
        return frozenset()
    return frozenset(fold(line.strip()) for line in path.read_text().splitlines() if line.strip())


@lru_cache(maxsize=65536)
def stems(word: str, language: str) -> tuple[str, ...]:
    """The index terms of one word (unfolded): its stem taken before and after folding.

    Snowball's French rules read accents ("dissociée" and "dissocier" share a stem) that readers
    often leave out; indexing both stems lets a word typed either way find the other."""
    folded = fold(word)
    if folded in stop_words(language):
        return ()
    stemmer = _stemmer(algorithm(language))
    if stemmer is None:
        return (folded,)
    return tuple(dict.fromkeys((fold(stemmer.stemWord(word.casefold())), stemmer.stemWord(folded))))


def index_terms(text: str, language: str) -> str:
    """A text as the SQLite index holds it: its words' terms, separated by spaces."""
    return " ".join(term for word in _WORD.findall(text) for term in stems(word, language))


def query_words(query: str, language: str) -> list[str]:
    """The words of a query worth looking for, in lower case with their accents (stemming
    reads them), one per folded form, at most ``MAX_QUERY_WORDS``."""
    stop = stop_words(language)
    found = {}
    for word in _WORD.findall(query.casefold()):
        folded = fold(word)
        if folded not in stop and folded not in found:
            found[folded] = word
    return list(found.values())[:MAX_QUERY_WORDS]


@cache
def _stemmer(name: str):
    try:
        return snowballstemmer.stemmer(name)
    except KeyError:
        return None


def one_typo_apart(a: str, b: str) -> bool:
    """Whether one edit turns ``a`` into ``b``: a letter changed, added, removed, or two
    neighbours swapped ("buisness", "business")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [index for index, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 1:
            return True
        first, *rest = differ
        return rest == [first + 1] and a[first] == b[first + 1] and a[first + 1] == b[first]
    shorter, longer = sorted((a, b), key=len)
    index = next((i for i, (x, y) in enumerate(zip(shorter, longer, strict=False)) if x != y), len(shorter))
    return shorter[index:] == longer[index + 1 :]
