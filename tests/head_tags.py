"""Read what a page's <head> tells search engines and link previews, as they would."""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Head:
    links: list[dict[str, str]] = field(default_factory=list)
    meta: list[dict[str, str]] = field(default_factory=list)
    json_ld: list[object] = field(default_factory=list)

    def link(self, rel: str, **attrs) -> list[str]:
        """The ``href`` of each ``<link>`` with this ``rel`` (and these attributes)."""
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and all(link.get(name) == value for name, value in attrs.items())
        ]

    def property(self, name: str) -> list[str]:
        """The content of each ``<meta property=...>`` or ``<meta name=...>`` called ``name``."""
        return [item["content"] for item in self.meta if name in (item.get("property"), item.get("name"))]

    def alternates(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links if link.get("hreflang")}


class _HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self._in_head = False
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "head":
            self._in_head = True
        elif self._in_head and tag == "link":
            self.head.links.append(attrs)
        elif self._in_head and tag == "meta":
            self.head.meta.append(attrs)
        elif self._in_head and tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        elif tag == "script" and self._script is not None:
            self.head.json_ld.append(json.loads("".join(self._script)))
            self._script = None


def head_of(html: str) -> Head:
    parser = _HeadParser()
    parser.feed(html)
    return parser.head
