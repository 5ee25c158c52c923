"""Which model fields carry a French and an English version (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from guides.models import Guide, Platform, Prerequisite, Step, StepVariant


@register(Platform)
class PlatformTranslationOptions(TranslationOptions):
    fields = ("slug", "name", "description")
    required_languages = {"fr": ("slug", "name")}


@register(Guide)
class GuideTranslationOptions(TranslationOptions):
    fields = ("slug", "title", "summary", "conclusion")
    required_languages = {"fr": ("slug", "title", "summary")}


@register(Prerequisite)
class PrerequisiteTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("fr",)


@register(Step)
class StepTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = {"fr": ("title",)}


@register(StepVariant)
class StepVariantTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = {"fr": ("body",)}
