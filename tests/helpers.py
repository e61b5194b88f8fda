import html


def text(response) -> str:
    """The response body as a reader sees it: decoded, with HTML entities (apostrophes…) unescaped."""
    return html.unescape(response.content.decode())
