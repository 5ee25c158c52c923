"""Screenshots uploaded in the step's admin page: checked, stripped of metadata, kept in several
widths and formats, and shown with sizes and a description in the page's language."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from guides.models import Screenshot
from tests.admin_pages import admin_url
from tests.factories import guide_url
from tests.html_forms import form_fields

# What editors save applies at once here; reviews of changes are tested in test_proposals.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_publish")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(name: str, kind: str, size=(1080, 2340), mode="RGB", **save) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode == "RGB" else 1).save(out, kind, **save)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind.lower()}")


def with_gps(name: str) -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 3.0)
    upload = image_file(name, "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it has a location
    upload.seek(0)
    return upload


def upload(client, step, image, language="fr", alt="L'écran Profil", device=""):
    """Add one screenshot through the step's admin form, as an editor's browser does."""
    url = admin_url(step)
    fields = form_fields(client.get(url).content.decode(), "step_form")
    count = int(fields["screenshots-TOTAL_FORMS"])
    fields["screenshots-TOTAL_FORMS"] = str(count + 1)
    prefix = f"screenshots-{count}-"
    fields.update({f"{prefix}language": language, f"{prefix}alt": alt, f"{prefix}device": device})
    fields[f"{prefix}step"] = str(step.pk)
    return client.post(url, {**fields, f"{prefix}image": image})


def errors_of(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S))


@pytest.fixture
def step(guide):
    return guide.steps.get(position=1)


def test_a_text_file_named_png_is_refused_and_nothing_is_stored(editor_client, step, _media):
    response = upload(editor_client, step, SimpleUploadedFile("screen.png", b"not an image at all", "image/png"))
    assert response.status_code == 200
    assert "Téléversez une image valide" in errors_of(response)
    assert not Screenshot.objects.exists()
    assert not any(_media.rglob("*.*"))


def test_a_fifty_megapixel_image_is_refused_with_its_size(editor_client, step, _media):
    response = upload(editor_client, step, image_file("huge.png", "PNG", size=(10_000, 5_000), mode="1"))
    assert response.status_code == 200
    assert "10000 by 5000 pixels" in errors_of(response) or "10000 sur 5000 pixels" in errors_of(response)
    assert not Screenshot.objects.exists()
    assert not any(_media.rglob("*.*"))


def test_a_file_too_heavy_is_refused(editor_client, step, settings):
    settings.GUIDES_SCREENSHOT_MAX_BYTES = 1000
    response = upload(editor_client, step, image_file("screen.png", "PNG"))
    assert response.status_code == 200
    assert "1000" in errors_of(response) or "Ko" in errors_of(response) or "octets" in errors_of(response)
    assert not Screenshot.objects.exists()


def test_a_gif_is_refused(editor_client, step):
    response = upload(editor_client, step, image_file("anim.gif", "GIF", size=(20, 20)))
    assert "GIF" in errors_of(response)
    assert not Screenshot.objects.exists()


def test_a_photo_loses_its_location_and_camera(editor_client, step):
    assert upload(editor_client, step, with_gps("photo.jpg")).status_code == 302
    screenshot = Screenshot.objects.get()
    for name in [screenshot.image.name, *(f for f in _stored_copies(screenshot))]:
        with default_storage.open(name) as stored:
            data = stored.read()
        assert b"Exif" not in data and b"PhoneMaker" not in data, name
        opened = Image.open(io.BytesIO(data))
        assert not opened.getexif()
        assert "exif" not in opened.info


def _stored_copies(screenshot):
    stem, kind = screenshot.image.name.rsplit(".", 1)
    return [f"{stem}-{width}w.{ext}" for width in screenshot.renditions for ext in ("webp", kind)][:-1]


@pytest.mark.parametrize(("name", "kind", "extension"), [("screen.png", "PNG", "png"), ("screen.jpg", "JPEG", "jpg")])
def test_a_valid_image_is_stored_with_smaller_copies_and_shown_with_sizes(
    editor_client, client, step, name, kind, extension
):
    assert (
        upload(editor_client, step, image_file(name, kind), language="en", alt="The Profile screen").status_code == 302
    )
    screenshot = Screenshot.objects.get()
    assert (screenshot.width, screenshot.height, screenshot.renditions) == (1080, 2340, [360, 720, 1080])
    assert screenshot.image.name.endswith(f".{extension}")
    for copy in _stored_copies(screenshot):
        assert default_storage.exists(copy), copy
        width = int(re.search(r"-(\d+)w\.", copy).group(1))
        with default_storage.open(copy) as stored:
            assert Image.open(stored).width == width

    page = client.get(guide_url(step.guide, language="en")).content.decode()
    img = re.search(r"<img [^>]*>", page).group(0)
    assert f'src="/media/{screenshot.image.name}"' in img
    assert re.search(rf'srcset="[^"]+-360w\.{extension} 360w, [^"]+-720w\.{extension} 720w, [^"]+ 1080w"', img)
    assert 'width="1080" height="2340"' in img
    assert 'alt="The Profile screen"' in img
    assert 'loading="lazy"' in img
    assert re.search(r'<source type="image/webp" srcset="[^"]+-360w\.webp 360w', page)


def test_a_wide_image_is_kept_at_the_widest_a_reader_needs(editor_client, step):
    assert upload(editor_client, step, image_file("desktop.png", "PNG", size=(3200, 1800))).status_code == 302
    screenshot = Screenshot.objects.get()
    assert (screenshot.width, screenshot.height) == (1600, 900)
    assert screenshot.renditions == [360, 720, 1080, 1600]


def test_the_step_admin_shows_thumbnails_next_to_the_uploads(editor_client, step):
    upload(editor_client, step, image_file("screen.png", "PNG"))
    page = editor_client.get(admin_url(step)).content.decode()
    assert re.search(r'<img class="screenshot-thumbnail" src="/media/screenshots/[^"]+" srcset="[^"]+"', page)
    assert 'alt="L&#x27;écran Profil"' in page


def test_one_screenshot_per_step_device_and_language(editor_client, step):
    assert upload(editor_client, step, image_file("a.png", "PNG")).status_code == 302
    again = upload(editor_client, step, image_file("b.png", "PNG", size=(720, 1560)))
    assert again.status_code == 200
    assert Screenshot.objects.count() == 1
