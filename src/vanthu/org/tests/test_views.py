"""The organisation pages (and the home page, the error pages and the read-only admin site):
each page for each relevant role (200 / 403 / 404), the forms' error paths (4xx, nothing
written), and bounded query counts."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.audit.models import AuditEvent
from vanthu.core import clock
from vanthu.notify.services import notification_send
from vanthu.org import services
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit
from vanthu.org.tests.checks import nothing_written
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def signed_in(client: Client, person: Any) -> Client:
    """A session that has passed the second factor (roles such as ADMIN require it)."""
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def text(response: Any) -> str:
    return response.content.decode()


def vietnamese(message: str) -> str:
    """The text the page shows (Vietnamese once the lead's catalogue is compiled)."""
    with translation.override("vi"):
        return gettext(message)


@pytest.fixture
def merged_ward(province: Any, agency: Any) -> Any:
    """A commune that ended on 30 June 2025, merged into ``agency``."""
    return AgencyFactory(
        name="Phường Điện Biên (cũ)",
        abbreviation="ĐB",
        parent=province,
        kind="WARD",
        valid_to=date(2025, 6, 30),
        successor=agency,
    )


# --- home --------------------------------------------------------------------------------


class TestHomePage:
    def test_sends_anonymous_visitors_to_sign_in(self, client: Client) -> None:
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_shows_my_roles_and_name_in_vietnamese_layout(self, client: Client, officer: Any) -> None:
        response = signed_in(client, officer).get("/")
        assert response.status_code == 200
        body = text(response)
        assert '<html lang="vi">' in body
        assert "Hoàng Văn Chuyên Viên" in body
        assert "Sở Tài chính" in body
        assert "Phòng Ngân sách" in body
        assert 'id="card-audit"' not in body

    def test_shows_delegations_held_and_unread_notifications(
        self, client: Client, officer: Any, agency_leader: Any, agency: Any
    ) -> None:
        DelegationFactory(
            delegator=agency_leader,
            delegate=officer,
            agency=agency,
            role=Role.AGENCY_LEADER,
            reason="Đi công tác Hà Nội",
        )
        notification_send(recipients=[officer], title="Văn bản mới cần xử lý", now=clock.now(), url="/org/")
        body = text(signed_in(client, officer).get("/"))
        assert 'id="card-delegations"' in body
        assert "Đi công tác Hà Nội" in body
        assert "Văn bản mới cần xử lý" in body
        assert 'id="bell-count"' in body

    def test_links_admins_and_inspectors_to_the_audit_trail(self, client: Client, inspector: Any) -> None:
        body = text(signed_in(client, inspector).get("/"))
        assert 'id="card-audit"' in body
        assert reverse("audit:event_list") in body

    def test_has_a_friendly_empty_state_for_a_person_without_role(self, client: Client, outsider: Any) -> None:
        response = signed_in(client, outsider).get("/")
        assert response.status_code == 200
        assert "empty-state" in text(response)

    def test_query_count_is_bounded(
        self, client: Client, officer: Any, agency: Any, django_assert_max_num_queries: Any
    ) -> None:
        for index in range(10):
            unit = UnitFactory(agency=agency)
            RoleAssignment.objects.create(
                person=officer,
                agency=agency,
                unit=unit,
                role=Role.OFFICER,
                valid_from=clock.now() - timedelta(days=index + 1),
            )
        notification_send(recipients=[officer] * 1, title="Thông báo", now=clock.now())
        signed_in(client, officer)
        with django_assert_max_num_queries(28):  # + the outgoing and incoming queue counts (one aggregate each)
            response = client.get("/")
        assert response.status_code == 200


class TestShell:
    def test_serves_the_layout_with_csp_friendly_assets(self, client: Client, officer: Any) -> None:
        body = text(signed_in(client, officer).get("/"))
        assert 'name="csrf-token"' in body
        assert "vendor/bootstrap/css/bootstrap.min.css" in body
        assert "vendor/htmx/htmx.min.js" in body
        assert 'rel="manifest"' in body
        assert 'name="theme-color"' in body
        assert 'id="messages"' in body
        assert " style=" not in body
        assert "onclick" not in body
        assert "<script>" not in body
        assert reverse("accounts:logout") in body
        assert 'action="/i18n/setlang/"' in body

    def test_shows_the_demo_badge_only_in_demo_mode(self, client: Client, officer: Any, settings: Any) -> None:
        signed_in(client, officer)
        assert "badge-demo" not in text(client.get("/"))
        settings.VANTHU_DEMO = True
        assert "badge-demo" in text(client.get("/"))

    def test_navigation_follows_the_roles(self, client: Client, officer: Any, inspector: Any) -> None:
        officer_body = text(signed_in(client, officer).get("/"))
        assert reverse("org:agency_list") in officer_body
        assert reverse("audit:event_list") not in officer_body
        inspector_body = text(signed_in(Client(), inspector).get("/"))
        assert reverse("audit:event_list") in inspector_body

    def test_the_language_switcher_changes_the_language(self, client: Client, officer: Any) -> None:
        signed_in(client, officer)
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        assert '<html lang="en">' in text(client.get("/"))

    def test_vendored_libraries_carry_their_licences(self) -> None:
        from django.contrib.staticfiles import finders

        for path in (
            "vendor/bootstrap/LICENSE",
            "vendor/bootstrap-icons/LICENSE",
            "vendor/htmx/LICENSE",
            "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
            "img/icon-192.png",
            "img/icon-512.png",
            "js/vanthu.js",
            "css/vanthu.css",
        ):
            assert finders.find(path), path

    def test_unknown_page_is_a_404_page_in_the_layout(self, client: Client, officer: Any) -> None:
        response = signed_in(client, officer).get("/khong-co-trang-nay/")
        assert response.status_code == 404
        assert 'id="error-page"' in text(response)


# --- agency list -------------------------------------------------------------------------


class TestAgencyList:
    def test_shows_the_tree_to_a_role_holder(
        self, client: Client, officer: Any, other_agency: Any, merged_ward: Any
    ) -> None:
        response = signed_in(client, officer).get(reverse("org:agency_list"))
        assert response.status_code == 200
        body = text(response)
        assert "UBND tỉnh Thanh Hóa" in body
        assert "Sở Tài chính" in body
        assert "Sở Y tế" in body
        assert "000.00.01.H56" in body
        assert "agency-ceased" in body
        assert "01/07/2025" in body

    def test_shows_nothing_to_a_person_without_role(self, client: Client, outsider: Any, agency: Any) -> None:
        response = signed_in(client, outsider).get(reverse("org:agency_list"))
        assert response.status_code == 200
        assert "Sở Tài chính" not in text(response)

    def test_folded_search_finds_thanh_hoa(self, client: Client, officer: Any, other_agency: Any) -> None:
        response = signed_in(client, officer).get(reverse("org:agency_list"), {"q": "thanh hoa"})
        body = text(response)
        assert 'class="list-group-item agency-result' in body
        assert "UBND tỉnh Thanh Hóa" in body
        assert ">Sở Y tế<" not in body

    def test_htmx_search_returns_only_the_results(self, client: Client, officer: Any) -> None:
        response = signed_in(client, officer).get(
            reverse("org:agency_list"), {"q": "tai chinh"}, HTTP_HX_REQUEST="true"
        )
        body = text(response)
        assert body.lstrip().startswith('<div id="agency-results"')
        assert "<html" not in body
        assert "Sở Tài chính" in body
        assert "HX-Request" in response["Vary"]

    def test_query_count_does_not_grow_with_the_province(
        self, client: Client, officer: Any, province: Any, django_assert_max_num_queries: Any
    ) -> None:
        for _index in range(40):
            AgencyFactory(parent=province)
        signed_in(client, officer)
        with django_assert_max_num_queries(20):
            assert client.get(reverse("org:agency_list")).status_code == 200


# --- agency detail -----------------------------------------------------------------------


class TestAgencyDetail:
    def test_shows_data_units_and_people_to_a_member(
        self, client: Client, officer: Any, clerk: Any, agency: Any
    ) -> None:
        body = text(signed_in(client, officer).get(reverse("org:agency_detail", args=[agency.pk])))
        assert "000.00.01.H56" in body
        assert "Phòng Ngân sách" in body
        assert "Lê Thị Văn Thư" in body
        assert 'id="agency-actions"' not in body or reverse("org:agency_edit", args=[agency.pk]) not in body

    def test_hides_the_people_from_another_agency(
        self, client: Client, other_officer: Any, clerk: Any, agency: Any
    ) -> None:
        response = signed_in(client, other_officer).get(reverse("org:agency_detail", args=[agency.pk]))
        assert response.status_code == 200
        assert "Lê Thị Văn Thư" not in text(response)

    def test_is_a_404_for_a_person_without_role(self, client: Client, outsider: Any, agency: Any) -> None:
        response = signed_in(client, outsider).get(reverse("org:agency_detail", args=[agency.pk]))
        assert response.status_code == 404
        assert "Sở Tài chính" not in text(response)

    def test_is_a_404_for_an_agency_that_does_not_exist(self, client: Client, officer: Any) -> None:
        assert signed_in(client, officer).get(reverse("org:agency_detail", args=[999_999])).status_code == 404

    def test_offers_the_admin_buttons_to_the_agency_admin(self, client: Client, admin: Any, agency: Any) -> None:
        body = text(signed_in(client, admin).get(reverse("org:agency_detail", args=[agency.pk])))
        for name in ("agency_edit", "unit_create", "person_create", "role_assign", "agency_merge", "delegation_create"):
            assert reverse(f"org:{name}", args=[agency.pk]) in body, name

    def test_shows_the_merge_on_both_sides(self, client: Client, officer: Any, agency: Any, merged_ward: Any) -> None:
        signed_in(client, officer)
        successor_page = text(client.get(reverse("org:agency_detail", args=[agency.pk])))
        assert 'id="merge-history"' in successor_page
        assert "Phường Điện Biên (cũ)" in successor_page
        merged_page = text(client.get(reverse("org:agency_detail", args=[merged_ward.pk])))
        assert 'id="agency-ceased-note"' in merged_page
        assert "01/07/2025" in merged_page

    def test_query_count_is_bounded(
        self, client: Client, admin: Any, agency: Any, django_assert_max_num_queries: Any
    ) -> None:
        for index in range(15):
            unit = UnitFactory(agency=agency)
            person_with_role(Role.OFFICER, agency, unit, full_name=f"Cán Bộ {index}")
        signed_in(client, admin)
        # Constant whatever the number of units and people (policies re-read the grants a few times).
        with django_assert_max_num_queries(40):
            assert client.get(reverse("org:agency_detail", args=[agency.pk])).status_code == 200


# --- agency forms ------------------------------------------------------------------------


def agency_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Sở Nội vụ",
        "abbreviation": "SNV",
        "kind": "DEPARTMENT",
        "code_qcvn102": "000.00.03.H56",
        "code_qd20": "",
        "place_name": "Thanh Hóa",
        "valid_from": "2025-07-01",
    }
    data.update(overrides)
    return data


