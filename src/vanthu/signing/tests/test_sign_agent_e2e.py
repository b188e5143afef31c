# ruff: noqa: S310 - the tests talk HTTP to loopback servers they started
"""End to end over the real protocol: the live Vanthu server, the signing agent (``vanthu
sign-agent``) on a free loopback port, the browser's request replayed with its Origin header."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.signing import events
from vanthu.signing import sessions
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import PersonSignature
from vanthu.signing.pades import verify_pdf
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.sign_agent import AgentConfig
from vanthu.signing.sign_agent import load_agent_key
from vanthu.signing.sign_agent import make_server
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.tests import sessions_support as support

pytestmark = pytest.mark.usefixtures("frozen_clock")
PASSWORD = "mat-khau-token"  # noqa: S105 - a test key


@pytest.fixture
def live_db(transactional_db: None, audit_reset_permit: None, live_server: Any) -> Any:
    """The live server shares the test database: transactional, with the audit reset permitted."""
    return live_server


@pytest.fixture
def certificate(live_db: Any, officer: Any, pki: TestPki, now: datetime) -> Certificate:
    support.add_trust_store(pki, now)
    return certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)


def _agent(pki: TestPki, which: str, origin: str, now: datetime) -> Iterator[str]:
    issued = pki[which]  # type: ignore[index]
    data = pkcs12_bytes(issued.cert, issued.key, [pki.intermediate.cert], PASSWORD.encode())
    config = AgentConfig(origin=origin, key=load_agent_key(data, PASSWORD), now=lambda: now)
    server = make_server(config, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def agent(pki: TestPki, live_server: Any, now: datetime) -> Iterator[str]:
    yield from _agent(pki, "person", live_server.url, now)


@pytest.fixture
def wrong_agent(pki: TestPki, live_server: Any, now: datetime) -> Iterator[str]:
    yield from _agent(pki, "other_person", live_server.url, now)


def _prepare(officer: Any, certificate: Certificate, now: datetime, live_server: Any) -> tuple[SigningSession, str]:
    prepared = sessions.signature_prepare(
        pdf_sha256=support.store_pdf(now),
        method=SigningMethod.AGENT,
        certificate=certificate,
        appearance=PersonSignature(image_png=support.signature_png(), name="Nguyễn Văn Hùng", title="KT. GIÁM ĐỐC"),
        actor=officer,
        now=now,
    )
    path = reverse("signing_agent:manifest", kwargs={"session_id": prepared.session.pk})
    query = urlencode({"token": prepared.download_token, "upload_token": prepared.upload_token})
    return prepared.session, f"{live_server.url}{path}?{query}"


def _post(url: str, body: dict[str, Any] | bytes, *, origin: str | None) -> tuple[int, dict[str, str], Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if origin is not None:
        headers["Origin"] = origin
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_the_agent_signs_over_the_real_protocol(
    officer: Any, certificate: Certificate, agent: str, live_server: Any, pki: TestPki, now: datetime
) -> None:
    session, manifest_url = _prepare(officer, certificate, now, live_server)
    status, headers, body = _post(f"{agent}/sign", {"manifest_url": manifest_url}, origin=live_server.url)
    assert status == 200, body
    assert headers["Access-Control-Allow-Origin"] == live_server.url
    assert body["status"] == "signed"
    assert body["result"]["status"] == SigningStatus.COMPLETED
    session.refresh_from_db()
    assert session.status == SigningStatus.COMPLETED
    assert session.download_token_used_at is not None
    assert session.upload_token_used_at is not None
    signed = blob_read(sha256=session.result_sha256 or "")
    assert signed.startswith(blob_read(sha256=session.source_sha256))
    report = verify_pdf(pdf=signed, trust_roots=[pki.root.der], other_certs=[pki.intermediate.der], now=now)
    assert report.signature_count == 1
    assert report.all_valid
    assert report.signatures[0].field_name == session.field_name
    event = AuditEvent.objects.get(action=events.SIGNATURE_APPLIED)
    assert event.data["sha256_after"] == session.result_sha256


def test_an_agent_with_another_certificate_refuses_and_nothing_is_downloaded(
    officer: Any, certificate: Certificate, wrong_agent: str, live_server: Any, now: datetime
) -> None:
    session, manifest_url = _prepare(officer, certificate, now, live_server)
    status, _, body = _post(f"{wrong_agent}/sign", {"manifest_url": manifest_url}, origin=live_server.url)
    assert status == 409
    assert body["code"] == "agent_certificate_mismatch"
    session.refresh_from_db()
    assert session.status == SigningStatus.PREPARED
    assert session.download_token_used_at is None


def test_the_agent_serves_the_vanthu_origin_only(
    officer: Any, certificate: Certificate, agent: str, live_server: Any, now: datetime
) -> None:
    session, manifest_url = _prepare(officer, certificate, now, live_server)
    status, headers, body = _post(f"{agent}/sign", {"manifest_url": manifest_url}, origin="https://evil.example")
    assert status == 403
    assert "Access-Control-Allow-Origin" not in headers
    # a manifest on another server is refused even from the right page
    status, _, body = _post(f"{agent}/sign", {"manifest_url": "http://127.0.0.2:9/manifest"}, origin=live_server.url)
    assert (status, body["code"]) == (403, "agent_foreign_url")
    status, _, body = _post(f"{agent}/sign", b"not json", origin=live_server.url)
    assert (status, body["code"]) == (400, "agent_bad_request")
    # the CORS preflight names the Vanthu origin and allows the loopback request
    request = urllib.request.Request(
        f"{agent}/sign",
        method="OPTIONS",
        headers={"Origin": live_server.url, "Access-Control-Request-Method": "POST"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == live_server.url
        assert response.headers["Access-Control-Allow-Private-Network"] == "true"
    session.refresh_from_db()
    assert session.status == SigningStatus.PREPARED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_sign_agent_command_starts_and_reports_its_certificate(pki: TestPki, tmp_path: Path, now: datetime) -> None:
    key_file = tmp_path / "agent.p12"
    key_file.write_bytes(pkcs12_bytes(pki.person.cert, pki.person.key, [pki.intermediate.cert], PASSWORD.encode()))
    port = _free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vanthu.config.settings.test",
        "VANTHU_SIGN_AGENT_PKCS12": str(key_file),
        "VANTHU_SIGN_AGENT_PASSWORD": PASSWORD,
    }
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "vanthu.cli", "sign-agent", "--port", str(port), "--origin", "http://vanthu.test"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline().decode()
        assert f"127.0.0.1:{port}" in first_line
        assert pki.person.fingerprint_sha256 in first_line
        request = urllib.request.Request(f"http://127.0.0.1:{port}/status", headers={"Origin": "http://vanthu.test"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
        assert body["certificate"]["sha256"] == pki.person.fingerprint_sha256
        assert body["protocol"] == "vanthu-sign-agent/1"
    finally:
        process.terminate()
        process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
