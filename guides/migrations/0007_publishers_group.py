"""Once created the publishers' group; ``guides.groups.ensure_groups`` now sets up every group
after each ``migrate``, so this step does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("guides", "0006_editors_workflow")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
