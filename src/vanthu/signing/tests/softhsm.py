"""A SoftHSM2 token for tests: a temporary token directory and configuration, the test PKI's agency
key imported with ``softhsm2-util`` and its certificate with python-pkcs11.

SoftHSM reads ``SOFTHSM2_CONF`` when the module is first initialised in a process, and pyHanko keeps
the module loaded: so one token per test process, made on first use; each test PKI day's key is
imported into it under its own label."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess  # noqa: S404 - runs softhsm2-util, a fixed local tool
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vanthu.signing.testing.pki import Issued

SOFTHSM_UTIL = shutil.which("softhsm2-util") or "/usr/bin/softhsm2-util"
MODULE_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "vanthu-test-token"
PIN = "123456"
SO_PIN = "12345678"


@dataclass(frozen=True)
class SoftHsmToken:
    module_path: str
    token_label: str
    key_label: str
    pin: str


def module_path() -> str | None:
    configured = os.environ.get("VANTHU_TEST_PKCS11_MODULE")
    candidates = (configured, *MODULE_CANDIDATES) if configured else MODULE_CANDIDATES
    found = next((path for path in candidates if path and Path(path).exists()), None)
    return found if found and Path(SOFTHSM_UTIL).exists() else None


_TOKEN_DIRECTORY: list[Path] = []
_IMPORTED: set[str] = set()


def token_with_key(directory_factory: Callable[[], Path], issued: Issued, key_label: str) -> SoftHsmToken:
    """The process's token (made on first use in a directory from ``directory_factory``) holding
    ``issued``'s key and certificate under ``key_label`` (imported once)."""
    module = module_path()
    if module is None:
        raise RuntimeError("SoftHSM2 is not installed")
    if not _TOKEN_DIRECTORY:
        _TOKEN_DIRECTORY.append(_init_token(directory_factory()))
    directory = _TOKEN_DIRECTORY[0]
    if key_label not in _IMPORTED:
        _import_key(directory, issued, key_label)
        _import_certificate(module, issued, key_label)
        _IMPORTED.add(key_label)
    return SoftHsmToken(module_path=module, token_label=TOKEN_LABEL, key_label=key_label, pin=PIN)


def _run_util(directory: Path, *args: str) -> None:
    env = {**os.environ, "SOFTHSM2_CONF": str(directory / "softhsm2.conf")}
    subprocess.run([SOFTHSM_UTIL, *args], check=True, capture_output=True, env=env)  # noqa: S603


def _init_token(directory: Path) -> Path:
    tokens = directory / "tokens"
    tokens.mkdir(parents=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the module when this process first loads it
    _run_util(directory, "--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", SO_PIN, "--pin", PIN)
    return directory


def _key_id(key_label: str) -> bytes:
    return hashlib.sha256(key_label.encode()).digest()[:8]


def _import_key(directory: Path, issued: Issued, key_label: str) -> None:
    key_file = directory / f"{key_label}.pem"
    key_file.write_bytes(issued.key_pem)
    try:
        _run_util(
            directory,
            "--import",
            str(key_file),
            "--token",
            TOKEN_LABEL,
            "--label",
            key_label,
            "--id",
            _key_id(key_label).hex(),
            "--pin",
            PIN,
        )
    finally:
        key_file.unlink()


def _import_certificate(module: str, issued: Issued, key_label: str) -> None:
    import pkcs11
    from pkcs11 import Attribute
    from pkcs11 import CertificateType
    from pkcs11 import ObjectClass
    from pyhanko.sign.pkcs11 import p11_lib

    token = p11_lib(module).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: key_label,
                Attribute.ID: _key_id(key_label),
                Attribute.SUBJECT: issued.cert.subject.public_bytes(),
                Attribute.VALUE: issued.der,
            }
        )
    del pkcs11
