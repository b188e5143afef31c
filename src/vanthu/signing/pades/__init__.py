"""PAdES engine: sign and verify PDF documents with the appearances of Decree 30 (Appendix I).

Pure functions over bytes, no database: the signing services call them. ``sign_pdf`` adds one
signature as an incremental update; ``verify_pdf`` reports on every signature of a file.
"""

from __future__ import annotations

from vanthu.signing.pades.appearance import AgencySignature
from vanthu.signing.pades.appearance import CopyOrAnnexLine
from vanthu.signing.pades.appearance import IssuanceStamp
from vanthu.signing.pades.appearance import PersonSignature
from vanthu.signing.pades.appearance import Placement
from vanthu.signing.pades.appearance import Rect
from vanthu.signing.pades.errors import BrokenPdfError
from vanthu.signing.pades.errors import EncryptedPdfError
from vanthu.signing.pades.errors import NotAPdfError
from vanthu.signing.pades.sign import sign_pdf
from vanthu.signing.pades.verify import SignatureReport
from vanthu.signing.pades.verify import VerificationReport
from vanthu.signing.pades.verify import verify_pdf

__all__ = [
    "AgencySignature",
    "BrokenPdfError",
    "CopyOrAnnexLine",
    "EncryptedPdfError",
    "IssuanceStamp",
    "NotAPdfError",
    "PersonSignature",
    "Placement",
    "Rect",
    "SignatureReport",
    "VerificationReport",
    "sign_pdf",
    "verify_pdf",
]