class TestAgencyCreate:
    def test_province_admin_creates_a_department(self, client: Client, province_admin: Any, province: Any) -> None:
        signed_in(client, province_admin)
        response = client.post(f"{reverse('org:agency_create')}?parent={province.pk}", agency_data())
        created = Agency.objects.get(code_qcvn102="000.00.03.H56")
        assert response.status_code == 302
        assert response["Location"] == reverse("org:agency_detail", args=[created.pk])
        assert created.parent_id == province.pk
        assert created.abbreviation == "SNV"
        assert AuditEvent.objects.filter(action="org.agency.created", target_id=str(created.pk)).exists()

    def test_refuses_an_invalid_code_with_a_vietnamese_error_and_writes_nothing(
        self, client: Client, province_admin: Any, province: Any
    ) -> None:
        signed_in(client, province_admin)
        with nothing_written():
            response = client.post(
                f"{reverse('org:agency_create')}?parent={province.pk}", agency_data(code_qcvn102="H56-000")
            )
        assert response.status_code == 422
        body = text(response)
        assert 'id="id_code_qcvn102_error"' in body
        assert vietnamese("The agency code must look like 000.00.00.H56 (QCVN 102:2016).") in body
        assert 'aria-invalid="true"' in body

    def test_refuses_a_duplicate_abbreviation_under_one_parent(
        self, client: Client, province_admin: Any, province: Any, agency: Any
    ) -> None:
        signed_in(client, province_admin)
        with nothing_written():
            response = client.post(
                f"{reverse('org:agency_create')}?parent={province.pk}", agency_data(abbreviation="STC")
            )
        assert response.status_code == 409
        assert 'id="id_abbreviation_error"' in text(response)

    def test_refuses_a_missing_field_with_422(self, client: Client, province_admin: Any, province: Any) -> None:
        signed_in(client, province_admin)
        with nothing_written():
            response = client.post(f"{reverse('org:agency_create')}?parent={province.pk}", agency_data(name=""))
        assert response.status_code == 422

    def test_is_a_403_for_an_officer(self, client: Client, officer: Any, province: Any) -> None:
        response = signed_in(client, officer).get(f"{reverse('org:agency_create')}?parent={province.pk}")
        assert response.status_code == 403

    def test_is_a_403_for_an_agency_admin_at_the_top_level(self, client: Client, admin: Any) -> None:
        assert signed_in(client, admin).get(reverse("org:agency_create")).status_code == 403

    def test_is_a_404_for_an_outsider(self, client: Client, outsider: Any, province: Any) -> None:
        assert (
            signed_in(client, outsider).get(f"{reverse('org:agency_create')}?parent={province.pk}").status_code == 404
        )


