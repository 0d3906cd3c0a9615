"""`tema serve`'s pages and forms through Starlette's test client (no browser, no jobs run).

A processed batch is written directly (serve_helpers.fake_done_batch), so these tests
check the app's own work: intake, security, report, review, labels into data/labeled/.
"""

from __future__ import annotations

import html
import io
import json
import re
import threading
from pathlib import Path

import pandas as pd
import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from conftest import MEETING_MANIFEST, MEETING_REPORTS, SURVEY
from serve_helpers import fake_done_batch, make_project, minimal_docx, minimal_pdf, minimal_xlsx
from tema.serve.app import create_app
from tema.serve.state import ServeSettings

MAX_UPLOAD = 2 * 1024 * 1024


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "project", tmp_path / "lexicon")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def app(project: Path, tmp_path: Path):
    (tmp_path / "allowed").mkdir()
    settings = ServeSettings(
        data_dir=Path("data/serve"),
        allowed_hosts=("testserver",),
        run_jobs=False,
        max_upload_bytes=MAX_UPLOAD,
        folder_roots=(tmp_path / "allowed",),
        flush_every=1000,
    )
    return create_app(settings)


def client(app) -> TestClient:
    return TestClient(app, follow_redirects=True)


def refused_to_form(answer, batch_id: str) -> bool:
    """Whether a refused start answered by sending the browser back to the batch's form
    (303, then a GET: Back and reload work without sending the form again)."""
    return (
        [step.status_code for step in answer.history] == [303]
        and answer.request.method == "GET"
        and str(answer.url).endswith(f"/batches/{batch_id}/files")
        and answer.status_code == 200
    )


def token(browser: TestClient) -> str:
    page = browser.get("/")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def named(app, name: str) -> tuple[TestClient, str]:
    """A browser session with an annotator name, and its CSRF token."""
    browser = client(app)
    csrf = token(browser)
    answer = browser.post("/annotator", data={"csrf_token": csrf, "annotator": name, "next": "/"})
    assert answer.status_code == 200
    return browser, csrf


def note(page) -> str:
    found = re.search(r'id="note">([^<]*)<', page.text)
    return found.group(1) if found else ""


# --- security -------------------------------------------------------------------------------
def post_routes(app) -> list[str]:
    return [r.path for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]


def test_every_post_without_the_csrf_token_is_refused(app):
    browser = client(app)
    token(browser)  # the session has a token; the requests below do not send it
    paths = post_routes(app)
    assert len(paths) >= 12
    for path in paths:
        url = path.replace("{batch}", "pipeline")
        answer = browser.post(url, data={"annotator": "x", "lang": "en", "label": "housing"})
        assert answer.status_code == 403, path
        forged = browser.post(url, data={"csrf_token": "forged-" + "x" * 40})
        assert forged.status_code == 403, path
    other = client(app)  # another session's valid token is not this session's
    assert (
        other.post("/language", data={"csrf_token": token(browser), "lang": "en"}).status_code
        == 403
    )


