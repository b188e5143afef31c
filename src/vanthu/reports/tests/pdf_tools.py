"""Reading the PDFs back as a person would: poppler renders them (pdftoppm) and extracts their
text (pdftotext), page by page, with each word's position when it matters."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    x_min: float  # points from the page's left edge
    x_max: float
    y_min: float


def _run(*arguments: str) -> str:
    completed = subprocess.run(arguments, capture_output=True, check=True, text=True, timeout=60)  # noqa: S603
    return completed.stdout


def _stored(content: bytes, directory: str) -> str:
    path = Path(directory) / "document.pdf"
    path.write_bytes(content)
    return str(path)


def text_of(content: bytes, *, page: int | None = None) -> str:
    """The text in content order (``-raw``: a wrapped cell's lines stay together)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    with TemporaryDirectory() as directory:
        return _run("pdftotext", "-raw", "-enc", "UTF-8", *pages, _stored(content, directory), "-")


def flat(text: str) -> str:
    """Whitespace (line breaks of wrapped cells included) collapsed to single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def page_count(content: bytes) -> int:
    with TemporaryDirectory() as directory:
        info = _run("pdfinfo", _stored(content, directory))
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def page_size(content: bytes) -> tuple[float, float]:
    """Width and height of the first page, in points."""
    with TemporaryDirectory() as directory:
        info = _run("pdfinfo", _stored(content, directory))
    match = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert match is not None
    return float(match.group(1)), float(match.group(2))


def words_of(content: bytes) -> list[Word]:
    with TemporaryDirectory() as directory:
        html = _run("pdftotext", "-bbox", "-enc", "UTF-8", _stored(content, directory), "-")
    words = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for x_min, y_min, x_max, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page
        ):
            words.append(Word(text=text, page=number, x_min=float(x_min), x_max=float(x_max), y_min=float(y_min)))
    return words


def render_png(content: bytes, target: Path, *, resolution: int = 60) -> Path:
    """The first page as a PNG at ``target`` (pdftoppm fails on a broken PDF)."""
    with TemporaryDirectory() as directory:
        _run(
            "pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile",
            _stored(content, directory), str(target.with_suffix("")),
        )  # fmt: skip
    return target