class TestAgencyEdit:
    def test_agency_admin_renames_the_agency(self, client: Client, admin: Any, agency: Any) -> None:
        signed_in(client, admin)
        response = client.post(
            reverse("org:agency_edit", args=[agency.pk]),
            agency_data(
                name="Sở Tài chính tỉnh Thanh Hóa",
                abbreviation="STC",
                code_qcvn102="000.00.01.H56",
                valid_from="2020-01-01",
            ),
        )
        assert response.status_code == 302
        agency.refresh_from_db()
        assert agency.name == "Sở Tài chính tỉnh Thanh Hóa"

    def test_form_starts_from_the_current_values(self, client: Client, admin: Any, agency: Any) -> None:
        body = text(signed_in(client, admin).get(reverse("org:agency_edit", args=[agency.pk])))
        assert 'value="000.00.01.H56"' in body
        assert 'value="Sở Tài chính"' in body

    def test_is_a_403_for_the_admin_of_another_agency(self, client: Client, admin: Any, other_agency: Any) -> None:
        assert signed_in(client, admin).get(reverse("org:agency_edit", args=[other_agency.pk])).status_code == 403

    def test_is_a_403_for_an_officer(self, client: Client, officer: Any, agency: Any) -> None:
        signed_in(client, officer)
        with nothing_written():
            response = client.post(
                reverse("org:agency_edit", args=[agency.pk]), agency_data(code_qcvn102="000.00.01.H56")
            )
        assert response.status_code == 403


