"""The TikTok guide that every new database gets, read as a reader would, in both languages."""

import html
import re

import pytest

from guides.models import Guide, Step
from tests.factories import SEEDED_GUIDE_URL

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_it_is_published_on_the_tiktok_platform():
    guide = Guide.objects.get(slug_fr="dissocier-tiktok-for-business")
    assert guide.platform.slug == "tiktok"
    assert guide.is_published
    assert list(guide.steps.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    assert list(guide.steps.values_list("surface", flat=True)) == [
        "app", "app", "app", "website", "website", "website", "app",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        (
            "fr",
            [
                "Dissocier un compte TikTok de TikTok for Business",
                "Avant de commencer",
                "L'application TikTok installée sur votre téléphone.",
                "Le compte professionnel que vous voulez repasser en compte personnel.",
                "adresse e-mail et son mot de passe",
                "votre profil et vos vidéos s'affichent",
                "Paramètres et confidentialité",
                "Gérer le compte",
                "doit d'abord être dissocié de TikTok for Business",
                "tiktok.com/business",
                "Créer",
                "Connexion",
                "Connectez-vous avec TikTok",
                "demande d'accès",
                "silhouette",
                "Paramètres de l'utilisateur",
                "Dissocier le compte TikTok",
                "code de vérification",
                "refaites les étapes 2 et 3",
                "les fonctions réservées aux comptes professionnels disparaissent",
                "Environ 10 minutes",
                "Dernière vérification par un éditeur le 25 novembre 2026",
            ],
        ),
        (
            "en",
            [
                "Unlink a TikTok account from TikTok for Business",
                "Before you start",
                "The TikTok app installed on your phone.",
                "The business account you want to turn back into a personal account.",
                "its e-mail address and password",
                "Your profile and your videos appear",
                "Settings and privacy",
                "Manage account",
                "must first be unlinked from TikTok for Business",
                "tiktok.com/business",
                "Create",
                "Log in",
                "Continue with TikTok",
                "access request",
                "silhouette icon",
                "User settings",
                "Unlink TikTok account",
                "verification code",
                "repeat steps 2 and 3",
                "the business-only features go away",
                "About 10 minutes",
                "Last verified by an editor on Nov. 25, 2026",
            ],
        ),
    ],
)
def test_it_carries_every_fact_in_each_language(client, language, facts):
    response = client.get(SEEDED_GUIDE_URL[language])
    assert response.status_code == 200
    text = page_text(response).lower()
    missing = [fact for fact in facts if fact.lower() not in text]
    assert missing == []


def test_interface_labels_are_in_the_pages_language(client):
    french = page_text(client.get(SEEDED_GUIDE_URL["fr"]))
    english = page_text(client.get(SEEDED_GUIDE_URL["en"]))
    assert "<code>Gérer le compte</code>" in french
    assert "Manage account" not in french
    assert "<code>Manage account</code>" in english
    assert "Gérer le compte" not in english


def test_it_shows_seven_ordered_steps_with_their_badges(client):
    text = page_text(client.get(SEEDED_GUIDE_URL["en"]))
    steps = re.findall(r'<li class="step[^"]*" id="step-(\d+)"', text)
    assert [int(pk) for pk in steps] == list(
        Step.objects.filter(guide__slug_fr="dissocier-tiktok-for-business").values_list("pk", flat=True)
    )
    assert text.count("badge-app") == 4
    assert text.count("badge-website") == 3
    assert "In the app" in text and "On the website" in text


def test_the_website_link_is_safe_and_external(client):
    text = page_text(client.get(SEEDED_GUIDE_URL["fr"]))
    assert '<a href="https://www.tiktok.com/business" rel="noopener noreferrer">tiktok.com/business</a>' in text
