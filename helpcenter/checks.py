"""System checks for settings that are valid one by one but wrong together (``manage.py check``)."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def proxy_settings(app_configs, **kwargs):
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.TRUSTED_PROXY_HOPS == 0:
        return [
            Warning(
                "DJANGO_BEHIND_PROXY is on but DJANGO_TRUSTED_PROXY_HOPS is 0: every client is seen as the "
                "proxy's address, so one client's rate limit or sign-in lockout applies to everyone.",
                hint="Set DJANGO_TRUSTED_PROXY_HOPS to the number of your proxies that append to X-Forwarded-For "
                "(1 for nginx alone).",
                id="helpcenter.W001",
            )
        ]
    return []
