"""The first guide: unlinking a TikTok account from TikTok for Business, then switching it back
to a personal account. Every new database gets it, published, in French and English.

Each translated field is written per language (``_fr`` and ``_en``), and the plain column gets
the French source, whatever language is active when the migration runs.
"""

import datetime

from django.db import migrations

PLATFORM = {
    "slug": "tiktok",
    "website": "https://www.tiktok.com",
    "position": 1,
    "name": {"fr": "TikTok", "en": "TikTok"},
    "description": {
        "fr": "Le réseau social de vidéos courtes.",
        "en": "The short-video social network.",
    },
}

GUIDE = {
    "slug": "dissocier-tiktok-for-business",
    "estimated_minutes": 10,
    "last_verified_on": datetime.date(2026, 11, 25),
    "title": {
        "fr": "Dissocier un compte TikTok de TikTok for Business",
        "en": "Unlink a TikTok account from TikTok for Business",
    },
    "summary": {
        "fr": (
            "Un compte professionnel lié à TikTok for Business ne peut pas repasser en compte "
            "personnel depuis l'application. Dissociez-le d'abord sur le site de TikTok for "
            "Business, puis changez de type de compte dans l'application."
        ),
        "en": (
            "A business account linked to TikTok for Business cannot switch back to a personal "
            "account from the app. Unlink it on the TikTok for Business website first, then "
            "change the account type in the app."
        ),
    },
    "conclusion": {
        "fr": (
            "Votre compte est de nouveau un compte personnel et n'est plus lié à TikTok for "
            "Business. Si une étape ne correspond plus à ce que vous voyez, dites-le-nous sur "
            "l'étape concernée."
        ),
        "en": (
            "Your account is a personal account again and is no longer linked to TikTok for "
            "Business. If a step no longer matches what you see, tell us on that step."
        ),
    },
}

PREREQUISITES = [
    {
        "fr": "L'application TikTok installée sur votre téléphone.",
        "en": "The TikTok app installed on your phone.",
    },
    {
        "fr": "Le compte professionnel que vous voulez repasser en compte personnel.",
        "en": "The business account you want to turn back into a personal account.",
    },
    {
        "fr": "Les identifiants de ce compte : son adresse e-mail et son mot de passe.",
        "en": "That account's sign-in details: its e-mail address and password.",
    },
]

