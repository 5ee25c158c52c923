"""Guides move between sites as one JSON file: every language, prerequisites, steps in order,
variants and screenshots; the same JSON after a round trip; a malformed file refused with
errors that name the guide, the step and the field, and nothing written."""

import base64
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from PIL import Image

from guides import transfer
from guides.models import Device, Guide, GuideVote, Platform, Screenshot, Step, StepCompletion, StepVariant
from tests.factories import SEEDED_GUIDE_URL, make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(colour: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (720, 1560), colour).save(out, "PNG")
    return SimpleUploadedFile(f"{colour}.png", out.getvalue())


@pytest.fixture
def built(platform):
    guide = make_guide(platform, slug="built", steps=3)
    step = guide.steps.get(position=2)
    StepVariant.objects.create(
        step=step, device=Device.IOS, title_fr="Sur iPhone", body_fr="Touchez ☰.", body_en="Tap ☰."
    )
    Screenshot.objects.create(step=step, language="fr", image=png("white"), alt="L'écran")
    Screenshot.objects.create(step=step, language="en", device=Device.IOS, image=png("black"), alt="The menu")
    guide.related_guides.add(Guide.objects.get(slug_fr="dissocier-tiktok-for-business"))
    return guide


def exported(*guides) -> dict:
    return json.loads(transfer.dumps(transfer.export(Guide.objects.filter(pk__in=[g.pk for g in guides]))))


def test_a_round_trip_through_an_empty_database_gives_the_same_file(built, client):
    seeded = Guide.objects.get(slug_fr="dissocier-tiktok-for-business")
    before = exported(seeded, built)
    reader_page = {lang: client.get(SEEDED_GUIDE_URL[lang]).content.decode() for lang in ("fr", "en")}
    assert "readers" not in json.dumps(before) and "reader_key" not in json.dumps(before)

    Guide.objects.all().delete()
    Platform.objects.all().delete()
    transfer.import_guides(before, keep_status=True)

    assert exported(*Guide.objects.all()) == before
    for language in ("fr", "en"):
        page = Client().get(SEEDED_GUIDE_URL[language]).content.decode()
        assert _step_texts(page) == _step_texts(reader_page[language])


def _step_texts(page: str) -> list[str]:
    return re.findall(r'<div class="step-body for-common-text"[^>]*>(.*?)</div>', page, re.S)


def test_importing_twice_updates_instead_of_duplicating_and_keeps_readers_progress(built):
    data = exported(built)
    step = built.steps.get(position=1)
    StepCompletion.objects.create(reader_key="reader", step=step)
    data["guides"][0]["steps"][0]["title"]["en"] = "Step one, renamed"
    transfer.import_guides(data)
    transfer.import_guides(data)
    assert Guide.objects.filter(slug_fr="built").count() == 1
    step.refresh_from_db()
    assert step.title_en == "Step one, renamed"
    assert StepCompletion.objects.filter(step=step).exists()  # the same step, its progress kept


def test_imported_guides_arrive_as_drafts_unless_asked(built):
    data = exported(built)
    Guide.objects.filter(pk=built.pk).delete()
    transfer.import_guides(data)
    assert Guide.objects.get(slug_fr="built").status == Guide.Status.DRAFT


def test_readers_data_is_never_exported(built):
    GuideVote.objects.create(guide=built, helpful=False, reason="Secret reason", reader_key="k", language="fr")
    assert "Secret reason" not in transfer.dumps(transfer.export(Guide.objects.filter(pk=built.pk)))


def broken(data: dict, change) -> dict:
    copy = json.loads(json.dumps(data))
    change(copy)
    return copy


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(format="helpcenter-guides/99"), "Unknown format"),
        (lambda d: d["guides"][0]["title"].pop("fr"), "“title” is missing in"),
        (lambda d: d["guides"][0]["steps"][1].update(position=1), "positions must be 1 to 3"),
        (lambda d: d["guides"][0].update(platform="myspace"), "unknown platform “myspace”"),
        (
            lambda d: d["guides"][0]["steps"][1]["screenshots"][0]["image"].update(data="not base64!"),
            "not valid base64",
        ),
        (
            lambda d: d["guides"][0]["steps"][2]["variants"].append({"device": "nokia", "body": {"fr": "x"}}),
            "unknown device",
        ),
    ],
    ids=["format version", "missing language", "duplicate positions", "unknown platform", "bad image", "bad device"],
)
def test_a_malformed_file_is_refused_with_where_and_why_and_nothing_is_written(built, change, expected):
    data = broken(exported(built), change)
    Guide.objects.filter(pk=built.pk).delete()
    with translation.override("en"), pytest.raises(transfer.ImportRefused) as refused:
        transfer.import_guides(data)
    assert any(expected in error for error in refused.value.errors), refused.value.errors
    assert not Guide.objects.filter(slug_fr="built").exists()


