"""Signing and verification time per document: Vanthu's PAdES engine next to bare pyHanko.

    .venv/bin/python benchmarks/bench_signing.py --n 20

Each round runs every operation once on the same two-page "Quyết định" (interleaved, so drift
hits all alike); the table shows medians and the ratio to the bare pyHanko call:

- sign, person visible:  ``sign_pdf`` with the signature image found in the signer box
- sign, agency seal:     ``sign_pdf`` with the seal and the issuance stamp (number, date)
- bare pyHanko sign:     ``signers.sign_pdf`` invisible, bytes_reserved=16384 (no dry run)
- verify (2 signatures): ``verify_pdf`` with its report
- bare pyHanko validate: ``validate_pdf_signature`` for each of the two signatures
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanthu.config.settings.test")

import django  # noqa: E402

django.setup()
logging.getLogger("fontTools").setLevel(logging.WARNING)

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign import signers  # noqa: E402
from pyhanko.sign.validation import async_validate_pdf_signature  # noqa: E402

from vanthu.core.clock import now as clock_now  # noqa: E402
from vanthu.signing.pades import AgencySignature  # noqa: E402
from vanthu.signing.pades import IssuanceStamp  # noqa: E402
from vanthu.signing.pades import PersonSignature  # noqa: E402
from vanthu.signing.pades import sign_pdf  # noqa: E402
from vanthu.signing.pades import verify_pdf  # noqa: E402
from vanthu.signing.testing import pdfs  # noqa: E402
from vanthu.signing.testing.pki import AGENCY_NAME  # noqa: E402
from vanthu.signing.testing.pki import build_test_pki  # noqa: E402
from vanthu.signing.testing.pki import signer_for  # noqa: E402
from vanthu.signing.testing.pki import validation_context  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20, help="rounds (default 20)")
    arguments = parser.parse_args()

    now = clock_now()
    pki = build_test_pki(now)
    person_signer = signer_for(pki, "person")
    agency_signer = signer_for(pki, "agency")
    draft = pdfs.decision_pdf()
    person_look = PersonSignature(
        image_png=pdfs.signature_png(), name=pdfs.DEFAULT_SIGNER_NAME, title=pdfs.DEFAULT_SIGNER_TITLE
    )
    agency_look = AgencySignature(
        seal_png=pdfs.seal_png(),
        agency_name=AGENCY_NAME,
        issuance=IssuanceStamp(number_symbol="15/QĐ-STC", issue_date_text="ngày 15 tháng 01 năm 2026"),
    )
    person_signed = sign_pdf(pdf=draft, signer=person_signer, appearance=person_look, now=now)
    both_signed = sign_pdf(pdf=person_signed, signer=agency_signer, appearance=agency_look, now=now)

    def bare_sign() -> bytes:
        output = signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(draft)),
            signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256"),
            signer=person_signer,
            bytes_reserved=16384,
        )
        return output.getvalue()  # type: ignore[no-any-return]

    def bare_validate() -> None:
        context = validation_context(pki, moment=now)
        for embedded in PdfFileReader(io.BytesIO(both_signed)).embedded_regular_signatures:
            status = asyncio.run(async_validate_pdf_signature(embedded, signer_validation_context=context))
            assert status.bottom_line  # noqa: S101 - a benchmark that checks its own work

    def ours_verify() -> None:
        report = verify_pdf(pdf=both_signed, trust_roots=[pki.root.cert], other_certs=[pki.intermediate.cert], now=now)
        assert report.all_valid  # noqa: S101

    operations: dict[str, Callable[[], object]] = {
        "sign, person visible (ours)": lambda: sign_pdf(
            pdf=draft, signer=person_signer, appearance=person_look, now=now
        ),
        "sign, agency seal + issuance (ours)": lambda: sign_pdf(
            pdf=person_signed, signer=agency_signer, appearance=agency_look, now=now
        ),
        "bare pyHanko sign, invisible": bare_sign,
        "verify, 2 signatures (ours)": ours_verify,
        "bare pyHanko validate, 2 signatures": bare_validate,
    }
    for operation in operations.values():  # warm caches (fonts, imports) once
        operation()
    timings: dict[str, list[float]] = {name: [] for name in operations}
    for _ in range(arguments.n):
        for name, operation in operations.items():
            started = time.perf_counter()
            operation()
            timings[name].append((time.perf_counter() - started) * 1000)

    medians = {name: statistics.median(values) for name, values in timings.items()}
    baseline = {
        "sign, person visible (ours)": "bare pyHanko sign, invisible",
        "sign, agency seal + issuance (ours)": "bare pyHanko sign, invisible",
        "verify, 2 signatures (ours)": "bare pyHanko validate, 2 signatures",
    }
    print(f"{arguments.n} rounds, document {len(draft) / 1024:.0f} KiB, two pages; times per document")
    print(f"{'operation':40} {'median ms':>10} {'p90 ms':>8} {'ratio':>7}")
    for name, values in timings.items():
        p90 = sorted(values)[max(0, int(len(values) * 0.9) - 1)]
        ratio = f"{medians[name] / medians[baseline[name]]:.2f}x" if name in baseline else "1.00x"
        print(f"{name:40} {medians[name]:10.1f} {p90:8.1f} {ratio:>7}")


if __name__ == "__main__":
    main()
