"""The app's models, a module per topic: content (platforms, guides, steps) and the addresses
their pages had, what readers leave (progress, reports, votes), what search reads, the e-mail
outbox, and counters."""

from guides.models.addresses import Address
from guides.models.content import (
    READER_LANGUAGES,
    SOURCE_LANGUAGE,
    Guide,
    GuideQuerySet,
    Ordered,
    Platform,
    Prerequisite,
    Step,
    StepQuerySet,
    TracksTranslations,
    TranslatedContent,
)
from guides.models.counters import ContentVersion, RateLimitCounter
from guides.models.feedback import (
    GuideVote,
    ReportDigest,
    StepCompletion,
    StepCompletionQuerySet,
    StepReport,
    StepReportQuerySet,
)
from guides.models.outbox import OutboxMessage, OutboxMessageQuerySet
from guides.models.search import MissedSearch, SearchDocument, SearchWord

__all__ = [
    "READER_LANGUAGES",
    "SOURCE_LANGUAGE",
    "Address",
    "ContentVersion",
    "Guide",
    "GuideQuerySet",
    "GuideVote",
    "MissedSearch",
    "Ordered",
    "OutboxMessage",
    "OutboxMessageQuerySet",
    "Platform",
    "Prerequisite",
    "RateLimitCounter",
    "ReportDigest",
    "SearchDocument",
    "SearchWord",
    "Step",
    "StepCompletion",
    "StepCompletionQuerySet",
    "StepQuerySet",
    "StepReport",
    "StepReportQuerySet",
    "TracksTranslations",
    "TranslatedContent",
]
