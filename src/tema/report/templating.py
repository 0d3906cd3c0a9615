"""The one Jinja2 environment that writes tema's HTML and SVG (templates in ``templates/``).

Every ``{{ value }}`` is escaped (autoescape), so a meeting name or a unit's text that
holds ``<script>`` or ``&`` is shown as text, whoever writes the template. Markup comes
from the template files only: no template marks a value ``|safe``, and no code wraps a
string in ``Markup``. The charts and the tables are macros; what a macro returns is
escaped markup already, so a page inserts it as it is. A name that a template uses but
the code does not pass is an error (``StrictUndefined``), not an empty string.

Whitespace: in a page, a line holding only a ``{% … %}`` tag leaves nothing behind
(``trim_blocks``, ``lstrip_blocks``). The templates in ``inline/`` (charts, tables) are
fragments that the page puts on one line; they are written one element per line for
reading, and `_OneLine` drops their line breaks and indentation when they are loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import cast

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

INLINE = "inline/"


class _OneLine(Extension):
    """Templates under inline/ lose their line breaks and the indentation of each line."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None or not name.startswith(INLINE):
            return source
        return "".join(line.strip() for line in source.splitlines())


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("tema.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=[_OneLine],
    )


def render(template: str, **values: object) -> str:
    """A whole page."""
    return environment().get_template(template).render(**values)


def macro(template: str, name: str) -> Callable[..., Markup]:
    """A macro of a template, callable from Python; it returns escaped markup."""
    return cast(Callable[..., Markup], getattr(environment().get_template(template).module, name))