def test_the_token_is_accepted_in_the_form_or_the_header(app):
    browser = client(app)
    csrf = token(browser)
    assert browser.post("/language", data={"csrf_token": csrf, "lang": "en"}).status_code == 200
    assert "Batches" in browser.get("/").text
    answer = browser.post("/language", data={"lang": "nb"}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200 and "Innspill" in browser.get("/").text


def test_security_headers_and_host_check(app):
    page = client(app).get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert "samesite=strict" in page.headers["set-cookie"].lower()
    assert "httponly" in page.headers["set-cookie"].lower()
    rebound = TestClient(app, base_url="http://evil.example")
    refused = rebound.get("/")
    assert refused.status_code == 400  # DNS rebinding: another host name
    assert "<title>Ukjent adresse · tema</title>" in refused.text
    assert "tema svarer bare på adressene testserver, 127.0.0.1," in refused.text
    assert "<a href='http://127.0.0.1:80/'>" in refused.text
    assert "evil.example" not in refused.text and "Invalid host" not in refused.text
    assert refused.headers["x-frame-options"] == "DENY"
    assert rebound.post("/language", data={"lang": "en"}).status_code == 400


@pytest.fixture
def open_app(project: Path):
    """The app as `tema serve --host 0.0.0.0` makes it: bound to every address."""
    return create_app(ServeSettings(data_dir=Path("data/serve"), host="0.0.0.0", run_jobs=False))


def test_bound_to_every_address_the_app_answers_at_the_address_a_request_came_to(open_app):
    """From another computer, a name of this one (not known to the app: DNS rebinding)
    gets the page that links to the address the request came to, where the app answers;
    on this computer the link is 127.0.0.1, as it was."""
    from_network = TestClient(open_app, base_url="http://192.0.2.2:8765")
    assert from_network.get("/").status_code == 200  # http://192.0.2.2:8765/ itself
    refused = from_network.get("/", headers={"host": "pc-kari:8765"})
    assert refused.status_code == 400
    assert "<a href='http://192.0.2.2:8765/'>" in refused.text
    assert "adressene 127.0.0.1, localhost, ::1, 192.0.2.2, ikke" in refused.text
    assert "pc-kari" not in refused.text and "Åpne tema på denne adressen:" in refused.text
    # Another address than the one the request came to is a name like any other.
    assert from_network.get("/", headers={"host": "192.0.2.9:8765"}).status_code == 400
    here = TestClient(open_app, base_url="http://127.0.0.1:8765")
    page = here.get("/", headers={"host": "tema.test:8765"})
    assert "<a href='http://127.0.0.1:8765/'>" in page.text
    # An IPv4 request to a dual-stack socket (`--host ::`) names its address as IPv4.
    mapped = TestClient(open_app, base_url="http://[::ffff:192.0.2.2]:8765")
    assert mapped.get("/", headers={"host": "192.0.2.2:8765"}).status_code == 200
    assert "http://192.0.2.2:8765/" in mapped.get("/", headers={"host": "pc:8765"}).text


def test_an_ipv6_address_is_answered_as_a_browser_writes_it(project: Path):
    """A browser sends an IPv6 address in brackets ("[::1]:8765"): `--host ::1` answers."""
    ipv6 = create_app(ServeSettings(data_dir=Path("data/serve"), host="::1", run_jobs=False))
    browser = TestClient(ipv6, base_url="http://[::1]:8765")
    assert browser.get("/").status_code == 200
    refused = browser.get("/", headers={"host": "tema.test:8765"})
    assert "<a href='http://[::1]:8765/'>" in refused.text


def _served_by_cli(project: Path, monkeypatch: pytest.MonkeyPatch, allowed: list[str], *args):
    """The app `tema serve --host 0.0.0.0 ARGS` makes, with params.yaml's
    `serve.allowed_hosts` set to `allowed`, as a browser from another computer meets it."""
    import yaml
    from typer.testing import CliRunner

    from tema.cli.main import app as cli

    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    params["serve"]["allowed_hosts"] = allowed
    (project / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    made: dict = {}
    monkeypatch.setattr(
        "tema.serve.server.serve", lambda settings, config=None: made.update(s=settings, c=config)
    )
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", *args])
    assert result.exit_code == 0, result.output
    return TestClient(create_app(made["s"], made["c"]), base_url="http://192.0.2.2:8765")


def test_a_name_allowed_in_params_or_by_allow_host_gets_the_app(project: Path, monkeypatch):
    """A colleague who opens http://kontor-pc:8765/ gets the app when the name is allowed
    (serve.allowed_hosts, or --allow-host); another name still gets the refusal page."""
    browser = _served_by_cli(
        project,
        monkeypatch,
        ["Kontor-PC"],
        "--allow-host",
        "pc-kari.lan",
        "--allow-host",
        "NAV_PC7",
    )
    for host in ("kontor-pc:8765", "pc-kari.lan:8765", "nav_pc7:8765", "192.0.2.2:8765"):
        page = browser.get("/", headers={"host": host})
        assert page.status_code == 200 and "Legg inn nye innspill" in page.text, host
    refused = browser.get("/", headers={"host": "pc-ola:8765"})
    assert refused.status_code == 400 and "<title>Ukjent adresse · tema</title>" in refused.text
    assert "adressene 127.0.0.1, localhost, ::1, kontor-pc, pc-kari.lan, nav_pc7, 192.0.2.2," in (
        refused.text
    )


def test_a_name_not_allowed_gets_the_refusal_page(project: Path, monkeypatch):
    browser = _served_by_cli(project, monkeypatch, [])
    refused = browser.get("/", headers={"host": "kontor-pc:8765"})
    assert refused.status_code == 400 and "<title>Ukjent adresse · tema</title>" in refused.text
    assert "<a href='http://192.0.2.2:8765/'>" in refused.text
    assert "Legg inn nye innspill" not in refused.text


@pytest.mark.parametrize("name", ["http://kontor-pc:8765/", "kontor-pc:8765", "kontor pc", "-pc"])
def test_an_invalid_allow_host_is_a_clear_error(project: Path, name: str):
    from typer.testing import CliRunner

    from tema.cli.main import app as cli

    result = CliRunner().invoke(cli, ["serve", "--allow-host", name])
    assert result.exit_code == 2
    assert "is not a host name" in result.output and "--allow-host" in result.output


def test_pages_load_nothing_from_elsewhere(app):
    browser = client(app)
    fake_done_batch(app.state.serve, 50)
    for path in ["/", "/labels", "/retrain"]:
        page = browser.get(path).text
        assert "http://" not in page and "https://" not in page, path
        assert re.findall(r'(?:src|href)="(/[^"]*|#)"', page)  # only tema's own paths


# --- taking files in ------------------------------------------------------------------------
def upload(browser: TestClient, csrf: str, files: list[tuple[str, bytes]], name: str = "B"):
    parts = [("files", (filename, data, "application/octet-stream")) for filename, data in files]
    return browser.post("/batches/upload", data={"csrf_token": csrf, "name": name}, files=parts)


def test_upload_of_each_file_type_with_its_manifest(app):
    from tema.serve import pipeline

    browser = client(app)
    files = [(n, t.encode()) for n, t in MEETING_REPORTS.items()] + [
        ("sporreskjema-2019.csv", SURVEY.encode("cp1252")),
        ("notat.md", b"# Bolig\n\nFlere kommunale boliger trengs i Alta.\n"),
        ("rapport.pdf", minimal_pdf("Arbeidsgivere må ansette flere innvandrere.")),
        ("referat.docx", minimal_docx(["Frivillige lag trenger driftsstøtte."])),
        ("svar.xlsx", minimal_xlsx([["svar"], ["Norskkurs på kveldstid"]])),
        ("manifest.csv", MEETING_MANIFEST.encode()),
    ]
    page = upload(browser, token(browser), files)
    assert page.status_code == 200 and "/files" in str(page.url)
    state = app.state.serve
    (batch,) = [b for b in state.batches.all() if not b.read_only]
    assert sorted(f.name for f in batch.files) == sorted(n for n, _ in files[:-1])
    assert not batch.refused
    by_name = {f.name: f for f in batch.files}
    assert by_name["innspillmote-bodo-2018.txt"].region == "Nord-Norge"  # from the manifest
    assert by_name["notat.md"].meeting == "notat"  # not in it: the file name
    for item in batch.files:  # ingest reads every one of them
        assert (
            pipeline.check_file(state.config, state.batches.incoming(batch.id) / item.name) is None
        )
    assert 'value="Innspillmøte Bodø"' in page.text


def test_a_second_batch_of_the_same_name_is_numbered(app):
    browser = client(app)
    csrf = token(browser)
    for _ in range(3):
        upload(browser, csrf, [("notat.txt", b"Bolig")], name="Innspill Bodø")
    names = sorted(b.name for b in app.state.serve.batches.all() if not b.read_only)
    assert names == ["Innspill Bodø", "Innspill Bodø (2)", "Innspill Bodø (3)"]
    long_name = "Å" * 250  # a name is cut to 200 characters, its number included
    for _ in range(2):
        upload(browser, csrf, [("notat.txt", b"Bolig")], name=long_name)
    numbered = [b.name for b in app.state.serve.batches.all() if b.name.startswith("ÅÅ")]
    assert sorted(len(name) for name in numbered) == [200, 200] and len(set(numbered)) == 2


def test_forms_that_come_back_to_a_page_do_not_bring_its_note_back(app):
    batch = fake_done_batch(app.state.serve, 20)
    browser, _ = named(app, "kari.n")
    page = browser.get(f"/batches/{batch.id}/review?order=suggest&note=saved")
    assert note(page) == "Lagret."
    comebacks = re.findall(r'name="next" value="([^"]*)"', page.text)
    assert comebacks and all(
        value == f"/batches/{batch.id}/review?order=suggest" for value in comebacks
    )


def test_an_upload_left_on_its_form_can_be_taken_up_or_deleted_from_the_list(app):
    browser = client(app)
    upload(browser, token(browser), [("notat.txt", b"Bolig")], name="Halvferdig")
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    listing = browser.get("/").text
    row = listing[listing.index("Halvferdig") :].split("</tr>")[0]
    assert "ikke startet" in row
    assert f'href="/batches/{batch.id}/files">Fortsett' in row
    assert f'href="/batches/{batch.id}/delete" class="danger">Slett' in row


def test_an_upload_saved_under_a_safe_name_keeps_its_manifest_row(app):
    manifest = "file;meeting;region;date\nReferat #3.TXT;Møte Bodø;Nord-Norge;2025-03-04\n"
    browser = client(app)
    files = [("Referat #3.TXT", b"Bolig"), ("manifest.csv", manifest.encode())]
    page = upload(browser, token(browser), files)
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    [item] = batch.files
    assert item.name == "Referat _3.txt"  # "#" is not kept, the suffix is lower case
    assert (item.meeting, item.region, item.date) == ("Møte Bodø", "Nord-Norge", "2025-03-04")
    assert batch.manifest_missing == [] and batch.manifest_unlisted == []
    assert "Manifestet nevner" not in page.text and "Ikke i manifestet" not in page.text


def test_the_pages_name_an_upload_as_the_user_named_it(app):
    """A browser sends `"` in a file name as %22 (httpx, as the test client, does too):
    the form shows the name as it was, the file is stored under a safe one."""
    manifest = 'file;meeting;region;date\nMøte "Nord" #2.txt;Møte Nord;Nord-Norge;2025-03-04\n'
    files = [
        ('Møte "Nord" #2.txt', b"Bolig"),
        ("100% ferdig 😀.txt", b"Skole"),
        ('Kari & Ola\'s "utkast".pdf', b"not a pdf"),
        ("manifest.csv", manifest.encode()),
    ]
    browser = client(app)
    page = upload(browser, token(browser), files)
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    by_name = {item.shown: item for item in batch.files}
    assert sorted(by_name) == ["100% ferdig 😀.txt", 'Møte "Nord" #2.txt']
    assert by_name['Møte "Nord" #2.txt'].name == "Møte _Nord_ _2.txt"  # stored safely
    assert by_name['Møte "Nord" #2.txt'].region == "Nord-Norge"  # its manifest row
    assert by_name["100% ferdig 😀.txt"].meeting == "100% ferdig 😀"
    assert '<td data-label="Fil">Møte &#34;Nord&#34; #2.txt<br>' in page.text
    assert "lagret som Møte _Nord_ _2.txt" in page.text and "_22" not in page.text
    refused = (
        "<tr><td>Kari &amp; Ola&#39;s &#34;utkast&#34;.pdf</td><td>filen er ikke en lesbar PDF"
    )
    assert refused in page.text


def _first_file_sent_as_referat(app, n_docs: int):
    """A run batch whose first file (stored as dokument-000.txt) the user sent as
    'Referat "Bodø".txt', and the browser of an annotator."""
    state = app.state.serve
    batch = fake_done_batch(state, 20, n_docs=n_docs)
    batch.files[0].original = 'Referat "Bodø".txt'
    state.batches.save(batch)
    browser, _ = named(app, "kari")
    return batch, browser


def test_a_document_is_named_as_its_file_was_in_review_and_report(app):
    batch, browser = _first_file_sent_as_referat(app, n_docs=1)
    review = browser.get(f"/batches/{batch.id}/review").text
    assert "Kilde: <strong>Referat &#34;Bodø&#34;.txt</strong>" in review
    report = browser.get(f"/batches/{batch.id}/report").text
    assert 'key=dokument-000.txt">Referat &#34;Bodø&#34;.txt</a>' in report
    units = browser.get(f"/batches/{batch.id}/units?level=document&key=dokument-000.txt").text
    assert "<h1>Alle innspill — Referat &#34;Bodø&#34;.txt</h1>" in units
    assert "<td>Referat &#34;Bodø&#34;.txt</td>" in units


def test_two_uploads_of_one_name_are_told_apart_as_on_the_form(app):
    """Each file sent under a name another file of the batch was sent under too is named
    with the name it is stored under, but the one stored under that very name."""
    browser = client(app)
    sent = ["Notat.txt", "Notat.txt", 'Møte "Nord".txt', 'Møte "Nord".txt', "Svar «1».txt"]
    upload(browser, token(browser), [(name, b"Bolig") for name in sent])
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert batch.shown_names("nb") == {
        "Notat.txt": "Notat.txt",
        "Notat-2.txt": "Notat.txt (lagret som Notat-2.txt)",
        "Møte _Nord_.txt": 'Møte "Nord".txt (lagret som Møte _Nord_.txt)',
        "Møte _Nord_-2.txt": 'Møte "Nord".txt (lagret som Møte _Nord_-2.txt)',
        "Svar «1».txt": "Svar «1».txt",
    }
    assert batch.shown_names("en")["Notat-2.txt"] == "Notat.txt (saved as Notat-2.txt)"
    assert batch.shown_name("Møte _Nord_.txt", "nb") == batch.shown_names("nb")["Møte _Nord_.txt"]


def test_the_downloaded_report_names_documents_as_the_user_sent_them(app):
    """theme_counts.csv, keyed by the stored names on disk (as units.csv, which the pages
    join it with), downloads with each document as sent; two sent under one name (and
    stored under neither) each with its stored name, as the pages show them."""
    state = app.state.serve
    batch = fake_done_batch(state, 30, n_docs=3)
    batch.files[0].original = batch.files[1].original = 'Referat "Bodø".txt'
    state.batches.save(batch)
    browser = client(app)
    first, second = (f'Referat "Bodø".txt (lagret som dokument-00{n}.txt)' for n in (0, 1))
    report = html.unescape(browser.get(f"/batches/{batch.id}/report").text)
    assert f'key=dokument-000.txt">{first}</a>' in report and second in report
    answer = browser.get(f"/batches/{batch.id}/download/theme_counts.csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="theme_counts.csv"'
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    counts = pd.read_csv(io.StringIO(answer.text), keep_default_na=False, dtype=str)
    documents = counts.loc[counts["level"] == "document", "key"]
    assert set(documents) == {first, second, "dokument-002.txt"}
    stored = state.batches.files_of(batch).report_dir / "theme_counts.csv"
    on_disk = pd.read_csv(stored, keep_default_na=False, dtype=str)
    assert counts.drop(columns="key").equals(on_disk.drop(columns="key"))
    assert "dokument-000.txt" in set(on_disk["key"])  # the run's own file is as written
    browser.post("/language", data={"csrf_token": token(browser), "lang": "en"})
    english = browser.get(f"/batches/{batch.id}/download/theme_counts.csv").text
    assert 'Referat ""Bodø"".txt (saved as dokument-001.txt)' in english


def test_the_manifest_names_uploads_as_ingest_matches_them(app):
    import unicodedata

    # Another case than the file's, and a file name as a Mac stores it (decomposed).
    manifest = (
        "File;Meeting;Region;Date\nbergen.txt;Møte Bergen;Vest;2025-03-04\n"
        "Tromsø.txt;Møte Tromsø;Nord;2025-03-05\n"
    )
    nfd = unicodedata.normalize("NFD", "Tromsø.txt")
    files = [("Bergen.txt", b"Bolig"), (nfd, b"Skole"), ("manifest.csv", manifest.encode())]
    browser = client(app)
    page = upload(browser, token(browser), files)
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    by_name = {item.name: item for item in batch.files}
    assert by_name["Bergen.txt"].meeting == "Møte Bergen"
    assert by_name["Tromsø.txt"].meeting == "Møte Tromsø"
    assert batch.manifest_missing == [] and batch.manifest_unlisted == []
    assert "Manifestet nevner" not in page.text


def test_a_manifest_finds_a_file_whose_name_holds_percent_22_either_way(app):
    """A name with a real "%22" arrives as one with `"` (the browser's escape, which the
    app cannot tell apart): shown with `"`; its manifest row, written as the file is
    named, still applies."""
    manifest = "file;meeting;region;date\nSvar 100%22.txt;Skjema;Nord;2025-03-04\n"
    browser = client(app)
    upload(
        browser,
        token(browser),
        [("Svar 100%22.txt", b"Bolig"), ("manifest.csv", manifest.encode())],
    )
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    (item,) = batch.files
    assert (item.shown, item.name) == ('Svar 100".txt', "Svar 100_.txt")
    assert (item.meeting, item.region) == ("Skjema", "Nord")
    assert batch.manifest_missing == [] and batch.manifest_unlisted == []


def _bodo_and_mo_with(manifest: str, app, browser, csrf: str):
    """bodo.txt and mo.txt uploaded with `manifest`: the page, the batch, and its files by
    name."""
    files = [("bodo.txt", b"Bolig"), ("mo.txt", b"Arbeid"), ("manifest.csv", manifest.encode())]
    page = upload(browser, csrf, files)
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    return page, batch, {item.name: item for item in batch.files}


def test_one_bad_date_in_the_manifest_keeps_the_rest_of_it(app):
    manifest = (
        "file;meeting;region;date\n"
        "bodo.txt;Innspillmøte Bodø;Nord-Norge;14.03.2025\n"
        "mo.txt;Møte i Mo;Nord-Norge;neste uke\n"
    )
    browser = client(app)
    page, batch, by_name = _bodo_and_mo_with(manifest, app, browser, token(browser))
    assert not batch.manifest_error
    assert (by_name["bodo.txt"].meeting, by_name["bodo.txt"].date) == (
        "Innspillmøte Bodø",
        "2025-03-14",
    )
    # The bad cell is shown as written, for the form's own check to refuse on start.
    assert (by_name["mo.txt"].meeting, by_name["mo.txt"].date) == ("Møte i Mo", "neste uke")
    assert 'value="neste uke"' in page.text


def test_a_manifest_in_norwegian_fills_the_form_and_a_date_that_does_not_exist_is_explained(
    app,
):
    """`fil;møte;region;dato` as a Norwegian civil servant writes it; 31 February is in the
    right form, so the form says why it is no date, in the page's language."""
    manifest = (
        "Fil;Møte;Region;Dato\n"
        "bodo.txt;Innspillmøte Bodø;Nord-Norge;14.03.2024\n"
        "mo.txt;Møte i Mo;Helgeland;31.02.2024\n"
    )
    browser = client(app)
    csrf = token(browser)
    page, batch, by_name = _bodo_and_mo_with(manifest, app, browser, csrf)
    assert not batch.manifest_error
    assert (by_name["bodo.txt"].meeting, by_name["bodo.txt"].date) == (
        "Innspillmøte Bodø",
        "2024-03-14",
    )
    assert (by_name["mo.txt"].region, by_name["mo.txt"].date) == ("Helgeland", "31.02.2024")
    assert "mo.txt: «31.02.2024» finnes ikke: februar 2024 har 29 dager." in page.text
    assert "er ikke en dato" not in page.text
    english = browser.post(
        "/language",
        data={"csrf_token": csrf, "lang": "en", "next": f"/batches/{batch.id}/files"},
    )
    assert "mo.txt: “31.02.2024” does not exist: February 2024 has 29 days." in english.text
    answer = browser.post(
        f"/batches/{batch.id}/start", data={"csrf_token": csrf, "date_1": "2024-13-01"}
    )
    assert refused_to_form(answer, batch.id)
    assert "mo.txt: “2024-13-01” does not exist: there is no month 13." in answer.text
    assert app.state.serve.jobs.all() == []


def test_a_manifest_that_cannot_be_read_is_explained_in_the_page_language(app):
    """The reason (the file and line named) in Norwegian on the Norwegian page and in
    English on the English one, not the command line's English on both."""
    manifest = "fil;møte;region;dato\nbodo.txt;Bodø;Nord;\nbodo.txt;Mo;Nord;\n"
    browser = client(app)
    csrf = token(browser)
    files = [("bodo.txt", b"Bolig"), ("manifest.csv", manifest.encode())]
    page = upload(browser, csrf, files)
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    norwegian = "Manifestet kunne ikke leses: manifest.csv, linje 3: «bodo.txt» står to ganger"
    assert norwegian in html.unescape(page.text)
    assert "listed twice" not in page.text and "/incoming/" not in page.text
    # And what to do now: the form is not filled in from it.
    assert (
        "Ingenting er fylt ut fra manifestet. Skriv inn møte, region og dato under, eller "
        "rett manifestet og last opp filene på nytt sammen med det."
    ) in page.text
    english = browser.post(
        "/language",
        data={"csrf_token": csrf, "lang": "en", "next": f"/batches/{batch.id}/files"},
    )
    assert "The manifest cannot be read: manifest.csv, line 3: “bodo.txt” is listed twice" in (
        html.unescape(english.text)
    )


def test_the_form_says_which_files_the_manifest_and_the_upload_disagree_on(app):
    manifest = (
        "file;meeting;region;date\n"
        "bodo.txt;Innspillmøte Bodø;Nord-Norge;2025-03-04\n"
        "narvik.txt;Møte Narvik;Nord-Norge;2025-03-06\n"
    )
    browser = client(app)
    files = [
        ("bodo.txt", b"Flere boliger."),
        ("tromso.txt", b"Flere praksisplasser."),
        ("manifest.csv", manifest.encode("cp1252")),
    ]
    page = upload(browser, token(browser), files)
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert (batch.manifest_missing, batch.manifest_unlisted) == (["narvik.txt"], ["tromso.txt"])
    assert "Manifestet nevner filer som ikke er med: narvik.txt." in page.text
    assert "Ikke i manifestet: tromso.txt." in page.text
    # Without a manifest, no file is "not in it".
    upload(browser, token(browser), [("alta.txt", b"Bolig")], name="Uten manifest")
    other = next(b for b in app.state.serve.batches.all() if b.name == "Uten manifest")
    assert other.manifest_unlisted == [] and other.manifest_missing == []


def test_a_hostile_filename_stays_inside_the_batch_and_is_escaped(app, project: Path):
    browser = client(app)
    hostile = "../../../<img src=x onerror=alert(1)>.txt"
    page = upload(browser, token(browser), [(hostile, b"Bolig i Bod\xc3\xb8"), ("a.txt", b"x")])
    assert page.status_code == 200
    state = app.state.serve
    (batch,) = [b for b in state.batches.all() if not b.read_only]
    incoming = state.batches.incoming(batch.id).resolve()
    for item in batch.files:
        assert (incoming / item.name).resolve().parent == incoming
    assert not (project.parent / "x onerror=alert(1)>.txt").exists()
    assert "<img" not in page.text and "onerror=alert(1)>" not in page.text


def test_wrong_content_is_listed_with_its_reason_and_the_rest_goes_on(app):
    """Each refused file is named once, with the reason as the report words it (the table
    names the file in its own column: the reason does not repeat it)."""
    browser = client(app)
    files = [("rapport.pdf", b"MZ not a pdf"), ("skript.py", b"print(1)"), ("ok.txt", b"Bolig")]
    page = upload(browser, token(browser), files)
    assert "<tr><td>rapport.pdf</td><td>filen er ikke en lesbar PDF</td></tr>" in page.text
    assert "<tr><td>skript.py</td><td>ukjent filtype «.py»; tema leser .txt, .md" in page.text
    assert page.text.count("rapport.pdf") == 1 and page.text.count("skript.py") == 1
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert [f.name for f in batch.files] == ["ok.txt"]


def oversize_files(page) -> list[str]:
    """The rows of the refusal's list of files, as text."""
    table = re.search(r'<table class="list" id="files">(.*?)</table>', page.text, re.S)
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", table.group(1))
    return [html.unescape(re.sub(r"</td><td[^>]*>", " | ", row)) for row in rows]


def test_an_oversize_upload_names_its_files_and_writes_nothing(app):
    browser = client(app)
    csrf = token(browser)
    big = 'Skannet "høring".pdf'
    page = upload(browser, csrf, [("notat.txt", b"a" * 300_000), (big, b"a" * (MAX_UPLOAD + 1))])
    assert page.status_code == 413 and "<title>Filene er for store · tema</title>" in page.text
    said = "«Skannet &#34;høring&#34;.pdf» er større enn grensen på 2 MB for én opplasting."
    assert said in page.text
    assert oversize_files(page) == [
        "notat.txt | 0,3\xa0MB | ",  # a small file in kB (below)
        'Skannet "høring".pdf | 2,0\xa0MB | for stor alene',
    ]
    assert "too large" not in page.text  # one language: the session's
    assert language_switch(page) == "/"
    assert not [b for b in app.state.serve.batches.all() if not b.read_only]
    # The switch says it again in English, with the same files.
    english = switch_language(browser, page, "en")
    assert english.status_code == 413 and '<html lang="en">' in english.text
    assert "“Skannet &#34;høring&#34;.pdf” is larger than the limit of 2 MB" in english.text
    assert oversize_files(english)[1] == 'Skannet "høring".pdf | 2.0\xa0MB | too large by itself'
    # No file too large by itself: all of them, with what to do.
    half = b"a" * (MAX_UPLOAD // 2 + 1)
    page = upload(browser, csrf, [("a.txt", half), ("b.txt", half), ("c.txt", b"a" * 900)])
    assert "Together the files are larger than the limit of 2 MB" in page.text
    assert oversize_files(page) == [
        "a.txt | 1.0\xa0MB | ",
        "b.txt | 1.0\xa0MB | ",
        "c.txt | 1\xa0kB | ",
    ]
    assert not [b for b in app.state.serve.batches.all() if not b.read_only]


def chunked_upload(app, chunks: int) -> tuple[list[dict], int]:
    """An upload of `chunks` chunks of 256 kB (10 MB for 40) without a Content-Length, sent
    straight to the app; what it sent back and how many chunks it read."""
    import anyio

    browser = client(app)
    csrf = token(browser)
    cookie = f"tema_session={browser.cookies['tema_session']}".encode()
    part = b'--x\r\nContent-Disposition: form-data; name="files"; filename="stor.txt"\r\n\r\n'
    chunk = b"a" * (256 * 1024)
    chunks_read = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal chunks_read
        chunks_read += 1
        body = part + chunk if chunks_read == 1 else chunk
        body += b"\r\n--x--\r\n" if chunks_read == chunks else b""
        return {"type": "http.request", "body": body, "more_body": chunks_read < chunks}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "method": "POST", "path": "/batches/upload", "raw_path": b"/batches/upload",
        "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
        "server": ("testserver", 80), "client": ("127.0.0.1", 1234),
        "headers": [(b"host", b"testserver"), (b"cookie", cookie),
                    (b"x-csrf-token", csrf.encode()),
                    (b"content-type", b"multipart/form-data; boundary=x")],
    }  # fmt: skip
    anyio.run(app, scope, receive, send)
    return sent, chunks_read


def test_an_oversize_upload_sent_in_chunks_is_refused_once_it_passes_the_limit(
    app, monkeypatch: pytest.MonkeyPatch
):
    """Without a Content-Length (a chunked upload) the body is counted as it arrives: the
    app reads no more than the limit; the rest is read only to name the files, and only
    up to DRAIN_BYTES past the limit."""
    from tema.serve import upload_limit

    sent, chunks_read = chunked_upload(app, 40)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert chunks_read == 40
    page = b"".join(m.get("body", b"") for m in sent).decode()
    assert "«stor.txt» er større enn grensen på 2 MB" in page
    assert '<td>stor.txt</td><td class="n">10,0\xa0MB</td>' in html.unescape(page)
    assert not [b for b in app.state.serve.batches.all() if not b.read_only]
    monkeypatch.setattr(upload_limit, "DRAIN_BYTES", 1024 * 1024)
    sent, chunks_read = chunked_upload(app, 40)
    assert chunks_read <= 13  # 2 MB to the limit, 1 MB more
    page = b"".join(m.get("body", b"") for m in sent).decode()
    assert '<td>stor.txt</td><td class="n">minst 3,0\xa0MB</td>' in html.unescape(page)


def test_a_folder_is_read_only_under_the_allowed_roots(app, tmp_path: Path):
    browser = client(app)
    csrf = token(browser)
    folder = tmp_path / "allowed" / "møter"
    folder.mkdir()
    for name, text in MEETING_REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "manifest.csv").write_text(MEETING_MANIFEST, encoding="utf-8")
    page = browser.post("/batches/folder", data={"csrf_token": csrf, "folder": str(folder)})
    assert page.status_code == 200 and 'value="Vestlandet"' in page.text
    outside = browser.post("/batches/folder", data={"csrf_token": csrf, "folder": str(tmp_path)})
    assert outside.status_code == 400 and "utenfor" in outside.text
    escape = str(folder / ".." / ".." / "project")
    assert (
        browser.post("/batches/folder", data={"csrf_token": csrf, "folder": escape}).status_code
        == 400
    )


def test_a_bad_date_is_refused_and_the_batch_not_started(app):
    browser = client(app)
    csrf = token(browser)
    page = upload(browser, csrf, [("a.txt", b"Bolig i Alta")])
    batch_id = re.search(r"/batches/([^/]+)/files", str(page.url)).group(1)
    answer = browser.post(
        f"/batches/{batch_id}/start",
        data={"csrf_token": csrf, "meeting_0": "Møte", "region_0": "Nord", "date_0": "mars 2018"},
    )
    assert refused_to_form(answer, batch_id)
    assert "a.txt: «mars 2018» er ikke en dato (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)" in answer.text
    assert app.state.serve.jobs.all() == []
    # What was typed is kept, and the page can be fetched again (Back, reload) as it was.
    typed = ('value="Møte"', 'value="Nord"', 'value="mars 2018"')
    assert all(value in answer.text for value in typed)
    again = browser.get(f"/batches/{batch_id}/files")
    assert "«mars 2018» er ikke en dato" in again.text and all(v in again.text for v in typed)
    # The Norwegian way of writing it is a date, kept in ISO form for the report.
    ok = browser.post(
        f"/batches/{batch_id}/start", data={"csrf_token": csrf, "date_0": "14.03.2018"}
    )
    assert ok.status_code == 200
    kinds = [job.kind for job in app.state.serve.jobs.all()]
    assert kinds == ["train", "batch"]  # no model yet: a first training goes first
    assert app.state.serve.batches.load(batch_id).files[0].date == "2018-03-14"


# --- report -------------------------------------------------------------------------------
def test_report_numbers_drill_down_and_downloads(app):
    batch = fake_done_batch(app.state.serve, 300)
    browser = client(app)
    page = browser.get(f"/batches/{batch.id}/report")
    assert page.status_code == 200
    counts = pd.read_csv(
        app.state.serve.batches.files_of(batch).report_dir / "theme_counts.csv",
        keep_default_na=False,
    )
    housing = counts[(counts["level"] == "all") & (counts["theme"] == "housing")].iloc[0]
    assert f"{round(housing['share'] * 100)}\xa0%" in page.text  # the same number, nb style
    # Documents of 15 units are starred, and the star is explained, as in report.html.
    assert "15*</td>" in page.text and "* Færre enn 30 innspill" in page.text
    drill = browser.get(f"/batches/{batch.id}/units?level=region&key=Region 1&theme=housing")
    expected = counts[(counts["level"] == "region") & (counts["key"] == "Region 1")
                      & (counts["theme"] == "housing")]["count"].iloc[0]  # fmt: skip
    assert f"{expected} innspill" in drill.text
    for name in ("report.html", "report.xlsx", "theme_counts.csv"):
        answer = browser.get(f"/batches/{batch.id}/download/{name}")
        assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    for bad in ("../batch.json", "..%2Fbatch.json", "units.csv", "%2e%2e%2fsecret_key"):
        assert browser.get(f"/batches/{batch.id}/download/{bad}").status_code == 404
    assert browser.get("/batches/..%2F..%2Fetc/report").status_code == 404


def leave_input_out(state, batch) -> None:
    """The run of `batch` as ingest leaves it when a file could not be read (skipped.csv),
    a PDF had pages it could not read and a workbook had sheets it did not read
    (documents.jsonl); each file sent under a name of the user's own."""
    from tema.ingest.stage import Document, write_documents

    names = ["Skannet «Nord».pdf", 'Referat "Bodø" & Alta.pdf', "Svar <2025>.xlsx"]
    for item, original in zip(batch.files[:3], names, strict=True):
        item.original = original
    state.batches.save(batch)
    files = state.batches.files_of(batch)
    pd.DataFrame(
        [{"file": str(files.raw_dir / "dokument-000.txt"), "reason": "is not a readable PDF"}]
    ).to_csv(files.skipped, index=False)
    documents = [
        Document(doc, str(files.raw_dir / doc), "Møte", "", "", "Tekst", **read)
        for doc, read in [
            ("dokument-001.txt", {"unread_pages": [2, 5]}),
            ("dokument-002.txt", {"unread_sheets": ["Ark 2", "Merknader"]}),
            ("dokument-003.txt", {}),
        ]
    ]
    write_documents(documents, files.documents)


def _unread_pages_and_sheets_listed(browser, path: str, heading: str) -> tuple[str, str]:
    """The page at `path` in Norwegian, then in English, after checking that both list the
    unread PDF pages and workbook sheets of `leave_input_out` under `heading` tags, each
    file by the name it was sent under (escaped), never by its stored name."""
    page = html.unescape(browser.get(path).text)
    assert f"<{heading}>Sider som ikke kunne leses</{heading}>" in page
    assert '<li>Referat "Bodø" & Alta.pdf: side 2, 5 (skannet eller skadet;' in page
    assert f"<{heading}>Ark som ikke ble lest</{heading}>" in page
    assert "<li>Svar <2025>.xlsx: arkene «Ark 2» og «Merknader» ble ikke lest" in page
    section = re.search(r'<section class="left-out".*?</section>', page, re.S)
    assert section is not None and "dokument-00" not in section.group(0)  # no stored name
    escaped = browser.get(path).text
    assert "Svar &lt;2025&gt;.xlsx: arkene" in escaped and "<2025>" not in escaped
    browser.post("/language", data={"csrf_token": token(browser), "lang": "en"})
    english = html.unescape(browser.get(path).text)
    assert f"<{heading}>Pages that could not be read</{heading}>" in english
    assert '<li>Referat "Bodø" & Alta.pdf: page(s) 2, 5 (scanned or damaged;' in english
    assert "<li>Svar <2025>.xlsx: the sheets “Ark 2” and “Merknader” were not read" in english
    assert "Sider som ikke" not in english and "Ark som ikke" not in english
    return page, english


def test_the_report_page_lists_the_input_left_out_of_the_counts(app):
    """A civil servant who only uses the app learns, as report.html says it, which files
    could not be read and why, which PDF pages and which sheets were not read: each file
    by the name it was sent under, in the page's language."""
    state = app.state.serve
    batch = fake_done_batch(state, 40, n_docs=4)
    leave_input_out(state, batch)
    page, english = _unread_pages_and_sheets_listed(
        client(app), f"/batches/{batch.id}/report", "h3"
    )
    assert "<h2>Ikke med i tellingen</h2>" in page
    assert "<h3>Filer som ikke kunne leses</h3>" in page
    assert "<li>Skannet «Nord».pdf: filen er ikke en lesbar PDF</li>" in page
    assert "<h2>Not in the counts</h2>" in english
    assert "<li>Skannet «Nord».pdf: the file is not a readable PDF</li>" in english
    assert "Ikke med i tellingen" not in english and "Filer som ikke" not in english


def test_a_report_with_all_input_counted_has_no_list_of_input_left_out(app):
    from tema.ingest.stage import Document, write_documents

    state = app.state.serve
    batch = fake_done_batch(state, 40, n_docs=4)
    files = state.batches.files_of(batch)
    pd.DataFrame(columns=["file", "reason"]).to_csv(files.skipped, index=False)
    write_documents([Document("dokument-000.txt", "dokument-000.txt", "", "", "", "T")],
                    files.documents)  # fmt: skip
    page = client(app).get(f"/batches/{batch.id}/report").text
    assert page.count("<h2>") == 3  # the region, meeting and document tables, and no more
    assert "tellingen" not in page and "Filer som ikke" not in page and "<h3>" not in page
    missing = fake_done_batch(state, 40, n_docs=4, name="Uten")  # no skipped.csv at all
    assert "tellingen" not in client(app).get(f"/batches/{missing.id}/report").text


def test_the_batch_page_lists_the_pages_and_sheets_its_run_did_not_read(app):
    """Once a batch has run, its page says not only which files could not be read but
    also which PDF pages and which workbook sheets were not, as the report page says it:
    each file by the name it was sent under, in the page's language."""
    state = app.state.serve
    batch = fake_done_batch(state, 40, n_docs=4)
    leave_input_out(state, batch)
    batch.rejected = [{"file": "dokument-000.txt", "reason": "is not a readable PDF"}]
    state.batches.save(batch)
    page, _ = _unread_pages_and_sheets_listed(client(app), f"/batches/{batch.id}", "h2")
    assert page.count("filen er ikke en lesbar PDF") == 1  # the skipped file, once


def test_a_batch_page_with_every_page_and_sheet_read_lists_none(app):
    from tema.ingest.stage import Document, write_documents

    state = app.state.serve
    batch = fake_done_batch(state, 40, n_docs=4)
    files = state.batches.files_of(batch)
    write_documents([Document("dokument-000.txt", "dokument-000.txt", "", "", "", "T")],
                    files.documents)  # fmt: skip
    page = client(app).get(f"/batches/{batch.id}").text
    assert "left-out" not in page and "Sider som ikke" not in page and "Ark som ikke" not in page
    draft = state.batches.create("Utkast", "upload")  # not run: nothing to read
    assert "left-out" not in client(app).get(f"/batches/{draft.id}").text


# --- review and labels --------------------------------------------------------------------
def shown_unit(page) -> tuple[str, str]:
    doc = re.search(r'name="doc" value="([^"]+)"', page.text).group(1)
    unit = re.search(r'name="unit" value="([^"]+)"', page.text).group(1)
    return doc, unit


def label_shown(browser, csrf, batch, theme, second="", order="suggest"):
    page = browser.get(f"/batches/{batch.id}/review?order={order}")
    doc, unit = shown_unit(page)
    data = {"csrf_token": csrf, "doc": doc, "unit": unit, "label": theme, "order": order}
    if second:
        data["second_label"] = second
    return browser.post(f"/batches/{batch.id}/review/label", data=data), (doc, unit)


def test_review_shows_context_and_asks_for_a_name_first(app):
    batch = fake_done_batch(app.state.serve, 120)
    anonymous = client(app)
    assert 'id="name-form"' in anonymous.get(f"/batches/{batch.id}/review").text
    browser, _ = named(app, "kari")
    page = browser.get(f"/batches/{batch.id}/review")
    assert 'id="unit-text"' in page.text and "Overskrift" in page.text
    assert "Kilde" in page.text and 'class="context ' in page.text  # previous or next unit
    for order in ("uncertain", "theme:housing", "doc:dokument-003.txt"):
        assert 'id="unit-text"' in browser.get(f"/batches/{batch.id}/review?order={order}").text


def test_the_review_keys_follow_the_themes_of_params_yaml(project: Path, app):
    """Seven themes in params.yaml: the keys the review page offers are 1–7, not 1–6."""
    browser, _ = named(app, "kari")
    batch = fake_done_batch(app.state.serve, 20)
    assert "Tast 1–6 velger tema og lagrer. Shift + 1–6" in (
        browser.get(f"/batches/{batch.id}/review").text
    )
    import yaml

    path = project / "params.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    params["themes"].insert(-1, {"id": "health", "nb": "Helse", "en": "Health"})
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    seven = create_app(app.state.serve.settings)
    browser, _ = named(seven, "kari")
    page = browser.get(f"/batches/{batch.id}/review").text
    assert "Tast 1–7 velger tema og lagrer. Shift + 1–7" in page
    assert "(Shift + 1–7)" in page


@pytest.mark.parametrize(
    "order", ["doc", "doc:", "doc:ingen.txt", "theme:nope", "theme", "all", "suggest:x"]
)
def test_an_order_the_menu_does_not_offer_falls_back_to_the_default(app, order):
    """A made-up order in the address shows the default order's units, the menu showing
    it, at the default order's address; never an empty review under a menu that says
    «Forslag fra tema»."""
    batch = fake_done_batch(app.state.serve, 40)
    browser, _ = named(app, "kari")
    page = browser.get(f"/batches/{batch.id}/review", params={"order": order, "others": "1"})
    default = f"/batches/{batch.id}/review?order=suggest&others=1"
    assert page.history[0].status_code == 303 and str(page.url).endswith(default)
    assert 'id="unit-text"' in page.text and "Ingen flere innspill" not in page.text
    assert '<option value="suggest" selected>' in page.text
    assert shown_unit(page) == shown_unit(browser.get(default))


def test_review_names_a_survey_answers_question_as_its_question(app):
    batch = fake_done_batch(app.state.serve, 40, kind="answer")
    browser, csrf = named(app, "kari")
    page = browser.get(f"/batches/{batch.id}/review")
    assert re.search(r'class="heading">Spørsmål: <strong>Del \d+</strong>', page.text)
    assert "Overskrift" not in page.text
    browser.post("/language", data={"csrf_token": csrf, "lang": "en"})
    english = browser.get(f"/batches/{batch.id}/review")
    assert re.search(r'class="heading">Question: <strong>Del \d+</strong>', english.text)


def test_a_survey_answer_is_shown_beside_answers_to_its_own_question_only(app):
    from tema.serve.review import batch_units

    # Two tables of 20 answers; the question changes every 10 rows ("Del 0", "Del 1").
    batch = fake_done_batch(app.state.serve, 40, n_docs=2, kind="answer")
    files = app.state.serve.batches.files_of(batch)
    units = batch_units(files.report_dir / "units.csv", files.units)
    first_of_second_question = units.view("dokument-000.txt", 10)
    assert first_of_second_question is not None
    assert first_of_second_question.section == "Del 1"
    assert first_of_second_question.previous == []  # unit 9 answers "Del 0"
    assert [n.text.split(":")[0] for n in first_of_second_question.next] == ["Innspill 11"]


def test_labels_are_saved_once_and_undo_brings_the_unit_back(app):
    state = app.state.serve
    batch = fake_done_batch(state, 120)
    browser, csrf = named(app, "kari")
    answer, (doc, unit) = label_shown(browser, csrf, batch, "housing", second="employers")
    assert note(answer) == "Lagret."
    assert shown_unit(answer) != (doc, unit)  # the next unit
    again = browser.post(
        f"/batches/{batch.id}/review/label",
        data={"csrf_token": csrf, "doc": doc, "unit": unit, "label": "housing",
              "second_label": "employers", "order": "suggest"},
    )  # fmt: skip
    assert note(again) == "Samme merking som før: ingenting endret."
    lines = state.log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    undone = browser.post(f"/batches/{batch.id}/review/undo", data={"csrf_token": csrf})
    assert note(undone).startswith("Angret") and shown_unit(undone) == (doc, unit)
    # The note quotes the unit; one this long is cut at a word, and says so with "…".
    quoted = note(undone)[len("Angret: «") : -len("».")]
    shown = re.search(r'id="unit-text"[^>]*>([^<]*)<', undone.text).group(1)
    assert len(shown) > 80 and quoted.endswith("…") and len(quoted) <= 81
    assert shown.startswith(quoted[:-1]) and shown[len(quoted) - 1] == " "
    assert state.log.counts("kari")["housing"] == 0
    unknown = browser.post(
        f"/batches/{batch.id}/review/label",
        data={"csrf_token": csrf, "doc": doc, "unit": unit, "label": "<script>"},
    )
    assert unknown.status_code == 400


def test_a_tab_left_open_does_not_undo_a_label_given_in_another(app):
    state = app.state.serve
    batch = fake_done_batch(state, 120)
    browser, csrf = named(app, "kari")
    review = f"/batches/{batch.id}/review"
    first, second = browser.get(review), browser.get(review)  # two tabs, the same unit
    doc, unit = shown_unit(first)
    assert shown_unit(second) == (doc, unit)

    def press(page, action: str, **data: str):
        seen = re.search(r'name="seen" value="([^"]*)"', page.text).group(1)
        form = {"csrf_token": csrf, "doc": doc, "unit": unit, "seen": seen, **data}
        return browser.post(f"{review}/{action}", data=form)

    assert note(press(first, "label", label="housing")) == "Lagret."
    skipped = press(second, "skip")  # S in the tab that still shows the unit undecided
    assert note(skipped).startswith("Ikke hoppet over: innspillet ble merket «Bolig» i en annen")
    assert shown_unit(skipped) == (doc, unit)  # shown again, with its label
    assert "Merket nå: <strong>Bolig</strong>" in skipped.text
    assert state.log.counts("kari")["housing"] == 1
    relabelled = press(second, "label", label="education")  # a theme, again from the old tab
    assert note(relabelled).startswith("Ikke lagret: innspillet ble merket «Bolig»")
    assert state.log.counts("kari") == {"housing": 1}
    # With the label in view, S leaves it and goes on; a number changes it.
    kept = press(skipped, "skip")
    assert "merkingen står" in note(kept) and shown_unit(kept) != (doc, unit)
    assert state.log.counts("kari") == {"housing": 1}
    changed = press(skipped, "label", label="education")
    assert note(changed) == "Lagret." and state.log.counts("kari") == {"education": 1}


def test_two_annotators_labelling_at_once_lose_nothing(app):
    """Two sessions (two annotators, two tabs each) post labels in parallel threads."""
    state = app.state.serve
    batch = fake_done_batch(state, 200)
    units = state.batches.files_of(batch).report_dir / "units.csv"
    frame = pd.read_csv(units, keep_default_na=False, dtype={"doc": str})
    targets = list(zip(frame["doc"], frame["unit"].astype(str), strict=True))[:40]
    sessions = [named(app, "kari"), named(app, "ola")]
    errors: list[str] = []

    def work(browser, csrf, part, theme):
        for doc, unit in part:
            answer = browser.post(
                f"/batches/{batch.id}/review/label",
                data={"csrf_token": csrf, "doc": doc, "unit": unit, "label": theme},
            )
            if answer.status_code != 200:
                errors.append(answer.text)

    threads = [
        threading.Thread(target=work, args=(*sessions[who], targets[tab::2], theme))
        for who, theme in ((0, "housing"), (1, "education"))
        for tab in (0, 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    labels = state.log.labels()
    assert len(labels["kari"]) == 40 and len(labels["ola"]) == 40
    assert {d.label for d in labels["kari"].values()} == {"housing"}
    assert state.log.counts() == {"housing": 40, "education": 40}


def flush(app) -> dict:
    """Run the label import as its job does (in this process)."""
    from tema.serve.tasks import Context, import_pending

    state = app.state.serve
    job = state.jobs.submit("labels")
    return {"imports": import_pending(Context(state.config, state.settings.data_dir, job))}


def test_labels_go_into_data_labeled_and_conflicts_are_kept_aside(app, project: Path):
    state = app.state.serve
    batch = fake_done_batch(state, 120)
    kari, kari_csrf = named(app, "kari")
    ola, ola_csrf = named(app, "ola")
    shared = []
    for _ in range(3):
        _, unit = label_shown(kari, kari_csrf, batch, "housing")
        shared.append(unit)
    # ola agrees on two, disagrees on one
    for (doc, unit), theme in zip(shared, ("housing", "housing", "education"), strict=True):
        data = {"csrf_token": ola_csrf, "doc": doc, "unit": unit, "label": theme}
        ola.post(f"/batches/{batch.id}/review/label", data=data)
    result = flush(app)["imports"]
    by_who = {item["annotator"]: item for item in result}
    assert by_who["kari"]["added"] == 3 and by_who["kari"]["conflicts"] == 0
    assert by_who["ola"]["added"] == 0 and by_who["ola"]["already"] == 2
    assert by_who["ola"]["conflicts"] == 1
    imported = sorted((project / "data" / "labeled").glob("import-*.csv"))
    assert len(imported) == 1  # kari's file; ola's conflict is not written there
    written = pd.read_csv(imported[0], keep_default_na=False)
    assert set(written["label"]) == {"housing"} and set(written["annotator"]) == {"kari"}
    conflicts = pd.read_csv(project / "data" / "label_review" / "conflicts.csv")
    assert conflicts[["new_label", "existing_label", "annotator"]].values.tolist() == [
        ["education", "housing", "ola"]
    ]
    # Saving again changes nothing: no pending label, no new file, no new conflict line.
    before = sorted(p.read_bytes() for p in (project / "data" / "labeled").glob("*.csv"))
    assert flush(app)["imports"] == []
    assert sorted(p.read_bytes() for p in (project / "data" / "labeled").glob("*.csv")) == before
    # An imported label cannot be undone from the browser (it is in the training data).
    undone = kari.post(f"/batches/{batch.id}/review/undo", data={"csrf_token": kari_csrf})
    assert "allerede i treningsdataene" in note(undone)
    labels_page = kari.get("/labels").text
    assert "kari og ola: 3 innspill merket av begge" in labels_page  # Cohen's kappa


def main_and_ops(page: str) -> tuple[str, str]:
    """A page's own text (its <main>) outside the section for the person who runs tema, and
    that section."""
    main = page.split("<main>")[1].split("</main>")[0]
    ops = re.search(r'<details class="ops" id="ops">.*?</details>', main, re.S)
    assert ops is not None
    return main.replace(ops.group(0), ""), ops.group(0)


TERMINAL = ("data/", "tema labels", "tema train", "<code>", "`", ".csv", "models/", "import-")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_labels_and_new_model_pages_keep_paths_and_commands_for_who_runs_tema(app, lang):
    """A civil servant reads what happens and what to do; the folders, files and commands
    are in a folded section for the person who runs tema."""
    batch = fake_done_batch(app.state.serve, 40)
    browser, csrf = named(app, "kari")
    label_shown(browser, csrf, batch, "housing")
    (imported,) = flush(app)["imports"]
    written = Path(imported["file"]).name
    assert written.startswith("import-")
    if lang == "en":
        browser.post("/language", data={"csrf_token": csrf, "lang": "en", "next": "/"})
    main, ops = main_and_ops(browser.get("/labels").text)
    assert not [word for word in TERMINAL if word in main]
    summary = "For den som drifter tema" if lang == "nb" else "For the person who runs tema"
    assert f"<summary>{summary}</summary>" in ops and "<details" in ops and " open" not in ops
    for shown in ("data/labeled/", "<code>tema labels import</code>", written):
        assert shown in ops, shown
    assert "<code>data/label_review/conflicts.csv</code>" in ops
    assert "kari: " in main  # the import is still listed, without its file
    main, ops = main_and_ops(browser.get("/retrain").text)
    assert not [word for word in TERMINAL if word in main]
    assert "<code>tema train</code>" in ops and "models/candidate/" in ops


def test_labels_page_counts_per_theme(app):
    batch = fake_done_batch(app.state.serve, 60)
    browser, csrf = named(app, "kari")
    for theme in ("housing", "housing", "voluntary"):
        label_shown(browser, csrf, batch, theme)
    page = browser.get(f"/batches/{batch.id}/review").text
    counts = dict(re.findall(r'data-theme="(\w+)"><td>[^<]*</td><td class="n">(\d+)</td>', page))
    assert counts["housing"] == "2" and counts["voluntary"] == "1" and counts["other"] == "0"


def test_one_document_and_one_waiting_label_are_singular(app):
    batch = fake_done_batch(app.state.serve, 12, n_docs=1)
    browser, csrf = named(app, "kari")
    page = browser.get(f"/batches/{batch.id}").text.replace("\u00a0", " ")
    assert "12 innspill fra 1 dokument; usikre:" in page and "1 dokumenter" not in page
    label_shown(browser, csrf, batch, "housing")
    review = browser.get(f"/batches/{batch.id}/review").text
    assert "1 merking venter på å bli lagt i treningsdataene." in review
    browser.post("/language", data={"csrf_token": csrf, "lang": "en"})
    english = browser.get(f"/batches/{batch.id}/review").text
    assert "Waiting to go into the training data: 1 label." in english


def test_a_batch_of_only_unreadable_files_fails_with_the_clis_reasons(app):
    from tema.serve.worker import run

    state = app.state.serve
    browser = client(app)
    csrf = token(browser)
    files = [("skannet.pdf", b"%PDF-1.4\n%%EOF\n"), ("tom.txt", b"  \n"),
             ("skjema.csv", b"id;kommentar\n1;Bolig i Alta\n")]  # fmt: skip
    page = upload(browser, csrf, files)
    batch_id = re.search(r"/batches/([^/]+)/files", str(page.url)).group(1)
    browser.post(f"/batches/{batch_id}/start", data={"csrf_token": csrf})
    batch_job = next(job for job in state.jobs.all() if job.kind == "batch")
    assert run(state.jobs, state.settings.params, state.settings.data_dir, batch_job.id) == 1
    assert state.jobs.load(batch_job.id).error == "no file of the batch could be read"
    batch = state.batches.load(batch_id)
    assert batch.state == "failed" and not batch.run
    reasons = {item["file"]: item["reason"] for item in batch.rejected}
    assert reasons["tom.txt"] == "is empty"  # as `tema ingest` says it, without the path
    assert "PDF" in reasons["skannet.pdf"]
    assert not (state.batches.folder(batch_id) / "runs").exists() or not any(
        (state.batches.folder(batch_id) / "runs").iterdir()
    )
    shown = browser.get(f"/batches/{batch_id}").text
    assert "Jobben feilet: ingen av filene kunne leses (se listen under)" in shown
    assert "filen er tom" in shown and "no file of the batch" not in shown  # nb, not the log
    assert "data/serve" not in shown and "is empty" not in shown
    # What to do in the app, not on the command line.
    assert "tabellen har ingen kolonne med svar eller tekst" in shown
    assert "--text-column" not in shown and "no text column" not in shown


def test_deleting_a_batch_asks_first_and_only_the_answer_deletes(app):
    batch = fake_done_batch(app.state.serve, 20, name="Innspillmøte Bodø")
    browser = client(app)
    csrf = token(browser)
    page = browser.get(f"/batches/{batch.id}")
    assert f'href="/batches/{batch.id}/delete"' in page.text  # a link to the question
    question = browser.get(f"/batches/{batch.id}/delete")
    assert "Slette «Innspillmøte Bodø»?" in question.text and "kan ikke angres" in question.text
    # A POST without the answer (an old form, a stray request) only shows the question.
    unconfirmed = browser.post(f"/batches/{batch.id}/delete", data={"csrf_token": csrf})
    assert "Slette «Innspillmøte Bodø»?" in unconfirmed.text
    assert browser.get(f"/batches/{batch.id}").status_code == 200
    done = browser.post(f"/batches/{batch.id}/delete", data={"csrf_token": csrf, "confirm": "yes"})
    assert done.status_code == 200 and browser.get(f"/batches/{batch.id}").status_code == 404


def test_a_batch_a_job_works_on_cannot_be_deleted(app):
    state = app.state.serve
    batch = fake_done_batch(state, 20, name="Innspillmøte Bodø")
    state.jobs.submit("refresh", batch.id)  # its report updated with a new model
    browser = client(app)
    csrf = token(browser)
    assert f'href="/batches/{batch.id}/delete"' not in browser.get(f"/batches/{batch.id}").text
    question = browser.get(f"/batches/{batch.id}/delete")
    assert question.status_code == 409 and "tema arbeider med disse innspillene nå" in question.text
    assert f'href="/batches/{batch.id}" id="back"' in question.text
    data = {"csrf_token": csrf, "confirm": "yes"}
    assert browser.post(f"/batches/{batch.id}/delete", data=data).status_code == 409
    assert state.batches.load(batch.id).name == "Innspillmøte Bodø"


def language_switch(page) -> str:
    """Where the page's language switch goes."""
    form = re.search(r'action="/language".*?name="next" value="([^"]*)"', page.text, re.S)
    return form.group(1)


def test_the_language_switch_works_on_pages_that_answer_a_form(app):
    batch = fake_done_batch(app.state.serve, 20)
    browser = client(app)
    csrf = token(browser)
    page = upload(browser, csrf, [("a.txt", b"Bolig i Alta")])
    batch_id = re.search(r"/batches/([^/]+)/files", str(page.url)).group(1)
    refused_start = browser.post(
        f"/batches/{batch_id}/start", data={"csrf_token": csrf, "date_0": "14/03/2025"}
    )
    assert language_switch(refused_start) == f"/batches/{batch_id}/files"
    english = browser.post(
        "/language", data={"csrf_token": csrf, "lang": "en", "next": f"/batches/{batch_id}/files"}
    )
    assert english.status_code == 200
    assert "a.txt: “14/03/2025” is not a date (YYYY-MM-DD or DD.MM.YYYY)." in english.text
    no_files = browser.post("/batches/upload", data={"csrf_token": csrf})
    assert "No file tema can read was chosen." in no_files.text
    assert language_switch(no_files) == "/"
    review = f"/batches/{batch.id}/review?order=uncertain"
    no_name = browser.post(
        "/annotator", data={"csrf_token": csrf, "annotator": "!", "next": review}
    )
    assert "Give a name with letters or digits." in no_name.text
    assert language_switch(no_name) == review
    # An address only a form posts to, fetched (a reload, a bookmark): the form's page.
    fetched = browser.get(f"/batches/{batch_id}/start")
    assert fetched.status_code == 200 and str(fetched.url).endswith(f"/batches/{batch_id}/files")
    assert str(browser.get("/annotator").url).endswith("/")


def switch_language(browser: TestClient, page, lang: str):
    """Press the page's language switch (its form, as the browser sends it)."""
    form = re.search(r'<form method="post" action="/language".*?</form>', page.text, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0)))
    assert fields["lang"] == lang
    return browser.post("/language", data={k: html.unescape(v) for k, v in fields.items()})


def test_the_language_switch_on_a_refused_form_says_the_same_in_the_other_language(
    app, tmp_path: Path
):
    browser = client(app)
    csrf = token(browser)
    outside = str(tmp_path / "Møter «2025»")
    (tmp_path / "Møter «2025»").mkdir()
    refusal = browser.post("/batches/folder", data={"csrf_token": csrf, "folder": outside})
    assert refusal.status_code == 400 and f"Mappen {outside} ligger utenfor" in refusal.text
    english = switch_language(browser, refusal, "en")
    assert english.status_code == 400 and f"Folder {outside} is outside" in english.text
    assert language_switch(english) == "/"
    again = switch_language(browser, english, "nb")
    assert again.status_code == 400 and f"Mappen {outside} ligger utenfor" in again.text
    review = "/batches/pipeline/review?order=uncertain"
    no_name = browser.post(
        "/annotator", data={"csrf_token": csrf, "annotator": "!", "next": review}
    )
    english = switch_language(browser, no_name, "en")
    assert "Give a name with letters or digits." in english.text
    assert f'href="{html.escape(review)}" id="back"' in english.text
    assert language_switch(english) == review
    # What a switch says again is one of the app's messages, with a way back into the app.
    for said in ('{"key": "nothing", "values": {}, "status": 400, "back": "", "heading": ""}',
                 '{"key": "bad_folder", "values": {}, "status": 400, "back": "", "heading": ""}',
                 "not json"):  # fmt: skip
        answer = browser.post("/language", data={"csrf_token": csrf, "lang": "nb", "said": said})
        assert answer.status_code == 200 and str(answer.url).endswith("/")
    said = (
        '{"key": "no_files", "values": {}, "status": 400, "back": "//evil.example", "heading": ""}'
    )
    answer = browser.post("/language", data={"csrf_token": csrf, "lang": "nb", "said": said})
    assert "Ingen filer tema kan lese" in answer.text and "evil.example" not in answer.text


def test_no_page_is_the_frameworks_bare_english(app, monkeypatch: pytest.MonkeyPatch):
    browser = TestClient(app, follow_redirects=True, raise_server_exceptions=False)
    csrf = token(browser)
    wrong_method = browser.post("/labels", data={"csrf_token": csrf})
    assert wrong_method.status_code == 405 and "tema kunne ikke ta imot dette" in wrong_method.text
    missing = browser.get("/static/finnes-ikke.css")
    assert missing.status_code == 404 and "Fant ikke siden." in missing.text

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app.state.serve.batches, "all", broken)
    failed = browser.get("/")
    assert failed.status_code == 500 and "Noe gikk galt" in failed.text
    assert "Internal Server Error" not in failed.text
    assert failed.headers["x-frame-options"] == "DENY"


def test_a_page_past_the_end_of_a_list_of_units_shows_the_last(app):
    batch = fake_done_batch(app.state.serve, 150)
    page = client(app).get(f"/batches/{batch.id}/units?level=all&page=999")
    assert 'Forrige side</a> <span id="page-of">2 / 2</span>' in page.text
    assert page.text.count('<td class="text">') == 50  # the last page's units


def test_pages_following_jobs_say_once_that_they_reload(app):
    state = app.state.serve
    batches = [fake_done_batch(state, 20, name=f"B{n}") for n in range(3)]
    for batch in batches:
        state.jobs.submit("refresh", batch.id)  # a new model: every report is updated
    browser = client(app)
    assert browser.get("/retrain").text.count("Siden oppdaterer seg selv") == 1
    waiting = batches[0]
    waiting.state, waiting.job = "queued", state.jobs.submit("batch", waiting.id).id
    state.batches.save(waiting)
    page = browser.get(f"/batches/{waiting.id}").text
    assert "Venter på tur" in page and page.count("Siden oppdaterer seg selv") == 1


def test_command_names_in_the_pages_are_code_not_backticks(app):
    browser = client(app)
    for path in ("/labels", "/retrain"):
        page = browser.get(path).text
        assert "`" not in page.split("<main>")[1], path
    assert "<code>tema labels import</code>" in browser.get("/labels").text
    from tema.serve.web import with_code

    assert str(with_code("`<b>` & x")) == "<code>&lt;b&gt;</code> &amp; x"  # escaped first


def test_page_titles_name_the_page_then_the_app_once(app):
    browser = client(app)
    title = re.compile(r"<title>([^<]*)</title>")
    assert title.search(browser.get("/").text).group(1).endswith(" · tema")
    missing = browser.get("/batches/finnes-ikke")
    assert missing.status_code == 404
    assert title.search(missing.text).group(1).count("tema") == 1


def test_the_project_batch_is_named_the_same_in_its_tab_and_its_heading(app):
    page = client(app).get("/batches/pipeline")
    assert page.status_code == 200
    title = re.search(r"<title>([^<]*)</title>", page.text).group(1)
    heading = re.search(r"<h1>([^<]*)</h1>", page.text).group(1)
    assert title == f"{heading} · tema" and "data/raw" not in title


def test_the_project_batch_page_lists_the_input_make_run_left_out(app):
    """The batch of `make run` (data/raw) has no table of files refused at upload: its
    page lists the files ingest could not read, with why, and the unread pages and
    sheets, as its report says them."""
    from tema.ingest.stage import Document, write_documents

    state = app.state.serve
    config = state.config
    raw = config.ingest.raw_dir
    config.ingest.skipped.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"file": str(raw / "skannet.pdf"), "reason": "is not a readable PDF"}]).to_csv(
        config.ingest.skipped, index=False
    )
    documents = [Document("svar.xlsx", str(raw / "svar.xlsx"), "Møte", "", "", "Tekst",
                          unread_sheets=["Ark 2"])]  # fmt: skip
    write_documents(documents, config.ingest.documents)
    page = html.unescape(client(app).get("/batches/pipeline").text)
    assert "<h2>Filer som ikke kunne leses</h2>" in page
    # Named as report.html of `make run` names them: by their path in the project.
    assert f"<li>{raw / 'skannet.pdf'}: filen er ikke en lesbar PDF</li>" in page
    assert "<h2>Ark som ikke ble lest</h2>" in page
    assert f"<li>{raw / 'svar.xlsx'}: arket «Ark 2» ble ikke lest" in page


