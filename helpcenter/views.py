"""Site-wide views: the health check and the error pages.

Django's own error views read the CSRF token, which parses the request body again; a request
refused because its body could not be read would then fail a second time, with a 500. These
render the same templates without touching the body.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from guides.views.responses import refuse
from helpcenter import health


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 while every required dependency serves, 503 otherwise; the README describes the JSON."""
    report = health.report()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return refuse(request, 400, _("The help center could not understand this request. Go back and try again."))


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if getattr(request, "htmx", False):
        return refuse(request, 404, _("This step or guide is no longer available. Reload the page."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("500.html").render({}, request))