class TestAgencyMerge:
    def test_province_admin_merges_an_agency(
        self, client: Client, province_admin: Any, agency: Any, other_agency: Any
    ) -> None:
        signed_in(client, province_admin)
        response = client.post(
            reverse("org:agency_merge", args=[other_agency.pk]),
            {"successor": agency.pk, "effective_date": "2026-03-01", "confirm": "on"},
        )
        assert response.status_code == 302
        other_agency.refresh_from_db()
        assert other_agency.successor_id == agency.pk
        assert other_agency.valid_to == date(2026, 2, 28)

    def test_needs_the_confirmation(self, client: Client, province_admin: Any, agency: Any, other_agency: Any) -> None:
        signed_in(client, province_admin)
        with nothing_written():
            response = client.post(
                reverse("org:agency_merge", args=[other_agency.pk]),
                {"successor": agency.pk, "effective_date": "2026-03-01"},
            )
        assert response.status_code == 422

    def test_refuses_a_date_before_the_agency_began(
        self, client: Client, province_admin: Any, agency: Any, other_agency: Any
    ) -> None:
        signed_in(client, province_admin)
        with nothing_written():
            response = client.post(
                reverse("org:agency_merge", args=[other_agency.pk]),
                {"successor": agency.pk, "effective_date": "2019-01-01", "confirm": "on"},
            )
        assert response.status_code == 422
        assert 'id="form-errors"' in text(response)

    def test_does_not_offer_the_agency_itself_as_successor(
        self, client: Client, province_admin: Any, other_agency: Any
    ) -> None:
        signed_in(client, province_admin)
        response = client.post(
            reverse("org:agency_merge", args=[other_agency.pk]),
            {"successor": other_agency.pk, "effective_date": "2026-03-01", "confirm": "on"},
        )
        assert response.status_code == 422


