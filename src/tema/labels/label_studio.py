"""Out of tema for Label Studio: the import tasks and the labelling interface (`tema suggest`).

What Label Studio exports back is read by `tema.labels.formats`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from tema.config import Theme
from tema.io.files import atomic_write


def write_label_studio_tasks(tasks: list[dict[str, Any]], path: str | Path) -> None:
    with atomic_write(path) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def label_studio_config(themes: Sequence[Theme]) -> str:
    """A Label Studio labelling interface whose results `tema labels import` reads: the
    themes by their Norwegian names (the English name as the hint), quoted for XML: a
    name may hold "&" or quotes ("Arbeid & inkludering")."""

    def choices(name: str, required: bool) -> str:
        lines = [
            f'  <Choices name="{name}" toName="text" choice="single" '
            f'showInLine="false" required="{str(required).lower()}">'
        ]
        lines += [
            f"    <Choice value={quoteattr(theme.nb)} hint={quoteattr(theme.en)}/>"
            for theme in themes
        ]
        lines.append("  </Choices>")
        return "\n".join(lines)

    return "\n".join(
        [
            "<View>",
            # The heading or survey question the unit stands under (empty: none).
            '  <Header value="$section" size="6"/>',
            '  <Text name="text" value="$text"/>',
            '  <Header value="Tema (label)"/>',
            choices("theme", True),
            '  <Header value="Andre tema (second_label, valgfritt)"/>',
            choices("second_theme", False),
            "</View>",
            "",
        ]
    )
