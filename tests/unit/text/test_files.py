"""Articles from files: a path passed as text, PDF/Word by their bytes, pages, web addresses."""

from __future__ import annotations

import http.server
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbrief.errors import InputError
from newsbrief.text.files import fetch_article, read_article_file
from newsbrief.text.inputs import check_article, check_document_bytes

ARTICLE = (
    "Mayor Ann Lopez said on Tuesday that the council would vote on the new bridge plan.\n\n"
    '"We need this bridge for the town," Lopez told reporters.\n'
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Bridge vote</title></head><body>"
    "<nav>Home | News | Sport</nav><article><h1>Bridge vote</h1>"
    "<p>Mayor Ann Lopez said on Tuesday that the council would vote on the new bridge plan "
    "next month, after a long debate about its cost.</p>"
    "<p>&#8220;We need this bridge for the town,&#8221; Lopez told reporters at city hall on "
    "Tuesday afternoon.</p></article><footer>Copyright 2024 Example Gazette.</footer>"
    "</body></html>"
)


# -- a path passed as the article ------------------------------------------------------


def test_the_path_of_an_existing_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(InputError, match=r"path of a file.*read_text\(\).*brief_file"):
        check_article(str(path))


@pytest.mark.parametrize(
    "name", ["examples/no_such_article.txt", "story.html", r"C:\news\story.docx", "a/b.JSONL"]
)
def test_a_file_name_that_does_not_exist_is_refused_too(name: str) -> None:
    with pytest.raises(InputError, match="looks like a file name"):
        check_article(name)


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose.",
        "See example.com for the full text.",
        "The file report.txt was leaked, officials said.",
        "U.S. officials said the talks would go on.",
        ARTICLE,
    ],
)
def test_article_text_that_mentions_files_is_kept(text: str) -> None:
    assert check_article(text) == text


# -- formats that are not text ---------------------------------------------------------


def _docx(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path.read_bytes()


def test_word_and_pdf_files_are_named_with_the_advice_that_fits(tmp_path: Path) -> None:
    docx = _docx(tmp_path / "story.docx")
    with pytest.raises(InputError, match=r"Word document \(\.docx\).*plain text") as found:
        check_document_bytes(docx, name="story.docx")
    assert "iconv" not in str(found.value)
    with pytest.raises(InputError, match=r"PDF document.*pdftotext -layout story.pdf"):
        check_document_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", name="story.pdf")
    check_document_bytes(ARTICLE.encode(), name="story.txt")  # text passes


def test_a_renamed_word_file_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    renamed = tmp_path / "story.txt"
    renamed.write_bytes(_docx(tmp_path / "story.docx"))
    with pytest.raises(InputError, match=r"story\.txt is a Word document"):
        read_article_file(renamed)


def test_a_page_file_gives_its_extracted_text(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    page = tmp_path / "bridge.html"
    page.write_text(PAGE, encoding="utf-8")
    source = read_article_file(page)
    assert source.extracted and source.title == "Bridge vote"
    assert "Home | News" not in source.text and "We need this bridge" in source.text
    plain = tmp_path / "bridge.txt"
    plain.write_text(ARTICLE, encoding="utf-8")
    assert not read_article_file(plain).extracted


# -- web addresses (a local server: no network in tests) --------------------------------


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/story.html":
            body, status, kind = PAGE.encode(), 200, "text/html; charset=utf-8"
        elif self.path == "/story.pdf":
            body, status, kind = b"%PDF-1.7\n...", 200, "application/pdf"
        else:
            body, status, kind = b"not here", 404, "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_fetched_page_is_reduced_to_its_article(site: str) -> None:
    pytest.importorskip("trafilatura")
    source = fetch_article(f"{site}/story.html", allow_private=True)
    assert source.extracted and source.title == "Bridge vote"
    assert "Lopez told reporters" in source.text and "Copyright" not in source.text


def test_fetch_failures_say_what_happened(site: str) -> None:
    pytest.importorskip("trafilatura")
    with pytest.raises(InputError, match=r"HTTP 404|could not download"):
        fetch_article(f"{site}/missing.html", allow_private=True)
    with pytest.raises(InputError, match="PDF document"):
        fetch_article(f"{site}/story.pdf", allow_private=True)
    with pytest.raises(InputError, match="not an http"):
        fetch_article("file:///etc/passwd")


def test_a_local_address_is_refused_unless_allowed(site: str) -> None:
    pytest.importorskip("trafilatura")
    with pytest.raises(InputError, match=r"could not download.*private network"):
        fetch_article(f"{site}/story.html")


def test_a_web_address_is_not_read_as_a_file() -> None:
    with pytest.raises(InputError, match=r"web address.*--fetch"):
        read_article_file("https://example.org/story.html")