def test_kappa_pairs_units_not_texts(tmp_path: Path):
    """Two units of a batch may hold the same text (a survey answer "Ja." given twice):
    each is a unit both labelled, as the page says ("3 innspill merket av begge")."""
    from tema.serve.annotations import AnnotationLog
    from tema.serve.routes_labels import kappas

    log = AnnotationLog(tmp_path / "labels")
    texts = ["Ja.", "ja", "Lunsj"]
    for who, themes in (("kari", ["housing", "education", "other"]), ("ola", ["housing"] * 3)):
        for unit, (text, theme) in enumerate(zip(texts, themes, strict=True)):
            log.record(who, "label", ("b1", "svar.xlsx", unit), text, theme)
    (pair,) = kappas(log, ["housing", "education", "other"])
    overall = pair.rows[0]
    assert (pair.first, pair.second, pair.n) == ("kari", "ola", 3)
    assert overall.units == 3 and overall.agreement == pytest.approx(1 / 3, abs=1e-4)


@pytest.mark.parametrize(
    "elsewhere", ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example"]
)
def test_a_way_back_never_leads_to_another_site(app, elsewhere: str):
    # A browser drops tabs and line breaks from a link before it reads it: "/<tab>/evil"
    # is "//evil", another site.
    browser = client(app)
    csrf = token(browser)
    said = json.dumps(
        {"key": "no_files", "values": {}, "status": 400, "back": elsewhere, "heading": ""}
    )
    answer = browser.post("/language", data={"csrf_token": csrf, "lang": "nb", "said": said})
    no_name = browser.post(
        "/annotator", data={"csrf_token": csrf, "annotator": "!", "next": elsewhere}
    )
    for page in (answer, no_name):
        assert "evil.example" not in page.text


