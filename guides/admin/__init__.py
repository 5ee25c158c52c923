"""The editors' admin, a module per topic; importing them registers the models."""

from guides.admin import content, feedback, outbox, proposals, search  # noqa: F401
