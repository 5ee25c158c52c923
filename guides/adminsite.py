"""The admin site (outside the guides.admin package, which registers models on it).

Its index tells editors what needs them (new reports, guides to review). Every admin view that
can write:

- (unless it only reads, whatever its method: ``reads_only``, e.g. a Markdown preview) runs in
  one transaction, one at a time: editors are few and their saves short, and taking
  turns means that each save sees everything saved before it (a concurrent edit, a step added
  meanwhile, a guide just published), which the checks below rely on. SQLite gives that by its
  write transactions; on PostgreSQL an advisory lock does, given up after a few seconds;
- runs inside the publishing rule's guard (``guides.publishing``), so that no entry point,
  present or future, lets an editor without the permission change what is public.

Its sign-in page limits the attempts one address may make (django-axes locks an account and
address pair after a few wrong passwords, see the settings).
"""

from functools import wraps
from math import ceil

from django.conf import settings
from django.contrib import admin, messages
from django.db import OperationalError, connection, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from guides import proposals
from guides.publishing import Proposed, PublishingDenied, publishing_guard
from guides.ratelimit import limit_reached

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# PostgreSQL: one advisory lock for the admin's writes, waited for at most this long.
_WRITES_LOCK = 0x6775696465730001  # any 64-bit number no other code of this database uses
_WRITES_LOCK_WAIT = "10s"
LOCK_NOT_AVAILABLE = "55P03"
LOGIN_WINDOW_SECONDS = 10 * 60


class HelpCenterAdminSite(admin.AdminSite):
    site_header = _("Help center administration")
    site_title = _("Help center")
    index_title = _("Guides and platforms")

    def admin_view(self, view, cacheable=False):
        return super().admin_view(self._guard_publishing(view), cacheable)

    def _guard_publishing(self, view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method in _SAFE_METHODS or getattr(view, "reads_only", False):
                return view(request, *args, **kwargs)
            try:
                with transaction.atomic():
                    _take_turn()
                    with publishing_guard(request.user):
                        response = view(request, *args, **kwargs)
            except PublishingDenied as denied:
                hint = _("Ask a publisher to make this change, or send the guide to review.")
                return self._not_saved(request, str(denied.args[0]), hint, 403)
            except Proposed as proposed:
                return self._proposed(request, proposed.snapshots)
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                    raise
                message = _("Someone else is saving a long change. Nothing was saved.")
                hint = _("Go back to your page with your browser and save again in a moment.")
                return self._not_saved(request, message, hint, 409)
            return response

        return guarded

    def _proposed(self, request, snapshots: dict[int, dict]) -> HttpResponseRedirect:
        """The undone request's changes to published guides, filed as proposals for publishers."""
        storage = messages.get_messages(request)
        storage._queued_messages.clear()  # "saved" messages of the undone request: not true
        from guides.models import Proposal

        replaces = (
            Proposal.objects.waiting().filter(author=request.user, pk=_number(request.GET.get("proposal"))).first()
        )
        made = proposals.propose(snapshots, request.user, replaces)
        if not made:
            messages.info(request, _("Nothing was changed."))
            return HttpResponseRedirect(request.get_full_path())
        for proposal in made:
            messages.success(
                request,
                _("Your change to “%(guide)s” waits for a publisher's approval: readers still see the published guide.")
                % {"guide": proposal.guide},
            )
        return HttpResponseRedirect(made[0].get_absolute_url())

    def _not_saved(self, request, message: str, hint: str, status: int) -> TemplateResponse:
        # The undone request may have queued "saved" messages: not shown (see the template), and
        # read here, which is how Django's messages are cleared, so not kept for the next page.
        list(messages.get_messages(request))
        context = {**self.each_context(request), "title": _("Not saved"), "message": message, "hint": hint}
        return TemplateResponse(request, "admin/guides/not_saved.html", context, status=status)

    def login(self, request, extra_context=None):
        if request.method == "POST" and limit_reached(
            request, "admin-login", limit=settings.LOGIN_ATTEMPTS_PER_WINDOW, seconds=LOGIN_WINDOW_SECONDS
        ):
            # Before any password is checked: hashing them is what an attacker would make us do.
            return self.locked_out(request, throttled=True)
        return super().login(request, extra_context)

    def locked_out(self, request, throttled: bool = False) -> TemplateResponse:
        """The page instead of the sign-in form, for an address past its attempts or an account
        django-axes locked from this address (``AXES_LOCKOUT_CALLABLE``)."""
        context = {
            **self.each_context(request),
            "title": _("Too many sign-in attempts"),
            "throttled": throttled,
            "minutes": ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        }
        return TemplateResponse(request, "admin/guides/locked_out.html", context, status=429)

    def index(self, request, extra_context=None):
        from guides.admin.search import top_of_the_week
        from guides.models import Guide, Proposal, StepReport
        from guides.stale_steps import stale_steps
        from guides.translation_workspace import target_languages

        publisher = request.user.has_perm("guides.publish_guide")
        context = {
            "new_report_count": StepReport.objects.filter(status=StepReport.Status.NEW).count(),
            "guides_to_review_count": Guide.objects.to_review().count(),
            # What waits for this person: publishers approve; editors hear back.
            "waiting_guides": list(Guide.objects.filter(status=Guide.Status.IN_REVIEW)) if publisher else [],
            "waiting_proposals": list(Proposal.objects.waiting().select_related("guide", "author"))
            if publisher
            else [],
            "translation_languages": target_languages(),
            "stale_steps": stale_steps() if request.user.has_perm("guides.view_guide") else [],
            "sent_back_proposals": list(
                Proposal.objects.filter(author=request.user, status=Proposal.Status.SENT_BACK).select_related("guide")
            ),
            "missed_searches": top_of_the_week() if request.user.has_perm("guides.view_missedsearch") else [],
            **(extra_context or {}),
        }
        return super().index(request, context)


def locked_out(request, original_response=None, credentials=None):
    # django-axes answers from its middleware, after templates would have been rendered.
    return admin.site.locked_out(request).render()


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _take_turn() -> None:
    """Wait for the admin writes under way to finish (see the module's docstring)."""
    if connection.vendor != "postgresql":
        return  # SQLite's IMMEDIATE transactions already take turns
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{_WRITES_LOCK_WAIT}'")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITES_LOCK])
        cursor.execute("SET LOCAL lock_timeout = DEFAULT")
