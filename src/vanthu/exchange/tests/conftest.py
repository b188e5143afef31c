from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.documents.models import Document
from vanthu.exchange.tests.factories import issued_document
from vanthu.exchange.tests.factories import stored_pdf
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role


@pytest.fixture
def blob(db: None, now: datetime) -> Any:
    return stored_pdf(now)


@pytest.fixture
def document(agency: Any, clerk: Any) -> Document:
    return issued_document(agency=agency, created_by=clerk)


@pytest.fixture
def recipient_clerk(other_agency: Any) -> Any:
    return person_with_role(Role.CLERK, other_agency, full_name="Nguyễn Thị Văn Thư Nhận")


@pytest.fixture
def recipient_leader(other_agency: Any) -> Any:
    return person_with_role(Role.AGENCY_LEADER, other_agency, full_name="Lê Văn Giám Đốc Nhận")


def signed_in(person: Any) -> Any:
    """A browser session that has passed the second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def sent(document: Document, blob: Any, clerk: Any, other_agency: Any, now: datetime) -> Any:
    """The document sent to other_agency (inside the province) and by post to a ministry."""
    from vanthu.documents.models import Channel
    from vanthu.documents.models import DocumentRecipient
    from vanthu.exchange.services import deliveries_send
    from vanthu.exchange.tests.factories import agency_recipient
    from vanthu.exchange.tests.factories import external_recipient

    agency_recipient(document, other_agency)
    external_recipient(document, name="Bộ Tài chính", channel=Channel.POST, address="28 Trần Hưng Đạo", ordinal=1)
    recipients = list(DocumentRecipient.objects.filter(document=document))
    return deliveries_send(document=document, recipients=recipients, blob_sha256=blob.sha256, actor=clerk, now=now)