def test_a_name_ending_in_a_space_or_dot_is_read_by_its_type(app):
    # macOS and Linux allow "notat.txt " and "referat.md."; the saved name drops the end.
    browser = client(app)
    page = upload(browser, token(browser), [("notat.txt ", b"Bolig"), ("referat.md.", b"Arbeid")])
    assert page.status_code == 200
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert [(f.name, f.shown) for f in batch.files] == [
        ("notat.txt", "notat.txt "),
        ("referat.md", "referat.md."),
    ]
    assert not batch.refused


def test_a_folder_named_only_with_control_characters_is_not_named_by_its_id(app, tmp_path):
    """A name of only control characters (pasted by mistake) is no name: the batch is
    called after its folder, as with the field left empty; a folder whose own name has
    nothing printable, after the time it came in, as an upload without a name."""
    browser = client(app)
    folder = tmp_path / "allowed" / "møter"
    folder.mkdir()
    (folder / "notat.txt").write_text("Flere boliger.", encoding="utf-8")
    data = {"csrf_token": token(browser), "folder": str(folder), "name": "\x01\x7f\x1b"}
    assert browser.post("/batches/folder", data=data).status_code == 200
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert batch.name == "møter"
    unnamed = tmp_path / "allowed" / "\x02\x03"
    unnamed.mkdir()
    (unnamed / "notat.txt").write_text("Flere boliger.", encoding="utf-8")
    data = {"csrf_token": token(browser), "folder": str(unnamed), "name": "\x01"}
    assert browser.post("/batches/folder", data=data).status_code == 200
    (second,) = [b for b in app.state.serve.batches.all() if not b.read_only and b.id != batch.id]
    assert re.fullmatch(r"Opplasting \d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d", second.name)


