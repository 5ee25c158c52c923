"""The "Publishers" group: editors who may also publish and archive guides.

Members of "Editors" alone can write guides and send them to review; adding someone to
"Publishers" as well lets them put a guide in front of readers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_publishers_group(apps, schema_editor):
    app_config = apps.get_app_config("guides")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Publishers")
    group.permissions.add(Permission.objects.get(content_type__app_label="guides", codename="publish_guide"))


def remove_publishers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()


class Migration(migrations.Migration):
    dependencies = [("guides", "0006_editors_workflow")]

    operations = [migrations.RunPython(create_publishers_group, remove_publishers_group)]
