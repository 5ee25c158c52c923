"""A guide's way to readers: an editor submits it for approval, a publisher approves and
publishes it or sends it back to its author, each with an optional comment (required to send
back); publishers are told a guide waits for them, the author how it went. E-mails go through
the outbox, in ``GUIDES_EDITORS_LANGUAGE``.

The change form offers these as buttons (``ACTIONS``); which one a save may take depends on the
guide's stored status and the editor's permission (``allowed``), and the publishing guard checks
the result anyway (``guides.publishing``).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guides.models import Guide
from guides.notifications import message, publisher_addresses
from guides.outbox import queue
from guides.publishing import may_publish

# Button name -> (label, status it gives the guide)
ACTIONS = {
    "_submit_for_review": (_("Save and submit for approval"), Guide.Status.IN_REVIEW),
    "_withdraw": (_("Save and take back to draft"), Guide.Status.DRAFT),
    "_approve": (_("Save, approve and publish"), Guide.Status.PUBLISHED),
    "_send_back": (_("Save and send back to its author"), Guide.Status.DRAFT),
}


def allowed(user, guide: Guide | None) -> list[str]:
    """The review buttons this user may press on this guide (None: a guide being added)."""
    status = guide.status if guide is not None else Guide.Status.DRAFT
    if status == Guide.Status.DRAFT:
        return ["_submit_for_review"]
    if status == Guide.Status.IN_REVIEW:
        return ["_approve", "_send_back"] if may_publish(user) else ["_withdraw"]
    return []


def chosen(data, user, guide: Guide | None) -> str | None:
    """The review button pressed in ``data`` (a POST), if this user may press it on this guide."""
    return next((name for name in allowed(user, guide) if name in data), None)


def apply(action: str, guide: Guide, user) -> None:
    """Give the (unsaved) guide the status of ``action``; note who submitted it."""
    guide.status = ACTIONS[action][1]
    if action == "_submit_for_review":
        guide.submitted_by = user


def tell(action: str, guide: Guide, user, comment: str) -> None:
    """Queue the e-mails of a review step, once the guide is saved."""
    url = settings.SITE_URL + reverse("admin:guides_guide_change", args=[guide.pk])
    with translation.override(settings.GUIDES_EDITORS_LANGUAGE):
        context = {"guide": guide, "comment": comment, "url": url}
        if action == "_submit_for_review":
            recipients = publisher_addresses()
            if recipients:
                author = user.get_full_name() or user.get_username()
                queue(message("guides/email/guide_submitted", {**context, "author": author}, bcc=recipients))
        elif action in ("_approve", "_send_back") and guide.submitted_by and guide.submitted_by.email:
            publisher = user.get_full_name() or user.get_username()
            context = {**context, "publisher": publisher, "approved": action == "_approve"}
            queue(message("guides/email/guide_reviewed", context, to=[guide.submitted_by.email]))
