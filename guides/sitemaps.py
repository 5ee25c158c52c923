"""What search engines are told: the sitemap and robots.txt.

The sitemap lists the home page, every platform with a published guide and every published
guide, at their address in each language (slugs differ by language), each with its addresses
in the other languages and the source language's as the default, and dated by the last change
readers saw. Drafts, guides in review and archived guides never appear. One query, whatever the
number of guides.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from guides.addresses import absolute, in_each_language
from guides.models import SOURCE_LANGUAGE, Guide
from guides.models.content import language_codes


@dataclass(frozen=True)
class Page:
    addresses: dict[str, str]  # absolute, by language code
    changed_at: datetime | None

    @property
    def default_address(self) -> str:
        return self.addresses[SOURCE_LANGUAGE]

    @property
    def lastmod(self) -> str:
        return self.changed_at.astimezone(UTC).isoformat(timespec="seconds") if self.changed_at else ""


def pages() -> list[Page]:
    guides = list(Guide.objects.published().select_related("platform").order_by("platform__position", "platform__pk"))
    latest = {}
    for guide in guides:
        latest[guide.platform] = max(latest.get(guide.platform, guide.last_changed), guide.last_changed)
    home = Page(_absolute_in_each_language(lambda: reverse("guides:home")), max(latest.values(), default=None))
    platforms = [Page(_absolute_in_each_language(p.get_absolute_url), changed) for p, changed in latest.items()]
    return [
        home,
        *platforms,
        *(Page(_absolute_in_each_language(guide.get_absolute_url), guide.last_changed) for guide in guides),
    ]


def _absolute_in_each_language(address) -> dict[str, str]:
    return {code: absolute(path) for code, path in in_each_language(address).items()}


def sitemap_xml() -> str:
    return render_to_string("guides/sitemap.xml", {"pages": pages()})


def robots_txt() -> str:
    """Crawlers may read every page, but neither the admin, nor search results, nor the
    addresses of readers' actions, in any language. ``*`` is read by the major search engines
    as any run of characters."""
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}"]
    for code in language_codes():
        with translation.override(code):
            home = reverse("guides:home")
        lines += [
            f"Disallow: {home}search/",
            f"Disallow: {home}*/*/steps/",
            f"Disallow: {home}*/*/vote/",
            f"Disallow: {home}*/*/start-over/",
        ]
    lines += ["", f"Sitemap: {absolute(reverse('sitemap'))}", ""]
    return "\n".join(lines)
