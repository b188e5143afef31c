# ruff: noqa: S603, S607 - runs poppler and NSS tools with fixed argument lists
"""Shared helpers of the PAdES engine tests: signed documents, poppler's pdfsig and pdftoppm."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from PIL import Image

from vanthu.signing.pades import AgencySignature
from vanthu.signing.pades import IssuanceStamp
from vanthu.signing.pades import PersonSignature
from vanthu.signing.pades import sign_pdf
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import AGENCY_NAME
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import signer_for

# The project's test clock (conftest.NOW): 09:00 Vietnam time.
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
HAS_POPPLER = all(shutil.which(tool) for tool in ("pdfsig", "pdftoppm", "pdftotext", "certutil"))


@dataclass(frozen=True)
class SignedPair:
    draft: bytes
    person: bytes  # signed by the person
    agency: bytes  # then by the agency, with the issuance stamp


def person_appearance() -> PersonSignature:
    return PersonSignature(
        image_png=pdfs.signature_png(), name=pdfs.DEFAULT_SIGNER_NAME, title=pdfs.DEFAULT_SIGNER_TITLE
    )


def agency_appearance(*, issuance: bool = True) -> AgencySignature:
    return AgencySignature(
        seal_png=pdfs.seal_png(),
        agency_name=AGENCY_NAME,
        issuance=IssuanceStamp(number_symbol="15/QĐ-STC", issue_date_text="ngày 10 tháng 3 năm 2026")
        if issuance
        else None,
    )


@lru_cache(maxsize=1)
def signed_pair() -> SignedPair:
    pki = build_test_pki(NOW)
    draft = pdfs.decision_pdf()
    person = sign_pdf(pdf=draft, signer=signer_for(pki, "person"), appearance=person_appearance(), now=NOW)
    agency = sign_pdf(pdf=person, signer=signer_for(pki, "agency"), appearance=agency_appearance(), now=NOW)
    return SignedPair(draft=draft, person=person, agency=agency)


def pdfsig(pdf: bytes, *, pki: TestPki, directory: Path) -> str:
    """pdfsig's report with the test root trusted in a fresh NSS database."""
    nss = directory / "nssdb"
    if not nss.exists():
        nss.mkdir()
        (directory / "root.pem").write_bytes(pki.root.pem)
        subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, timeout=30)
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(directory / "root.pem")],
            check=True,
            timeout=30,
        )
    target = directory / "signed.pdf"
    target.write_bytes(pdf)
    completed = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(target)], capture_output=True, timeout=60, check=False
    )
    return completed.stdout.decode("utf-8", "replace")


def render(pdf: bytes, *, page: int, directory: Path, name: str = "page") -> Image.Image:
    """Page ``page`` (1-based) rendered at 72 dpi: one pixel is one PDF point."""
    source = directory / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "72",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(directory / name),
        ],
        check=True,
        timeout=60,
    )
    with Image.open(directory / f"{name}.png") as image:
        return image.convert("RGB")


def changed_pixels_box(before: Image.Image, after: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box (left, top, right, bottom in pixels from the top left) of what changed."""
    from PIL import ImageChops

    return ImageChops.difference(before, after).convert("L").point(lambda value: 255 if value > 40 else 0).getbbox()


def png_bytes(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
