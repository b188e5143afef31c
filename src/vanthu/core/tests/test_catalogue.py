"""The Vietnamese catalogue is complete: every English source string has a Vietnamese
translation, none is fuzzy, and the shipped .mo says what the .po says."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import vanthu

CATALOGUE = Path(vanthu.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext (msgfmt) is not installed")
def test_every_message_is_translated_and_none_is_fuzzy():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    statistics = result.stderr.strip().splitlines()[-1]
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics


@pytest.mark.parametrize(
    ("source", "vietnamese"),
    [
        ("My work", "Việc của tôi"),
        ("Sign in", "Đăng nhập"),
        ("Audit trail", "Nhật ký hệ thống"),
        ("Not found, or you may not see it.", "Không tìm thấy, hoặc bạn không có quyền xem."),
        ("Clerk", "Văn thư"),
    ],
)
def test_the_interface_speaks_vietnamese(source, vietnamese):
    with translation.override("vi"):
        assert translation.gettext(source) == vietnamese
