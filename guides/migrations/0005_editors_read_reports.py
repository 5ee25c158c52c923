"""Once granted editors the report permissions; ``guides.groups.ensure_groups`` now does it
after each ``migrate``, so this step does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("guides", "0004_reader_progress_reports_votes")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
