"""Show readers why a guide matched: the words of their query marked, in a short extract."""

import re
from html import escape  # Django's own escape, without its lazy-string wrapper: called per word

from django.utils.safestring import SafeString, mark_safe

from guides.search.text import fold, stems

_TOKEN = re.compile(r"\w+|\W+")
SNIPPET_WORDS = 28


class Marker:
    """Finds the words of a text that match a query, by the same rules as the index."""

    def __init__(self, words, language: str):
        self.language = language
        self.terms = {term for word in words if not word.prefix for term in _all_stems(word.text, language)}
        self.prefixes = tuple(term for word in words if word.prefix for term in _all_stems(word.text, language))
        self._seen: dict[str, bool] = {}  # results repeat their words: each is judged once

    def matches(self, token: str) -> bool:
        found = self._seen.get(token)
        if found is None:
            token_stems = stems(token, self.language)
            found = self._seen[token] = any(
                stem in self.terms or stem.startswith(self.prefixes) for stem in token_stems
            ) or (bool(self.prefixes) and fold(token).startswith(self.prefixes))
        return found

    def mark(self, text: str) -> SafeString:
        """The whole text, escaped, its matching words in ``<mark>``."""
        return mark_safe("".join(self._marked(_TOKEN.findall(text))))  # noqa: S308 - every piece is escaped

    def extract(self, text: str) -> SafeString:
        """About ``SNIPPET_WORDS`` words of the text around its first match (or from its start),
        escaped and marked, with an ellipsis where it was cut."""
        tokens = _TOKEN.findall(text)
        words = [index for index, token in enumerate(tokens) if _is_word(token)]
        first = next((index for index in words if self.matches(tokens[index])), None)
        start_word = 0 if first is None else max(0, words.index(first) - SNIPPET_WORDS // 3)
        if len(words) <= SNIPPET_WORDS:
            start_word = 0
        chosen = words[start_word : start_word + SNIPPET_WORDS]
        if not chosen:
            return mark_safe("")
        following = words[start_word + SNIPPET_WORDS : start_word + SNIPPET_WORDS + 1]
        begin, end = chosen[0], following[0] if following else len(tokens)
        before = "… " if begin > 0 else ""
        after = " …" if following else ""
        return mark_safe(before + "".join(self._marked(tokens[begin:end])).strip() + after)  # noqa: S308 - escaped

    def _marked(self, tokens: list[str]) -> list[str]:
        return [
            f"<mark>{escape(token)}</mark>" if _is_word(token) and self.matches(token) else escape(token)
            for token in tokens
        ]


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"


def _all_stems(word: str, language: str) -> tuple[str, ...]:
    return stems(word, language) or (fold(word),)
