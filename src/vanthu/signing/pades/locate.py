"""Find places on a page from its text: the signer box on the last page (between the signer's
title and printed name, Decree 30 box 7c) and the number and date boxes on page 1.

Text and word boxes come from poppler's ``pdftotext -bbox-layout`` (run with a timeout); its
coordinates (origin top left of the crop box) are turned into PDF points here.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess  # noqa: S404 - runs poppler's pdftotext on a temporary file, no shell
import tempfile
from dataclasses import dataclass
from pathlib import Path

from vanthu.core.text import fold
from vanthu.signing.pades.drawing import Rect

PDFTOTEXT_TIMEOUT_SECONDS = 20
# How far apart (points) the title and the name may be horizontally to count as one signer block.
BLOCK_COLUMN_TOLERANCE = 160
# Height of the signer box when only the printed name is found.
DEFAULT_SIGNATURE_HEIGHT = 70
MIN_SIGNATURE_HEIGHT = 24
# Page 1 header: the number and date lines are in the top part of the page.
HEADER_FRACTION = 0.45
# How far (points) after "Số:" a placeholder such as "…/QĐ-UBND" may reach.
PLACEHOLDER_REACH = 200
# A blank wider than this (points) between two words on one baseline separates two columns.
COLUMN_GAP = 45

_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', re.DOTALL)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)


@dataclass(frozen=True)
class Word:
    text: str
    rect: Rect


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def rect(self) -> Rect:
        return Rect(
            min(word.rect.x0 for word in self.words),
            min(word.rect.y0 for word in self.words),
            max(word.rect.x1 for word in self.words),
            max(word.rect.y1 for word in self.words),
        )


@dataclass(frozen=True)
class PageText:
    """The text lines of one page, in PDF points of the page (``origin`` = crop box lower left)."""

    width: float
    height: float
    lines: tuple[Line, ...]


class TextExtractionError(RuntimeError):
    """pdftotext is missing, timed out or failed; callers fall back to configured coordinates."""


def page_text(pdf: bytes, *, page_number: int, origin: tuple[float, float] = (0.0, 0.0)) -> PageText:
    """Text lines of page ``page_number`` (1-based) with their boxes in PDF points."""
    executable = shutil.which("pdftotext")
    if executable is None:
        raise TextExtractionError("pdftotext (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="vanthu-locate-") as directory:
        source = Path(directory) / "in.pdf"
        source.write_bytes(pdf)
        try:
            completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [executable, "-q", "-f", str(page_number), "-l", str(page_number), "-bbox-layout", str(source), "-"],
                capture_output=True,
                timeout=PDFTOTEXT_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise TextExtractionError("pdftotext timed out") from error
    if completed.returncode != 0:
        raise TextExtractionError(f"pdftotext failed with exit code {completed.returncode}")
    return parse_bbox_layout(completed.stdout.decode("utf-8", "replace"), origin=origin)


def parse_bbox_layout(xhtml: str, *, origin: tuple[float, float] = (0.0, 0.0)) -> PageText:
    page = _PAGE.search(xhtml)
    if page is None:
        return PageText(width=0, height=0, lines=())
    width, height = float(page.group(1)), float(page.group(2))
    origin_x, origin_y = origin
    words: list[Word] = []
    for x_min, y_min, x_max, y_max, text in _WORD.findall(page.group(3)):
        rect = Rect(
            float(x_min) + origin_x,
            height - float(y_max) + origin_y,
            float(x_max) + origin_x,
            height - float(y_min) + origin_y,
        )
        words.extend(_split_word(html.unescape(text), rect))
    return PageText(width=width, height=height, lines=_group_lines(words))


def _group_lines(words: list[Word]) -> tuple[Line, ...]:
    """Lines as a reader sees them: words on one baseline, left to right, cut where a gap wider
    than ``COLUMN_GAP`` separates two columns (poppler's own lines break at every wide blank,
    e.g. inside "ngày      tháng      năm")."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (-w.rect.centre_y, w.rect.x0)):
        for row in rows:
            anchor = row[0].rect
            if abs(anchor.centre_y - word.rect.centre_y) <= min(anchor.height, word.rect.height) * 0.4:
                row.append(word)
                break
        else:
            rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.rect.x0)
        segment = [row[0]]
        for word in row[1:]:
            if word.rect.x0 - segment[-1].rect.x1 > COLUMN_GAP:
                lines.append(Line(words=tuple(segment)))
                segment = []
            segment.append(word)
        lines.append(Line(words=tuple(segment)))
    return tuple(lines)


