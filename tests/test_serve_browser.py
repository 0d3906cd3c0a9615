"""`tema serve` end to end in a real browser (Playwright driving Debian's chromium).

The test starts `tema serve` on a free port in a scratch project (the tiny labelled set,
the fast TF-IDF path), puts in a small batch by upload, reads the report, labels five
units with the keyboard, retrains and reads the verdict; another checks, in a project
whose uploads are at most 1 MB, the names of uploaded files and the pages that refuse
(too large, a wrong folder, another host name) in both languages. Screenshots of the
report and review pages, and of those refusals, go to test-artifacts/serve/ (gitignored);
with TEMA_DOCS_SCREENSHOTS=1 the review page's is also written to docs/serve-review.png for
the README.

Needs chromium at /usr/bin/chromium (.ci/run installs it) and the playwright package;
never `playwright install` (no browser can be downloaded here).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import MEETING_MANIFEST, MEETING_REPORTS, SURVEY
from serve_helpers import REPO, fake_done_batch, make_project, start_serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "serve"
BROWSER_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
JOB_TIMEOUT_MS = 300_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="chromium not installed (apt-get install -y chromium)"
    ),
]


@pytest.fixture
def server(tmp_path: Path):
    """`tema serve --port 0` in a scratch project; yields (base URL, project folder)."""
    yield from _serve(make_project(tmp_path / "project", tmp_path / "lexicon"))


# A word of 120 letters, as a pasted link or a run of text without spaces would be.
LONG_WORD = "Kommunebolig" * 10


@pytest.fixture
def server_with_a_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`tema serve` in a scratch project holding one processed batch (written directly, as
    its job leaves it: no pipeline run) whose units each end in LONG_WORD; yields (base
    URL, batch id)."""
    from tema.serve.state import AppState, ServeSettings

    project = make_project(tmp_path / "project", tmp_path / "lexicon")
    monkeypatch.chdir(project)
    app_state = AppState.create(ServeSettings())
    batch = fake_done_batch(app_state, 60, name="Innspill Bodø")
    files = app_state.batches.files_of(batch)
    for table in (files.report_dir / "units.csv", files.units):
        frame = pd.read_csv(table, keep_default_na=False, dtype=str)
        frame["text"] = frame["text"] + " " + LONG_WORD
        frame.to_csv(table, index=False)
    for url, _ in _serve(project):
        yield url, batch.id


@pytest.fixture
def server_of_1_mb(tmp_path: Path):
    """`tema serve` in a scratch project whose uploads are at most 1 MB."""
    project = make_project(tmp_path / "project", tmp_path / "lexicon")
    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    params["serve"]["max_upload_mb"] = 1
    (project / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
    yield from _serve(project)


def _serve(project: Path, *options: str):
    process, url = start_serve(project, options=options)
    assert process.stdout is not None
    said_first = process.stdout.readline()
    # Says whether it binds 127.0.0.1 only (the default) or the network too.
    assert ("ADVARSEL" if "--host" in options else "Bare denne maskinen") in said_first
    said: list[str] = []  # the rest of what it prints, read so that the pipe never fills
    reader = threading.Thread(target=lambda: said.extend(process.stdout), daemon=True)
    reader.start()
    try:
        yield url, project
    finally:
        wait_for_jobs(project)  # the refreshes a promotion queues: no worker outlives the test
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=5)
        process.stdout.close()