def test_an_upload_without_a_name_is_named_by_when_it_came_in_not_by_its_id(app):
    """The name field is optional; a batch uploaded without one is called after the time
    it came in, in the page's language, on its form and in the list, not by its raw id."""
    browser = client(app)
    page = upload(browser, token(browser), [("notat.txt", b"Flere boliger.")], name="")
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert re.fullmatch(r"Opplasting \d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d", batch.name)
    assert f"<h1>{batch.name}</h1>" in page.text and batch.id not in batch.name
    assert f">{batch.name}</a>" in browser.get("/").text
    browser.post("/language", data={"csrf_token": token(browser), "lang": "en"})
    upload(browser, token(browser), [("notat.txt", b"Flere boliger.")], name="  ")
    names = {b.name for b in app.state.serve.batches.all() if not b.read_only} - {batch.name}
    (english,) = names
    assert re.fullmatch(r"Upload \d{4}-\d\d-\d\d \d\d:\d\d", english)


def test_the_list_shows_a_running_batch_and_its_step_as_one_phrase(app):
    state = app.state.serve
    batch = fake_done_batch(state, 20)
    job = state.jobs.submit("batch", batch.id)
    job.state, job.step = "running", "segment"
    state.jobs.save(job)
    batch.state, batch.job = "running", job.id
    state.batches.save(batch)
    listed = re.sub(r"\s+", " ", client(app).get("/").text)
    assert "<td>pågår: deler opp i innspill</td>" in listed


