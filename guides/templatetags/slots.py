"""``{% slot "name" %}...{% endslot %}``: a part of a page that differs between readers.

Rendered normally, a slot is its content. Rendered as a skeleton (``skeleton`` true in the
context), it is a marker in its place, where ``guides.guide_page`` puts each reader's own part:
the rest of the page is then shared by every reader and cached once.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

MARKER = "<!--slot:{}-->"


class SlotNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        if context.get("skeleton"):
            return mark_safe(MARKER.format(self.name))  # noqa: S308 - a fixed comment, no input in it
        return self.nodelist.render(context)


@register.tag
def slot(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('Usage: {% slot "name" %}...{% endslot %}')
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(bits[1][1:-1], nodelist)
