"""Screenshots as readers get them: checked on upload, stripped of what a photo can tell (place,
camera, time), and kept in a few widths, each in WebP and in the format it came in, so that a
phone loads a copy of its own width and a browser the smallest format it reads.

An upload is refused with a message saying why unless it is a PNG, JPEG or WebP image within
``GUIDES_SCREENSHOT_MAX_BYTES`` and ``GUIDES_SCREENSHOT_MAX_PIXELS``: its size in pixels is read
from its header, before anything is decoded, so that a small file claiming a huge picture costs
nothing. What is stored is the image re-encoded from its pixels alone: EXIF (GPS included), XMP,
text chunks and colour profiles are not copied. A photo's orientation is applied first.

Files are named by their content and outlive the screenshot that showed them, so that a version
restored from history finds its image again.
"""

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from guides.models import Screenshot

# Widest copy kept: a screenshot is read on a phone or in a 40rem column, never larger.
MAX_WIDTH = 1600
# Widths of the smaller copies: phones at 1x, 2x and 3x; none wider than the image itself.
WIDTHS = (360, 720, 1080)
# Formats taken, and the one each is stored in (its own, re-encoded).
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MODERN = "webp"
SIZES = "(min-width: 44rem) 40rem, calc(100vw - 2rem)"


def validate(upload) -> None:
    """Refuse what is not a PNG, JPEG or WebP image of a sensible size, with a reason."""
    if getattr(upload, "_committed", True):
        return  # the stored file: checked when it was uploaded
    if upload.size > settings.GUIDES_SCREENSHOT_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; a screenshot may be %(limit)s at most."),
            code="too_big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.GUIDES_SCREENSHOT_MAX_BYTES),
            },
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not an image: upload a PNG, JPEG or WebP screenshot."), code="not_an_image"
        ) from error
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            _("%(kind)s images are not taken: upload a PNG, JPEG or WebP screenshot."),
            code="format",
            params={"kind": kind},
        )
    if width * height > settings.GUIDES_SCREENSHOT_MAX_PIXELS:
        raise ValidationError(
            _("This image is %(width)d by %(height)d pixels; a screenshot may have %(limit)s million pixels at most."),
            code="too_many_pixels",
            params={"width": width, "height": height, "limit": settings.GUIDES_SCREENSHOT_MAX_PIXELS // 1_000_000},
        )


def prepare(screenshot: "Screenshot") -> None:
    """Replace a new upload by its re-encoded pixels, at ``MAX_WIDTH`` at most, and store its
    smaller copies next to it. Names come from the content: the same image is stored once."""
    upload = screenshot.image
    upload.seek(0)
    with Image.open(upload) as original:
        kind = FORMATS[original.format]
        image = _pixels(original)
    if image.width > MAX_WIDTH:
        image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.Resampling.LANCZOS)
    main = _encoded(image, kind)
    # Named by content: the same image uploaded twice is one file, its copies made once.
    name = f"{hashlib.sha256(main).hexdigest()[:32]}.{kind}"
    stored = screenshot.image.field.generate_filename(screenshot, name)
    if default_storage.exists(stored):
        screenshot.image = stored
    else:
        screenshot.image.save(name, ContentFile(main), save=False)
    screenshot.width, screenshot.height = image.size
    stem = screenshot.image.name.rsplit(".", 1)[0]
    renditions = []
    for width in [*(width for width in WIDTHS if width < image.width), image.width]:
        copy = image if width == image.width else image.resize((width, round(image.height * width / image.width)))
        for extension in dict.fromkeys([MODERN, kind]):
            if width == image.width and extension == kind:
                continue  # the main file
            name = f"{stem}-{width}w.{extension}"
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(_encoded(copy, extension)))
        renditions.append(width)
    screenshot.renditions = renditions


def _pixels(image: Image.Image) -> Image.Image:
    """The image's pixels alone, turned the way the camera says it was held."""
    image = ImageOps.exif_transpose(image)
    transparent = image.mode in ("RGBA", "LA") or "transparency" in image.info
    converted = image.convert("RGBA" if transparent else "RGB")
    # Built from raw pixels: nothing of the file's metadata can follow the image into its copies.
    return Image.frombytes(converted.mode, converted.size, converted.tobytes())


def _encoded(image: Image.Image, extension: str) -> bytes:
    out = io.BytesIO()
    if extension == "jpg":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif extension == "webp":
        image.save(out, "WEBP", quality=80, method=4)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class Sources:
    """What an ``<img>`` and its ``<picture>`` need."""

    url: str
    width: int
    height: int
    srcset: str  # in the stored format
    modern_srcset: str  # WebP
    sizes: str = SIZES


def sources(screenshot: "Screenshot") -> Sources:
    name = screenshot.image.name
    stem, kind = name.rsplit(".", 1)
    url = default_storage.url(name)

    def srcset(extension: str) -> str:
        def copy(width: int) -> str:
            if width == screenshot.width and extension == kind:
                return url
            return default_storage.url(f"{stem}-{width}w.{extension}")

        return ", ".join(f"{copy(width)} {width}w" for width in screenshot.renditions)

    return Sources(
        url=url,
        width=screenshot.width,
        height=screenshot.height,
        srcset=srcset(kind) if screenshot.renditions else "",
        modern_srcset=srcset(MODERN) if screenshot.renditions and kind != MODERN else "",
    )