def wait_for_jobs(project: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = [
            json.loads(path.read_text(encoding="utf-8"))["state"]
            for path in (project / "data" / "serve" / "jobs").glob("*.json")
        ]
        if not {"queued", "running"} & set(states):
            return
        time.sleep(0.5)


def batch_files(folder: Path) -> list[Path]:
    folder.mkdir()
    for name, text in MEETING_REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sporreskjema-2019.csv").write_bytes(SURVEY.encode("cp1252"))
    (folder / "manifest.csv").write_text(MEETING_MANIFEST, encoding="utf-8")
    (folder / "skannet.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")  # a PDF ingest cannot read
    return sorted(folder.iterdir())


SAME_NAME = 'Referat "Tromsø".txt'


def same_name_files(folder: Path) -> list[Path]:
    """Two files of one name (with `"`, which the app does not store) in two folders."""
    texts = [
        "Vi trenger flere kommunale boliger i Tromsø, og husleien må ned.",
        "Norskkurs på kveldstid gjør det lettere å kombinere jobb og språkopplæring.",
    ]
    paths = []
    for number, text in enumerate(texts, start=1):
        (folder / str(number)).mkdir(parents=True)
        path = folder / str(number) / SAME_NAME
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def downloads_name_files_as_sent(page, url: str) -> None:
    """The report's downloads name each file as it was sent, two of one name each with
    the name it is stored under (as the form shows it), and nothing of the app's folders."""
    import io

    batch = re.search(r"/batches/([^/]+)/", page.url)
    assert batch is not None
    base = f"{url}batches/{batch.group(1)}/download/"
    first, second = (f"{SAME_NAME} (lagret som Referat _Tromsø_{n}.txt)" for n in ("", "-2"))
    counts = pd.read_csv(
        io.StringIO(page.request.get(base + "theme_counts.csv").text(), newline=""),
        keep_default_na=False,
    )
    documents = set(counts.loc[counts["level"] == "document", "key"])
    assert {first, second} <= documents and "innspillmote-bodo-2018.txt" in documents
    workbook = io.BytesIO(page.request.get(base + "report.xlsx").body())
    sheet = pd.read_excel(workbook, sheet_name="Dokumenter", dtype=str)
    assert {first, second} <= set(sheet.iloc[:, 0])
    report = page.request.get(base + "report.html").text()
    assert "skannet.pdf: filen er ikke en lesbar PDF" in report and "data/serve" not in report


def shown_unit(page) -> str:
    return (
        str(page.get_attribute("#unit-text", "data-doc"))
        + "#"
        + str(page.get_attribute("#unit-text", "data-unit"))
    )


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_batch_report_label_and_retrain_in_a_browser(server, tmp_path: Path):
    playwright = pytest.importorskip("playwright.sync_api")
    url, project = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        assert page.title().startswith("Innspill")

        # 1. A batch by upload; meeting, region and date come from its manifest. Two more
        # files sent under one name (from two folders), which the manifest does not list.
        sent = batch_files(tmp_path / "in") + same_name_files(tmp_path / "more")
        page.set_input_files("#upload-form input[name=files]", sent)
        page.fill("#upload-form input[name=name]", "Innspillmøter 2018–2019")
        with page.expect_navigation():
            page.click("#upload-form button[type=submit]")
        assert page.input_value("input[name=region_0]") in {"Oslo", "Nord-Norge", "Vestlandet"}
        with page.expect_navigation():
            page.click("#files-form button[type=submit]")
        page.wait_for_selector(".state-done", timeout=JOB_TIMEOUT_MS)  # the page reloads itself
        rejected = page.inner_text("section.rejected")
        # The CLI's reason, in Norwegian, without the app's own folders.
        assert "skannet.pdf\tfilen er ikke en lesbar PDF" in rejected
        assert "data/serve" not in rejected

        # 2. The report, with drill-down.
        page.click("a.button[href$='/report']")
        page.wait_for_selector("#overall")
        assert "Bolig" in page.inner_text("#overall")
        # Above the numbers: the file left out of them, as report.html lists it.
        left_out = page.inner_text("#left-out")
        assert "skannet.pdf: filen er ikke en lesbar PDF" in left_out
        assert "data/serve" not in left_out
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        with page.expect_navigation():
            page.click("#overall a:has-text('Bolig')")
        assert page.locator("table.units tr").count() >= 2  # a header and the housing units
        assert page.inner_text("h1") == "Bolig — Alle"
        downloads_name_files_as_sent(page, url)

        # 3. Label five units with the keyboard (one with a second theme), skip, undo.
        page.goto(url)
        page.click("a[href$='/review']")
        page.fill("#name-form input[name=annotator]", "kari.n")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        labelled = []
        for number, key in enumerate(["4", "1", "2", "3", "5"]):
            before = shown_unit(page)
            if number == 1:
                page.keyboard.press("Shift+Digit2")  # a second theme: employers
                assert page.is_checked("input[name=second_label][value=employers]")
            press_and_wait(page, key)
            assert page.inner_text("#note") == "Lagret."
            labelled.append(before)
            assert shown_unit(page) != before
        skipped = shown_unit(page)
        press_and_wait(page, "s")
        assert shown_unit(page) != skipped
        press_and_wait(page, "u")  # undo the skip: the skipped unit is back
        assert shown_unit(page) == skipped and page.inner_text("#note").startswith("Angret")
        page.reload()  # the same unit, without saying "Angret" a second time
        assert shown_unit(page) == skipped and page.locator("#note").count() == 0
        counts = page.inner_text("#counts")
        assert re.search(r"Bolig\s+1\s+1", counts)
        page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
        if os.environ.get("TEMA_DOCS_SCREENSHOTS"):
            shutil.copy(ARTIFACTS / "review.png", REPO / "docs" / "serve-review.png")
            shutil.copy(ARTIFACTS / "report.png", REPO / "docs" / "serve-report.png")

        # 4. Retrain: the verdict, the comparison and the score on the user's own units.
        page.goto(url + "retrain")
        with page.expect_navigation():
            page.click("#retrain-form button")
        page.wait_for_selector("#verdict", timeout=JOB_TIMEOUT_MS)
        verdict = page.inner_text("#verdict")
        assert re.search(r"Tatt i bruk|Ikke tatt i bruk", verdict)
        # The command line's text is there, folded away for the person who runs tema.
        assert page.is_hidden("#verdict-text")
        assert "makro-F1" in (page.text_content("#verdict-text") or "")
        assert "5 innspill merket av brukerne" in page.inner_text("#own-score")
        page.screenshot(path=str(ARTIFACTS / "retrain.png"), full_page=True)

        # 5. The labels page: plain words; the paths and commands folded away until opened.
        page.goto(url + "labels")
        assert "data/labeled" not in page.inner_text("main") and page.is_hidden("#ops p")
        page.screenshot(path=str(ARTIFACTS / "labels.png"), full_page=True)
        page.click("#ops summary")
        assert "tema labels import" in page.inner_text("#ops")
        assert "-kari.n-" in page.inner_text("#ops")  # the file the import wrote
        page.screenshot(path=str(ARTIFACTS / "labels-ops.png"), full_page=True)
        browser.close()

    imported = list((project / "data" / "labeled").glob("import-*-kari.n-*.csv"))
    assert len(imported) == 1
    rows = pd.read_csv(imported[0], keep_default_na=False)
    assert len(rows) == 5 and set(rows["annotator"]) == {"kari.n"}
    assert (rows["second_label"] == "employers").sum() == 1
    assert (project / "models" / "theme_classifier.card.json").is_file()
    assert (project / "metrics" / "promotion.json").is_file()


def page_is_no_wider_than_the_window(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def overlapping(boxes: list[dict]) -> list[tuple[int, int]]:
    """The pairs of boxes (x, y, width, height) that overlap."""
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]
    ]  # fmt: skip


