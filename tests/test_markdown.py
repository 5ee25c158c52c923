"""Step bodies: the Markdown subset editors may use, and nothing dangerous on the page."""

import pytest

from guides.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold** and *italics*", "<p><strong>bold</strong> and <em>italics</em></p>"),
        ("Tap `Settings`", "<p>Tap <code>Settings</code></p>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        (
            "[site](https://example.com)",
            '<p><a href="https://example.com" rel="noopener noreferrer">site</a></p>',
        ),
    ],
)
def test_it_renders_the_subset(source, expected):
    assert render_markdown(source).strip() == expected


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "<img"),
        ('<a href="https://x.test" onclick="alert(1)">x</a>', "<a"),
        ("[x](javascript:alert(1))", 'href="javascript:'),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
        ("[x](ftp://example.com/file)", 'href="ftp'),
        ("# Heading", "<h1"),
        ("![pic](https://example.com/a.png)", "<img"),
    ],
)
def test_it_never_lets_markup_or_unsafe_links_through(source, forbidden):
    assert forbidden not in render_markdown(source)


def test_a_script_typed_into_a_body_never_reaches_the_page(client, guide):
    step = guide.steps.get(position=1)
    step.body_fr = 'Avant <script>alert("fr")</script> après <img src=x onerror=alert(2)>'
    step.body_en = "[click](javascript:alert(3))"
    step.save()
    french = client.get("/fr/demo/guide/").content.decode()
    assert "<script>alert" not in french
    assert "<img" not in french
    assert "&lt;script&gt;alert" in french  # shown as the text the editor typed, inert
    english = client.get("/en/demo/guide/").content.decode()
    assert 'href="javascript:' not in english
