"""The search page, its XLSX and the API: what the person may see, marked passages, Vietnamese
messages for queries that say nothing, structured 400s in the API."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.tests.factories import deliver
from vanthu.incoming.tests.factories import put_in_status
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

FLOODS = "Kế hoạch phòng, chống thiên tai, lụt bão và tìm kiếm cứu nạn năm 2026"


def client_for(person: Any) -> Client:
    """A session past the second factor (clerks and leaders need it)."""
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
def flood_plan(province: Any, agency: Any, other_agency: Any, officer: Any, now: datetime) -> Any:
    """The province's flood plan at both departments; Sở Tài chính's officer handles its copy."""
    leader = person_with_role(Role.AGENCY_LEADER, agency)
    copies = deliver(sender=province, recipients=[agency, other_agency], now=now, subject=FLOODS)
    mine = next(item for item in copies if item.agency_id == agency.pk)
    return put_in_status(mine, IncomingStatus.IN_PROGRESS, now=now, lead=officer, leader=leader)


class TestSearchPage:
    def test_the_officer_finds_the_plan_with_the_words_marked(self, flood_plan: Any, officer: Any) -> None:
        response = client_for(officer).get(reverse("search:search"), {"q": "lut bao"})

        page = response.content.decode()
        assert response.status_code == 200
        assert 'data-total="1"' in page
        assert f'href="/incoming/{flood_plan.pk}/"' in page
        assert "<mark>lụt</mark> <mark>bão</mark>" in page
        assert 'search-status">Đang xử lý<' in page

    def test_the_status_filter_lists_both_directions_and_narrows(self, flood_plan: Any, officer: Any) -> None:
        client = client_for(officer)

        in_progress = client.get(reverse("search:search"), {"q": "lut bao", "status": "INCOMING:IN_PROGRESS"})
        done = client.get(reverse("search:search"), {"q": "lut bao", "status": "INCOMING:DONE"})

        page = in_progress.content.decode()
        assert 'data-total="1"' in page
        assert '<optgroup label="Văn bản đến">' in page
        assert '<option value="OUTGOING:ISSUED">' in page
        assert 'data-total="0"' in done.content.decode()

    def test_an_officer_of_another_agency_finds_nothing_of_it(self, flood_plan: Any, other_officer: Any) -> None:
        page = client_for(other_officer).get(reverse("search:search"), {"q": "lụt bão"}).content.decode()
        assert 'data-total="0"' in page
        assert f"/incoming/{flood_plan.pk}/" not in page

    def test_a_query_that_says_nothing_is_told_in_vietnamese(self, officer: Any) -> None:
        from django.utils.translation import gettext

        response = client_for(officer).get(reverse("search:search"), {"q": "NOT lụt"})

        assert response.status_code == 422
        message = gettext("Say what to find as well as what to leave out (NOT alone finds everything).")
        assert message.replace("(", "") in response.content.decode().replace("(", "")

    def test_every_page_has_the_search_box(self, officer: Any) -> None:
        assert 'id="navbar-search-q"' in client_for(officer).get("/").content.decode()

    def test_the_results_export_holds_only_visible_documents(
        self, flood_plan: Any, officer: Any, province: Any, other_agency: Any, now: datetime
    ) -> None:
        deliver(
            sender=province,
            recipients=[other_agency],
            now=now,
            subject="Kế hoạch phòng chống lụt bão riêng của Sở Y tế",
        )

        response = client_for(officer).get(reverse("search:export"), {"q": "lụt bão"})

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        subjects = [row[4] for row in sheet.iter_rows(min_row=6, values_only=True)]
        assert subjects == [FLOODS]


class TestSearchApi:
    def test_results_counts_and_pages(self, flood_plan: Any, officer: Any, bearer_client: Any, now: datetime) -> None:
        body = bearer_client(officer, now=now).get("/api/v1/search/", {"q": '"tìm kiếm cứu nạn"'}).json()

        assert body["count"] == 1
        assert body["next"] == ""
        assert body["results"][0]["url"] == f"/incoming/{flood_plan.pk}/"
        assert body["results"][0]["subject"] == FLOODS
        assert body["facets"]["direction"] == {"INCOMING": 1}
        assert body["results"][0]["status"] == "Đang xử lý"

    def test_the_status_filter_and_a_wrong_status(
        self, flood_plan: Any, officer: Any, bearer_client: Any, now: datetime
    ) -> None:
        client = bearer_client(officer, now=now)

        done = client.get("/api/v1/search/", {"q": "lụt bão", "status": "INCOMING:DONE"})
        wrong = client.get("/api/v1/search/", {"q": "lụt bão", "status": "INCOMING:ISSUED"})

        assert (done.status_code, done.json()["count"]) == (200, 0)
        assert wrong.status_code == 400
        assert "status" in wrong.content.decode()

    def test_bad_input_is_a_structured_400(self, officer: Any, bearer_client: Any, now: datetime) -> None:
        client = bearer_client(officer, now=now)

        missing = client.get("/api/v1/search/")
        nothing = client.get("/api/v1/search/", {"q": "-lụt -bão"})
        cursor = client.get("/api/v1/search/", {"q": "lụt", "after": "rác"})

        assert missing.status_code in (400, 422)
        assert (nothing.status_code, nothing.json()["code"]) == (422, "only_negative")
        assert (cursor.status_code, cursor.json()["code"]) == (422, "bad_cursor")


class TestSavedSearches:
    def test_save_run_again_and_delete(self, flood_plan: Any, officer: Any, other_officer: Any) -> None:
        from vanthu.audit.models import AuditEvent
        from vanthu.search.models import SavedSearch

        client = client_for(officer)
        response = client.post(
            reverse("search:saved_create"),
            {"name": "Lụt bão 2026", "query_string": "q=lụt+bão&direction=INCOMING&after=xyz"},
        )

        saved = SavedSearch.objects.get(person=officer)
        assert response.status_code == 302
        assert saved.query_string == "q=l%E1%BB%A5t+b%C3%A3o&direction=INCOMING"  # the page cursor is not kept
        page = client.get(reverse("search:search")).content.decode()
        assert "Lụt bão 2026" in page
        assert 'data-total="1"' in client.get(f"{reverse('search:search')}?{saved.query_string}").content.decode()
        assert client_for(other_officer).post(reverse("search:saved_delete", args=[saved.pk])).status_code == 404
        client.post(reverse("search:saved_delete", args=[saved.pk]))
        assert not SavedSearch.objects.exists()
        assert AuditEvent.objects.filter(action__startswith="search.saved.").count() == 2

    def test_a_search_that_says_nothing_or_a_name_twice_is_not_saved(self, officer: Any) -> None:
        from vanthu.search.models import SavedSearch

        client = client_for(officer)
        client.post(reverse("search:saved_create"), {"name": "Rỗng", "query_string": "q=NOT+lụt"})
        client.post(reverse("search:saved_create"), {"name": "Ngân sách", "query_string": "q=ngân+sách"})
        response = client.post(
            reverse("search:saved_create"), {"name": "Ngân sách", "query_string": "q=dự+toán"}, follow=True
        )

        assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Ngân sách"]
        assert response.status_code == 200


class TestAgencyFilter:
    def test_someone_in_two_agencies_may_narrow_to_one(
        self, province: Any, agency: Any, other_agency: Any, now: datetime
    ) -> None:
        from vanthu.org.models import RoleAssignment

        clerk = person_with_role(Role.CLERK, agency)
        RoleAssignment.objects.create(person=clerk, agency=other_agency, role=Role.CLERK, valid_from=now)
        deliver(sender=province, recipients=[agency, other_agency], now=now, subject=FLOODS)
        client = client_for(clerk)

        both = client.get(reverse("search:search"), {"q": "lụt bão"}).content.decode()
        one = client.get(reverse("search:search"), {"q": "lụt bão", "agency": other_agency.pk}).content.decode()

        assert 'id="id_agency"' in both
        assert 'data-total="2"' in both
        assert 'data-total="1"' in one

    def test_someone_in_one_agency_has_no_agency_filter(self, officer: Any) -> None:
        assert 'id="id_agency"' not in client_for(officer).get(reverse("search:search"), {"q": "x"}).content.decode()
