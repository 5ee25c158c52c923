"""What search engines and link previews read: the sitemap, robots.txt, each public page's
canonical address, Open Graph and Twitter tags, and the guide's JSON-LD."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.robotparser import RobotFileParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides.models import Guide, Platform
from guides.structured_data import duration
from tests.factories import SEEDED_GUIDE_URL, guide_url, make_guide, step_url
from tests.head_tags import head_of

pytestmark = pytest.mark.django_db

SITE = "https://help.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def sitemap() -> dict[str, ET.Element]:
    """The sitemap's <url> elements, by address."""
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return {url.findtext("s:loc", namespaces=NS): url for url in ET.fromstring(response.content).findall("s:url", NS)}


def alternates_of(url: ET.Element) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}


def test_the_sitemap_lists_published_guides_and_their_platforms_in_every_language(platform):
    guide = make_guide(platform, slug="guide-fr", slug_en="guide-en")
    for status in (Guide.Status.DRAFT, Guide.Status.IN_REVIEW, Guide.Status.ARCHIVED):
        make_guide(platform, slug=f"hidden-{status}", status=status)
    unpublished = Platform.objects.create(slug="later", name_fr="Plus tard", name_en="Later")
    make_guide(unpublished, slug="draft", status=Guide.Status.DRAFT)

    urls = sitemap()

    fr, en = f"{SITE}{guide_url(guide)}", f"{SITE}{guide_url(guide, language='en')}"
    assert en == f"{SITE}/en/demo/guide-en/"
    for address in (fr, en):
        assert alternates_of(urls[address]) == {"fr": fr, "en": en, "x-default": fr}
    assert {f"{SITE}/fr/demo/", f"{SITE}/en/demo/", f"{SITE}/fr/", f"{SITE}/en/"} <= set(urls)
    assert f"{SITE}{SEEDED_GUIDE_URL['en']}" in urls
    assert not [address for address in urls if "hidden" in address or "later" in address or "draft" in address]


def test_the_sitemap_dates_guides_by_their_last_change_and_platforms_by_their_latest_guide(platform):
    older, newer = make_guide(platform, slug="older"), make_guide(platform, slug="newer")
    Guide.objects.filter(pk=older.pk).update(changed_at="2026-01-10T08:00:00Z")
    Guide.objects.filter(pk=newer.pk).update(changed_at="2026-03-05T17:30:00Z")
    urls = sitemap()
    assert urls[f"{SITE}/en/demo/older/"].findtext("s:lastmod", namespaces=NS) == "2026-01-10T08:00:00+00:00"
    assert urls[f"{SITE}/fr/demo/newer/"].findtext("s:lastmod", namespaces=NS) == "2026-03-05T17:30:00+00:00"
    assert urls[f"{SITE}/fr/demo/"].findtext("s:lastmod", namespaces=NS) == "2026-03-05T17:30:00+00:00"


def test_an_unpublished_guide_leaves_the_sitemap_at_once(guide):
    assert f"{SITE}{guide_url(guide)}" in sitemap()
    guide.status = Guide.Status.ARCHIVED
    guide.save()
    urls = sitemap()
    assert f"{SITE}{guide_url(guide)}" not in urls
    assert f"{SITE}/fr/demo/" not in urls  # its platform has no published guide left


