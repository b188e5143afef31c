"""Remote signing of the hash survives a restart: one process prepares and keeps only the state
(what a session stores in ``prepared_state``), another process finishes from that state alone."""

from __future__ import annotations

import subprocess  # noqa: S404 - runs this project's own Python
import sys
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from vanthu.signing.testing.pki import TestPki
from vanthu.signing.tests import sessions_support as support

PREPARE = """
import sys
from datetime import datetime
from pathlib import Path
import django
django.setup()
from vanthu.signing import signers
from vanthu.signing.pades import PersonSignature
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import build_test_pki
work, now = Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2])
pki = build_test_pki(now)
appearance = PersonSignature(image_png=pdfs.signature_png(), name=pdfs.DEFAULT_SIGNER_NAME, title="GIÁM ĐỐC")
prepared = signers.remote_prepare(
    pdf=(work / "source.pdf").read_bytes(), certificate_der=pki.person.der, chain_der=[pki.intermediate.der],
    appearance=appearance, now=now,
)
(work / "state.bin").write_bytes(prepared.state)
(work / "digest.txt").write_text(prepared.digest_hex)
"""

FINISH = """
import sys
from pathlib import Path
import django
django.setup()
from vanthu.signing import signers
work = Path(sys.argv[1])
signed = signers.remote_finish(
    state=(work / "state.bin").read_bytes(), signature_value=(work / "value.bin").read_bytes()
)
(work / "signed.pdf").write_bytes(signed)
"""


def _run(script: str, *args: str) -> None:
    env = {"DJANGO_SETTINGS_MODULE": "vanthu.config.settings.test", "PATH": "/usr/bin:/bin"}
    import os

    env.update({key: value for key, value in os.environ.items() if key.startswith(("VANTHU_", "PYTHON", "HOME"))})
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr[-3000:]


@pytest.mark.heavy  # two fresh Python processes: about 8 s
def test_prepared_in_one_process_finished_in_another(tmp_path: Path, pki: TestPki, now: datetime) -> None:
    source = support.decision_pdf()
    (tmp_path / "source.pdf").write_bytes(source)

    _run(PREPARE, str(tmp_path), now.isoformat())
    digest_hex = (tmp_path / "digest.txt").read_text()
    # the remote signer (the person's token) signs the digest
    value = pki.person.key.sign(bytes.fromhex(digest_hex), ec.ECDSA(Prehashed(hashes.SHA256())))
    (tmp_path / "value.bin").write_bytes(value)
    _run(FINISH, str(tmp_path))

    signed = (tmp_path / "signed.pdf").read_bytes()
    assert signed.startswith(source)
    report = support.verify(pki, signed, now)
    assert report.all_valid
    assert report.signatures[0].signer is not None
    assert report.signatures[0].signer.sha256 == pki.person.fingerprint_sha256
