"""The signature report kept by incoming_verify is shown line by line on the detail page."""

from __future__ import annotations

from vanthu.incoming.presenters import verification_lines


def test_reads_the_report_as_incoming_verify_stores_it() -> None:
    stored = {
        "format": 1,
        "verified_at": "2026-03-10T09:00:00+07:00",
        "report": {
            "signature_count": 2,
            "signatures": [
                {
                    "signer": {"common_name": "Phạm Quang Huy"},
                    "signing_time": "2026-03-10T08:00:00+07:00",
                    "valid": True,
                    "summary": "Hợp lệ",
                },
                {
                    "signer": {"common_name": "Sở Tài chính"},
                    "signing_time": None,
                    "valid": False,
                    "summary": "Không tin cậy",
                },
            ],
        },
    }

    lines = verification_lines(stored)

    assert [(line["signer"], line["valid"]) for line in lines] == [("Phạm Quang Huy", True), ("Sở Tài chính", False)]
    assert lines[0]["summary"] == "Hợp lệ"


def test_nothing_stored_gives_no_line() -> None:
    assert verification_lines(None) == []