# --- units, people, roles ----------------------------------------------------------------


class TestUnitCreate:
    def test_agency_admin_adds_a_unit(self, client: Client, admin: Any, agency: Any) -> None:
        response = signed_in(client, admin).post(
            reverse("org:unit_create", args=[agency.pk]), {"name": "Phòng Quản lý Giá", "abbreviation": "QLG"}
        )
        assert response.status_code == 302
        assert Unit.objects.filter(agency=agency, abbreviation="QLG").exists()

    def test_refuses_a_duplicate_abbreviation(self, client: Client, admin: Any, agency: Any, unit: Any) -> None:
        signed_in(client, admin)
        with nothing_written():
            response = client.post(
                reverse("org:unit_create", args=[agency.pk]), {"name": "Phòng khác", "abbreviation": "NS"}
            )
        assert response.status_code == 409
        assert 'id="id_abbreviation_error"' in text(response)

    def test_is_a_403_for_a_clerk(self, client: Client, clerk: Any, agency: Any) -> None:
        assert signed_in(client, clerk).get(reverse("org:unit_create", args=[agency.pk])).status_code == 403


class TestPersonCreate:
    def test_admin_adds_a_person_then_gives_a_role(self, client: Client, admin: Any, agency: Any, unit: Any) -> None:
        signed_in(client, admin)
        response = client.post(
            reverse("org:person_create", args=[agency.pk]),
            {"username": "nguyenvana", "full_name": "Nguyễn Văn A", "email": "a@thanhhoa.gov.vn"},
        )
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('org:role_assign', args=[agency.pk])}?person=nguyenvana"
        form_page = text(client.get(response["Location"]))
        assert 'value="nguyenvana"' in form_page
        response = client.post(
            reverse("org:role_assign", args=[agency.pk]),
            {"person": "nguyenvana", "role": Role.OFFICER, "unit": unit.pk},
        )
        assert response.status_code == 302
        person = Person.objects.get(username="nguyenvana")
        assert RoleAssignment.objects.filter(person=person, agency=agency, unit=unit, role=Role.OFFICER).exists()

    def test_refuses_a_taken_username(self, client: Client, admin: Any, agency: Any, officer: Any) -> None:
        signed_in(client, admin)
        with nothing_written():
            response = client.post(
                reverse("org:person_create", args=[agency.pk]),
                {"username": officer.username.upper(), "full_name": "Trùng Tên"},
            )
        assert response.status_code == 409
        assert 'id="id_username_error"' in text(response)

    def test_refuses_a_weak_password(self, client: Client, admin: Any, agency: Any) -> None:
        signed_in(client, admin)
        with nothing_written():
            response = client.post(
                reverse("org:person_create", args=[agency.pk]),
                {"username": "yeu", "full_name": "Mật Khẩu Yếu", "password": "123"},
            )
        assert response.status_code == 422
        assert 'id="id_password_error"' in text(response)

    def test_is_a_403_for_the_admin_of_another_agency(self, client: Client, admin: Any, other_agency: Any) -> None:
        assert signed_in(client, admin).get(reverse("org:person_create", args=[other_agency.pk])).status_code == 403


