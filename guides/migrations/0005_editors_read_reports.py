"""Editors read readers' reports and votes, and set a report's status."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_stepreport", "change_stepreport", "view_guidevote"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("guides")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="guides", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="guides", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("guides", "0004_reader_progress_reports_votes")]

    operations = [migrations.RunPython(grant, revoke)]