def test_an_oversized_image_names_its_step(built, settings):
    data = exported(built)
    settings.GUIDES_SCREENSHOT_MAX_BYTES = 100
    with pytest.raises(transfer.ImportRefused) as refused:
        transfer.import_guides(data)
    # In the language of whoever imports: French here.
    assert any("étape 2, capture d'écran 1" in error and "100" in error for error in refused.value.errors)


def test_invalid_json_and_huge_files_are_refused_before_reading(settings, tmp_path):
    with pytest.raises(transfer.ImportRefused, match="n'est pas un JSON valide"):
        transfer.load(b"{not json")
    settings.GUIDES_IMPORT_MAX_BYTES = 1000
    with pytest.raises(transfer.ImportRefused, match="dépasse"):
        transfer.load(b" " * 1001)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as out:
        out.truncate(100 * 1024 * 1024)  # 100 MB, sparse
    with pytest.raises(CommandError, match="larger than the import limit"):
        call_command("import_guides", str(huge))


def test_the_commands_export_and_import_with_a_dry_run(built, tmp_path, capsys):
    call_command("export_guides", "--guide", "built")
    path = tmp_path / "guides.json"
    path.write_text(capsys.readouterr().out)
    data = json.loads(path.read_text())
    assert [guide["slug"]["fr"] for guide in data["guides"]] == ["built"]
    assert base64.b64decode(data["guides"][0]["steps"][1]["screenshots"][0]["image"]["data"])[:4] == b"\x89PNG"
    Guide.objects.filter(pk=built.pk).delete()
    call_command("import_guides", str(path), "--dry-run")
    assert "Would create guide demo/built" in capsys.readouterr().out
    assert not Guide.objects.filter(slug_fr="built").exists()
    call_command("import_guides", str(path))
    assert Step.objects.filter(guide__slug_fr="built").count() == 3
    with pytest.raises(CommandError, match="No guide matches"):
        call_command("export_guides", "--platform", "nothing")


def test_the_admin_exports_selected_guides_and_imports_after_a_preview(publisher_client, built):
    response = publisher_client.post(
        "/admin/guides/guide/", {"action": "export_guides", "_selected_action": [built.pk]}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="guides-')
    data = json.loads(response.content)
    data["guides"][0]["title"]["en"] = "Imported title"
    upload = SimpleUploadedFile("guides.json", json.dumps(data).encode(), "application/json")
    preview = publisher_client.post("/admin/guides/guide/import/", {"file": upload, "keep_status": "on"})
    page = preview.content.decode()
    assert "Update the guide demo/built" in page or "Mettre à jour le guide demo/built" in page
    assert Guide.objects.get(pk=built.pk).title_en == "A guide"  # a preview writes nothing
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = publisher_client.post("/admin/guides/guide/import/", {"token": token, "keep_status": "1"})
    assert done.status_code == 302
    built.refresh_from_db()
    assert (built.title_en, built.status) == ("Imported title", Guide.Status.PUBLISHED)
    again = publisher_client.post("/admin/guides/guide/import/", {"token": token})
    assert again.status_code == 302  # the waiting file is gone: expired, nothing imported twice


def test_the_admin_import_refuses_a_broken_file_with_its_reasons(editor_client, built):
    page = editor_client.get("/admin/guides/guide/import/").content.decode()
    assert 'name="keep_status"' not in page  # only publishers may keep statuses
    upload = SimpleUploadedFile("guides.json", b'{"format": "other"}', "application/json")
    refused = editor_client.post("/admin/guides/guide/import/", {"file": upload})
    assert refused.status_code == 422
    assert "Unknown format" in refused.content.decode() or "Format inconnu" in refused.content.decode()
    forged = editor_client.post("/admin/guides/guide/import/", {"token": "forged"})
    assert forged.status_code == 302
