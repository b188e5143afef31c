"""The past of the demo province (loaded when ``vanthu.org.demo.demo_load`` sends
``demo_province_loaded``, after the outgoing and incoming parts: ``vanthu.ops`` comes after them in
INSTALLED_APPS, so its receiver is connected, and called, after theirs): a year of documents of
every active agency of the demo — issued electronically or on paper, received from the province and
from outside, registered, directed and completed on time or late, a few still open — with their
audit events, so the statistics and the compliance board show real curves at once
(``vanthu.ops.scale.history`` tells the story).

Loaded once: the history leaves an ``ops.demo.history_loaded`` event in the global audit chain;
when it is there, nothing is added. ``VANTHU_DEMO_HISTORY = False`` (the test settings) leaves the
demo without its past."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from vanthu.audit import services as audit
from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.documents.digitise import pdf_text
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.services.text import document_text_refresh
from vanthu.ops import events
from vanthu.ops.scale.history import HistoryReport
from vanthu.ops.scale.history import history_write
from vanthu.org import demo_data
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.reports.services import periodic_reports_generate
from vanthu.reports.services import rollups_catch_up

SYSTEM_USERNAME = "he-thong"  # the demo's system account (vanthu.org.demo)
TEXT_BATCH = 500


def demo_agencies() -> list[Agency]:
    """The active agencies of the demo province: the provincial committee, its bodies and
    departments, the communes and wards (not the districts and wards merged in 2025)."""
    province_code = demo_data.PROVINCE[2]
    codes = {province_code}
    codes |= {f"000.00.{level2}.H56" for _name, _abbreviation, _kind, level2 in demo_data.PROVINCIAL_AGENCIES}
    codes |= {
        f"000.{level3}.{demo_data.COMMUNE_GROUP}.H56" for _name, _abbreviation, _kind, level3 in demo_data.COMMUNES
    }
    return list(Agency.objects.filter(code_qcvn102__in=codes, valid_to__isnull=True).order_by("id"))


def demo_history_loaded() -> bool:
    return AuditEvent.objects.filter(action=events.DEMO_HISTORY_LOADED).exists()


def demo_history_load(*, now: datetime) -> HistoryReport | None:
    """Write the year before ``now`` of the demo province, once; None when it is already there (or
    the demo province is not)."""
    system = Person.objects.filter(username=SYSTEM_USERNAME).first()
    agencies = demo_agencies()
    if system is None or not agencies or agencies[0].parent_id is not None or demo_history_loaded():
        return None
    before = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    report = history_write(agencies=agencies, now=now)
    # The text of the shared PDF files (read once each), then the searchable text of the new
    # documents, as the services keep it.
    for sha256 in set(report.files):
        text = pdf_text(blob_read(sha256=sha256))
        if text:
            DocumentFile.objects.filter(pdf_id=sha256, text="").update(text=text)
    written = list(Document.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(written), TEXT_BATCH):
        document_text_refresh(document_ids=written[start : start + TEXT_BATCH], now=now)
    audit.record(
        action=events.DEMO_HISTORY_LOADED,
        actor=system,
        agency=None,
        now=now,
        data={
            "documents": report.documents,
            "outgoing": report.outgoing,
            "incoming": report.incoming,
            "still_open": report.still_open,
            "events": report.events,
        },
    )
    return report


def on_demo_province_loaded(sender: object, *, now: datetime, with_passwords: bool, **kwargs: object) -> None:
    """Receiver of ``vanthu.org.signals.demo_province_loaded`` (after the outgoing and incoming parts')."""
    if getattr(settings, "VANTHU_DEMO_HISTORY", True):
        if demo_history_load(now=now) is not None:
            # What the daily jobs would have done: the months rolled up, last month's report kept.
            rollups_catch_up(now=now)
            periodic_reports_generate(now=now, force=True)
