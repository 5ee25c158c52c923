"""Keep what search reads in step with the guides: a published guide is, in each language, one
document for the whole guide (which ranks it) and one per part (itself and each step, which
show where it matches); a guide that is not published has none.

Written in the transaction of the change, by signals (see ``guides.apps``), so that search never
shows a guide readers cannot open, nor misses one they can. Any change rewrites the documents
of the guides it touches.
"""

import html

from django.db.models import F, Prefetch, QuerySet
from django.db.models.signals import post_delete
from django.utils import translation
from django.utils.html import strip_tags

from guides.markdown import render_markdown
from guides.models import Guide, Platform, Prerequisite, SearchDocument, SearchWord, Step, StepVariant
from guides.models.content import SOURCE_LANGUAGE, language_codes
from guides.search import text

_MIN_WORD = text.MIN_TYPO_LENGTH - 1  # the shortest word a typo could be corrected towards


def guide_changed(sender, instance: Guide, raw: bool = False, **kwargs) -> None:
    if not raw:
        reindex(Guide.objects.filter(pk=instance.pk))


def platform_changed(sender, instance: Platform, raw: bool = False, **kwargs) -> None:
    if not raw:  # its name and address are in each of its guides' documents
        reindex(Guide.objects.filter(platform=instance))


def part_changed(sender, instance: Prerequisite | Step, raw: bool = False, **kwargs) -> None:
    """A prerequisite or step saved or deleted: the documents of that part are written again,
    then the guide's whole documents, from the parts stored (a guide form saving many steps
    renders each once, not the whole guide each time). When its guide is being deleted
    (``origin``), that deletion takes the documents along: writing them again would refer to a
    guide about to go."""
    origin = kwargs.get("origin")
    if raw or (origin is not None and (origin.model if isinstance(origin, QuerySet) else type(origin)) is not sender):
        return
    guide = Guide.objects.published().select_related("platform").filter(pk=instance.guide_id).first()
    if guide is None:
        return
    if sender is Step:
        SearchDocument.objects.filter(step_id=instance.pk).delete()
        if kwargs.get("signal") is not post_delete:
            _write([_step_document(guide, instance, language) for language in language_codes()])
    else:  # the guide's own documents hold its prerequisites
        SearchDocument.objects.filter(guide=guide, scope=SearchDocument.GUIDE).delete()
        _write([_guide_document(guide, language) for language in language_codes()])
    _rewrite_whole(guide)


def variant_changed(sender, instance: StepVariant, raw: bool = False, **kwargs) -> None:
    """A step's text on one device is part of the step's documents."""
    origin = kwargs.get("origin")
    if raw or (origin is not None and (origin.model if isinstance(origin, QuerySet) else type(origin)) is not sender):
        return
    step = Step.objects.filter(pk=instance.step_id).first()
    if step is not None:
        part_changed(Step, step)


def reindex(guides) -> None:
    """Rewrite the documents of these guides (a queryset)."""
    SearchDocument.objects.filter(guide__in=guides.values("pk")).delete()
    published = (
        guides.published()
        .select_related("platform")
        .prefetch_related(
            "prerequisites", Prefetch("steps", queryset=Step.objects.order_by("position").prefetch_related("variants"))
        )
    )
    _write([document for guide in published for document in documents_of(guide)])


def rebuild() -> int:
    """Rewrite every document and the vocabulary, e.g. after changing the search settings."""
    SearchWord.objects.all().delete()
    reindex(Guide.objects.all())
    return SearchDocument.objects.count()


def ensure_built(sender=None, **kwargs) -> None:
    """After migrations: build the documents of a database that has published guides but no
    documents yet (a new install, or one upgraded from before search)."""
    if Guide.objects.published().exists() and not SearchDocument.objects.exists():
        rebuild()


def documents_of(guide: Guide) -> list[SearchDocument]:
    """The documents of a published guide (with its platform, prerequisites and steps loaded)."""
    documents = []
    for language in language_codes():
        parts = [_guide_document(guide, language)]
        parts.extend(_step_document(guide, step, language) for step in guide.steps.all())
        documents.append(_whole(parts))
        documents.extend(parts)
    return documents


