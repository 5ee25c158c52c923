"""Readers' actions refuse requests made by other sites, without a token in the page.

Django's CSRF protection puts a token in each form and a cookie in each browser: every reader's
page would then differ, and no shared cache could serve it. Readers' actions (mark a step done,
start over, report, vote) are protected instead by what browsers say of where a request comes
from, the rule Go 1.25 adopted as ``http.CrossOriginProtection``:

- ``GET``, ``HEAD`` and ``OPTIONS`` never change anything: allowed;
- ``Sec-Fetch-Site: same-origin`` (a page of this site) or ``none`` (the reader typed the
  address, opened a bookmark): allowed; ``same-site`` or ``cross-site``: refused, unless the
  request's ``Origin`` is one of ``CSRF_TRUSTED_ORIGINS``;
- no ``Sec-Fetch-Site`` (browsers before 2023): the ``Origin`` header must name this host (or a
  trusted origin); a request with neither header does not come from a browser's form or
  script, so no reader's cookie is being abused, and it is allowed.

Every browser in use sends ``Sec-Fetch-Site`` (Chrome and Edge since 2020, Firefox since 2021,
Safari since 16.4, 2023) and ``Origin`` on cross-origin POSTs. Signed-in pages (the admin) keep
Django's CSRF tokens: they are never cached.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from guides.views.responses import refuse

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_cross_origin(request: HttpRequest) -> bool:
    if request.method in _SAFE_METHODS:
        return False
    origin = request.headers.get("Origin", "")
    site = request.headers.get("Sec-Fetch-Site", "")
    if site in ("same-origin", "none"):
        return False
    if site:
        return origin not in settings.CSRF_TRUSTED_ORIGINS
    if not origin:
        return False
    return urlsplit(origin).netloc != request.get_host() and origin not in settings.CSRF_TRUSTED_ORIGINS


def refuse_cross_origin(view):
    """Protect a reader's action by ``is_cross_origin`` instead of a CSRF token."""

    @csrf_exempt
    @wraps(view)
    def protected(request: HttpRequest, *args, **kwargs):
        if is_cross_origin(request):
            message = _("This form was sent from another site. Open the guide on this site and try again.")
            return refuse(request, 403, message)
        return view(request, *args, **kwargs)

    return protected
