"""Steps that differ by device: the guide page holds every device's text, the address or the
reader's browser picks one, pages stay shared and cheap, and reports say which text the reader
followed."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides.models import Device, Screenshot, StepReport, StepVariant
from guides.search import search
from tests.admin_pages import admin_url, restore, save_through_admin, versions_of
from tests.factories import guide_url, make_guide, make_report, step_url
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db


def add_variants(step, *devices: str) -> None:
    for device in devices:
        StepVariant.objects.create(
            step=step,
            device=device,
            title_fr=f"Titre {device}",
            title_en=f"Title {device}",
            body_fr=f"Sur {device}, touchez `Profil`.",
            body_en=f"On {device}, tap `Profile`.",
        )


def add_screenshot(step, language: str, device: str = "", alt: str = "") -> Screenshot:
    # Stored without an upload: the page only reads what the row says of its file.
    return Screenshot.objects.create(
        step=step,
        device=device,
        language=language,
        image=f"screenshots/{step.pk}-{device or 'common'}-{language}.png",
        width=1080,
        height=2340,
        renditions=[360, 720, 1080],
        alt=alt or f"Écran {device or 'commun'} ({language})",
    )


@pytest.fixture
def varied(guide):
    first = guide.steps.get(position=1)
    add_variants(first, Device.ANDROID, Device.IOS)
    add_screenshot(first, "fr")
    add_screenshot(first, "en", alt="The common screen")
    add_screenshot(first, "fr", Device.IOS, alt="Écran iPhone")
    return guide


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_a_guide_page_holds_every_devices_text_labelled_and_offers_a_switcher(client, varied):
    page = client.get(guide_url(varied, language="en")).content.decode()
    assert 'data-devices="android ios"' in html_tag(page)
    assert "data-device=" not in html_tag(page).replace("data-devices", "")
    assert 'href="?device=android" data-choose-device="android"' in page
    assert 'href="?device=ios" data-choose-device="ios"' in page
    assert "Do thing <strong>1</strong>." in page  # the common text
    assert "On android, tap <code>Profile</code>." in page
    assert "On ios, tap <code>Profile</code>." in page
    first = varied.steps.get(position=1)
    assert f'id="step-{first.pk}" data-texts="android ios" data-titles="android ios" data-images="ios"' in page
    assert "guides/device.js" in page


def test_a_guide_without_variants_has_no_switcher_and_no_script(client, guide):
    page = client.get(guide_url(guide)).content.decode()
    assert "device-switcher" not in page
    assert "device.js" not in page
    assert "data-devices" not in page


def test_the_address_chooses_the_device_and_gets_a_shared_page_of_its_own(varied):
    url = guide_url(varied, language="en")
    plain, ios = Client().get(url), Client().get(url, {"device": "ios"})
    assert 'data-device="ios"' in html_tag(ios.content.decode())
    assert '<a href="?device=ios" data-choose-device="ios" aria-current="true">iPhone</a>' in ios.content.decode()
    assert ios["Cache-Control"] == plain["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert "Set-Cookie" not in ios and "Cookie" not in ios.get("Vary", "")
    assert ios["ETag"] != plain["ETag"]
    assert Client().get(url, {"device": "ios"})["ETag"] == ios["ETag"]
    # Anything else is no choice: the plain page.
    assert Client().get(url, {"device": "<script>"})["ETag"] == plain["ETag"]
    assert Client().get(url, {"device": "web"})["ETag"] == plain["ETag"]  # a device the guide does not differ on


def test_progress_belongs_to_the_step_whatever_the_device(varied):
    reader = Client()
    first = varied.steps.get(position=1)
    reader.post(step_url(first, "done"), {"done": "1"}, HTTP_REFERER=f"http://testserver{guide_url(varied)}?device=ios")
    for device in ("ios", "android", ""):
        page = reader.get(guide_url(varied), {"device": device} if device else {}).content.decode()
        assert f'<li class="step is-done" id="step-{first.pk}"' in page
        assert "Étapes faites : 1 sur 3" in page  # agrees with the 3 steps, however many are done


def test_a_form_sent_without_javascript_leads_back_to_the_device_it_was_sent_from(varied):
    first = varied.steps.get(position=1)
    page = f"http://testserver{guide_url(varied)}"
    back = Client().post(step_url(first, "done"), {"done": "1"}, HTTP_REFERER=f"{page}?device=android")
    assert back.status_code == 303
    assert back["Location"] == f"{guide_url(varied)}?device=android#step-{first.pk}"
    elsewhere = Client().post(step_url(first, "done"), {"done": "1"}, HTTP_REFERER="https://example.org/?device=ios")
    assert elsewhere["Location"] == f"{guide_url(varied)}#step-{first.pk}"
    start_over = Client().post(guide_url(varied, "start-over"), HTTP_REFERER=f"{page}?device=ios")
    assert start_over["Location"] == f"{guide_url(varied)}?device=ios#steps-title"


def test_screenshots_come_in_the_pages_language_with_sizes_and_fall_back_with_a_note(client, varied):
    english = client.get(guide_url(varied, language="en")).content.decode()
    common = re.search(r'<figure class="step-image for-common-image">.*?</figure>', english, re.S).group(0)
    img = re.search(r"<img [^>]*>", common).group(0)
    assert 'alt="The common screen"' in img
    assert 'width="1080" height="2340"' in img
    assert 'loading="lazy"' in img
    assert re.search(r'srcset="/media/screenshots/\S+-360w\.png 360w, \S+-720w\.png 720w, \S+-en\.png 1080w"', img)
    assert re.search(r'<source type="image/webp" srcset="\S+-360w\.webp 360w', common)
    assert "lang=" not in img
    # The iPhone screenshot exists in French only: shown, marked as French, with a note.
    ios = re.search(r'<figure class="step-image for-device-image" data-for="ios">.*?</figure>', english, re.S).group(0)
    assert 'alt="Écran iPhone" lang="fr"' in ios
    assert "Screenshot language: French (none in this language yet)." in ios
    assert '<span class="variant-label">iPhone</span>' in ios


def test_the_guide_page_costs_the_same_queries_with_variants_and_screenshots_on_every_step(platform):
    counts = []
    for slug, steps in (("short", 7), ("long", 100)):
        guide = make_guide(platform, slug=slug, steps=steps)
        for step in guide.steps.all():
            add_variants(step, Device.ANDROID, Device.IOS)
            add_screenshot(step, "fr")
            add_screenshot(step, "en", Device.IOS)
        with CaptureQueriesContext(connection) as queries:
            page = Client().get(guide_url(guide, language="en"), {"device": "ios"})
        assert page.status_code == 200
        assert page.content.decode().count("<picture>") == 2 * steps
        counts.append(len(queries))
        reader = Client()
        reader.post(step_url(guide.steps.first(), "done"), {"done": "1"})
        reader.get(guide_url(guide, language="en"))  # this page's skeleton, built once per version
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(guide_url(guide, language="en")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[2]
    assert counts[1] == counts[3] == 3


def test_a_report_records_the_variant_the_reader_saw_and_prefills_the_device(client, varied):
    first, second = varied.steps.order_by("position")[:2]
    form = client.get(step_url(first, "report"), {"device": "ios"}).content.decode()
    assert '<input type="hidden" name="variant" value="ios"' in form
    assert re.search(r'<input type="radio" name="device" value="ios"[^>]*checked', form)
    # A plain link: the device comes from the page the reader was on.
    page = f"http://testserver{guide_url(varied)}?device=android"
    form = client.get(step_url(second, "report"), HTTP_REFERER=page).content.decode()
    assert '<input type="hidden" name="variant" id="id_variant">' in form or 'name="variant" value=""' in form
    assert re.search(r'<input type="radio" name="device" value="android"[^>]*checked', form)

    fields = {"problem": "renamed", "seen_instead": "Autre nom", "device": "ios", "variant": "ios"}
    sent = client.post(step_url(first, "report"), fields)
    assert sent.status_code == 303
    assert sent["Location"] == f"{guide_url(varied)}?device=ios#step-{first.pk}"
    assert StepReport.objects.get().variant == "ios"


def test_a_report_naming_a_variant_its_step_lacks_records_the_common_text(client, varied):
    second = varied.steps.get(position=2)
    fields = {"problem": "renamed", "seen_instead": "Autre nom", "device": "ios", "variant": "ios"}
    assert client.post(step_url(second, "report"), fields).status_code == 303
    assert StepReport.objects.get().variant == ""
    bogus = {**fields, "variant": "windows-phone"}
    assert Client().post(step_url(second, "report"), bogus).status_code == 422
    assert StepReport.objects.count() == 1


def test_the_triage_queue_puts_each_variants_reports_on_a_line_of_its_own(editor_client, varied):
    first = varied.steps.get(position=1)
    make_report(first, "reader-a", variant="ios")
    make_report(first, "reader-b", variant="ios", device="ios")
    make_report(first, "reader-c", variant="")
    queue = editor_client.get("/admin/guides/stepreport/queue/").content.decode()
    rows = re.findall(r"<tr>.*?</tr>", queue.split("<tbody>")[1], re.S)
    assert len(rows) == 2, rows
    assert "iPhone" in rows[0] and "<td>2</td>" in rows[0]
    assert "Texte commun" in rows[1] and "<td>1</td>" in rows[1]
    assert "variant=ios" in rows[0]


def test_the_report_link_says_where_the_step_happens(client, guide):
    _first, second, third = guide.steps.order_by("position")
    second.surface, third.surface = "website", "email"
    second.save()
    third.save()
    page = client.get(guide_url(guide, language="en")).content.decode()
    assert "Not what you see in the app?" in page
    assert "Not what you see on the website?" in page
    assert "Not what you see in your e-mail?" in page
    assert "This step doesn't match the website" in client.get(step_url(second, "report", "en")).content.decode()


def test_search_finds_a_guide_by_the_words_of_its_variants(varied):
    assert search("hamburger", "en").total == 0
    variant = StepVariant.objects.get(device=Device.IOS)
    variant.body_en = "On an iPhone, tap `Hamburger`."
    variant.save()
    assert search("hamburger", "en").total == 1
    variant.delete()
    assert search("hamburger", "en").total == 0


@pytest.mark.usefixtures("editors_publish")
def test_a_variant_saved_in_the_step_admin_changes_the_page_and_marks_its_english_out_of_date(
    editor_client, client, varied
):
    first = varied.steps.get(position=1)
    url = admin_url(first)
    fields = form_fields(editor_client.get(url).content.decode(), "step_form")
    index = next(key for key, value in fields.items() if key.endswith("-device") and value == "android")
    prefix = index.removesuffix("device")
    fields[f"{prefix}body_fr"] = "Sur Android, ouvrez le menu ⋮."
    before = client.get(guide_url(varied))["ETag"]
    assert editor_client.post(url, fields).status_code == 302
    variant = StepVariant.objects.get(step=first, device=Device.ANDROID)
    assert variant.outdated_translations == ["body"]
    page = client.get(guide_url(varied))
    assert page["ETag"] != before
    assert "Sur Android, ouvrez le menu ⋮." in page.content.decode()
    english = client.get(guide_url(varied, language="en")).content.decode()
    android = re.search(r'<div class="step-variant for-device" data-for="android">.*?</div>\s*</div>', english, re.S)
    assert "The French original changed since this was translated" in android.group(0)


@pytest.mark.usefixtures("editors_publish")
def test_restoring_a_step_brings_its_variants_back(editor_client, varied):
    first = varied.steps.get(position=1)
    save_through_admin(editor_client, first)  # a version with both variants
    StepVariant.objects.filter(step=first, device=Device.IOS).update(body_fr="Changé")
    restore(editor_client, first, versions_of(first)[-1])
    assert StepVariant.objects.get(step=first, device=Device.IOS).body_fr == "Sur ios, touchez `Profil`."
