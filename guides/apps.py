from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    default = True  # this module also holds the admin's config, below
    name = "guides"
    verbose_name = _("Guides")


class HelpCenterAdminConfig(admin_apps.AdminConfig):
    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "guides.adminsite.HelpCenterAdminSite"