class TestRoleAssign:
    def test_refuses_an_unknown_username(self, client: Client, admin: Any, agency: Any) -> None:
        signed_in(client, admin)
        with nothing_written():
            response = client.post(
                reverse("org:role_assign", args=[agency.pk]), {"person": "khongco", "role": Role.OFFICER}
            )
        assert response.status_code == 422
        assert 'id="id_person_error"' in text(response)

    def test_refuses_a_unit_leader_without_unit(self, client: Client, admin: Any, agency: Any, officer: Any) -> None:
        signed_in(client, admin)
        with nothing_written():
            response = client.post(
                reverse("org:role_assign", args=[agency.pk]), {"person": officer.username, "role": Role.UNIT_LEADER}
            )
        assert response.status_code == 422
        assert 'id="form-errors"' in text(response)

    def test_admin_ends_a_role_from_the_person_page(self, client: Client, admin: Any, officer: Any) -> None:
        assignment = RoleAssignment.objects.get(person=officer)
        signed_in(client, admin)
        page = text(client.get(reverse("org:person_detail", args=[officer.pk])))
        assert reverse("org:role_end", args=[assignment.pk]) in page
        response = client.post(reverse("org:role_end", args=[assignment.pk]))
        assert response.status_code == 302
        assignment.refresh_from_db()
        assert assignment.valid_to is not None

    def test_an_officer_cannot_end_a_colleagues_role(self, client: Client, officer: Any, clerk: Any) -> None:
        assignment = RoleAssignment.objects.get(person=clerk)
        signed_in(client, officer)
        with nothing_written():
            response = client.post(reverse("org:role_end", args=[assignment.pk]))
        assert response.status_code == 403

    def test_a_role_of_an_invisible_person_is_a_404(self, client: Client, other_officer: Any, clerk: Any) -> None:
        assignment = RoleAssignment.objects.get(person=clerk)
        assert signed_in(client, other_officer).post(reverse("org:role_end", args=[assignment.pk])).status_code == 404


class TestPersonDetail:
    def test_a_colleague_is_visible(self, client: Client, officer: Any, clerk: Any) -> None:
        response = signed_in(client, officer).get(reverse("org:person_detail", args=[clerk.pk]))
        assert response.status_code == 200
        assert "Lê Thị Văn Thư" in text(response)
        assert "Sở Tài chính" in text(response)

    def test_everybody_sees_themself(self, client: Client, outsider: Any) -> None:
        assert signed_in(client, outsider).get(reverse("org:person_detail", args=[outsider.pk])).status_code == 200

    def test_a_person_of_another_agency_is_a_404(self, client: Client, other_officer: Any, clerk: Any) -> None:
        response = signed_in(client, other_officer).get(reverse("org:person_detail", args=[clerk.pk]))
        assert response.status_code == 404
        assert "Lê Thị Văn Thư" not in text(response)

    def test_an_inspector_of_the_province_sees_everybody(
        self, client: Client, inspector: Any, other_officer: Any
    ) -> None:
        assert (
            signed_in(client, inspector).get(reverse("org:person_detail", args=[other_officer.pk])).status_code == 200
        )


# --- delegations -------------------------------------------------------------------------


def delegation_data(**overrides: Any) -> dict[str, Any]:
    starts = clock.vietnam_time(clock.now()) + timedelta(hours=1)
    data = {
        "delegate": "",
        "role": Role.AGENCY_LEADER,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "Đi công tác",
    }
    data.update(overrides)
    return data