STEPS = [
    {
        "surface": "app",
        "title": {
            "fr": "Connectez-vous au compte professionnel",
            "en": "Sign in to the business account",
        },
        "body": {
            "fr": (
                "Ouvrez l'application TikTok et connectez-vous au compte professionnel. "
                "Votre profil et vos vidéos s'affichent."
            ),
            "en": ("Open the TikTok app and sign in to the business account. Your profile and your videos appear."),
        },
    },
    {
        "surface": "app",
        "title": {"fr": "Ouvrez les paramètres", "en": "Open the settings"},
        "body": {
            "fr": (
                "Sur votre profil, touchez l'icône en haut à droite pour ouvrir les paramètres, "
                "puis `Paramètres et confidentialité`."
            ),
            "en": ("On your profile, tap the icon at the top right to open the settings, then `Settings and privacy`."),
        },
    },
    {
        "surface": "app",
        "title": {
            "fr": "Essayez de passer à un compte personnel",
            "en": "Try to switch to a personal account",
        },
        "body": {
            "fr": (
                "Faites défiler jusqu'à `Gérer le compte` et ouvrez-le. Le passage à un compte "
                "personnel y est proposé, mais l'application répond par une erreur : le compte "
                "doit d'abord être dissocié de TikTok for Business.\n\n"
                "Les trois étapes suivantes font cette dissociation sur le site web."
            ),
            "en": (
                "Scroll down to `Manage account` and open it. Switching to a personal account is "
                "offered there, but the app answers with an error: the account must first be "
                "unlinked from TikTok for Business.\n\n"
                "The next three steps do that unlinking on the website."
            ),
        },
    },
    {
        "surface": "website",
        "title": {"fr": "Connectez-vous à TikTok for Business", "en": "Log in to TikTok for Business"},
        "body": {
            "fr": (
                "Dans un navigateur web, ouvrez [tiktok.com/business](https://www.tiktok.com/business).\n\n"
                "1. Cliquez sur le bouton rouge `Créer` en haut à droite.\n"
                "2. Cliquez sur `Connexion`.\n"
                "3. Cliquez sur `Connectez-vous avec TikTok` et utilisez les mêmes identifiants "
                "que dans l'application.\n\n"
                "Si une demande d'accès s'affiche, acceptez-la."
            ),
            "en": (
                "In a web browser, open [tiktok.com/business](https://www.tiktok.com/business).\n\n"
                "1. Click the red `Create` button at the top right.\n"
                "2. Click `Log in`.\n"
                "3. Click `Continue with TikTok` and use the same sign-in details as in the app.\n\n"
                "If an access request appears, accept it."
            ),
        },
    },
    {
        "surface": "website",
        "title": {"fr": "Ouvrez les paramètres de l'utilisateur", "en": "Open the user settings"},
        "body": {
            "fr": (
                "Cliquez sur l'icône en forme de silhouette en haut à droite, puis sur `Paramètres de l'utilisateur`."
            ),
            "en": "Click the silhouette icon at the top right, then `User settings`.",
        },
    },
    {
        "surface": "website",
        "title": {"fr": "Dissociez le compte TikTok", "en": "Unlink the TikTok account"},
        "body": {
            "fr": (
                "Cliquez sur `Dissocier le compte TikTok`. Un code de vérification est envoyé à "
                "votre adresse e-mail : ouvrez votre messagerie, saisissez le code sur la page, "
                "puis confirmez."
            ),
            "en": (
                "Click `Unlink TikTok account`. A verification code is sent to your e-mail "
                "address: open your mailbox, enter the code on the page, then confirm."
            ),
        },
    },
    {
        "surface": "app",
        "title": {"fr": "Passez à un compte personnel", "en": "Switch to a personal account"},
        "body": {
            "fr": (
                "Revenez dans l'application TikTok et refaites les étapes 2 et 3 : "
                "`Paramètres et confidentialité`, puis `Gérer le compte`. Choisissez de passer "
                "à un compte personnel : cette fois, cela fonctionne, et les fonctions réservées "
                "aux comptes professionnels disparaissent."
            ),
            "en": (
                "Go back to the TikTok app and repeat steps 2 and 3: `Settings and privacy`, "
                "then `Manage account`. Choose to switch to a personal account: this time it "
                "works, and the business-only features go away."
            ),
        },
    },
]


def translated(**fields):
    """Expand {"title": {"fr": ..., "en": ...}} to title, title_fr and title_en."""
    columns = {}
    for name, versions in fields.items():
        columns[name] = versions["fr"]
        for language, text in versions.items():
            columns[f"{name}_{language}"] = text
    return columns


def seed(apps, schema_editor):
    Platform = apps.get_model("guides", "Platform")
    Guide = apps.get_model("guides", "Guide")

    platform, _created = Platform.objects.get_or_create(
        slug=PLATFORM["slug"],
        defaults={
            "website": PLATFORM["website"],
            "position": PLATFORM["position"],
            **translated(name=PLATFORM["name"], description=PLATFORM["description"]),
        },
    )
    if Guide.objects.filter(platform=platform, slug=GUIDE["slug"]).exists():
        return
    guide = Guide.objects.create(
        platform=platform,
        slug=GUIDE["slug"],
        status="published",
        estimated_minutes=GUIDE["estimated_minutes"],
        last_verified_on=GUIDE["last_verified_on"],
        **translated(title=GUIDE["title"], summary=GUIDE["summary"], conclusion=GUIDE["conclusion"]),
    )
    for position, text in enumerate(PREREQUISITES, start=1):
        guide.prerequisites.create(position=position, **translated(text=text))
    for position, step in enumerate(STEPS, start=1):
        guide.steps.create(
            position=position,
            surface=step["surface"],
            **translated(title=step["title"], body=step["body"]),
        )


def unseed(apps, schema_editor):
    apps.get_model("guides", "Guide").objects.filter(platform__slug=PLATFORM["slug"], slug=GUIDE["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("guides", "0002_editors_group")]

    operations = [migrations.RunPython(seed, unseed)]