def test_a_queued_batch_waits_for_a_job_before_it_only_when_there_is_one(app):
    """A batch just started, with no other job at work, is said to start in a moment: not
    to wait for "the job before it", which the user would look for in vain."""
    state = app.state.serve
    batch = fake_done_batch(state, 20)
    job = state.jobs.submit("batch", batch.id)
    batch.state, batch.job = "queued", job.id
    state.batches.save(batch)
    page = client(app).get(f"/batches/{batch.id}").text
    assert "Jobben starter om et øyeblikk." in page and "Venter på tur" not in page
    other = state.jobs.submit("train")
    other.state, other.steps, other.step = "running", ["train"], "train"
    state.jobs.save(other)
    page = client(app).get(f"/batches/{batch.id}").text
    assert "Venter på tur" in page and "om et øyeblikk" not in page


def test_the_units_behind_a_share_name_their_column_and_an_answer_its_question(app):
    """A survey answer ("Ikke vet.") says little without its question: the list of units
    behind a share shows it, as the review page does, under a heading for the column."""
    batch = fake_done_batch(app.state.serve, 20, n_docs=2, kind="answer")
    page = client(app).get(f"/batches/{batch.id}/units?level=all&key=alle").text
    assert "<h1>Alle innspill — " in page
    assert "<th>Innspill</th>" in page
    assert '<span class="question">Spørsmål: Del 1</span>' in page


