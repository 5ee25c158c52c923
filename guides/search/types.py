"""What the search backends take and give."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One word of a query as a backend looks for it."""

    text: str  # folded, as typed or as corrected
    terms: tuple[str, ...]  # what the index holds for it
    prefix: bool  # the word being typed: any word it starts counts


@dataclass(frozen=True)
class Ranked:
    """A guide found, with what ranks it."""

    guide_id: int
    coverage: int  # how many of the query's words the guide has
    score: float
