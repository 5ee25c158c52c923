"""Which device's steps a reader sees, and what each step shows for each device.

Every guide page holds all of a step's texts and screenshots: its common ones and one block per
device. Which ones show is decided by the page's ``data-device`` (``guides/site.css``), so that a
step's HTML is the same for every reader and its cached part serves all of them:

- in the browser, ``guides/device.js`` sets it before the page is drawn, from the reader's
  last choice (kept in the browser for every guide), else from a guess made from the browser;
- in the address, ``?device=ios`` sets it on the server: a reader without JavaScript chooses
  with links, and gets a page cached once per address and device, the same for all who chose it.
  The choice then follows their forms, which come back to the address they were sent from.

Without a choice, a step shows its common text followed by each device's text, labelled.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest
from django.utils.translation import get_language

from guides.models import SOURCE_LANGUAGE, Device, Screenshot, Step, StepVariant

PARAMETER = "device"


def chosen(request: HttpRequest) -> str:
    """The device named by the address, or "" for none (or for anything else)."""
    value = request.GET.get(PARAMETER, "")
    return value if value in Device.values else ""


def chosen_before(request: HttpRequest) -> str:
    """The device of the page a form was sent from (its ``Referer``), for the answer to lead
    back to it; "" when it named none, or came from elsewhere."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return ""
    value = parse_qs(referer.query).get(PARAMETER, [""])[0]
    return value if value in Device.values else ""


def address(url: str, device: str, anchor: str = "") -> str:
    """``url`` for this device, at ``anchor``."""
    query = f"?{PARAMETER}={device}" if device else ""
    return f"{url}{query}{f'#{anchor}' if anchor else ''}"


@dataclass(frozen=True)
class DeviceBlock:
    """What one device shows of a step in place of its common text or screenshot."""

    device: str
    label: str
    variant: StepVariant | None
    screenshot: "Shown | None"


@dataclass(frozen=True)
class Shown:
    """A screenshot as the page shows it: in the page's language, or in another with a note."""

    screenshot: Screenshot
    other_language: str  # "" when in the page's language

    @property
    def sources(self):
        return self.screenshot.sources


def dress(step: Step) -> None:
    """Give a step (with ``variants`` and ``screenshots`` prefetched) what its template shows:
    ``common_screenshot`` and ``device_blocks``, and the devices it has text, titles and
    screenshots of (``devices_with``), which the page's styles read."""
    language = get_language()
    variants = {variant.device: variant for variant in step.variants.all()}
    screenshots = list(step.screenshots.all())
    step.common_screenshot = _in_language(screenshots, "", language)
    blocks = []
    for device, label in Device.choices:
        variant, screenshot = variants.get(device), _in_language(screenshots, device, language)
        if variant or screenshot:
            blocks.append(DeviceBlock(device, str(label), variant, screenshot))
    step.device_blocks = blocks
    step.devices_with = {
        "texts": " ".join(block.device for block in blocks if block.variant),
        "titles": " ".join(block.device for block in blocks if block.variant and block.variant.title),
        "screenshots": " ".join(block.device for block in blocks if block.screenshot),
    }


def offered(steps: list[Step]) -> list[tuple[str, str]]:
    """The devices a guide's dressed steps differ on, as (value, label), in the usual order."""
    present = {block.device for step in steps for block in step.device_blocks}
    return [(device, str(label)) for device, label in Device.choices if device in present]


def _in_language(screenshots: list[Screenshot], device: str, language: str) -> Shown | None:
    """The screenshot of ``device`` in ``language``, else in the source language, else in any."""
    mine = [screenshot for screenshot in screenshots if screenshot.device == device]
    for wanted in (language, SOURCE_LANGUAGE):
        found = next((screenshot for screenshot in mine if screenshot.language == wanted), None)
        if found is not None:
            return Shown(found, "" if wanted == language else wanted)
    return Shown(mine[0], mine[0].language) if mine else None
