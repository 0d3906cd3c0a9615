"""tema.report.charts: the inline SVG charts."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from test_report import THEME_IDS, THEMES


def test_the_time_axis_is_proportional_to_time():
    from tema.numbers import Style
    from tema.report.charts import line_chart
    from tema.report.look import Look

    rows = [
        (year, theme, share)
        for year, shares in (
            ("2018", (0.5, 0.3, 0.2)),
            ("2019", (0.4, 0.4, 0.2)),
            ("2024", (0.2, 0.5, 0.3)),
        )
        for theme, share in zip(THEME_IDS, shares, strict=True)
    ]
    over_time = pd.DataFrame(rows, columns=["key", "theme", "share"])
    svg = line_chart(over_time, Look.of(THEMES, "nb", Style("nb")))
    label_x = {
        year: float(re.search(rf'<text x="([\d.]+)"[^>]*>{year}</text>', svg).group(1))
        for year in ("2018", "2019", "2024")
    }
    # 2019 → 2024 is five times as far as 2018 → 2019.
    first, second = label_x["2019"] - label_x["2018"], label_x["2024"] - label_x["2019"]
    assert second == pytest.approx(5 * first, rel=0.01)
    # The years between have a grid line, and the jump over them is drawn dashed.
    assert svg.count('class="year"') == 7
    assert svg.count('stroke-dasharray="6 4"') == len(THEMES)


@pytest.mark.parametrize(
    ("share", "ci_low", "ci_high", "adjusted"),
    [
        (0.97, 0.95, 0.98, 1.0),  # the corrected share right of the interval: "97 %" after ◆
        (0.30, 0.25, 0.35, 0.36),  # just right of it
        (0.30, 0.25, 0.35, 0.20),  # inside it
        (0.01, 0.00, 0.02, 0.0),
    ],
)
def test_the_share_is_written_clear_of_the_corrected_share_diamond(
    share, ci_low, ci_high, adjusted
):
    from tema.numbers import Style
    from tema.report.charts import overall_chart
    from tema.report.look import Look

    overall = pd.DataFrame(
        [("education", share, ci_low, ci_high, adjusted)],
        columns=["theme", "share", "ci_low", "ci_high", "adjusted_share"],
    )
    svg = overall_chart(overall, Look.of(THEMES, "nb", Style("nb")))
    diamond_x = float(re.search(r'<path d="M([\d.]+),', svg).group(1))
    value = re.search(r'<text x="([\d.]+)" y="[\d.]+" font-size="12" fill="#333">', svg)
    # The diamond reaches 6 px either side of its point; the label starts after it.
    assert float(value.group(1)) >= diamond_x + 8
