"""tema.serve.upload_limit: the files of an upload over the limit are named, as it streams."""

from __future__ import annotations

import asyncio

import pytest

from tema.serve import upload_limit
from tema.serve.upload_limit import MAX_NAMED, MB, UploadedFiles
from tema.serve.web import ListedFile

FORM = b"multipart/form-data; boundary=grense"


def body(*parts: tuple[bytes, int]) -> bytes:
    """A form of a name field and one file part per (filename as sent, size)."""
    out = b'--grense\r\nContent-Disposition: form-data; name="name"\r\n\r\nInnspill\r\n'
    for filename, size in parts:
        out += b'--grense\r\nContent-Disposition: form-data; name="files"; filename="'
        out += filename + b'"\r\nContent-Type: text/plain\r\n\r\n' + b"a" * size + b"\r\n"
    return out + b"--grense--\r\n"


def streamed(data: bytes, chunk: int) -> UploadedFiles:
    files = UploadedFiles(FORM)
    for start in range(0, len(data), chunk):
        files.feed(data[start : start + chunk])
    return files


@pytest.mark.parametrize("chunk", [7, 64 * 1024])  # headers cut anywhere, or whole
def test_each_file_is_named_as_sent_with_its_size(chunk: int):
    data = body(("Møte %22Nord%22.txt".encode(), 3 * MB), (b"liten.txt", 10))
    files = streamed(data, chunk)
    assert files.names == ['Møte "Nord".txt', "liten.txt"]
    assert files.sizes == [3 * MB, 10] and files.complete
    key, values, listed = files.refusal(2 * MB)
    assert (key, values) == ("too_large_file", {"file": 'Møte "Nord".txt', "mb": 2})
    assert listed == [
        ListedFile('Møte "Nord".txt', 3.0, whole=True, alone=True),
        ListedFile("liten.txt", 10 / MB, whole=True, alone=False),
    ]


def test_the_refusal_says_which_files_are_too_large():
    two_big = streamed(body((b"a.pdf", 3 * MB), (b"b.pdf", 3 * MB)), 4096)
    assert two_big.refusal(2 * MB)[:2] == ("too_large_files", {"n": 2, "mb": 2})
    together = streamed(body((b"a.pdf", MB), (b"b.pdf", MB + 1)), 4096)
    assert together.refusal(2 * MB)[:2] == ("too_large_all", {"mb": 2})
    # A body cut off: the last file's size is only what came of it.
    cut = streamed(body((b"a.pdf", 10), (b"b.pdf", 3 * MB))[: 2 * MB], 4096)
    assert not cut.complete
    assert [file.whole for file in cut.refusal(MB)[2]] == [True, False]


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        (b"application/x-www-form-urlencoded", b"name=x&" + b"a" * 100),
        (FORM, b"not a form at all\r\n" * 100),
        (b"multipart/form-data", body((b"a.txt", 10))),  # no boundary
    ],
)
def test_a_body_without_readable_files_gets_the_general_refusal(content_type, data):
    files = UploadedFiles(content_type)
    files.feed(data)
    assert files.refusal(MB) == ("too_large_help", {"mb": 1}, [])


def test_the_names_kept_are_bounded_however_many_parts_come():
    # A form of thousands of tiny files (a crafted one): memory and the page stay small.
    files = streamed(body(*[(f"f{n}.txt".encode(), 1) for n in range(MAX_NAMED + 50)]), 64 * 1024)
    assert len(files.names) == len(files.sizes) == MAX_NAMED
    listed = files.refusal(MB)[2]
    assert listed[-1] == ListedFile(f"f{MAX_NAMED - 1}.txt", 1 / MB, whole=True, alone=False)


def test_the_rest_of_a_body_is_read_only_for_a_while(monkeypatch: pytest.MonkeyPatch):
    # A body that comes too slowly (or stops coming) does not hold the refusal back.
    monkeypatch.setattr(upload_limit, "DRAIN_SECONDS", 0.05)
    files = UploadedFiles(FORM)
    first = body((b"a.txt", 10))[:-20]
    sent = [first]

    async def slow_receive() -> dict:
        if sent:
            return {"type": "http.request", "body": sent.pop(), "more_body": True}
        await asyncio.sleep(3600)
        raise AssertionError("never reached")

    asyncio.run(asyncio.wait_for(upload_limit.drain(slow_receive, files, 10 * MB), 5))
    assert files.names == ["a.txt"] and not files.complete