def test_the_review_order_names_each_document_as_its_file_was_sent(app):
    """The «Dokument: …» choices of the review order name the file as the user's computer
    had it, as the rest of the page does, not by the name it was saved under."""
    batch, browser = _first_file_sent_as_referat(app, n_docs=2)
    review = browser.get(f"/batches/{batch.id}/review").text
    assert (
        '<option value="doc:dokument-000.txt" >Dokument: Referat &#34;Bodø&#34;.txt</option>'
        in (review)
    )
    assert "Dokument: dokument-000.txt" not in review


def test_an_empty_file_is_refused_as_it_comes_in(app):
    """An empty file is named on the form at once, not given a meeting, region and date
    there only for the run to leave it out; the report lists it as empty."""
    browser = client(app)
    page = upload(browser, token(browser), [("tomt.txt", b""), ("ok.txt", b"Bolig")])
    assert "<tr><td>tomt.txt</td><td>filen er tom</td></tr>" in page.text
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert [f.name for f in batch.files] == ["ok.txt"]
    assert batch.refused[0]["nb"] == "tomt.txt: filen er tom."


def test_an_upload_of_which_no_file_could_be_taken_in_says_what_to_do(app):
    """Not an empty form without a button: the page says there is nothing to sort and
    leads back to the upload, or to delete what is left of it."""
    browser = client(app)
    page = upload(browser, token(browser), [("tomt.txt", b""), ("rapport.pdf", b"MZ")])
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    assert "Ingen av filene kunne tas inn, så det er ingenting å sortere." in page.text
    assert '<a class="button" href="/">Last opp på nytt</a>' in page.text
    assert f'href="/batches/{batch.id}/delete"' in page.text
    assert 'id="files-form"' not in page.text


