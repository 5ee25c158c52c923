"""The read-only API: published platforms and guides, one guide with its steps, in each
language; ETags and 304s; open to other sites for reading only; an OpenAPI document that
validates; the same queries whatever the number of steps; never a draft or readers' data."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from guides import api
from guides.models import Device, Guide, GuideVote, StepVariant
from tests.factories import make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(platform):
    return make_guide(platform, slug="draft", status=Guide.Status.DRAFT, title_en="Secret draft")


def get(url, **headers):
    response = Client().get(url, **headers)
    return response, (json.loads(response.content) if response.content else None)


def test_platforms_and_guides_list_only_what_is_published(guide, draft):
    response, platforms = get("/api/v1/platforms?lang=en")
    assert response.status_code == 200
    assert {platform["slug"] for platform in platforms["items"]} == {"tiktok", "demo"}
    demo = next(platform for platform in platforms["items"] if platform["slug"] == "demo")
    assert demo["url"] == f"{settings.SITE_URL}/en/demo/"
    assert demo["guides"].endswith("/api/v1/guides?platform=demo&lang=en")
    _response, guides = get("/api/v1/guides?platform=demo&lang=en")
    assert [item["title"] for item in guides["items"]] == ["A guide"]
    assert guides["count"] == 1 and guides["next"] is None
    _response, all_guides = get("/api/v1/guides")
    assert "Secret draft" not in json.dumps(all_guides) and "Un guide" in json.dumps(all_guides)
    assert get(f"/api/v1/guides/{draft.pk}")[0].status_code == 404


def test_a_guide_comes_with_its_steps_variants_and_addresses_in_the_language_asked(guide):
    step = guide.steps.get(position=1)
    StepVariant.objects.create(step=step, device=Device.IOS, body_fr="Sur iPhone.", body_en="On iPhone.")
    GuideVote.objects.create(guide=guide, helpful=False, reason="Private", reader_key="k", language="en")
    response, data = get(f"/api/v1/guides/{guide.pk}?lang=en")
    assert response.status_code == 200
    assert data["title"] == "A guide" and data["prerequisites"] == ["A phone"]
    assert [item["title"] for item in data["steps"]] == ["Step 1", "Step 2", "Step 3"]
    assert data["steps"][0]["variants"] == [{"device": "ios", "title": "", "body": "On iPhone."}]
    assert data["steps"][0]["url"].endswith(f"/en/demo/guide/#step-{step.pk}")
    assert data["url"].endswith("/en/demo/guide/") and data["id"] == guide.pk
    assert "Private" not in response.content.decode()
    _response, french = get(f"/api/v1/guides/{guide.pk}?lang=fr")
    assert french["title"] == "Un guide" and french["url"].endswith("/fr/demo/guide/")
    _response, unknown = get(f"/api/v1/guides/{guide.pk}?lang=xx")
    assert unknown["title"] == "Un guide"  # the source language


def test_a_matching_etag_gets_a_304_until_the_content_changes(guide):
    url = f"/api/v1/guides/{guide.pk}?lang=en"
    first, _data = get(url)
    assert first["ETag"] and first["Last-Modified"]
    again, _nothing = get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    listed, _items = get("/api/v1/guides")
    assert get("/api/v1/guides", HTTP_IF_NONE_MATCH=listed["ETag"])[0].status_code == 304
    guide.title_en = "A new title"
    guide.save()
    assert get(url, HTTP_IF_NONE_MATCH=first["ETag"])[0].status_code == 200


def test_other_sites_may_read_and_only_read(guide):
    response, _data = get("/api/v1/guides", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = Client().options("/api/v1/guides", HTTP_ORIGIN="https://elsewhere.example")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET"
    assert Client().post("/api/v1/guides", {}).status_code == 405
    assert "Access-Control-Allow-Origin" not in Client().post("/api/v1/guides", {})


def test_the_openapi_document_is_served_and_valid():
    response, document = get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(document)
    assert {"/api/v1/platforms", "/api/v1/guides", "/api/v1/guides/{guide_id}"} <= set(document["paths"])


def test_a_guide_costs_the_same_queries_whatever_its_steps(platform):
    counts = []
    for slug, steps in (("short", 7), ("long", 100)):
        guide = make_guide(platform, slug=slug, steps=steps)
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(f"/api/v1/guides/{guide.pk}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_clients_are_rate_limited(guide, monkeypatch):
    monkeypatch.setattr(api, "API_REQUESTS_PER_WINDOW", 2)
    codes = [Client().get("/api/v1/guides").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_pages_lead_to_each_other(platform):
    for number in range(55):
        make_guide(platform, slug=f"guide-{number}", steps=1)
    _response, first = get("/api/v1/guides?platform=demo")
    assert first["count"] == 55 and len(first["items"]) == 50 and first["previous"] is None
    assert first["next"].startswith(settings.SITE_URL)
    _response, second = get(first["next"].removeprefix(settings.SITE_URL))
    assert len(second["items"]) == 5 and second["next"] is None
