"""Once created the editors' group; ``guides.groups.ensure_groups`` now sets up every group
after each ``migrate``, so this step does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
