"""Guides in and out of the help center as one JSON file: between a staging and a production
site, as a backup of the content, or from another help center.

The file (``FORMAT``) holds platforms and guides with every language, prerequisites, steps in
order, device variants and screenshots, the images in base64 so that one file carries all.
Guides are known by their platform and their address in the source language: importing a file
twice updates the guides instead of duplicating them. Readers' data (progress, reports, votes,
confirmations) is never written out.

An import reads and checks the whole file first, and writes nothing unless all of it is valid;
each error names the guide, the step and the field. Imported guides arrive as drafts unless the
importer may publish and asks to keep their status. Screenshots are checked and stripped like
uploads (``guides.screenshots``).
"""

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from guides import screenshots
from guides.models import SOURCE_LANGUAGE, Device, Guide, Platform, Prerequisite, Screenshot, Step, StepVariant
from guides.models.content import language_codes

FORMAT = "helpcenter-guides/1"


# ---- Export ----


def export(guides) -> dict:
    """The file's content for these guides (a queryset) and their platforms."""
    guides = guides.select_related("platform").prefetch_related(
        "prerequisites", "related_guides__platform", "steps__variants", "steps__screenshots"
    )
    guides = list(guides.order_by("platform__slug", build_localized_fieldname("slug", SOURCE_LANGUAGE)))
    platforms = sorted({guide.platform for guide in guides}, key=lambda platform: platform.slug)
    return {
        "format": FORMAT,
        "source_language": SOURCE_LANGUAGE,
        "languages": language_codes(),
        "platforms": [_platform_data(platform) for platform in platforms],
        "guides": [_guide_data(guide) for guide in guides],
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def _translated(obj, name: str) -> dict[str, str]:
    return {code: getattr(obj, build_localized_fieldname(name, code)) or "" for code in language_codes()}


def _platform_data(platform: Platform) -> dict:
    return {
        "slug": _translated(platform, "slug"),
        "name": _translated(platform, "name"),
        "description": _translated(platform, "description"),
        "website": platform.website,
        "position": platform.position,
        "current_app_version": platform.current_app_version,
    }


def _key(guide: Guide) -> list[str]:
    return [getattr(guide.platform, build_localized_fieldname("slug", SOURCE_LANGUAGE)), guide_slug(guide)]


def guide_slug(guide: Guide) -> str:
    return getattr(guide, build_localized_fieldname("slug", SOURCE_LANGUAGE))


def _guide_data(guide: Guide) -> dict:
    return {
        "platform": getattr(guide.platform, build_localized_fieldname("slug", SOURCE_LANGUAGE)),
        "slug": _translated(guide, "slug"),
        "title": _translated(guide, "title"),
        "summary": _translated(guide, "summary"),
        "conclusion": _translated(guide, "conclusion"),
        "status": guide.status,
        "estimated_minutes": guide.estimated_minutes,
        "last_verified_on": guide.last_verified_on.isoformat() if guide.last_verified_on else None,
        "verified_app_version": guide.verified_app_version,
        "related_guides": sorted(_key(related) for related in guide.related_guides.all()),
        "prerequisites": [
            {"position": item.position, "text": _translated(item, "text")}
            for item in sorted(guide.prerequisites.all(), key=lambda item: item.position)
        ],
        "steps": [_step_data(step) for step in sorted(guide.steps.all(), key=lambda step: step.position)],
    }


def _step_data(step: Step) -> dict:
    return {
        "position": step.position,
        "title": _translated(step, "title"),
        "body": _translated(step, "body"),
        "surface": step.surface,
        "variants": [
            {"device": variant.device, "title": _translated(variant, "title"), "body": _translated(variant, "body")}
            for variant in sorted(step.variants.all(), key=lambda variant: variant.device)
        ],
        "screenshots": [
            _screenshot_data(shot)
            for shot in sorted(step.screenshots.all(), key=lambda shot: (shot.device, shot.language))
        ],
    }


def _screenshot_data(shot: Screenshot) -> dict:
    with shot.image.open("rb") as image:
        data = image.read()
    return {
        "device": shot.device,
        "language": shot.language,
        "alt": shot.alt,
        "image": {"name": shot.image.name.rsplit("/", 1)[-1], "data": base64.b64encode(data).decode()},
    }


# ---- Import ----


class ImportRefused(Exception):
    """The file is refused: ``errors`` says where and why, and nothing was written."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Plan:
    """What an import would do: the guides it creates and updates, by platform and address."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    platforms_created: list[str] = field(default_factory=list)


def max_bytes() -> int:
    return settings.GUIDES_IMPORT_MAX_BYTES


def load(raw: bytes) -> dict:
    """The file's content, or ``ImportRefused`` for a file too large or not JSON."""
    if len(raw) > max_bytes():
        raise ImportRefused([_("The file is larger than %(limit)d MB.") % {"limit": max_bytes() // 1_000_000}])
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused([_("The file is not valid JSON: %(error)s") % {"error": error}]) from error
    if not isinstance(data, dict):
        raise ImportRefused([_("The file does not hold guides.")])
    return data


def import_guides(data: dict, *, keep_status: bool = False, dry_run: bool = False) -> Plan:
    """Check everything in ``data``, then (unless ``dry_run``) write it in one transaction."""
    checked = _Checker(data).check()
    plan = _plan(checked)
    if dry_run:
        return plan
    try:
        with transaction.atomic():
            _write(checked, keep_status)
    except IntegrityError as error:  # an address another guide of the site already has
        raise ImportRefused(
            [_("A guide of the file takes an address another guide has: %(error)s") % {"error": error}]
        ) from error
    return plan


@dataclass
class _Checked:
    platforms: list[dict]
    guides: list[dict]
    images: dict[tuple[int, int, int], SimpleUploadedFile]  # (guide, step, screenshot) index -> file


class _Checker:
    def __init__(self, data: dict):
        self.data = data
        self.errors: list[str] = []

    def check(self) -> _Checked:
        data = self.data
        if data.get("format") != FORMAT:
            raise ImportRefused(
                [
                    _("Unknown format “%(found)s”: this site reads “%(format)s”.")
                    % {"found": data.get("format"), "format": FORMAT}
                ]
            )
        platforms = data.get("platforms") or []
        guides = data.get("guides") or []
        if not isinstance(platforms, list) or not isinstance(guides, list):
            raise ImportRefused([_("The file does not hold guides.")])
        known = {
            getattr(platform, build_localized_fieldname("slug", SOURCE_LANGUAGE)) for platform in Platform.objects.all()
        }
        for index, platform in enumerate(platforms, start=1):
            where = _("platform %(number)d") % {"number": index}
            self._translated(platform, "slug", where, required=True)
            self._translated(platform, "name", where, required=True)
            known.add((platform.get("slug") or {}).get(SOURCE_LANGUAGE))
        images = {}
        seen = set()
        for g_index, guide in enumerate(guides):
            where = _("guide “%(slug)s”") % {"slug": (guide.get("slug") or {}).get(SOURCE_LANGUAGE, g_index + 1)}
            if guide.get("platform") not in known:
                self.errors.append(
                    _("%(where)s: unknown platform “%(platform)s”.")
                    % {"where": where, "platform": guide.get("platform")}
                )
            key = (guide.get("platform"), (guide.get("slug") or {}).get(SOURCE_LANGUAGE))
            if key in seen:
                self.errors.append(_("%(where)s: twice in the file.") % {"where": where})
            seen.add(key)
            for name in ("slug", "title", "summary"):
                self._translated(guide, name, where, required=True)
            self._translated(guide, "conclusion", where)
            if guide.get("status") not in Guide.Status.values:
                self.errors.append(
                    _("%(where)s: unknown status “%(status)s”.") % {"where": where, "status": guide.get("status")}
                )
            self._positions(guide.get("prerequisites") or [], where, _("prerequisite"))
            for item in guide.get("prerequisites") or []:
                self._translated(item, "text", f"{where}, {_('prerequisite')} {item.get('position')}", required=True)
            self._positions(guide.get("steps") or [], where, _("step"))
            for s_index, step in enumerate(guide.get("steps") or []):
                step_where = f"{where}, {_('step')} {step.get('position')}"
                self._translated(step, "title", step_where, required=True)
                self._translated(step, "body", step_where)
                if step.get("surface") not in Step.Surface.values:
                    self.errors.append(
                        _("%(where)s: unknown place “%(surface)s”.")
                        % {"where": step_where, "surface": step.get("surface")}
                    )
                for variant in step.get("variants") or []:
                    if variant.get("device") not in Device.values:
                        self.errors.append(
                            _("%(where)s: unknown device “%(device)s”.")
                            % {"where": step_where, "device": variant.get("device")}
                        )
                    self._translated(variant, "body", f"{step_where} ({variant.get('device')})", required=True)
                for i_index, shot in enumerate(step.get("screenshots") or []):
                    upload = self._image(shot, f"{step_where}, {_('screenshot')} {i_index + 1}")
                    if upload is not None:
                        images[(g_index, s_index, i_index)] = upload
        if self.errors:
            raise ImportRefused(self.errors)
        return _Checked(platforms, guides, images)

    def _translated(self, item: dict, name: str, where: str, required: bool = False) -> None:
        values = item.get(name)
        if values is None and not required:
            return
        if not isinstance(values, dict) or not all(isinstance(value, str) for value in values.values()):
            self.errors.append(
                _("%(where)s: “%(field)s” must give a text per language.") % {"where": where, "field": name}
            )
            return
        if required and not values.get(SOURCE_LANGUAGE):
            self.errors.append(
                _("%(where)s: “%(field)s” is missing in %(language)s.")
                % {"where": where, "field": name, "language": dict(settings.LANGUAGES)[SOURCE_LANGUAGE]}
            )

    def _positions(self, items: list, where: str, kind: str) -> None:
        positions = [item.get("position") for item in items if isinstance(item, dict)]
        if sorted(positions) != list(range(1, len(items) + 1)):
            self.errors.append(
                _("%(where)s: the %(kind)s positions must be 1 to %(count)d, each once.")
                % {"where": where, "kind": kind, "count": len(items)}
            )

    def _image(self, shot: dict, where: str) -> SimpleUploadedFile | None:
        image = shot.get("image") or {}
        if shot.get("language") not in language_codes() or (shot.get("device") or "") not in ("", *Device.values):
            self.errors.append(_("%(where)s: unknown language or device.") % {"where": where})
            return None
        if not shot.get("alt"):
            self.errors.append(_("%(where)s: the description is missing.") % {"where": where})
        try:
            raw = base64.b64decode(image.get("data") or "", validate=True)
        except (binascii.Error, ValueError):
            self.errors.append(_("%(where)s: the image is not valid base64.") % {"where": where})
            return None
        upload = SimpleUploadedFile(str(image.get("name") or "screenshot.png")[-100:], raw)
        upload._committed = False
        try:
            screenshots.validate(upload)
        except ValidationError as error:
            self.errors.append(f"{where}: {' '.join(error.messages)}")
            return None
        return upload


def _plan(checked: _Checked) -> Plan:
    plan = Plan()
    existing = set(
        Guide.objects.values_list(
            build_localized_fieldname("platform__slug", SOURCE_LANGUAGE),
            build_localized_fieldname("slug", SOURCE_LANGUAGE),
        )
    )
    platforms = set(Platform.objects.values_list(build_localized_fieldname("slug", SOURCE_LANGUAGE), flat=True))
    for platform in checked.platforms:
        if platform["slug"][SOURCE_LANGUAGE] not in platforms:
            plan.platforms_created.append(platform["slug"][SOURCE_LANGUAGE])
    for guide in checked.guides:
        key = (guide["platform"], guide["slug"][SOURCE_LANGUAGE])
        (plan.updated if key in existing else plan.created).append("/".join(key))
    return plan


def _set_translated(obj, name: str, values: dict | None) -> None:
    for code in language_codes():
        setattr(obj, build_localized_fieldname(name, code), (values or {}).get(code, ""))


def _write(checked: _Checked, keep_status: bool) -> None:
    source = build_localized_fieldname("slug", SOURCE_LANGUAGE)
    for data in checked.platforms:
        platform = Platform.objects.filter(**{source: data["slug"][SOURCE_LANGUAGE]}).first() or Platform()
        for name in ("slug", "name", "description"):
            _set_translated(platform, name, data.get(name))
        platform.website = data.get("website", "")
        platform.position = data.get("position", 0)
        platform.current_app_version = data.get("current_app_version", "")
        platform.save()
    written = {}
    for g_index, data in enumerate(checked.guides):
        platform = Platform.objects.get(**{source: data["platform"]})
        guide = Guide.objects.filter(platform=platform, **{source: data["slug"][SOURCE_LANGUAGE]}).first()
        guide = guide or Guide(platform=platform)
        for name in ("slug", "title", "summary", "conclusion"):
            _set_translated(guide, name, data.get(name))
        guide.status = data["status"] if keep_status else Guide.Status.DRAFT
        guide.estimated_minutes = data.get("estimated_minutes", 5)
        guide.last_verified_on = data.get("last_verified_on")
        guide.verified_app_version = data.get("verified_app_version", "")
        guide.save()
        _write_parts(guide, data, g_index, checked.images)
        written[(data["platform"], data["slug"][SOURCE_LANGUAGE])] = (guide, data)
    for guide, data in written.values():
        related = [
            Guide.objects.filter(
                **{build_localized_fieldname("platform__slug", SOURCE_LANGUAGE): key[0], source: key[1]}
            ).first()
            for key in data.get("related_guides") or []
        ]
        guide.related_guides.set([item for item in related if item is not None])


def _write_parts(guide: Guide, data: dict, g_index: int, images: dict) -> None:
    """Prerequisites and steps, position by position: a step kept at its place keeps its id, and
    with it its readers' progress and reports."""
    guide.prerequisites.all().delete()
    for item in sorted(data.get("prerequisites") or [], key=lambda item: item["position"]):
        prerequisite = Prerequisite(guide=guide, position=item["position"])
        _set_translated(prerequisite, "text", item["text"])
        prerequisite.save()
    steps = sorted(data.get("steps") or [], key=lambda step: step["position"])
    current = {step.position: step for step in guide.steps.all()}
    for gone in [step for position, step in current.items() if position > len(steps)]:
        gone.delete()
    for s_index, item in enumerate(data.get("steps") or []):
        step = current.get(item["position"]) or Step(guide=guide, position=item["position"])
        _set_translated(step, "title", item["title"])
        _set_translated(step, "body", item.get("body"))
        step.surface = item["surface"]
        step.save()
        step.variants.all().delete()
        for variant in item.get("variants") or []:
            made = StepVariant(step=step, device=variant["device"])
            _set_translated(made, "title", variant.get("title"))
            _set_translated(made, "body", variant["body"])
            made.save()
        step.screenshots.all().delete()
        for i_index, shot in enumerate(item.get("screenshots") or []):
            Screenshot.objects.create(
                step=step,
                device=shot.get("device") or "",
                language=shot["language"],
                alt=shot["alt"],
                image=images[(g_index, s_index, i_index)],
            )
