"""Refuse, with a readable 400, request parameters no database can store or compare."""

from django.utils.translation import gettext as _

from guides.views.responses import refuse


class RejectNullCharactersMiddleware:
    """PostgreSQL text cannot hold NUL (\\x00): a filter such as ``?status=%00`` in the admin
    would fail with a 500 deep in the ORM. No real parameter contains one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in value for value in request.GET.values()):
            return refuse(request, 400, _("This address contains a character that is not allowed."))
        return self.get_response(request)
