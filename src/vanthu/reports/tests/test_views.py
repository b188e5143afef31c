"""The statistics screens over the known world: the table with its links, the documents behind a
number, the exports, the compliance board, and who may open them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from vanthu.reports.tests.world import World
from vanthu.reports.tests.world import at

pytestmark = [pytest.mark.django_db]

APRIL = {"period": "month", "year": "2026", "number": "4"}


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    from vanthu.core import clock

    monkeypatch.setattr(clock, "now", lambda: at(11, 26))


def signed_in(person: Any) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.usefixtures("later")
def test_an_inspector_reads_the_month_opens_a_number_and_exports_it(world: World, inspector: Any) -> None:
    client = signed_in(inspector)

    page = client.get(reverse("reports:statistics"), APRIL).content.decode()
    assert "Tháng 4/2026" in page
    assert "gồm Sở Kế hoạch và Đầu tư (14/04/2026)" in page
    link = f'measure=out_paper&amp;agency={world.stc.pk}"'
    assert link in page
    listed = client.get(reverse("reports:documents"), {**APRIL, "measure": "out_paper", "agency": world.stc.pk})
    text = listed.content.decode()
    assert 'data-total="2"' in text
    assert "Công văn P1 ký giấy" in text
    assert "Công văn P0 của Sở Kế hoạch và Đầu tư" in text

    workbook = client.get(reverse("reports:export_xlsx"), APRIL)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert any("Sở Tài chính" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    pdf = client.get(reverse("reports:export_pdf"), APRIL)
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")


@pytest.mark.usefixtures("later")
def test_the_compliance_board_shows_stc_red_in_april(
    world: World, inspector: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanthu.core import clock

    monkeypatch.setattr(clock, "now", lambda: at(5, 10))  # the last closed month is April
    page = signed_in(inspector).get(reverse("reports:compliance")).content.decode()

    assert f'data-agency="{world.stc.pk}" data-light="red"' in page  # 0 % issued electronically
    assert 'id="on-paper"' in page
    assert f'class="mb-1 on-paper-agency" data-agency="{world.stc.pk}"' in page


@pytest.mark.usefixtures("later")
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "month", "year": "2026", "number": "13"}, "12"),
        ({"period": "custom", "date_from": "2026-05-01", "date_to": "2026-04-01"}, "trước"),
        ({"period": "decade", "year": "2026"}, ""),
    ],
)
def test_a_wrong_period_is_a_clear_400(inspector: Any, query: dict[str, str], message: str) -> None:
    response = signed_in(inspector).get(reverse("reports:statistics"), query)

    assert response.status_code == 400
    assert 'id="period-error"' in response.content.decode()
    assert message in response.content.decode()


@pytest.mark.usefixtures("later")
@pytest.mark.parametrize("name", ["statistics", "compliance", "generated"])
def test_an_officer_is_refused(officer: Any, name: str) -> None:
    assert signed_in(officer).get(reverse(f"reports:{name}")).status_code == 403


@pytest.mark.usefixtures("later")
def test_the_api_gives_the_table_and_refuses_clearly(
    world: World, inspector: Any, officer: Any, bearer_client: Any
) -> None:
    now = at(11, 26)
    body = bearer_client(inspector, now=now).get("/api/v1/reports/statistics/", APRIL).json()
    stc = next(row for row in body["rows"] if row["agency_id"] == world.stc.pk)
    bad = bearer_client(inspector, now=now).get("/api/v1/reports/statistics/", {"period": "month", "number": "13"})
    refused = bearer_client(officer, now=now).get("/api/v1/reports/statistics/", APRIL)

    assert body["period"] == "Tháng 4/2026"
    assert (stc["values"]["out_paper"], stc["values"]["in_processed_rate"]) == (2, 50.0)
    assert next(c for c in body["columns"] if c["key"] == "avg_days")["kind"] == "days"
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_period")
    assert refused.status_code == 403


@pytest.mark.usefixtures("later")
def test_the_provinces_inspector_changes_a_target_and_nobody_else(inspector: Any, agency_leader: Any) -> None:
    from vanthu.audit.models import AuditEvent
    from vanthu.reports.models import DirectiveTarget

    change = {"level": "COMMUNE", "starts_on": "2020-10-01", "target_rate": "100", "warning_rate": "85"}
    inspector_client = signed_in(inspector)

    assert signed_in(agency_leader).post(reverse("reports:target_change"), change).status_code == 403
    wrong = inspector_client.post(reverse("reports:target_change"), change | {"warning_rate": "101"}, follow=True)
    assert not DirectiveTarget.objects.exists()
    assert "alert" in wrong.content.decode()
    inspector_client.post(reverse("reports:target_change"), change)

    target = DirectiveTarget.objects.get(level="COMMUNE")
    assert (target.starts_on, target.target_rate, target.warning_rate) == (date(2020, 10, 1), 100, 85)
    assert AuditEvent.objects.filter(action="reports.target.changed").count() == 1
    page = inspector_client.get(reverse("reports:compliance")).content.decode()
    assert 'value="2020-10-01"' in page


@pytest.mark.usefixtures("later")
def test_the_provinces_inspector_changes_and_adds_evaluation_rules(inspector: Any, agency_leader: Any) -> None:
    from vanthu.audit.models import AuditEvent
    from vanthu.reports.models import ScoreRule

    rule = ScoreRule.objects.get(measure="on_time_rate", comparison="LT")
    change = {"pk": rule.pk, f"r{rule.pk}-label": "Đúng hạn dưới 60 %", f"r{rule.pk}-measure": "on_time_rate",
              f"r{rule.pk}-comparison": "LT", f"r{rule.pk}-threshold": "60", f"r{rule.pk}-points": "-3",
              f"r{rule.pk}-is_active": "on"}  # fmt: skip
    new = {"new-label": "Không còn văn bản quá hạn", "new-measure": "open_overdue", "new-comparison": "LT",
           "new-threshold": "1", "new-points": "1", "new-is_active": "on"}  # fmt: skip
    client = signed_in(inspector)

    assert signed_in(agency_leader).post(reverse("reports:rule_save"), change).status_code == 403
    client.post(reverse("reports:rule_save"), change | {f"r{rule.pk}-points": "0"})
    assert ScoreRule.objects.get(pk=rule.pk).points == -1  # 0 points refused, nothing changed
    client.post(reverse("reports:rule_save"), change)
    client.post(reverse("reports:rule_save"), new)

    rule.refresh_from_db()
    assert (rule.label, rule.threshold, rule.points) == ("Đúng hạn dưới 60 %", 60.0, -3)
    assert ScoreRule.objects.filter(label="Không còn văn bản quá hạn", points=1).exists()
    assert AuditEvent.objects.filter(action="reports.score_rule.saved").count() == 2
    assert "Không còn văn bản quá hạn" in client.get(reverse("reports:rules")).content.decode()