def _split_word(text: str, rect: Rect) -> list[Word]:
    """Split a "word" that holds spaces (text drawn as one marked-content span comes out so) into
    words whose boxes are estimated from their character offsets."""
    if " " not in text.strip():
        return [Word(text=text, rect=rect)]
    per_character = rect.width / max(len(text), 1)
    words = []
    for match in re.finditer(r"\S+", text):
        x0 = rect.x0 + match.start() * per_character
        x1 = rect.x0 + match.end() * per_character
        words.append(Word(text=match.group(0), rect=Rect(x0, rect.y0, x1, rect.y1)))
    return words


def _contains(line: Line, needle: str) -> bool:
    folded = fold(needle)
    return bool(folded) and folded in fold(line.text)


def find_signer_box(text: PageText, *, name: str, title: str) -> Rect | None:
    """The empty area between the signer's title line and printed name (the lowest match wins)."""
    name_lines = [line for line in text.lines if _contains(line, name)]
    if not name_lines:
        return None
    name_line = min(name_lines, key=lambda line: line.rect.y0)
    name_rect = name_line.rect
    title_parts = [part for part in title.splitlines() if part.strip()]
    candidates = [
        line
        for line in text.lines
        if line.rect.y0 > name_rect.y1
        and abs(line.rect.centre_x - name_rect.centre_x) <= BLOCK_COLUMN_TOLERANCE
        and any(_contains(line, part) for part in title_parts)
    ]
    if candidates:
        title_rect = min(candidates, key=lambda line: line.rect.y0).rect
        if title_rect.y0 - name_rect.y1 >= MIN_SIGNATURE_HEIGHT:
            return Rect(
                min(title_rect.x0, name_rect.x0),
                name_rect.y1 + 2,
                max(title_rect.x1, name_rect.x1),
                title_rect.y0 - 2,
            )
    return Rect(name_rect.x0, name_rect.y1 + 2, name_rect.x1, name_rect.y1 + DEFAULT_SIGNATURE_HEIGHT)


@dataclass(frozen=True)
class TextSlot:
    """Where to write a text on the page: ``cover`` is painted white first (hiding placeholders),
    the text starts at ``x`` on ``baseline``."""

    cover: Rect
    x: float
    baseline: float


def _baseline(rect: Rect) -> float:
    return rect.y0 + rect.height * 0.22


def _header_lines(text: PageText) -> list[Line]:
    top = max((line.rect.y1 for line in text.lines), default=0.0)
    limit = top - text.height * HEADER_FRACTION
    return [line for line in text.lines if line.rect.y0 >= limit]


def find_number_slot(text: PageText) -> TextSlot | None:
    """After "Số:" in the header: the number and symbol go there, over any placeholder
    ("…/QĐ-UBND") that follows on the same line."""
    for line in _header_lines(text):
        folded = [fold(word.text) for word in line.words]
        for index, value in enumerate(folded):
            label_end = None
            if value.startswith("so:"):
                label_end = index
            elif value == "so" and index + 1 < len(folded) and folded[index + 1].startswith(":"):
                label_end = index + 1
            if label_end is None:
                continue
            start = line.words[label_end].rect.x1 + 3
            placeholder = [w.rect.x1 for w in line.words[label_end + 1 :] if w.rect.x0 - start < PLACEHOLDER_REACH]
            end = max([*placeholder, start + 60])
            rect = line.rect
            return TextSlot(cover=Rect(start - 1, rect.y0 - 1, end + 1, rect.y1 + 1), x=start, baseline=_baseline(rect))
    return None


def find_date_slot(text: PageText) -> TextSlot | None:
    """The "…, ngày … tháng … năm …" line of the header: the date replaces it from "ngày" on."""
    for line in _header_lines(text):
        folded = [fold(word.text) for word in line.words]
        if "thang" in folded and "nam" in folded:
            days = [index for index, value in enumerate(folded) if value.startswith("ngay")]
            if days:
                first = line.words[days[0]]
                rect = line.rect
                cover = Rect(first.rect.x0 - 1, rect.y0 - 1, rect.x1 + 1, rect.y1 + 1)
                return TextSlot(cover=cover, x=first.rect.x0, baseline=_baseline(rect))
    return None
