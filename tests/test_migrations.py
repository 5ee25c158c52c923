from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db
def test_no_migration_is_pending():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_reports_get_their_guide_and_the_step_they_were_about():
    def migrate(*target: tuple[str, str]):
        executor = MigrationExecutor(connection)
        executor.migrate(list(target) or executor.loader.graph.leaf_nodes())
        return executor.loader.project_state(list(target)).apps if target else None

    old = migrate(("guides", "0007_publishers_group"))
    try:
        steps = old.get_model("guides", "Step").objects.filter(guide__slug="dissocier-tiktok-for-business")
        untranslated, translated = steps.get(position=2), steps.get(position=3)
        untranslated.title_en = ""
        untranslated.save()
        reports = old.get_model("guides", "StepReport").objects
        fields = {"problem": "moved", "seen_instead": "x", "device": "ios"}
        made = {
            reports.create(step=untranslated, language="fr", reader_key="a", **fields).pk: (2, untranslated.title_fr),
            # An English reader of an untranslated step was shown its French title.
            reports.create(step=untranslated, language="en", reader_key="b", **fields).pk: (2, untranslated.title_fr),
            reports.create(step=translated, language="en", reader_key="c", **fields).pk: (3, translated.title_en),
        }

        new = migrate(("guides", "0010_reports_require_their_guide"))

        reports = new.get_model("guides", "StepReport").objects
        for pk, (number, title) in made.items():
            report = reports.get(pk=pk)
            assert report.guide_id == untranslated.guide_id
            assert report.original_step_id == report.step_id
            assert (report.step_number, report.step_title) == (number, title)
    finally:
        migrate()
        # Then what the migrate command does after migrating (post_migrate: the search documents,
        # the groups). Without it the tables made again stay empty and, on PostgreSQL, count
        # their ids from 1 again, the ids of the rows the next test gets back: the next row
        # written there would collide with one of them.
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
