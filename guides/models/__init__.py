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
    GuideConfirmation,
    GuideConfirmationQuerySet,
    GuideVote,
    ReportDigest,
    StepCompletion,
    StepCompletionQuerySet,
    StepReport,
    StepReportQuerySet,
)
from guides.models.outbox import OutboxMessage, OutboxMessageQuerySet
from guides.models.proposals import Proposal, ProposalQuerySet
from guides.models.search import MissedSearch, SearchDocument, SearchWord
from guides.models.variants import Device, Screenshot, StepVariant

__all__ = [
    "READER_LANGUAGES",
    "SOURCE_LANGUAGE",
    "Address",
    "ContentVersion",
    "Device",
    "Guide",
    "GuideConfirmation",
    "GuideConfirmationQuerySet",
    "GuideQuerySet",
    "GuideVote",
    "MissedSearch",
    "Ordered",
    "OutboxMessage",
    "OutboxMessageQuerySet",
    "Platform",
    "Prerequisite",
    "Proposal",
    "ProposalQuerySet",
    "RateLimitCounter",
    "ReportDigest",
    "Screenshot",
    "SearchDocument",
    "SearchWord",
    "Step",
    "StepCompletion",
    "StepCompletionQuerySet",
    "StepQuerySet",
    "StepReport",
    "StepReportQuerySet",
    "StepVariant",
    "TracksTranslations",
    "TranslatedContent",
]
