"""The Atom feed of each language: guides published or changed lately, newest first.

A guide's entry is dated by its last change readers should hear of (``Guide.changed_at``): a
typo fixed as a minor change does not move it. Its id is stable across renames (it names the
guide, not its address), and differs between languages, whose entries hold different text.
"""

import uuid

from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from guides.addresses import absolute
from guides.models import Guide

FEED_TITLE = gettext_lazy("New and updated guides")
LENGTH = 30


def latest_guides() -> list[Guide]:
    """The published guides the feed holds, newest change first: one query."""
    guides = Guide.objects.published().select_related("platform")
    return list(guides.order_by(F("changed_at").desc(nulls_last=True), "-pk")[:LENGTH])


def atom_feed() -> str:
    """The feed in the active language."""
    home = absolute(reverse("guides:home"))
    address = absolute(reverse("guides:feed"))
    site = _("Help center")
    feed = Atom1Feed(
        title=f"{site} · {FEED_TITLE}",
        link=home,
        description="",
        subtitle=_("Guides published or changed lately, newest first."),
        language=get_language(),
        feed_url=address,
        feed_guid=address,
        author_name=site,
        author_link=home,
    )
    for guide in latest_guides():
        feed.add_item(
            title=guide.title,
            link=absolute(guide.get_absolute_url()),
            description=escape(guide.summary),  # Atom1Feed writes summaries as HTML
            unique_id=entry_id(guide),
            unique_id_is_permalink=False,
            pubdate=guide.published_at or guide.last_changed,
            updateddate=guide.last_changed,
            author_name=site,
            author_link=home,
        )
    return feed.writeString("utf-8")


def entry_id(guide: Guide) -> str:
    """Names the guide in this language for good, whatever its title or address become."""
    return uuid.uuid5(uuid.NAMESPACE_URL, absolute(f"/guides/{guide.pk}/{get_language()}")).urn
