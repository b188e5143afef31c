"""Sending one issued document to many agencies of the province: ``exchange.services.deliveries_send``.

    .venv/bin/python benchmarks/bench_delivery.py            # 10, 50, 200 recipients, 5 rounds each
    .venv/bin/python benchmarks/bench_delivery.py --full     # and 1000 recipients
    .venv/bin/python benchmarks/bench_delivery.py --smoke    # 10 recipients, once (CI smoke)

It builds a throw-away database of its own (the test settings: SQLite in memory, or PostgreSQL when
VANTHU_TEST_DATABASE_URL names a server — a ``test_…`` database is created and dropped), a
province with N agencies each with a clerk, and times the whole send — one transaction: the
deliveries and their first status, the audit event, the clerks' notifications and the
``delivery_arrived`` signal — for a new document each round. It prints the median time per call,
the time per recipient and the number of SQL queries, which must not grow with N (on SQLite,
Django splits bulk inserts at 999 parameters, so the count there grows by one query per 62
deliveries; PostgreSQL stays flat).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanthu.config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from vanthu.core.blobs import blob_store_bytes  # noqa: E402
from vanthu.documents.models import Direction  # noqa: E402
from vanthu.documents.models import Document  # noqa: E402
from vanthu.documents.models import DocumentRecipient  # noqa: E402
from vanthu.documents.models import DocumentType  # noqa: E402
from vanthu.documents.models import RecipientKind  # noqa: E402
from vanthu.exchange.services import deliveries_send  # noqa: E402
from vanthu.org.models import Agency  # noqa: E402
from vanthu.org.models import AgencyKind  # noqa: E402
from vanthu.org.models import Person  # noqa: E402
from vanthu.org.models import Role  # noqa: E402
from vanthu.org.models import RoleAssignment  # noqa: E402
from vanthu.signing.testing.pdfs import decision_pdf  # noqa: E402

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _province(size: int) -> tuple[Agency, Person, list[Agency]]:
    province = Agency.objects.create(
        name="UBND tỉnh Thử nghiệm",
        abbreviation="UBND",
        kind=AgencyKind.PROVINCE,
        place_name="Thanh Hóa",
        valid_from=date(2020, 1, 1),
        code_qcvn102="000.00.00.Z98",
    )
    sender = Agency.objects.create(
        name="Sở Tài chính",
        abbreviation="STC",
        kind=AgencyKind.DEPARTMENT,
        parent=province,
        place_name="Thanh Hóa",
        valid_from=date(2020, 1, 1),
        code_qcvn102="000.00.01.Z98",
    )
    recipients = Agency.objects.bulk_create(
        [
            Agency(
                name=f"Cơ quan nhận {n}",
                abbreviation=f"CQ{n}",
                kind=AgencyKind.COMMUNE,
                parent=province,
                place_name="Thanh Hóa",
                valid_from=date(2020, 1, 1),
                code_qcvn102=f"000.{n // 99 % 99 + 1:02d}.{n % 99 + 1:02d}.Z99",
            )
            for n in range(size)
        ]
    )
    clerk = Person.objects.create(username="vanthu-stc", full_name="Văn thư Sở Tài chính")
    people = Person.objects.bulk_create([Person(username=f"vanthu-{n}", full_name=f"Văn thư {n}") for n in range(size)])
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(person=clerk, agency=sender, role=Role.CLERK, valid_from=EPOCH)]
        + [
            RoleAssignment(person=person, agency=agency, role=Role.CLERK, valid_from=EPOCH)
            for person, agency in zip(people, recipients, strict=True)
        ]
    )
    return sender, clerk, recipients


def _document(
    sender: Agency, clerk: Person, recipients: list[Agency], number: int
) -> tuple[Document, list[DocumentRecipient]]:
    document = Document.objects.create(
        direction=Direction.OUTGOING,
        agency=sender,
        document_type=DocumentType.objects.get(code="QĐ", agency=None),
        number=number,
        symbol="QĐ-STC",
        subject="Về việc phân bổ ngân sách",
        created_by=clerk,
    )
    rows = DocumentRecipient.objects.bulk_create(
        [
            DocumentRecipient(document=document, ordinal=n, kind=RecipientKind.AGENCY, agency=agency, name=agency.name)
            for n, agency in enumerate(recipients)
        ]
    )
    return document, rows


def run(sizes: list[int], rounds: int) -> None:
    blob = blob_store_bytes(data=decision_pdf(pages=1), now=NOW)
    biggest = max(sizes)
    sender, clerk, agencies = _province(biggest)
    number = 0
    print(f"database: {connection.vendor}; rounds per size: {rounds}")
    print(f"{'recipients':>10} {'median ms':>10} {'ms/recipient':>13} {'queries':>8}")
    for size in sizes:
        times: list[float] = []
        queries = 0
        for _ in range(rounds + 1):  # the first round warms up (and opens the audit chain)
            number += 1
            document, recipients = _document(sender, clerk, agencies[:size], number)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                with transaction.atomic():
                    deliveries = deliveries_send(
                        document=document, recipients=recipients, blob_sha256=blob.sha256, actor=clerk, now=NOW
                    )
                elapsed = time.perf_counter() - start
            if len(deliveries) != size:
                raise SystemExit(f"expected {size} deliveries, got {len(deliveries)}")
            times.append(elapsed)
            queries = len(captured)
        median = statistics.median(times[1:])
        print(f"{size:>10} {median * 1000:>10.1f} {median * 1000 / size:>13.2f} {queries:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per size (default 5)")
    parser.add_argument("--full", action="store_true", help="also 1000 recipients")
    parser.add_argument("--smoke", action="store_true", help="10 recipients, one round")
    arguments = parser.parse_args()
    sizes, rounds = (
        ([10], 1) if arguments.smoke else ([10, 50, 200, 1000] if arguments.full else [10, 50, 200], arguments.rounds)
    )

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(sizes, rounds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
