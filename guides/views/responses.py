"""Answers shared by the readers' views: a 303 back to the page, and refusals with a clear
message in the reader's language, never a bare status.

Refusals: plain requests get a full page. htmx requests get the message alone, marked
``X-Refusal``: the page's script shows it next to the form that caused it (``reader.js``), and
it is retargeted to the page's alert region otherwise, so that an error never replaces the step
the reader was looking at.
"""

from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _


class HttpResponseSeeOther(HttpResponseRedirect):
    """After a form POST, send the browser back with a GET (not a resubmission)."""

    status_code = 303


def refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = render(request, "guides/refusal.html#message", {"message": message}, status=status)
        response["X-Refusal"] = "1"
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "guides/refusal.html", {"message": message, "status": status}, status=status)


def require_methods(*methods: str):
    """Like Django's ``require_http_methods``, with a page that says what to do instead."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = refuse(request, 405, _("This address only accepts a form sent from a guide page."))
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


require_post = require_methods("POST")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return refuse(
        request,
        403,
        _("This form has expired or came from another site. Reload the page and try again."),
    )
