"""Shared pieces of the verification tests: a trust store holding the test root, signed and
tampered PDFs."""

from __future__ import annotations

from typing import Any

from vanthu.signing import services
from vanthu.signing.models import RevocationSettings
from vanthu.signing.models import TrustAnchor
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import signed_pair


def trust_the_test_root(actor: Any) -> TrustAnchor:
    """Put the test PKI's root into the trust store (as ``actor``, a provincial admin or superuser)."""
    return services.trust_anchor_add(data=build_test_pki(NOW).root.pem, actor=actor, now=NOW, name="Test Root CA")


def signed_pdf() -> bytes:
    """The decision signed by the person, then by the agency (two valid signatures)."""
    return signed_pair().agency


def tampered_pdf() -> bytes:
    """The signed decision with one byte flipped in a content stream of its first revision."""
    pair = signed_pair()
    draft = pair.draft
    start = draft.index(b"stream", draft.index(b"/Contents")) if b"/Contents" in draft else len(draft) // 2
    position = draft.index(b"stream", start) + 40
    tampered = bytearray(pair.agency)
    tampered[position] ^= 0x01
    return bytes(tampered)


def revocation_offline() -> None:
    """No online CRL/OCSP fetching in tests (the machine is offline; see the report on the
    engine's unclosed aiohttp session when fetching is on)."""
    RevocationSettings.objects.update_or_create(singleton=1, defaults={"is_online_check_enabled": False})