def test_review_and_report_fit_a_phone_and_200_percent_zoom(server_with_a_batch):
    """At 375 px (a phone) and 640 px (a laptop at 200 % zoom) nothing scrolls sideways,
    a 120-letter word included, nor does the front page with its forms; the theme buttons
    are a readable grid, the side bar is below the unit."""
    playwright = pytest.importorskip("playwright.sync_api")
    url, batch = server_with_a_batch
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}batches/{batch}/review")
        page.fill("#name-form input[name=annotator]", "kari.n")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert LONG_WORD in page.inner_text("#unit-text")
        page.screenshot(path=str(ARTIFACTS / "review-1280.png"), full_page=True)
        for width in (375, 640):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{url}batches/{batch}/review")
            assert page_is_no_wider_than_the_window(page), width
            buttons = [b.bounding_box() for b in page.locator("button.theme").all()]
            assert len(buttons) == 6 and not overlapping(buttons), width
            # Each label fits its button (none spills out of it).
            spilled = page.eval_on_selector_all(
                "button.theme", "bs => bs.filter(b => b.scrollWidth > b.clientWidth).length"
            )
            assert spilled == 0, width
            unit, side = (
                page.locator("#unit-text").bounding_box(),
                page.locator("aside").bounding_box(),
            )
            assert side["y"] > unit["y"] + unit["height"], width  # below, not beside
            page.screenshot(path=str(ARTIFACTS / f"review-{width}.png"), full_page=True)
            for path in ("report", "units?level=all"):
                page.goto(f"{url}batches/{batch}/{path}")
                assert page_is_no_wider_than_the_window(page), (width, path)
            # The list and the forms that put in a batch (the folder's path field).
            for address in (url, f"{url}batches/{batch}"):
                page.goto(address)
                assert page_is_no_wider_than_the_window(page), (width, address)
        browser.close()


