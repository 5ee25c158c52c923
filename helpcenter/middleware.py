"""Site-wide middleware: request hardening, and the Content-Security-Policy header.

Requests that no view could handle safely get a readable 400:

- NUL (\\x00) in the path, a query parameter or a cookie: PostgreSQL text cannot hold it, so a
  filter such as ``?status=%00`` or a forged session cookie would fail with a 500 deep in the ORM.
- A form body that cannot be read (a charset other than UTF-8, a broken multipart body):
  Django raises while parsing it, and its own 400 page parses it again, which ends in a 500.
  Reading it here, before the CSRF check, turns that into one clear refusal.
- An admin list action on rows named by something else than a number (every model here has
  numbered rows): Django's admin would fail with a 500 filtering on it.
"""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from guides.views.responses import refuse

_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_UNREADABLE_BODY = (BadRequest, MultiPartParserError, TooManyFieldsSent, TooManyFilesSent, UnicodeDecodeError)


class RequestHardeningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_null_character(request):
            return refuse(request, 400, _("This address contains a character that is not allowed."))
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.content_type in _FORM_TYPES:
            try:
                request.POST  # noqa: B018 - parse now, where a failure can still be answered cleanly
            except RequestDataTooBig:
                return refuse(request, 400, _("This form is too large to be sent."))
            except _UNREADABLE_BODY:
                return refuse(request, 400, _("This form could not be read. Reload the page and try again."))
            if not all(value.isdigit() for value in request.POST.getlist("_selected_action")):
                return refuse(request, 400, _("This form could not be read. Reload the page and try again."))
        return self.get_response(request)


def _holds_null_character(request) -> bool:
    return (
        "\x00" in request.path
        or any("\x00" in value for value in request.GET.values())
        or any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items())
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built once per process: it builds it again for
    every response, and ours only changes with the settings (no nonces, no per-view policies,
    no report-only policy)."""

    @cached_property
    def _policy(self) -> tuple[str, str, tuple[str, ...]]:
        exempt = tuple(getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("EXCLUDE_URL_PREFIXES", ()))
        return build_policy(), build_policy(report_only=True), exempt

    def process_response(self, request, response):
        policy, report_only, exempt = self._policy
        customised = any(hasattr(response, f"_csp_{part}") for part in ("config", "update", "replace", "exempt"))
        if customised or report_only or getattr(request, "_csp_nonce", None):
            return super().process_response(request, response)
        if policy and HEADER not in response and not request.path_info.startswith(exempt):
            response[HEADER] = policy
        return response