def queries(url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/sitemap.xml", "/fr/feed.atom"])
def test_the_sitemap_and_the_feed_cost_the_same_queries_whatever_the_number_of_guides(platform, url):
    make_guide(platform, slug="first")
    few = queries(url)
    other = Platform.objects.create(slug="other", name_fr="Autre", name_en="Other")
    for number in range(20):
        make_guide(other if number % 2 else platform, slug=f"guide-{number}")
    assert queries(url) == few <= 2  # the content version, the guides


@pytest.mark.parametrize("url", ["/sitemap.xml", "/robots.txt", "/en/feed.atom"])
def test_the_sitemap_robots_and_feed_are_shared_pages(url, client, editor):
    client.force_login(editor)
    for reader in (Client(), client):
        response = reader.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert Client().get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_addresses_come_from_the_site_url_never_from_the_host_header(guide):
    for url in ("/sitemap.xml", "/robots.txt", "/fr/feed.atom", guide_url(guide), "/fr/"):
        body = Client().get(url, HTTP_HOST="localhost").content.decode()
        assert SITE in body
        assert "localhost" not in body and "testserver" not in body


def robots() -> RobotFileParser:
    response = Client().get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def test_robots_keeps_crawlers_out_of_the_admin_and_search_and_points_at_the_sitemap(guide):
    parser = robots()
    assert parser.site_maps() == [f"{SITE}/sitemap.xml"]
    for blocked in ("/admin/", "/admin/guides/guide/", "/fr/search/?q=tiktok", "/en/search/"):
        assert not parser.can_fetch("*", f"{SITE}{blocked}"), blocked
    for allowed in ("/fr/", "/en/demo/", guide_url(guide), guide_url(guide, language="en"), "/fr/feed.atom"):
        assert parser.can_fetch("Googlebot", f"{SITE}{allowed}"), allowed


def disallowed_by_wildcards(path: str) -> bool:
    """Whether a Disallow rule matches ``path`` as search engines read ``*`` (any characters);
    urllib.robotparser reads rules as plain prefixes."""
    text = Client().get("/robots.txt").content.decode()
    rules = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Disallow:")]
    return any(re.match(".*".join(map(re.escape, rule.split("*"))), path) for rule in rules)


def test_robots_keeps_crawlers_off_readers_actions_in_every_language(guide):
    step = guide.steps.first()
    for language in ("fr", "en"):
        for action in (step_url(step, "done", language), step_url(step, "report", language)):
            assert disallowed_by_wildcards(action), action
        for action in ("vote", "start-over"):
            assert disallowed_by_wildcards(guide_url(guide, action, language))
        assert not disallowed_by_wildcards(guide_url(guide, language=language))
        assert not disallowed_by_wildcards(f"/{language}/demo/")


@pytest.mark.parametrize(
    ("url", "kind"),
    [("/fr/", "website"), ("/en/demo/", "website"), ("/en/demo/guide/", "article"), ("/fr/demo/guide/", "article")],
)
def test_public_pages_name_their_canonical_address_and_describe_themselves(guide, url, kind):
    head = head_of(Client().get(url).content.decode())
    language = url.split("/")[1]
    canonical = f"{SITE}{url}"
    assert head.link("canonical") == [canonical]
    assert head.property("og:url") == [canonical]
    assert head.property("og:type") == [kind]
    assert head.property("og:title") and head.property("og:description")
    assert head.property("og:site_name") == ["Centre d'aide" if language == "fr" else "Help center"]
    assert head.property("og:locale") == ["fr_FR" if language == "fr" else "en_US"]
    assert head.property("og:locale:alternate") == ["en_US" if language == "fr" else "fr_FR"]
    assert head.property("twitter:card") == ["summary"]
    assert head.link("alternate", type="application/atom+xml") == [f"{SITE}/{language}/feed.atom"]
    alternates = head.alternates()
    assert set(alternates) == {"fr", "en", "x-default"}
    assert alternates["x-default"] == alternates["fr"] == f"{SITE}/fr/{url.split('/', 2)[2]}"


def test_the_guide_page_describes_the_guide(guide):
    head = head_of(Client().get(guide_url(guide, language="en")).content.decode())
    assert head.property("og:title") == ["A guide"]
    assert head.property("og:description") == ["Summary of the guide."]


def test_the_report_page_names_its_canonical_address(guide):
    url = step_url(guide.steps.first(), "report", "en")
    head = head_of(Client().get(url).content.decode())
    assert head.link("canonical") == [f"{SITE}{url}"]


def test_a_missing_page_names_no_canonical_address(platform):
    response = Client().get("/en/demo/nope/")
    assert response.status_code == 404
    head = head_of(response.content.decode())
    assert head.link("canonical") == [] and head.property("og:url") == []


class _VisibleSteps(HTMLParser):
    """The titles of the steps as the page shows them, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.titles: list[str] = []
        self.anchors: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "step" in (attrs.get("class") or "").split():
            self.anchors.append(attrs["id"])
        if tag == "h3" and attrs.get("class") == "step-title":
            self._in_title, self.titles = True, [*self.titles, ""]

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data

    def handle_endtag(self, tag):
        if tag == "h3":
            self._in_title = False


def json_ld(html: str) -> dict[str, dict]:
    blocks = head_of(html).json_ld
    assert len(blocks) == 1
    return {item["@type"]: item for item in blocks[0]}


def test_the_guide_page_describes_its_steps_in_json_ld_as_the_page_shows_them(guide):
    step = guide.steps.get(position=2)
    step.title_en = step.body_en = ""  # shown in French on the English page
    step.save()
    guide.steps.filter(position=3).update(body_en="- **First** [link](https://example.org)\n- Second & last")
    Guide.objects.filter(pk=guide.pk).update(estimated_minutes=90)
    html = Client().get(guide_url(guide, language="en")).content.decode()
    visible = _VisibleSteps()
    visible.feed(html)

    data = json_ld(html)
    howto, page = data["HowTo"], f"{SITE}{guide_url(guide, language='en')}"
    assert (howto["name"], howto["description"], howto["inLanguage"]) == ("A guide", "Summary of the guide.", "en")
    assert howto["totalTime"] == "PT1H30M"
    assert howto["supply"] == [{"@type": "HowToSupply", "name": "A phone"}]
    assert [item["name"] for item in howto["step"]] == visible.titles == ["Step 1", "Étape 2", "Step 3"]
    assert [item["url"] for item in howto["step"]] == [f"{page}#{anchor}" for anchor in visible.anchors]
    assert [item["text"] for item in howto["step"]] == ["Do thing 1.", "Faites la chose 2.", "First link Second & last"]
    assert data["BreadcrumbList"]["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{SITE}/en/"},
        {"@type": "ListItem", "position": 2, "name": "Demo", "item": f"{SITE}/en/demo/"},
        {"@type": "ListItem", "position": 3, "name": "A guide", "item": page},
    ]


def test_the_json_ld_cannot_end_its_script_block(platform):
    title = "</script><script>alert(1)</script> <!-- & more"
    guide = make_guide(platform, slug="tricky", title_fr=title)
    html = Client().get(guide_url(guide)).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["HowTo"]["name"] == title


@pytest.mark.parametrize(("minutes", "expected"), [(5, "PT5M"), (60, "PT1H"), (90, "PT1H30M"), (600, "PT10H")])
def test_durations_are_written_in_iso_8601(minutes, expected):
    assert duration(minutes) == expected


def test_a_staff_preview_is_not_for_search_engines(editor_client, platform):
    draft = make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    response = editor_client.get(guide_url(draft, language="en"))
    assert response.status_code == 200
    head = head_of(response.content.decode())
    assert head.property("robots") == ["noindex"]
    assert response["X-Robots-Tag"] == "noindex"
    assert head.link("canonical") == [] and head.json_ld == [] and head.alternates() == {}
    assert not [item for item in head.meta if item.get("property", "").startswith("og:")]