class TestDelegationCreate:
    def test_the_holder_delegates_their_role(
        self, client: Client, agency_leader: Any, officer: Any, agency: Any
    ) -> None:
        signed_in(client, agency_leader)
        response = client.post(
            reverse("org:delegation_create", args=[agency.pk]), delegation_data(delegate=officer.username)
        )
        assert response.status_code == 302
        delegation = Delegation.objects.get()
        assert (delegation.delegator_id, delegation.delegate_id, delegation.role) == (
            agency_leader.pk,
            officer.pk,
            Role.AGENCY_LEADER,
        )

    def test_the_holder_cannot_name_another_delegator(
        self, client: Client, agency_leader: Any, officer: Any, clerk: Any, agency: Any
    ) -> None:
        signed_in(client, agency_leader)
        client.post(
            reverse("org:delegation_create", args=[agency.pk]),
            delegation_data(delegate=officer.username, delegator=clerk.username),
        )
        assert Delegation.objects.get().delegator_id == agency_leader.pk

    def test_refuses_a_delegation_that_ends_before_it_starts(
        self, client: Client, agency_leader: Any, officer: Any, agency: Any
    ) -> None:
        signed_in(client, agency_leader)
        starts = clock.vietnam_time(clock.now()) + timedelta(days=2)
        with nothing_written():
            response = client.post(
                reverse("org:delegation_create", args=[agency.pk]),
                delegation_data(
                    delegate=officer.username,
                    starts_at=starts.strftime("%Y-%m-%dT%H:%M"),
                    ends_at=(starts - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                ),
            )
        assert response.status_code == 422
        assert 'id="id_ends_at_error"' in text(response)

    def test_refuses_an_overlapping_delegation(
        self, client: Client, agency_leader: Any, officer: Any, clerk: Any, agency: Any
    ) -> None:
        signed_in(client, agency_leader)
        client.post(reverse("org:delegation_create", args=[agency.pk]), delegation_data(delegate=officer.username))
        with nothing_written():
            response = client.post(
                reverse("org:delegation_create", args=[agency.pk]), delegation_data(delegate=clerk.username)
            )
        assert response.status_code == 409

    def test_offers_a_holder_only_the_roles_they_hold(
        self, client: Client, officer: Any, clerk: Any, agency: Any
    ) -> None:
        signed_in(client, officer)
        body = text(client.get(reverse("org:delegation_create", args=[agency.pk])))
        assert f'value="{Role.OFFICER}"' in body
        assert f'value="{Role.AGENCY_LEADER}"' not in body
        with nothing_written():
            response = client.post(
                reverse("org:delegation_create", args=[agency.pk]),
                delegation_data(delegate=clerk.username, role=Role.AGENCY_LEADER),
            )
        assert response.status_code == 422

    def test_an_admin_delegates_for_the_holder(
        self, client: Client, admin: Any, agency_leader: Any, officer: Any, agency: Any
    ) -> None:
        signed_in(client, admin)
        response = client.post(
            reverse("org:delegation_create", args=[agency.pk]),
            delegation_data(delegator=agency_leader.username, delegate=officer.username),
        )
        assert response.status_code == 302
        assert Delegation.objects.get().delegator_id == agency_leader.pk

    def test_is_a_403_for_a_person_with_no_role_in_the_agency(
        self, client: Client, other_officer: Any, agency: Any
    ) -> None:
        assert (
            signed_in(client, other_officer).get(reverse("org:delegation_create", args=[agency.pk])).status_code == 403
        )

    def test_is_a_404_for_an_outsider(self, client: Client, outsider: Any, agency: Any) -> None:
        assert signed_in(client, outsider).get(reverse("org:delegation_create", args=[agency.pk])).status_code == 404


class TestDelegationRevoke:
    @pytest.fixture
    def delegation(self, agency_leader: Any, officer: Any, agency: Any) -> Delegation:
        return services.delegation_create(
            delegator=agency_leader,
            delegate=officer,
            agency=agency,
            role=Role.AGENCY_LEADER,
            starts_at=clock.now() - timedelta(hours=1),
            ends_at=clock.now() + timedelta(days=2),
            reason="Nghỉ phép",
            actor=agency_leader,
            now=clock.now(),
        )

    def test_the_delegator_revokes_it(self, client: Client, agency_leader: Any, delegation: Delegation) -> None:
        signed_in(client, agency_leader)
        assert client.get(reverse("org:delegation_revoke", args=[delegation.pk])).status_code == 200
        response = client.post(reverse("org:delegation_revoke", args=[delegation.pk]))
        assert response.status_code == 302
        delegation.refresh_from_db()
        assert delegation.revoked_at is not None

    def test_shows_on_the_delegates_home_page_and_the_agency_page(
        self, client: Client, officer: Any, agency_leader: Any, agency: Any, delegation: Delegation
    ) -> None:
        assert "Nghỉ phép" in text(signed_in(client, officer).get("/"))
        body = text(signed_in(Client(), agency_leader).get(reverse("org:agency_detail", args=[agency.pk])))
        assert reverse("org:delegation_revoke", args=[delegation.pk]) in body

    def test_the_delegate_cannot_revoke_it(self, client: Client, officer: Any, delegation: Delegation) -> None:
        signed_in(client, officer)
        with nothing_written():
            response = client.post(reverse("org:delegation_revoke", args=[delegation.pk]))
        assert response.status_code == 404

    def test_ignores_an_unsafe_next_address(self, client: Client, agency_leader: Any, delegation: Delegation) -> None:
        signed_in(client, agency_leader)
        page = text(client.get(reverse("org:delegation_revoke", args=[delegation.pk]), {"next": "javascript:alert(1)"}))
        assert "javascript:" not in page
        response = client.post(
            reverse("org:delegation_revoke", args=[delegation.pk]), {"next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("org:agency_detail", args=[delegation.agency_id])


# --- errors and htmx ---------------------------------------------------------------------


class TestErrorPages:
    def test_a_domain_error_is_a_page_with_its_status(self, client: Client, officer: Any, province: Any) -> None:
        response = signed_in(client, officer).get(f"{reverse('org:agency_create')}?parent={province.pk}")
        assert response.status_code == 403
        body = text(response)
        assert 'id="error-page"' in body
        assert 'data-status="403"' in body

    def test_a_domain_error_under_htmx_is_a_fragment_for_the_messages_area(
        self, client: Client, officer: Any, province: Any
    ) -> None:
        response = signed_in(client, officer).get(
            f"{reverse('org:agency_create')}?parent={province.pk}", HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 403
        assert response["HX-Retarget"] == "#messages"
        assert "<html" not in text(response)
        assert 'role="alert"' in text(response)


# --- the admin site ----------------------------------------------------------------------


class TestAdminSite:
    @pytest.mark.parametrize("model", ["agency", "unit", "position", "person", "roleassignment", "delegation"])
    def test_organisation_models_are_listed_but_read_only(
        self, client: Client, superuser: Any, agency: Any, model: str
    ) -> None:
        signed_in(client, superuser)
        assert client.get(reverse(f"admin:org_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:org_{model}_add")).status_code == 403

    def test_an_agency_cannot_be_changed_or_deleted_there(self, client: Client, superuser: Any, agency: Any) -> None:
        signed_in(client, superuser)
        with nothing_written():
            client.post(reverse("admin:org_agency_change", args=[agency.pk]), {"name": "Đổi tên trái phép"})
            client.post(reverse("admin:org_agency_delete", args=[agency.pk]), {"post": "yes"})
        agency.refresh_from_db()
        assert agency.name == "Sở Tài chính"

    @pytest.mark.parametrize(
        "url_name",
        [
            "admin:core_calendaroverride_changelist",
            "admin:notify_notification_changelist",
            "admin:audit_auditevent_changelist",
        ],
    )
    def test_kernel_models_are_listed_but_read_only(self, client: Client, superuser: Any, url_name: str) -> None:
        signed_in(client, superuser)
        assert client.get(reverse(url_name)).status_code == 200
        assert client.get(reverse(url_name.replace("_changelist", "_add"))).status_code == 403
