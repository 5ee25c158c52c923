"""The editors' admin, a module per topic; importing them registers the models."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guides.admin import content, feedback  # noqa: F401

admin.site.site_header = _("Help center administration")
admin.site.site_title = _("Help center")
admin.site.index_title = _("Guides and platforms")
