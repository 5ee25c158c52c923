from django import template

from guides import change_messages

register = template.Library()


@register.filter
def readable_change(comment: str) -> str:
    """A revision's comment in the reader's language (``guides.change_messages``)."""
    return change_messages.readable(comment or "")
