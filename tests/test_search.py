"""Search in the reader's language: what it finds, in which order, and what it says; the same
table runs on SQLite and, in CI, on PostgreSQL."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides.models import Guide, MissedSearch, Platform, SearchDocument
from guides.search import documents, search
from tests.factories import make_guide
from tests.search_catalogue import make_catalogue

pytestmark = pytest.mark.django_db

SEEDED = "seeded"


@pytest.fixture
def catalogue():
    made = make_catalogue()
    made[SEEDED] = Guide.objects.get(slug_fr="dissocier-tiktok-for-business")
    return made


def titles(results) -> list[str]:
    return [re.sub(r"</?mark>", "", result.title) for result in results.results]


def first_guides(results, catalogue, count=1) -> list[str]:
    by_title = {}
    for name, guide in catalogue.items():
        by_title[guide.title_fr] = name
        by_title[guide.title_en or guide.title_fr] = name
    return [by_title[title] for title in titles(results)[:count]]


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        # Accents or not, case or not.
        ("fr", "parametres", [SEEDED]),
        ("fr", "PARAMÈTRES", [SEEDED]),
        ("fr", "visibilite", ["private"]),
        # Stems, per language.
        ("fr", "dissociation", [SEEDED]),
        ("en", "unlinking", [SEEDED]),
        ("en", "visibility", ["private"]),
        # One typo in words of five letters or more.
        ("en", "tiktk buisness", [SEEDED]),
        ("fr", "tiktk buisness", [SEEDED]),
        ("fr", "visibilte", ["private"]),
        # The word being typed.
        ("fr", "archiv", ["archive-title"]),
        # Title over labels over body.
        ("fr", "archiver", ["archive-title", "archive-label", "archive-body"]),
        ("en", "archive", ["archive-title", "archive-label", "archive-body"]),
        # Several words in several steps over one word, even in a title.
        ("fr", "authentification code", ["two-factor", "code-only"]),
        ("en", "two-factor code", ["two-factor", "code-only"]),
        # French where the English is missing, as on the page.
        ("en", "bloquer", ["untranslated"]),
        # Platform names.
        ("en", "tiktok", [SEEDED]),
    ],
)
def test_it_finds_the_expected_guides_first(catalogue, language, query, expected):
    results = search(query, language)
    assert first_guides(results, catalogue, len(expected)) == expected


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("en", "dissocier"),  # a French word on the English side: the English guide does not use it
        ("fr", ""),
        ("fr", "   "),
        ("fr", "le la de du"),  # only words too common to look for
        ("fr", "x" * 2000),
        ("fr", '"'),
        ("fr", "archiver*"),
        ("en", "archive NEAR post"),
        ("en", "title_terms: archive"),
        ("fr", "l'archive d'\"or\" OR * : ^ -"),
        ("en", "secret clandestine"),  # only in a draft
    ],
)
def test_odd_queries_get_a_clear_page(catalogue, language, query):
    response = Client().get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="search-results"' in page
    if query.strip() and "archive" not in query:
        assert "No guide matches" in page or "Aucun guide ne correspond" in page


def test_syntax_characters_are_words_or_nothing(catalogue):
    assert first_guides(search('"archiver" OR *', "fr"), catalogue) == ["archive-title"]
    assert first_guides(search("archive NEAR post", "en"), catalogue) == ["archive-title"]


def test_a_nul_in_the_query_is_refused_in_the_readers_language():
    response = Client().get("/fr/search/", {"q": "arch\x00ive"})
    assert response.status_code == 400
    assert "Cette adresse contient un caractère interdit." in response.content.decode()


def test_a_page_number_that_is_not_one_is_refused_clearly():
    for page in ("abc", "0", "-1", "9999"):
        response = Client().get("/en/search/", {"q": "tiktok", "page": page})
        assert response.status_code == 400
        assert "This page of results does not exist" in response.content.decode()


def test_drafts_never_appear_and_unpublishing_removes_a_guide_at_once(catalogue):
    assert search("clandestin", "fr").total == 0
    assert "archive-title" in first_guides(search("archiver", "fr"), catalogue, 3)
    guide = catalogue["archive-title"]
    guide.status = Guide.Status.DRAFT
    guide.save()
    assert "archive-title" not in first_guides(search("archiver", "fr"), catalogue, 5)


def test_an_edited_step_is_found_by_its_new_words_only(catalogue):
    step = catalogue["archive-label"].steps.get()
    step.body_fr = "Choisissez `Souvenirs`."
    step.save()
    assert first_guides(search("souvenirs", "fr"), catalogue) == ["archive-label"]
    assert "archive-label" not in first_guides(search("archiver", "fr"), catalogue, 5)


def test_a_deleted_step_takes_its_words_out_of_its_guide(catalogue):
    catalogue["archive-label"].steps.get().delete()
    assert "archive-label" not in first_guides(search("archiver", "fr"), catalogue, 5)
    catalogue["two-factor"].prerequisites.create(position=1, text_fr="Votre trousseau de clés")
    assert first_guides(search("trousseau", "fr"), catalogue) == ["two-factor"]


def test_a_part_saved_alone_leaves_the_guide_as_a_full_rewrite_would(catalogue):
    guide = catalogue["two-factor"]
    guide.steps.get(position=2).delete()
    guide.steps.create(position=2, title_fr="Gardez vos codes", body_fr="Notez-les `Codes de secours`.")
    guide.prerequisites.create(position=1, text_fr="Votre trousseau de clés")

    def whole() -> list[tuple]:
        fields = ["language", "title", "labels", "body", "title_terms", "labels_terms", "body_terms"]
        return list(SearchDocument.objects.filter(guide=guide, scope="whole").order_by("language").values_list(*fields))

    by_parts = whole()
    documents.reindex(Guide.objects.filter(pk=guide.pk))
    assert by_parts == whole() and len(by_parts) == 2 and "secour" in by_parts[0][6]


def test_saving_a_step_renders_that_step_alone_whatever_the_guide_length(catalogue, monkeypatch):
    rendered = []
    monkeypatch.setattr(documents, "render_markdown", lambda body: rendered.append(body) or body)
    step = catalogue[SEEDED].steps.get(position=3)
    step.body_fr = "Touchez `Gérer le compte`."
    step.save()
    assert rendered == [step.body_fr, step.body_en]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("deleted", ["guide", "queryset"])
def test_deleting_a_published_guide_takes_its_documents_along(deleted):
    """Its steps and prerequisites go first, in the same deletion: their documents must not be
    written again for a guide about to go (the commit would fail on the foreign key)."""
    platform = Platform.objects.create(slug="snapchat", name_fr="Snapchat", name_en="Snapchat", position=9)
    guide = make_guide(platform, steps=2)
    guide.prerequisites.create(position=1, text_fr="Un téléphone")
    with transaction.atomic():
        (guide if deleted == "guide" else Guide.objects.filter(pk=guide.pk)).delete()
    assert not SearchDocument.objects.filter(guide_id=guide.pk).exists()


def test_a_result_links_to_the_matching_step_and_marks_the_words(catalogue):
    page = Client().get("/fr/search/", {"q": "archive"}).content.decode()
    guide = catalogue["archive-label"]
    step = guide.steps.get()
    assert f'href="/fr/instagram/archive-label/#step-{step.pk}"' in page
    assert "Étape 1 : Ouvrez le menu" in page
    assert "Choisissez <mark>Archive</mark>." in page
    assert "<mark>Archiver</mark> une publication" in page


def test_untranslated_text_is_marked_as_french_on_the_english_side(catalogue):
    page = Client().get("/en/search/", {"q": "bloquer"}).content.decode()
    assert '<a href="/en/instagram/bloquer/" lang="fr"><mark>Bloquer</mark> un compte gênant</a>' in page


def test_a_corrected_typo_says_what_was_searched(catalogue):
    page = Client().get("/en/search/", {"q": "tiktk buisness"}).content.decode()
    assert "Showing results for “tiktok business”." in page


def test_the_search_box_is_on_every_page_and_works_without_javascript(catalogue):
    home = Client().get("/en/").content.decode()
    assert re.search(r'<form class="site-search" role="search" method="get" action="/en/search/">', home)
    assert 'name="q"' in home
    page = Client().get("/en/search/", {"q": "private account"}).content.decode()
    assert 'class="site-search"' not in page  # the page's own form instead
    assert 'value="private account"' in page
    assert "Switch to a <mark>private</mark> <mark>account</mark>" in page


def test_results_are_shared_pages_and_htmx_gets_the_results_alone(catalogue):
    first = Client().get("/fr/search/", {"q": "archiver"})
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert not first.cookies and "HX-Request" in first["Vary"] and "Cookie" not in first["Vary"]
    partial = Client().get("/fr/search/", {"q": "archiver"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.startswith('<div id="search-results"') and "<html" not in body
    assert '<div id="announcer" hx-swap-oob="innerHTML">3 guides trouvés</div>' in body
    restore = Client().get(
        "/fr/search/", {"q": "archiver"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def queries_for(url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url, params).status_code == 200
    return len([query for query in captured if "SAVEPOINT" not in query["sql"].upper()])


def test_a_search_costs_the_same_queries_however_many_guides_match(catalogue):
    first = queries_for("/fr/search/", q="compte tiktk")
    for number in range(40):
        make_guide(catalogue["private"].platform, slug=f"compte-{number}", title_fr=f"Un compte numéro {number}")
    assert queries_for("/fr/search/", q="compte tiktok") <= first  # a corrected typo costs one more at most
    assert queries_for("/fr/search/", q="compte tiktk") == first
    assert queries_for("/fr/search/", q="compte tiktk") == 1  # then cached: the content version


def test_searches_without_results_are_counted_for_editors_when_asked_for(catalogue):
    Client().get("/fr/search/", {"q": "  Épingles   PINTEREST  "})
    Client().get("/fr/search/", {"q": "epingles pinterest"})
    htmx = Client(HTTP_HX_REQUEST="true")
    htmx.get("/fr/search/", {"q": "epingles pint"}, HTTP_HX_TRIGGER="search-q")  # a pause while typing
    htmx.get("/fr/search/", {"q": "epingles pinterest"}, HTTP_HX_TRIGGER="search-form")  # the form sent
    Client().get("/en/search/", {"q": "archive"})  # found something
    Client().get("/fr/search/", {"q": ""})  # asked for nothing

    missed = MissedSearch.objects.get()
    assert (missed.language, missed.query, missed.count) == ("fr", "epingles pinterest", 3)


def test_a_page_without_results_is_never_kept_by_a_shared_cache(catalogue):
    response = Client().get("/fr/search/", {"q": "snapchat"})
    assert response["Cache-Control"] == "private, no-cache"
    Client().get("/fr/search/", {"q": "snapchat"})
    assert MissedSearch.objects.get().count == 2


def test_a_count_that_cannot_be_written_costs_the_reader_nothing(catalogue, monkeypatch):
    from guides.search import missed

    monkeypatch.setattr(missed, "_COUNT", "INSERT INTO no_such_table VALUES (%s, %s, %s)")
    response = Client().get("/fr/search/", {"q": "snapchat"})
    assert response.status_code == 200
    assert "Aucun guide ne correspond à « snapchat »." in response.content.decode()


def test_the_language_switcher_keeps_the_search_and_nothing_else(catalogue):
    page = Client().get("/fr/search/", {"q": "archiver", "utm_source": "spam"}).content.decode()
    assert 'href="/en/search/?q=archiver" hreflang="en"' in page
    assert "spam" not in page
