"""Fixtures that build on each other: a platform, a guide with steps, an editor, a superuser."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from guides.models import Guide, Platform

SEEDED_GUIDE_URL = {
    "fr": "/fr/tiktok/dissocier-tiktok-for-business/",
    "en": "/en/tiktok/dissocier-tiktok-for-business/",
}


@pytest.fixture(autouse=True)
def _french_by_default():
    # Data code must not depend on the active language; tests start from the source language.
    with translation.override("fr"):
        yield


@pytest.fixture
def platform(db):
    return Platform.objects.create(slug="demo", name_fr="Démo", name_en="Demo", position=2)


def make_guide(platform, *, steps=3, status=Guide.Status.PUBLISHED, slug="guide", **fields):
    guide = Guide.objects.create(
        platform=platform,
        slug=slug,
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


@pytest.fixture
def guide(platform):
    guide = make_guide(platform, steps=3)
    guide.prerequisites.create(position=1, text_fr="Un téléphone", text_en="A phone")
    return guide


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="editor-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
