"""The SMS interface. Operators plug a real gateway in by naming its class in
``VANTHU_SMS_GATEWAY``; the default writes messages to the log."""

from __future__ import annotations

import logging
from typing import ClassVar
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("vanthu.sms")


class SmsGateway(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LoggingSmsGateway:
    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsGateway:
    """For tests: keeps what was sent."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def sms_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.VANTHU_SMS_GATEWAY)()
    return gateway
