"""The signing agent's HTTP protocol (signing.agent_views): manifest, one-time download, upload
checked by check_agent_upload; every refusal answers {"code", "message", "details"}."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from vanthu.core.blobs import blob_read
from vanthu.signing import sessions
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import PersonSignature
from vanthu.signing.pades import sign_pdf
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests import sessions_support as support

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def certificate(officer: Any, pki: TestPki, now: datetime) -> Certificate:
    support.add_trust_store(pki, now)
    return certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)


def _appearance() -> PersonSignature:
    return PersonSignature(image_png=support.signature_png(), name="Nguyễn Văn Hùng", title="KT. GIÁM ĐỐC")


@pytest.fixture
def prepared(officer: Any, certificate: Certificate, now: datetime) -> sessions.PreparedSignature:
    return sessions.signature_prepare(
        pdf_sha256=support.store_pdf(now),
        method=SigningMethod.AGENT,
        certificate=certificate,
        appearance=_appearance(),
        actor=officer,
        now=now,
    )


def _url(name: str, prepared: sessions.PreparedSignature, **query: str) -> str:
    path = reverse(f"signing_agent:{name}", kwargs={"session_id": prepared.session.pk})
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def _manifest(client: Client, prepared: sessions.PreparedSignature) -> Any:
    return client.get(
        _url("manifest", prepared, token=prepared.download_token or "", upload_token=prepared.upload_token or "")
    )


def _signed_by(pki: TestPki, which: str, pdf: bytes, now: datetime) -> bytes:
    return sign_pdf(pdf=pdf, signer=signer_for(pki, which), appearance=_appearance(), now=now)  # type: ignore[arg-type]


def _put(client: Client, prepared: sessions.PreparedSignature, body: bytes, *, token: str | None = None) -> Any:
    return client.put(
        _url("signed", prepared, token=token or prepared.upload_token or ""), data=body, content_type="application/pdf"
    )


def _status(prepared: sessions.PreparedSignature) -> str:
    return SigningSession.objects.get(pk=prepared.session.pk).status


def test_the_manifest_tells_the_agent_everything(
    client: Client, prepared: sessions.PreparedSignature, certificate: Certificate
) -> None:
    response = _manifest(client, prepared)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["protocol"] == "vanthu-sign-agent/1"
    assert body["session_id"] == str(prepared.session.pk)
    assert body["document"]["sha256"] == prepared.session.source_sha256
    assert body["signature"]["field_name"] == prepared.session.field_name
    assert body["signature"]["appearance"]["type"] == "person"
    assert body["signature"]["certificate"]["sha256"] == certificate.fingerprint_sha256
    assert body["upload"]["method"] == "PUT"
    document = urlsplit(body["document"]["url"])
    assert document.scheme == "http"
    assert document.netloc == "testserver"
    assert parse_qs(document.query)["token"] == [prepared.download_token]
    assert parse_qs(urlsplit(body["upload"]["url"]).query)["token"] == [prepared.upload_token]


@pytest.mark.parametrize("which", ["download", "upload", "both"])
def test_a_wrong_token_gets_the_same_404_as_an_unknown_session(
    client: Client, prepared: sessions.PreparedSignature, which: str
) -> None:
    download = "wrong" if which in {"download", "both"} else prepared.download_token or ""
    upload = "wrong" if which in {"upload", "both"} else prepared.upload_token or ""
    response = client.get(_url("manifest", prepared, token=download, upload_token=upload))
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "details"}
    unknown = reverse("signing_agent:manifest", kwargs={"session_id": "00000000-0000-0000-0000-000000000000"})
    assert client.get(unknown + "?token=x&upload_token=y").json()["code"] == response.json()["code"]


def test_the_document_is_downloaded_once(client: Client, prepared: sessions.PreparedSignature) -> None:
    first = client.get(_url("document", prepared, token=prepared.download_token or ""))
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first.content == blob_read(sha256=prepared.session.source_sha256)
    assert client.get(_url("document", prepared, token=prepared.download_token or "")).status_code == 404
    # the manifest is gone with it
    assert _manifest(client, prepared).status_code == 404


def test_a_good_upload_completes_the_session(
    client: Client, prepared: sessions.PreparedSignature, pki: TestPki, now: datetime
) -> None:
    sent = blob_read(sha256=prepared.session.source_sha256)
    response = _put(client, prepared, _signed_by(pki, "person", sent, now))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == SigningStatus.COMPLETED
    assert blob_read(sha256=body["result_sha256"]).startswith(sent)
    # the upload token worked once
    again = _put(client, prepared, _signed_by(pki, "person", sent, now))
    assert again.status_code == 404


def test_an_upload_by_another_certificate_fails_the_session(
    client: Client, prepared: sessions.PreparedSignature, pki: TestPki, now: datetime
) -> None:
    sent = blob_read(sha256=prepared.session.source_sha256)
    response = _put(client, prepared, _signed_by(pki, "other_person", sent, now))
    assert response.status_code == 422
    assert response.json()["code"] == "agent_upload_wrong_certificate"
    assert _status(prepared) == SigningStatus.FAILED
    assert blob_read(sha256=prepared.session.source_sha256) == sent  # the original is untouched


def test_an_upload_that_changed_earlier_bytes_fails_the_session(
    client: Client, prepared: sessions.PreparedSignature, pki: TestPki, now: datetime
) -> None:
    sent = blob_read(sha256=prepared.session.source_sha256)
    tampered = bytearray(_signed_by(pki, "person", sent, now))
    position = tampered.index(b"/MediaBox")
    tampered[position + 1] = ord("m")
    response = _put(client, prepared, bytes(tampered))
    assert response.status_code == 422
    assert response.json()["code"] == "agent_upload_changed_document"
    assert _status(prepared) == SigningStatus.FAILED


def test_an_upload_with_two_new_signatures_is_refused(
    client: Client, prepared: sessions.PreparedSignature, pki: TestPki, now: datetime
) -> None:
    sent = blob_read(sha256=prepared.session.source_sha256)
    twice = sign_pdf(
        pdf=_signed_by(pki, "person", sent, now), signer=signer_for(pki, "person"), appearance=None, now=now
    )
    response = _put(client, prepared, twice)
    assert response.status_code == 422
    assert response.json()["code"] in {"agent_upload_signature_count", "agent_upload_not_incremental"}


def test_an_upload_that_is_not_a_pdf_is_refused(client: Client, prepared: sessions.PreparedSignature) -> None:
    response = _put(client, prepared, b"GIF89a not a pdf")
    assert response.status_code == 422
    assert response.json()["code"] == "agent_upload_not_a_pdf"


def test_an_upload_of_another_type_is_refused_before_reading(
    client: Client, prepared: sessions.PreparedSignature
) -> None:
    response = client.put(
        _url("signed", prepared, token=prepared.upload_token or ""), data=b"{}", content_type="application/json"
    )
    assert response.status_code == 415
    assert _status(prepared) == SigningStatus.PREPARED


def test_an_upload_with_a_wrong_token_changes_nothing(
    client: Client, prepared: sessions.PreparedSignature, pki: TestPki, now: datetime
) -> None:
    sent = blob_read(sha256=prepared.session.source_sha256)
    response = _put(client, prepared, _signed_by(pki, "person", sent, now), token="not-the-token")
    assert response.status_code == 404
    assert _status(prepared) == SigningStatus.PREPARED


def test_an_expired_session_is_refused(
    client: Client, prepared: sessions.PreparedSignature, monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    monkeypatch.setattr("vanthu.core.clock.now", lambda: now + timedelta(hours=1))
    response = _manifest(client, prepared)
    assert response.status_code == 409
    assert response.json()["code"] == "signing_session_expired"


def test_get_on_the_upload_url_is_not_allowed(client: Client, prepared: sessions.PreparedSignature) -> None:
    assert client.get(_url("signed", prepared, token=prepared.upload_token or "")).status_code == 405


def test_the_upload_needs_no_csrf_token(prepared: sessions.PreparedSignature, pki: TestPki, now: datetime) -> None:
    client = Client(enforce_csrf_checks=True)
    sent = blob_read(sha256=prepared.session.source_sha256)
    assert _put(client, prepared, _signed_by(pki, "person", sent, now)).status_code == 200