def test_names_as_the_user_wrote_them_and_refusals_in_both_languages(server_of_1_mb, tmp_path):
    """Chromium sends `"` in a file name as %22: the form shows the name as it was (and a
    name that really holds "%22" with `"`: the same bytes came). An
    upload over the limit names the file; the language switch on a refused form says the
    same in English; another host name gets the app's page, not the framework's."""
    playwright = pytest.importorskip("playwright.sync_api")
    url, _ = server_of_1_mb
    folder = tmp_path / "filer"
    folder.mkdir()
    quoted = folder / 'Møte "Nord" #2.txt'
    quoted.write_text("Vi trenger flere kommunale boliger.", encoding="utf-8")
    # A name that really holds "%22": sent as the name with `"` is (WHATWG HTML).
    literal = folder / "Svar 100%22.txt"
    literal.write_text("Flere lærlingplasser i kommunen.", encoding="utf-8")
    scanned = folder / 'Skannet "høring".pdf'
    scanned.write_bytes(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    port = url.rstrip("/").rsplit(":", 1)[1]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        args = [*BROWSER_ARGS, "--host-resolver-rules=MAP tema.test 127.0.0.1"]
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        page.goto(url)
        page.set_input_files("#upload-form input[name=files]", [quoted, literal])
        with page.expect_navigation():
            page.click("#upload-form button[type=submit]")
        assert page.inner_text("table.list td >> nth=0") == (
            'Møte "Nord" #2.txt\nlagret som Møte _Nord_ _2.txt'
        )
        cells = page.locator("table.list td").all_inner_texts()
        assert 'Svar 100".txt\nlagret som Svar 100_.txt' in cells  # the limit: docs/serve.md
        assert page.input_value("input[name=meeting_0]") == 'Møte "Nord" #2'
        page.screenshot(path=str(ARTIFACTS / "serve-upload-names.png"), full_page=True)

        page.goto(url)
        page.set_input_files("#upload-form input[name=files]", [quoted, scanned])
        with page.expect_navigation():
            page.click("#upload-form button[type=submit]")
        assert page.inner_text("h1") == "Filene er for store"
        assert page.inner_text("#message").startswith(
            '«Skannet "høring".pdf» er større enn grensen på 1 MB'
        )
        assert 'Skannet "høring".pdf\t2,0\xa0MB\tfor stor alene' in page.inner_text("#files")
        page.screenshot(path=str(ARTIFACTS / "serve-too-large.png"), full_page=True)
        with page.expect_navigation():
            page.click("header button.link")
        assert page.inner_text("#message").startswith('“Skannet "høring".pdf” is larger')
        page.screenshot(path=str(ARTIFACTS / "serve-too-large-en.png"), full_page=True)

        page.goto(url)  # in English now
        page.fill("#folder-form input[name=folder]", "/finnes/ikke")
        with page.expect_navigation():
            page.click("#folder-form button[type=submit]")
        assert page.inner_text("#message") == "Folder /finnes/ikke not found."
        with page.expect_navigation():
            page.click("header button.link")
        assert page.inner_text("#message") == "Fant ikke mappen /finnes/ikke."
        page.screenshot(path=str(ARTIFACTS / "serve-refused-switched.png"), full_page=True)

        page.goto(f"http://tema.test:{port}/")
        assert page.inner_text("h1") == "Ukjent adresse"
        assert "Invalid host header" not in page.content()
        assert page.get_attribute("main a", "href") == url  # where the app is
        page.screenshot(path=str(ARTIFACTS / "serve-unknown-host.png"), full_page=True)
        browser.close()


def this_computers_address() -> str | None:
    """This computer's IPv4 address on its network (of the route out; nothing is sent)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_bound_to_every_address_a_name_of_the_computer_leads_to_the_app(tmp_path: Path):
    """`tema serve --host 0.0.0.0`, opened from the network by a name of the computer the
    app does not know (against DNS rebinding): its page links to the computer's address,
    which the browser reaches and where the app answers."""
    playwright = pytest.importorskip("playwright.sync_api")
    address = this_computers_address()
    if address is None:
        pytest.skip("this computer has no network address but loopback")
    project = make_project(tmp_path / "project", tmp_path / "lexicon")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with contextlib.contextmanager(_serve)(project, "--host", "0.0.0.0") as (url, _):
        port = url.rstrip("/").rsplit(":", 1)[1]
        assert url == f"http://127.0.0.1:{port}/"  # what it prints: this computer's browser
        with playwright.sync_playwright() as driver:
            args = [*BROWSER_ARGS, f"--host-resolver-rules=MAP kontor-pc.test {address}"]
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
            page = browser.new_page()
            page.goto(f"http://kontor-pc.test:{port}/")
            assert page.inner_text("h1") == "Ukjent adresse"
            assert page.get_attribute("main a", "href") == f"http://{address}:{port}/"
            page.screenshot(path=str(ARTIFACTS / "serve-unknown-host-network.png"))
            with page.expect_navigation():
                page.click("main a")
            assert page.title().startswith("Innspill")  # the app, at the computer's address
            browser.close()


def test_a_name_allowed_with_allow_host_opens_the_app(tmp_path: Path):
    """`tema serve --host 0.0.0.0 --allow-host kontor-pc.test`: a colleague who opens the
    app by that name of the computer gets the app itself, not the page about the address."""
    playwright = pytest.importorskip("playwright.sync_api")
    address = this_computers_address()
    if address is None:
        pytest.skip("this computer has no network address but loopback")
    project = make_project(tmp_path / "project", tmp_path / "lexicon")
    serving = contextlib.contextmanager(_serve)
    with serving(project, "--host", "0.0.0.0", "--allow-host", "kontor-pc.test") as (url, _):
        port = url.rstrip("/").rsplit(":", 1)[1]
        with playwright.sync_playwright() as driver:
            args = [*BROWSER_ARGS, f"--host-resolver-rules=MAP kontor-pc.test {address}"]
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
            page = browser.new_page()
            page.goto(f"http://kontor-pc.test:{port}/")
            assert page.title().startswith("Innspill")
            assert page.inner_text("h1") != "Ukjent adresse"
            browser.close()


LONG_MEETING = "Spørreundersøkelse Stavanger kommune 2025 – innbyggerpanel"


def test_files_form_long_meeting_and_back_after_a_refused_start(server, tmp_path: Path):
    """The meeting field shows a long meeting name whole on a desktop, and is as wide as
    a phone's screen (375 px: a block per file, nothing sideways). A start refused for a
    wrong date lands on the form (a GET): after the language switch, Back shows the form
    again rather than Chromium's "confirm form resubmission" (ERR_CACHE_MISS)."""
    playwright = pytest.importorskip("playwright.sync_api")
    url, _ = server
    folder = tmp_path / "filer"
    folder.mkdir()
    (folder / "stavanger.txt").write_text("Vi trenger flere kommunale boliger.", "utf-8")
    manifest = f"fil;møte;region;dato\nstavanger.txt;{LONG_MEETING};Rogaland;2025-02-30\n"
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        page.set_input_files("#upload-form input[name=files]", sorted(folder.iterdir()))
        with page.expect_navigation():
            page.click("#upload-form button[type=submit]")
        form = page.url
        meeting = page.locator("input[name=meeting_0]")
        assert meeting.evaluate("m => m.scrollWidth <= m.clientWidth")  # whole, not cut off
        page.screenshot(path=str(ARTIFACTS / "files-form-1280.png"), full_page=True)
        # A phone: the field is as wide as the screen (one line cannot hold it all there).
        page.set_viewport_size({"width": 375, "height": 800})
        assert meeting.bounding_box()["width"] > 300 and page_is_no_wider_than_the_window(page)
        page.screenshot(path=str(ARTIFACTS / "files-form-375.png"), full_page=True)
        with page.expect_navigation():
            page.click("#files-form button[type=submit]")
        assert page.url == form and "2025-02-30" in page.inner_text("p.error")
        with page.expect_navigation():
            page.click("button.link")  # English
        assert "February 2025 has 28 days" in page.inner_text("p.error")
        page.go_back()
        assert page.url == form and meeting.input_value() == LONG_MEETING
        assert "2025-02-30" in page.inner_text("p.error")
        browser.close()
