"""The editors' admin, a module per topic; importing them registers the models."""

from guides.admin import content, feedback, outbox, search  # noqa: F401
