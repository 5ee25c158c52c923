"""Step bodies: a small Markdown subset rendered to HTML that is safe to put on a page.

Editors get bold, italics, links, lists and inline code (for interface labels). Raw HTML is
escaped by the parser, and the result is sanitised again so that nothing but those elements,
and only http(s) links, can ever reach a reader.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("zero").enable(["list", "emphasis", "link", "backticks", "newline", "escape", "entity"])

_ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "code"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> SafeString:
    html = _parser.render(text or "")
    return mark_safe(  # noqa: S308 - nh3 has just removed everything outside the allow-list
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https"},
            link_rel="noopener noreferrer",
        )
    )
