"""Every report now names its guide and what its step was (filled by 0009): make that required.

Apart from 0009 so that, on PostgreSQL, the rows it updates are committed before the table is
altered (one transaction doing both fails with "pending trigger events")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("guides", "0009_note_reported_steps")]

    operations = [
        migrations.AlterField(
            model_name="stepreport",
            name="guide",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reports",
                to="guides.guide",
                verbose_name="guide",
            ),
        ),
        migrations.AlterField(
            model_name="stepreport",
            name="original_step_id",
            field=models.PositiveBigIntegerField(db_index=True, verbose_name="step id"),
        ),
        migrations.AlterField(
            model_name="stepreport",
            name="step_number",
            field=models.PositiveIntegerField(verbose_name="step number when reported"),
        ),
    ]
