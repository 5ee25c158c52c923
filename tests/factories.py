"""Small factories and addresses shared by test modules (fixtures that build on each other stay in
conftest, and use these)."""

from guides.models import Guide, StepReport

SEEDED_GUIDE_URL = {
    "fr": "/fr/tiktok/dissocier-tiktok-for-business/",
    "en": "/en/tiktok/unlink-tiktok-for-business/",
}


def make_guide(platform, *, steps=3, status=Guide.Status.PUBLISHED, slug="guide", **fields):
    guide = Guide.objects.create(
        platform=platform,
        slug_fr=slug,
        slug_en=fields.pop("slug_en", slug),
        status=status,
        title_fr=fields.pop("title_fr", "Un guide"),
        title_en=fields.pop("title_en", "A guide"),
        summary_fr=fields.pop("summary_fr", "Résumé du guide."),
        summary_en=fields.pop("summary_en", "Summary of the guide."),
        **fields,
    )
    for number in range(1, steps + 1):
        guide.steps.create(
            position=number,
            title_fr=f"Étape {number}",
            title_en=f"Step {number}",
            body_fr=f"Faites la chose **{number}**.",
            body_en=f"Do thing **{number}**.",
        )
    return guide


def make_report(step, reader: str = "reader-a", **fields) -> StepReport:
    """A reader's report on ``step``, in French unless told otherwise."""
    values = {
        "language": "fr",
        "problem": StepReport.Problem.RENAMED,
        "seen_instead": "Le bouton s'appelle autrement.",
        "device": StepReport.Device.ANDROID,
        **fields,
    }
    return StepReport.objects.create(step=step, reader_key=reader, **values)


def step_url(step, action: str, language: str = "fr") -> str:
    return guide_url(step.guide, f"steps/{step.pk}/{action}", language)


def guide_url(guide, action: str = "", language: str = "fr") -> str:
    """Written out rather than reversed, so that tests check addresses, slugs per language."""
    slugs = getattr(guide.platform, f"slug_{language}"), getattr(guide, f"slug_{language}")
    return "/{}/{}/{}/".format(language, *slugs) + (f"{action}/" if action else "")
