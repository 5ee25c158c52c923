"""The outbox app; once loaded, a request that queued mail sends it after its response."""

from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from outbox import after_response

        request_started.connect(after_response.forget, dispatch_uid="outbox.forget")
        request_finished.connect(after_response.send, dispatch_uid="outbox.send_after_response")