def _rewrite_whole(guide: Guide) -> None:
    SearchDocument.objects.filter(guide=guide, scope=SearchDocument.WHOLE).delete()
    parts: dict[str, list[SearchDocument]] = {}
    ordered = F("step__position").asc(nulls_first=True)  # the guide's own part first
    for part in SearchDocument.objects.filter(guide=guide).order_by("language", ordered):
        parts.setdefault(part.language, []).append(part)
    SearchDocument.objects.bulk_create([_whole(language_parts) for language_parts in parts.values()])


def _whole(parts: list[SearchDocument]) -> SearchDocument:
    """The guide in one document, its parts' texts and terms put together: its title, then
    its platform, step titles and interface labels (what the reader sees on screen), then the
    rest."""
    guide, steps = parts[0], parts[1:]

    def joined(*texts: str) -> str:
        return "\n".join(text for text in texts if text)

    return SearchDocument(
        language=guide.language,
        scope=SearchDocument.WHOLE,
        guide=guide.guide,
        url=guide.url,
        platform_name=guide.platform_name,
        title=guide.title,
        labels=joined(guide.labels, *(part for step in steps for part in (step.title, step.labels))),
        body=joined(guide.body, *(step.body for step in steps)),
        title_language=guide.title_language,
        body_language=guide.body_language,
        search_config=guide.search_config,
        title_terms=guide.title_terms,
        labels_terms=joined(
            guide.labels_terms, *(part for step in steps for part in (step.title_terms, step.labels_terms))
        ),
        body_terms=joined(guide.body_terms, *(step.body_terms for step in steps)),
    )


def _guide_document(guide: Guide, language: str) -> SearchDocument:
    with translation.override(language):
        body = [guide.summary, *(item.text for item in guide.prerequisites.all()), guide.conclusion]
        return _document(
            guide,
            language,
            title=(guide.title, "title" in guide.untranslated),
            labels=guide.platform.name,
            body=("\n".join(part for part in body if part), "summary" in guide.untranslated),
        )


def _step_document(guide: Guide, step: Step, language: str) -> SearchDocument:
    """A step, with its text on each device: a reader searches for what their screen shows."""
    with translation.override(language):
        variants = list(step.variants.all())
        bodies = [step.body, *(variant.body for variant in variants)]
        titles = [variant.title for variant in variants if variant.title]
        return _document(
            guide,
            language,
            step=step,
            title=(step.title, "title" in step.untranslated),
            labels=" ".join([*(label for body in bodies for label in text.labels(body)), *titles]),
            body=(
                "\n".join(html.unescape(strip_tags(render_markdown(body))) for body in bodies if body),
                "body" in step.untranslated,
            ),
        )


def _document(
    guide: Guide, language: str, *, title: tuple[str, bool], labels: str, body: tuple[str, bool], step=None
) -> SearchDocument:
    """Called with ``language`` active: ``guide.get_absolute_url()`` and names are in it."""
    (title_text, title_untranslated), (body_text, body_untranslated) = title, body
    return SearchDocument(
        language=language,
        scope=SearchDocument.GUIDE if step is None else SearchDocument.STEP,
        guide=guide,
        step=step,
        url=guide.get_absolute_url(),
        platform_name=guide.platform.name,
        title=title_text,
        labels=labels,
        body=body_text,
        title_language=SOURCE_LANGUAGE if title_untranslated else language,
        body_language=SOURCE_LANGUAGE if body_untranslated else language,
        search_config=text.algorithm(language),
        title_terms=text.index_terms(title_text, language),
        labels_terms=text.index_terms(labels, language),
        body_terms=text.index_terms(body_text, language),
    )


def _write(documents: list[SearchDocument]) -> None:
    SearchDocument.objects.bulk_create(documents)
    vocabulary = {
        (document.language, word)
        for document in documents
        if document.scope != SearchDocument.WHOLE  # it holds its parts' words
        for part in (document.title, document.labels, document.body)
        for word in text.words(part)
        if _MIN_WORD <= len(word) <= 100
    }
    SearchWord.objects.bulk_create(
        [SearchWord(language=language, word=word) for language, word in vocabulary], ignore_conflicts=True
    )