def test_an_upload_of_only_a_manifest_asks_for_the_documents(app):
    """Nothing was refused: the page says the upload held only the manifest and asks for
    the documents, in nb and en, not that none of the files could be taken in."""
    browser = client(app)
    manifest = "fil;møte;region;dato\nref.txt;Nord;Nord-Norge;2025-02-03\n"
    page = upload(browser, token(browser), [("manifest.csv", manifest.encode())])
    assert "Opplastingen hadde bare et manifest" in page.text
    assert "Ingen av filene kunne tas inn" not in page.text
    assert '<a class="button" href="/">Last opp på nytt</a>' in page.text
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    browser.post("/language", data={"csrf_token": token(browser), "lang": "en"})
    english = browser.get(f"/batches/{batch.id}/files").text
    assert "The upload held only a manifest" in english
    assert "None of the files could be taken in" not in english


def test_a_wrong_date_names_the_file_as_sent_and_marks_its_field(app):
    """The sentence names the file as the user's computer had it (not the safe name it was
    saved under), and the field to correct is marked, on the form and after a refused start."""
    manifest = 'fil;møte;region;dato\nMøte "Nord".txt;Nord;Nord-Norge;2025-02-30\nok.txt;Ok;;\n'
    files = [
        ('Møte "Nord".txt', b"Bolig"),
        ("ok.txt", b"Skole"),
        ("manifest.csv", manifest.encode()),
    ]
    browser = client(app)
    csrf = token(browser)
    page = upload(browser, csrf, files)
    said = "Møte &#34;Nord&#34;.txt: «2025-02-30» finnes ikke: februar 2025 har 28 dager."
    assert said in page.text and "Møte _Nord_.txt: «" not in page.text
    marked = re.findall(r'<input type="text" name="(date_\d)"[^>]*aria-invalid="true"', page.text)
    assert marked == ["date_0"]
    (batch,) = [b for b in app.state.serve.batches.all() if not b.read_only]
    again = browser.post(f"/batches/{batch.id}/start", data={"csrf_token": csrf})
    assert refused_to_form(again, batch.id) and said in again.text
    assert re.findall(r'name="(date_\d)"[^>]*aria-invalid="true"', again.text) == ["date_0"]


def test_a_file_without_a_type_is_not_called_a_type_by_its_own_name(app):
    """A file sent without an ending ("Notat") is refused for having no type: the reason
    does not call the file's own name its type («ukjent filtype «Notat»»)."""
    browser = client(app)
    page = upload(browser, token(browser), [("Notat", b"Bolig"), ("ok.txt", b"Bolig")])
    text = html.unescape(page.text)
    assert "<tr><td>Notat</td><td>filen har ingen filtype (en endelse som .txt eller .pdf)" in text
    assert "«Notat»" not in text


def test_a_file_the_manifest_does_not_name_is_named_as_it_was_sent(app):
    """«Ikke i manifestet» names the file as the user's computer has it, not the safe name
    it was saved under ("Innspill #3.txt", not "Innspill _3.txt")."""
    manifest = "file;meeting;region;date\nbodo.txt;Innspillmøte Bodø;Nord-Norge;2025-03-04\n"
    browser = client(app)
    files = [
        ("bodo.txt", b"Flere boliger."),
        ("Innspill #3.txt", b"Flere praksisplasser."),
        ("manifest.csv", manifest.encode("utf-8")),
    ]
    page = html.unescape(upload(browser, token(browser), files).text)
    assert "Ikke i manifestet: Innspill #3.txt." in page
    assert "Ikke i manifestet: Innspill _3.txt" not in page
