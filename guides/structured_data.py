"""What a guide page tells search engines in JSON-LD: where it sits (a ``BreadcrumbList``) and
the guide itself (a ``HowTo``), from the very objects the page shows, so both always agree:
same titles, same steps in the same order, the same French text where a translation is missing.
"""

import html
import json
import re
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guides.addresses import absolute
from guides.models import Guide, Prerequisite, Step

# Inside <script>, "</script>" or "<!--" would end or change the block: the characters that
# could start them are written as JSON escapes, which parse back to the same text.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})
_SPACES = re.compile(r"\s+")
_BLOCK_ENDS = re.compile(r"</(?:p|li|ul|ol|h[1-6]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def for_guide(guide: Guide, steps: Iterable[Step], prerequisites: Iterable[Prerequisite]) -> SafeString:
    """The guide page's ``<script type="application/ld+json">`` block, in the active language."""
    page = absolute(guide.get_absolute_url())
    breadcrumbs = [
        (_("Home"), absolute(reverse("guides:home"))),
        (guide.platform.name, absolute(guide.platform.get_absolute_url())),
        (guide.title, page),
    ]
    data = [
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": number, "name": name, "item": url}
                for number, (name, url) in enumerate(breadcrumbs, start=1)
            ],
        },
        {
            "@context": "https://schema.org",
            "@type": "HowTo",
            "name": guide.title,
            "description": guide.summary,
            "url": page,
            "inLanguage": get_language(),
            "totalTime": duration(guide.estimated_minutes),
            "supply": [{"@type": "HowToSupply", "name": item.text} for item in prerequisites],
            "step": [
                {
                    "@type": "HowToStep",
                    "position": step.position,
                    "name": step.title,
                    "text": plain_text(step.body_html) or step.title,
                    "url": f"{page}#{step.anchor}",
                }
                for step in steps
            ],
        },
    ]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def duration(minutes: int) -> str:
    """ISO 8601: ``PT45M``, ``PT1H30M``."""
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def plain_text(rendered: str) -> str:
    """A step body's text as readers read it, without its HTML."""
    spaced = _BLOCK_ENDS.sub(lambda end: end[0] + " ", rendered)  # "<li>a</li><li>b</li>": "a b"
    return _SPACES.sub(" ", html.unescape(strip_tags(spaced))).strip()
