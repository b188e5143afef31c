"""Plain data for the accounts templates."""

from __future__ import annotations

import base64
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_totp.models import TOTPDevice


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, usable in <img src> under our Content-Security-Policy."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def two_factor_setup(*, device: TOTPDevice) -> dict[str, Any]:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    uri = device.config_url
    return {
        "otpauth_uri": uri,
        "qr_code": qr_code_data_uri(uri),
        "secret": secret,
        "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "digits": device.digits,
        "period": device.step,
    }
