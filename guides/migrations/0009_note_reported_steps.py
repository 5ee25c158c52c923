"""Fill each existing report's guide, step id, number and title from its step (every report has
its step until now). The title is the one the reader was shown: in the report's language, or the
French source where that language had none. The number is the step's current one, the closest
known to the number at report time."""

from django.db import migrations

BATCH = 500


def note_reported_steps(apps, schema_editor):
    StepReport = apps.get_model("guides", "StepReport")
    reports = StepReport.objects.filter(guide__isnull=True).select_related("step").order_by("pk")
    batch = []
    for report in reports.iterator(chunk_size=BATCH):
        step = report.step
        report.guide_id = step.guide_id
        report.original_step_id = step.pk
        report.step_number = step.position
        report.step_title = getattr(step, f"title_{report.language}", None) or step.title_fr or step.title
        batch.append(report)
        if len(batch) == BATCH:
            StepReport.objects.bulk_update(batch, ["guide", "original_step_id", "step_number", "step_title"])
            batch = []
    StepReport.objects.bulk_update(batch, ["guide", "original_step_id", "step_number", "step_title"])


class Migration(migrations.Migration):
    dependencies = [("guides", "0008_reports_outlive_steps")]

    operations = [migrations.RunPython(note_reported_steps, migrations.RunPython.noop)]
