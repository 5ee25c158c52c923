"""A small catalogue whose words tell search's rules apart, next to the seeded TikTok guide."""

from guides.models import Guide, Platform

GUIDES = {
    "private": {
        "title": ("Passer en compte privé", "Switch to a private account"),
        "summary": ("Seuls vos abonnés verront vos publications.", "Only your followers will see your posts."),
        "steps": [
            (
                "Ouvrez les réglages",
                "Touchez `Visibilité du profil`.",
                "Open the settings",
                "Tap `Profile visibility`.",
            ),
            (
                "Activez l'option",
                "Activez `Compte privé`.",
                "Turn it on",
                "Turn on `Private account`.",
            ),
        ],
    },
    # "archive" in a title, in an interface label, and in body text only.
    "archive-title": {
        "title": ("Archiver une publication", "Archive a post"),
        "summary": ("La publication disparaît de votre profil.", "The post leaves your profile."),
        "steps": [("Touchez les trois points", "Au-dessus de la photo.", "Tap the three dots", "Above the photo.")],
    },
    "archive-label": {
        "title": ("Retrouver ses anciennes stories", "Find your old stories"),
        "summary": ("Elles sont gardées pour vous.", "They are kept for you."),
        "steps": [("Ouvrez le menu", "Choisissez `Archive`.", "Open the menu", "Choose `Archive`.")],
    },
    "archive-body": {
        "title": ("Faire le ménage sur son profil", "Tidy up your profile"),
        "summary": ("Quelques gestes simples.", "A few simple moves."),
        "steps": [
            (
                "Triez vos photos",
                "Vous pouvez aussi archiver les anciennes.",
                "Sort your photos",
                "You can also archive old ones.",
            )
        ],
    },
    # Two words of a query in two steps, against one word only (in the title, even).
    "two-factor": {
        "title": ("Sécuriser son compte", "Secure your account"),
        "summary": ("Une protection de plus.", "One more protection."),
        "steps": [
            (
                "Activez l'authentification",
                "Choisissez la double authentification.",
                "Turn on two-factor",
                "Choose two-factor authentication.",
            ),
            (
                "Saisissez le code",
                "Le code arrive par SMS.",
                "Enter the code",
                "The code comes by text message.",
            ),
        ],
    },
    "code-only": {
        "title": ("Changer de code", "Change your code"),
        "summary": ("Un nouveau code, et un autre code.", "A new code, then another code."),
        "steps": [("Choisissez un code", "Six chiffres.", "Choose a code", "Six digits.")],
    },
}


def make_catalogue() -> dict[str, Guide]:
    platform = Platform.objects.create(slug="instagram", name_fr="Instagram", name_en="Instagram", position=3)
    made = {}
    for slug, content in GUIDES.items():
        (title_fr, title_en), (summary_fr, summary_en) = content["title"], content["summary"]
        guide = Guide.objects.create(
            platform=platform,
            slug_fr=slug,
            slug_en=slug,
            status=Guide.Status.PUBLISHED,
            title_fr=title_fr,
            title_en=title_en,
            summary_fr=summary_fr,
            summary_en=summary_en,
        )
        for position, (step_fr, body_fr, step_en, body_en) in enumerate(content["steps"], start=1):
            guide.steps.create(position=position, title_fr=step_fr, body_fr=body_fr, title_en=step_en, body_en=body_en)
        made[slug] = guide
    made["untranslated"] = Guide.objects.create(
        platform=platform,
        slug_fr="bloquer",
        status=Guide.Status.PUBLISHED,
        title_fr="Bloquer un compte gênant",
        summary_fr="Il ne pourra plus vous écrire.",
    )
    made["draft"] = Guide.objects.create(
        platform=platform,
        slug_fr="brouillon",
        status=Guide.Status.DRAFT,
        title_fr="Archiver en secret clandestin",
        title_en="Archive in clandestine secret",
        summary_fr="Pas encore relu.",
    )
    return made
