"""Readers' reports outlive their step: each report names its guide and keeps what the reader was
looking at (step id, number, title), and its step may go away (then it is empty).

The new columns start empty; 0009 fills them from the steps and 0010 makes them required.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("guides", "0007_publishers_group")]

    operations = [
        migrations.AddField(
            model_name="stepreport",
            name="guide",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reports",
                to="guides.guide",
                verbose_name="guide",
            ),
        ),
        migrations.AddField(
            model_name="stepreport",
            name="original_step_id",
            field=models.PositiveBigIntegerField(db_index=True, null=True, verbose_name="step id"),
        ),
        migrations.AddField(
            model_name="stepreport",
            name="step_number",
            field=models.PositiveIntegerField(null=True, verbose_name="step number when reported"),
        ),
        migrations.AddField(
            model_name="stepreport",
            name="step_title",
            field=models.CharField(default="", max_length=200, verbose_name="step as the reader saw it"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="stepreport",
            name="step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reports",
                to="guides.step",
                verbose_name="step",
            ),
        ),
    ]
