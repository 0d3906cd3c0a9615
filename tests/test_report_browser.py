"""report.html in a real headless browser: it renders offline, charts and tables visible.

Needs Debian's chromium (`apt-get install -y chromium`); skipped with a reason without it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tema.report.html import render_html
from tema.report.look import theme_colours
from tema.report.stage import build_report
from test_report import CARD, THEME_IDS, THEMES, batch

CHROMIUM = next(
    (path for path in ("/usr/bin/chromium", shutil.which("chromium") or "",
                       shutil.which("chromium-browser") or "") if path and Path(path).exists()),
    None,
)  # fmt: skip
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)"
)


def screenshot(page: Path, out: Path, profile: Path, height: int = 2400) -> Path:
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
            f"--window-size=1200,{height}", f"--screenshot={out}", page.as_uri(),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out


def test_report_html_renders_charts_and_tables_in_chromium(tmp_path: Path):
    from PIL import Image

    classified, documents = batch(tmp_path)
    summary = build_report(
        classified, documents, tmp_path / "out", THEME_IDS, ["sentence", "bullet", "answer"]
    )
    page = tmp_path / "out" / "report.html"
    page.write_text(render_html(summary, THEMES, CARD, "nb"), encoding="utf-8")
    shot = screenshot(page, tmp_path / "report.png", tmp_path / "profile")
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2400)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    # Every theme's bar colour is drawn (the charts rendered), and table borders are there.
    for theme, hex_colour in theme_colours(THEMES).items():
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, f"no {theme} bar ({hex_colour}) in the screenshot"
    assert (204, 204, 204) in colours  # table cell borders (#ccc)
    # Most of the page is not blank: text and charts cover a fair part of the top screen.
    top = image.crop((0, 0, 1200, 800)).convert("L")
    dark = sum(count for count, value in top.getcolors(256) if value < 200)
    assert dark > 10_000


def test_a_text_written_on_several_lines_keeps_its_lines(tmp_path: Path):
    """A survey answer typed as a list ("1. Mer norsk⏎2. Flere kurs") ran together on one
    line in the quotes and in the table of uncertain units."""
    import pandas as pd

    playwright = pytest.importorskip("playwright.sync_api")
    classified, documents = batch(tmp_path)
    frame = pd.read_csv(classified, dtype=str, keep_default_na=False)
    frame["text"] = frame["text"].replace(
        {"Takk": "1. Takk for møtet\n2. Mer tolk", "Om bolig.": "Om bolig:\nflere boliger."}
    )
    frame.to_csv(classified, index=False)
    summary = build_report(
        classified, documents, tmp_path / "out", THEME_IDS, ["sentence", "bullet", "answer"]
    )
    page_file = tmp_path / "out" / "report.html"
    page_file.write_text(render_html(summary, THEMES, CARD, "nb"), encoding="utf-8")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            shown = page.inner_text("body")
        finally:
            browser.close()
    assert "1. Takk for møtet\n2. Mer tolk" in shown  # the uncertain unit
    assert "Om bolig:\nflere boliger." in shown  # a quote
