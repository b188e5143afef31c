"""The incoming part of the demo province: every demo role finds incoming work, loaded once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.test import override_settings

from vanthu.core.clock import vietnam_date
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import FileRole
from vanthu.documents.models import Origin
from vanthu.incoming.demo import demo_incoming_load
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.selectors import queue_counts
from vanthu.org.demo import DEMO_PASSWORD
from vanthu.org.demo import demo_load
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.signing.demo import SEAL_SECRET_NAME

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]


@pytest.fixture(autouse=True)
def _demo_secret() -> Iterator[None]:
    with override_settings(VANTHU_SIGNING_KEY_SECRETS={SEAL_SECRET_NAME: DEMO_PASSWORD}):
        yield


def _agency(abbreviation: str, *, root: bool = False) -> Agency:
    return Agency.objects.get(abbreviation=abbreviation, valid_to__isnull=True, parent__isnull=root)


def _statuses(agency: Agency) -> list[tuple[str, str, str]]:
    return sorted(
        (item.status, item.source, item.document.document_type.code)
        for item in Incoming.objects.filter(agency=agency, recall_requested_at__isnull=True)
    )


def test_the_demo_province_shows_incoming_documents_in_every_state_and_loads_once(
    now: datetime, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the scans' OCR tasks run after the commit
        demo_load(now=now, with_passwords=False)
    demo_incoming_load(now=now)  # a no-op when IncomingConfig.ready connects the receiver

    science, ward, province = _agency("SKHCN"), _agency("HT"), _agency("UBND", root=True)
    assert _statuses(science) == [
        (IncomingStatus.ARRIVED, IncomingSource.INTERNAL, "TB"),
        (IncomingStatus.ARRIVED, IncomingSource.PAPER, "GM"),
        (IncomingStatus.DIRECTED, IncomingSource.ELECTRONIC, "CONG_VAN"),
        (IncomingStatus.DONE, IncomingSource.ELECTRONIC, "CONG_VAN"),
        (IncomingStatus.IN_PROGRESS, IncomingSource.INTERNAL, "QĐ"),
    ]
    assert _statuses(ward) == [
        (IncomingStatus.ARRIVED, IncomingSource.INTERNAL, "TB"),
        (IncomingStatus.DIRECTED, IncomingSource.INTERNAL, "QĐ"),
        (IncomingStatus.DIRECTED, IncomingSource.PAPER, "CONG_VAN"),
    ]
    assert _statuses(province) == [
        (IncomingStatus.ARRIVED, IncomingSource.INTERNAL, "TB"),
        (IncomingStatus.REGISTERED, IncomingSource.INTERNAL, "QĐ"),
    ]
    # Arrival numbers follow the arrival dates at Sở KH&CN.
    registered = Incoming.objects.filter(agency=science, arrival_number__isnull=False).order_by("arrival_number")
    assert [item.arrival_number for item in registered] == [1, 2, 3]
    assert [item.arrival_at for item in registered] == sorted(item.arrival_at for item in registered)  # type: ignore[type-var]

    in_progress = Incoming.objects.get(agency=science, status=IncomingStatus.IN_PROGRESS)
    roles = sorted(
        (a.role, a.unit.abbreviation if a.unit else "", a.person_id is not None) for a in in_progress.assignments.all()
    )  # type: ignore[union-attr]
    assert roles == [
        (AssignmentRole.COOPERATE, "BCVT", False),
        (AssignmentRole.INFORM, "VP", False),
        (AssignmentRole.LEAD, "CĐS", False),
        (AssignmentRole.LEAD, "CĐS", True),
    ]
    officer = Person.objects.get(username="chuyenvien.cds.skhcn")
    assert in_progress.assignments.get(person=officer).role == AssignmentRole.LEAD
    assert in_progress.due_date is not None
    assert in_progress.due_date >= vietnam_date(now)

    today = vietnam_date(now)
    overdue = Assignment.objects.filter(
        incoming__agency=science, status=AssignmentStatus.OPEN, due_date__lt=today, role=AssignmentRole.LEAD
    )
    assert overdue.count() == 2  # the unit's part and its officer's
    late = overdue.first()
    assert late is not None
    assert late.incoming.status == IncomingStatus.DIRECTED
    assert late.incoming.due_date is not None
    assert late.incoming.due_date < today

    for directed_at_ward in Incoming.objects.filter(agency=ward, status=IncomingStatus.DIRECTED):
        assert directed_at_ward.directed_by == Person.objects.get(username="chutich.ht")
        assert directed_at_ward.assignments.get().person == Person.objects.get(username="chuyenvien.ht")
    ward_numbers = Incoming.objects.filter(agency=ward, arrival_number__isnull=False).order_by("arrival_number")
    assert [item.arrival_at for item in ward_numbers] == sorted(item.arrival_at for item in ward_numbers)  # type: ignore[type-var]

    # The paper letters were scanned and read by OCR (immediate tasks in tests): their Vietnamese text is kept.
    for paper in Incoming.objects.filter(source=IncomingSource.PAPER).select_related("document"):
        assert paper.document.origin == Origin.DIGITISED
        main = DocumentFile.objects.get(version_id=paper.document.current_version_id, role=FileRole.MAIN)
        assert main.conversion_status == ConversionStatus.DONE
        assert main.pdf_id is not None
        words = {"trân trọng", "Thanh Hóa"}
        assert all(word in main.text for word in words), main.text[:300]

    assert _statuses(_agency("STC")) == [(IncomingStatus.DIRECTED, IncomingSource.ELECTRONIC, "CONG_VAN")]

    # Every demo person who handles incoming documents finds work in one of their queues.
    expected = {
        "vanthu.ubnd": "to_register",
        "chutich.ubnd": "to_direct",
        "vanthu.skhcn": "to_register",
        "truongphong.cds.skhcn": "to_handle",
        "chuyenvien.cds.skhcn": "to_handle",
        "truongphong.bcvt.skhcn": "cooperate",
        "truongphong.vp.skhcn": "inform",
        "chuyenvien.bcvt.skhcn": "overdue",
        "giamdoc.skhcn": "done",
        "truongphong.qlns.stc": "to_handle",
        "chuyenvien.qlns.stc": "due_soon",
        "truongphong.vp.stc": "inform",
        "vanthu.ht": "to_register",
        "chuyenvien.ht": "to_handle",
    }
    for username, queue in expected.items():
        counts = queue_counts(person=Person.objects.get(username=username), now=now)
        assert counts[queue] >= 1, (username, counts)

    before = (Incoming.objects.count(), Assignment.objects.count())
    demo_incoming_load(now=now)
    assert (Incoming.objects.count(), Assignment.objects.count()) == before
