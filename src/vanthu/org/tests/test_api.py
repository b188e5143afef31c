"""The organisation API: agencies and people, the role × agency matrix (404, never 403, for what
one may not see), delegation, merged agencies, bearer tokens and the error shape."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from vanthu.core.tests.api_helpers import PEOPLE
from vanthu.core.tests.api_helpers import caller
from vanthu.core.tests.api_helpers import client_for
from vanthu.org import services
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

ROLES = [*PEOPLE, "superuser", "anonymous"]
MEMBERS = {"clerk", "agency_leader", "unit_leader", "officer", "archivist", "onestop_officer", "admin"}
WHERE = ["own", "other", "province"]


@pytest.fixture
def places(province: Any, agency: Any, other_agency: Any) -> dict[str, Any]:
    return {"own": agency, "other": other_agency, "province": province}


@pytest.fixture
def staff(places: dict[str, Any]) -> dict[str, Any]:
    """One person (an OFFICER) working in each place, to be looked at."""
    return {
        "own": person_with_role(Role.OFFICER, places["own"], full_name="Nguyễn Thị Đồng Nghiệp"),
        "other": person_with_role(Role.OFFICER, places["other"], full_name="Trịnh Văn Sở Khác"),
        "province": person_with_role(Role.OFFICER, places["province"], full_name="Mai Văn Văn Phòng Tỉnh"),
    }


@pytest.fixture
def units(places: dict[str, Any], unit: Any) -> dict[str, Any]:
    return {
        "own": unit,
        "other": UnitFactory(agency=places["other"], name="Phòng Nghiệp vụ Y", abbreviation="NVY"),
        "province": UnitFactory(agency=places["province"], name="Phòng Tổng hợp", abbreviation="TH"),
    }


def new_agency(**fields: Any) -> dict[str, Any]:
    """A valid body for POST /api/v1/agencies/, with ``fields`` changed (``parent`` is required)."""
    return {
        "name": "Ban Quản lý dự án",
        "abbreviation": "BQLDA",
        "kind": AgencyKind.PUBLIC_SERVICE_UNIT,
        "code_qcvn102": "000.00.91.H56",
        "place_name": "Thanh Hóa",
        **fields,
    }


def _sees_people_of(role: str, where: str) -> bool:
    """Who sees the people (and units) of an agency: its members, ADMINs/INSPECTORs whose scope
    covers it, superusers (ARCHITECTURE §9; org.policies)."""
    if role in {"superuser", "province_admin", "inspector"}:
        return True
    if role in MEMBERS:
        return where == "own"
    if role == "other_officer":
        return where == "other"
    return False


def _manages(role: str, where: str) -> bool:
    if role in {"superuser", "province_admin"}:
        return True
    return role == "admin" and where == "own"


def expected_read(role: str, visible: bool) -> int:  # noqa: FBT001
    if role == "anonymous":
        return 401
    return 200 if visible else 404


def expected_write(role: str, where: str, success: int) -> int:
    """Writes on an agency in the URL: 404 for one not visible at all, 403 for one visible but
    not administered by the caller."""
    if role == "anonymous":
        return 401
    if role == "outsider":
        return 404
    return success if _manages(role, where) else 403


def expected_create(role: str, where: str) -> int:
    """The parent is named in the body: one the caller cannot see is unknown to them (422)."""
    if role == "anonymous":
        return 401
    if role == "outsider":
        return 422
    return 201 if _manages(role, where) else 403


# --- the matrix -------------------------------------------------------------------------


class TestAgencyMatrix:
    @pytest.mark.parametrize("role", ROLES)
    def test_list(self, request: pytest.FixtureRequest, role: str, places: dict[str, Any]) -> None:
        response = client_for(caller(request, role)).get("/api/v1/agencies/")

        assert response.status_code == (401 if role == "anonymous" else 200)
        if role not in {"anonymous", "outsider"}:
            assert {item["id"] for item in response.json()["results"]} >= {a.pk for a in places.values()}
        if role == "outsider":
            assert response.json()["count"] == 0

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_detail(self, request: pytest.FixtureRequest, role: str, where: str, places: dict[str, Any]) -> None:
        response = client_for(caller(request, role)).get(f"/api/v1/agencies/{places[where].pk}/")

        assert response.status_code == expected_read(role, role != "outsider")

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_units(
        self, request: pytest.FixtureRequest, role: str, where: str, places: dict[str, Any], units: dict[str, Any]
    ) -> None:
        response = client_for(caller(request, role)).get(f"/api/v1/agencies/{places[where].pk}/units/")

        assert response.status_code == expected_read(role, _sees_people_of(role, where))
        if response.status_code == 200:
            assert [item["id"] for item in response.json()] == [units[where].pk]

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_create(self, request: pytest.FixtureRequest, role: str, where: str, places: dict[str, Any]) -> None:
        payload = new_agency(parent=places[where].pk)

        response = client_for(caller(request, role)).post("/api/v1/agencies/", payload, format="json")

        assert response.status_code == expected_create(role, where), response.content
        assert Agency.objects.filter(abbreviation="BQLDA").exists() == (response.status_code == 201)

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_update(self, request: pytest.FixtureRequest, role: str, where: str, places: dict[str, Any]) -> None:
        target = places[where]

        response = client_for(caller(request, role)).patch(
            f"/api/v1/agencies/{target.pk}/", {"place_name": "Sầm Sơn"}, format="json"
        )

        assert response.status_code == expected_write(role, where, 200), response.content
        target.refresh_from_db()
        assert (target.place_name == "Sầm Sơn") == (response.status_code == 200)

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_merge(self, request: pytest.FixtureRequest, role: str, where: str, places: dict[str, Any]) -> None:
        old = AgencyFactory(parent=places[where], name="Xã Cũ", abbreviation="XC", kind=AgencyKind.COMMUNE)
        new = AgencyFactory(parent=places[where], name="Xã Mới", abbreviation="XM", kind=AgencyKind.COMMUNE)

        response = client_for(caller(request, role)).post(
            f"/api/v1/agencies/{old.pk}/actions/merge/",
            {"successor": new.pk, "effective_date": "2026-03-01"},
            format="json",
        )

        assert response.status_code == expected_write(role, where, 200), response.content
        old.refresh_from_db()
        assert (old.successor_id == new.pk) == (response.status_code == 200)

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_delete(self, request: pytest.FixtureRequest, role: str, where: str, places: dict[str, Any]) -> None:
        mistake = AgencyFactory(parent=places[where], name="Tạo nhầm", abbreviation="NHAM")

        response = client_for(caller(request, role)).delete(f"/api/v1/agencies/{mistake.pk}/")

        assert response.status_code == expected_write(role, where, 204), response.content
        assert Agency.objects.filter(pk=mistake.pk).exists() == (response.status_code != 204)


class TestPeopleMatrix:
    @pytest.mark.parametrize("role", ROLES)
    def test_list(self, request: pytest.FixtureRequest, role: str, staff: dict[str, Any]) -> None:
        viewer = caller(request, role)

        response = client_for(viewer).get("/api/v1/people/", {"page_size": 200})

        assert response.status_code == (401 if role == "anonymous" else 200)
        if viewer is not None:
            seen = {item["id"] for item in response.json()["results"]}
            for where, person in staff.items():
                assert (person.pk in seen) == _sees_people_of(role, where), where
            assert viewer.pk in seen

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_detail(self, request: pytest.FixtureRequest, role: str, where: str, staff: dict[str, Any]) -> None:
        response = client_for(caller(request, role)).get(f"/api/v1/people/{staff[where].pk}/")

        assert response.status_code == expected_read(role, _sees_people_of(role, where))
        if response.status_code == 404:
            assert response.json()["code"] == "not_found"

    @pytest.mark.parametrize("role", ROLES)
    def test_me(self, request: pytest.FixtureRequest, role: str) -> None:
        viewer = caller(request, role)

        response = client_for(viewer).get("/api/v1/people/me/")

        assert response.status_code == (401 if role == "anonymous" else 200)
        if viewer is not None:
            assert response.json()["id"] == viewer.pk


# --- agencies ---------------------------------------------------------------------------


class TestAgencyList:
    def test_finds_a_name_typed_without_accents(self, officer: Any, province: Any, agency: Any) -> None:
        client = client_for(officer)

        by_province = client.get("/api/v1/agencies/", {"q": "thanh hoa"}).json()["results"]
        by_department = client.get("/api/v1/agencies/", {"q": "so tai chinh"}).json()["results"]

        assert [item["id"] for item in by_province] == [province.pk]
        assert [item["id"] for item in by_department] == [agency.pk]

    def test_looks_up_a_qcvn102_or_qd20_code_exactly(self, officer: Any, agency: Any, other_agency: Any) -> None:
        Agency.objects.filter(pk=other_agency.pk).update(code_qd20="G12.34")
        client = client_for(officer)

        by_qcvn = client.get("/api/v1/agencies/", {"code": "000.00.01.H56"}).json()["results"]
        by_qd20 = client.get("/api/v1/agencies/", {"code": "G12.34"}).json()["results"]
        partial = client.get("/api/v1/agencies/", {"code": "000.00.01"}).json()["results"]

        assert [item["id"] for item in by_qcvn] == [agency.pk]
        assert [item["id"] for item in by_qd20] == [other_agency.pk]
        assert partial == []

    def test_filters_by_parent_roots_and_activity(
        self, officer: Any, province: Any, agency: Any, other_agency: Any
    ) -> None:
        ceased = AgencyFactory(parent=province, name="Huyện Cũ", kind=AgencyKind.DISTRICT, valid_to=date(2025, 6, 30))
        client = client_for(officer)

        def ids(**params: Any) -> set[int]:
            return {item["id"] for item in client.get("/api/v1/agencies/", params).json()["results"]}

        assert ids(parent=province.pk) == {agency.pk, other_agency.pk, ceased.pk}
        assert ids(roots="true") == {province.pk}
        assert ceased.pk not in ids(active="true")
        assert ids(active="false") == {ceased.pk}

    def test_refuses_a_malformed_filter_with_the_error_shape(self, officer: Any) -> None:
        response = client_for(officer).get("/api/v1/agencies/", {"parent": "abc"})

        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert "parent" in body["details"]["fields"]

    def test_lists_in_a_bounded_number_of_queries(
        self, officer: Any, province: Any, django_assert_max_num_queries: Any
    ) -> None:
        for number in range(30):
            AgencyFactory(parent=province, name=f"Xã Thử {number}", kind=AgencyKind.COMMUNE)
        client = client_for(officer)

        with django_assert_max_num_queries(8):
            response = client.get("/api/v1/agencies/")

        assert response.json()["count"] >= 31


class TestAgencyDetail:
    def test_shows_parent_successor_predecessors_and_validity(self, officer: Any, province: Any, agency: Any) -> None:
        old = AgencyFactory(
            parent=province,
            name="Sở Kế hoạch và Đầu tư",
            abbreviation="SKHDT",
            valid_to=date(2025, 2, 28),
            successor=agency,
        )
        client = client_for(officer)

        detail = client.get(f"/api/v1/agencies/{agency.pk}/").json()
        merged = client.get(f"/api/v1/agencies/{old.pk}/").json()

        assert detail["parent"]["id"] == province.pk
        assert detail["predecessors"] == [
            {"id": old.pk, "name": "Sở Kế hoạch và Đầu tư", "abbreviation": "SKHDT", "code_qcvn102": old.code_qcvn102}
        ]
        assert detail["kind"] == AgencyKind.DEPARTMENT
        assert detail["kind_label"] == str(AgencyKind.DEPARTMENT.label)
        assert detail["is_active"] is True
        assert detail["children_count"] == 0
        assert detail["allowed_actions"] == []
        assert merged["is_active"] is False
        assert merged["valid_to"] == "2025-02-28"
        assert merged["successor"]["id"] == agency.pk

    def test_tells_an_administrator_what_they_may_do(self, admin: Any, agency: Any) -> None:
        detail = client_for(admin).get(f"/api/v1/agencies/{agency.pk}/").json()

        assert detail["allowed_actions"] == ["update", "merge", "delete"]

    def test_is_a_404_for_an_agency_that_does_not_exist(self, officer: Any) -> None:
        response = client_for(officer).get("/api/v1/agencies/999999/")

        assert response.status_code == 404
        assert set(response.json()) == {"code", "message", "details"}


class TestAgencyTree:
    def test_nests_the_agencies_that_exist_today(
        self, officer: Any, province: Any, agency: Any, other_agency: Any
    ) -> None:
        commune = AgencyFactory(parent=agency, name="Trung tâm Thử", kind=AgencyKind.PUBLIC_SERVICE_UNIT)
        AgencyFactory(parent=province, name="Huyện Cũ", kind=AgencyKind.DISTRICT, valid_to=date(2025, 6, 30))

        tree = client_for(officer).get("/api/v1/agencies/tree/").json()

        assert [node["id"] for node in tree] == [province.pk]
        children = {node["id"]: node for node in tree[0]["children"]}
        assert set(children) == {agency.pk, other_agency.pk}
        assert [node["id"] for node in children[agency.pk]["children"]] == [commune.pk]


class TestAgencyWrites:
    def test_creates_an_agency_and_audits_it(self, province_admin: Any, province: Any) -> None:
        from vanthu.audit.models import AuditEvent

        response = client_for(province_admin).post(
            "/api/v1/agencies/",
            new_agency(
                parent=province.pk,
                name="Sở Giáo dục và Đào tạo",
                abbreviation="SGDĐT",
                kind="DEPARTMENT",
                code_qcvn102="000.00.05.H56",
            ),
            format="json",
        )

        assert response.status_code == 201
        body = response.json()
        assert body["abbreviation"] == "SGDĐT"
        assert body["parent"]["id"] == province.pk
        assert body["valid_from"] == "2026-03-10"
        assert AuditEvent.objects.filter(action="org.agency.created", agency_id=body["id"]).count() == 1

    def test_refuses_an_invalid_code_with_422_and_the_field(self, province_admin: Any, province: Any) -> None:
        response = client_for(province_admin).post(
            "/api/v1/agencies/",
            new_agency(parent=province.pk, name="Sở Lạ", abbreviation="SL", kind="DEPARTMENT", code_qcvn102="H56"),
            format="json",
        )

        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid"
        assert "code_qcvn102" in body["details"]["fields"]
        assert not Agency.objects.filter(abbreviation="SL").exists()

    def test_refuses_a_duplicate_abbreviation_under_one_parent_with_409(
        self, province_admin: Any, province: Any, agency: Any
    ) -> None:
        response = client_for(province_admin).post(
            "/api/v1/agencies/",
            new_agency(
                parent=province.pk,
                name="Sở Trùng",
                abbreviation=agency.abbreviation,
                kind="DEPARTMENT",
                code_qcvn102="000.00.77.H56",
            ),
            format="json",
        )

        assert response.status_code == 409
        assert response.json()["details"] == {"field": "abbreviation"}

    def test_refuses_a_missing_field_with_400(self, province_admin: Any, province: Any) -> None:
        response = client_for(province_admin).post("/api/v1/agencies/", {"parent": province.pk}, format="json")

        assert response.status_code == 400
        assert "name" in response.json()["details"]["fields"]

    def test_refuses_an_unknown_parent_with_422(self, province_admin: Any) -> None:
        response = client_for(province_admin).post(
            "/api/v1/agencies/",
            new_agency(
                parent=987654, name="Sở Mồ Côi", abbreviation="SMC", kind="DEPARTMENT", code_qcvn102="000.00.78.H56"
            ),
            format="json",
        )

        assert response.status_code == 422
        assert "parent" in response.json()["details"]["fields"]

    def test_refuses_a_cycle_with_409(self, province_admin: Any, province: Any, agency: Any) -> None:
        child = AgencyFactory(parent=agency, name="Chi cục", abbreviation="CC")

        response = client_for(province_admin).patch(
            f"/api/v1/agencies/{agency.pk}/", {"parent": child.pk}, format="json"
        )

        assert response.status_code == 409
        agency.refresh_from_db()
        assert agency.parent_id == province.pk

    def test_moves_an_agency_under_another_parent(
        self, province_admin: Any, province: Any, agency: Any, other_agency: Any
    ) -> None:
        response = client_for(province_admin).patch(
            f"/api/v1/agencies/{agency.pk}/", {"parent": other_agency.pk}, format="json"
        )

        assert response.status_code == 200
        assert response.json()["parent"]["id"] == other_agency.pk

    def test_refuses_to_delete_an_agency_with_history_with_409(
        self, province_admin: Any, agency: Any, unit: Any
    ) -> None:
        response = client_for(province_admin).delete(f"/api/v1/agencies/{agency.pk}/")

        assert response.status_code == 409
        assert response.json()["code"] == "conflict"
        assert Agency.objects.filter(pk=agency.pk).exists()

    def test_refuses_a_merge_into_an_agency_that_has_ceased_with_409(
        self, province_admin: Any, province: Any, agency: Any
    ) -> None:
        gone = AgencyFactory(parent=province, name="Đã giải thể", valid_to=date(2025, 1, 1))

        response = client_for(province_admin).post(
            f"/api/v1/agencies/{agency.pk}/actions/merge/",
            {"successor": gone.pk, "effective_date": "2026-04-01"},
            format="json",
        )

        assert response.status_code == 409

    def test_merges_end_to_end_and_the_old_name_stays_readable(
        self, province_admin: Any, officer: Any, province: Any, agency: Any
    ) -> None:
        old = AgencyFactory(parent=province, name="Sở Kế hoạch và Đầu tư", abbreviation="SKHDT")

        response = client_for(province_admin).post(
            f"/api/v1/agencies/{old.pk}/actions/merge/",
            {"successor": agency.pk, "effective_date": "2026-03-01"},
            format="json",
        )

        assert response.status_code == 200
        body = response.json()
        assert body["name"] == "Sở Kế hoạch và Đầu tư"
        assert body["is_active"] is False
        assert body["valid_to"] == "2026-02-28"
        assert body["successor"]["id"] == agency.pk
        assert body["allowed_actions"] == ["update"]
        successor = client_for(officer).get(f"/api/v1/agencies/{agency.pk}/").json()
        assert [item["id"] for item in successor["predecessors"]] == [old.pk]


# --- people -----------------------------------------------------------------------------


class TestPeople:
    def test_finds_a_name_typed_without_accents(self, officer: Any, clerk: Any, agency_leader: Any) -> None:
        response = client_for(officer).get("/api/v1/people/", {"q": "le thi van thu"})

        assert [item["id"] for item in response.json()["results"]] == [clerk.pk]

    def test_filters_by_agency(self, province_admin: Any, officer: Any, other_officer: Any, agency: Any) -> None:
        response = client_for(province_admin).get("/api/v1/people/", {"agency": agency.pk})

        ids = {item["id"] for item in response.json()["results"]}
        assert officer.pk in ids
        assert other_officer.pk not in ids

    def test_shows_current_roles_with_labels_and_never_a_password(self, clerk: Any, officer: Any, unit: Any) -> None:
        body = client_for(clerk).get(f"/api/v1/people/{officer.pk}/").json()

        assert "password" not in body
        assert body["email"] == officer.email
        assert [(role["role"], role["unit"]["id"]) for role in body["roles"]] == [(Role.OFFICER, unit.pk)]
        assert body["roles"][0]["role_label"] == str(Role.OFFICER.label)
        assert "password" not in str(body)

    def test_hides_ended_roles(self, clerk: Any, officer: Any, agency: Any, now: Any) -> None:
        officer.roles.update(valid_to=now - timedelta(days=1))
        person_with_role(Role.CLERK, agency)  # keeps the agency busy

        body = client_for(clerk).get(f"/api/v1/people/{officer.pk}/").json()

        assert body["roles"] == []

    def test_lists_in_a_bounded_number_of_queries(
        self, clerk: Any, agency: Any, unit: Any, django_assert_max_num_queries: Any
    ) -> None:
        for _number in range(25):
            person_with_role(Role.OFFICER, agency, unit)
        client = client_for(clerk)

        with django_assert_max_num_queries(10):
            response = client.get("/api/v1/people/")

        assert response.json()["count"] == 26


class TestMe:
    def test_shows_own_roles_and_grants(self, officer: Any, agency: Any, unit: Any) -> None:
        body = client_for(officer).get("/api/v1/people/me/").json()

        assert body["is_superuser"] is False
        assert body["grants"] == [
            {
                "agency": {
                    "id": agency.pk,
                    "name": agency.name,
                    "abbreviation": agency.abbreviation,
                    "code_qcvn102": agency.code_qcvn102,
                },
                "unit": {"id": unit.pk, "name": unit.name, "abbreviation": unit.abbreviation},
                "role": Role.OFFICER,
                "role_label": str(Role.OFFICER.label),
                "delegated_by": None,
            }
        ]
        assert body["delegations_received"] == []


# --- delegation and merged agencies -------------------------------------------------------


class TestDelegation:
    def test_a_delegate_of_an_agency_leader_sees_the_agency_people_only_during_the_delegation(
        self,
        monkeypatch: pytest.MonkeyPatch,
        bearer_client: Any,
        now: Any,
        agency_leader: Any,
        other_officer: Any,
        staff: dict[str, Any],
        agency: Any,
    ) -> None:
        DelegationFactory(
            delegator=agency_leader,
            delegate=other_officer,
            agency=agency,
            role=Role.AGENCY_LEADER,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
        )
        colleague = staff["own"]

        def bearer_get(path: str) -> Any:
            from vanthu.core import clock

            return bearer_client(other_officer, now=clock.now()).get(path)

        during = bearer_get(f"/api/v1/people/{colleague.pk}/")
        me = bearer_get("/api/v1/people/me/").json()
        listed = {item["id"] for item in bearer_get("/api/v1/people/?page_size=200").json()["results"]}
        units = bearer_get(f"/api/v1/agencies/{agency.pk}/units/")
        monkeypatch.setattr("vanthu.core.clock.now", lambda: now + timedelta(days=2))
        after = bearer_get(f"/api/v1/people/{colleague.pk}/")
        after_units = bearer_get(f"/api/v1/agencies/{agency.pk}/units/")

        assert during.status_code == 200
        assert colleague.pk in listed
        assert units.status_code == 200
        delegated = [grant for grant in me["grants"] if grant["delegated_by"]]
        assert [(g["role"], g["agency"]["id"], g["delegated_by"]["id"]) for g in delegated] == [
            (Role.AGENCY_LEADER, agency.pk, agency_leader.pk)
        ]
        assert [d["delegator"]["id"] for d in me["delegations_received"]] == [agency_leader.pk]
        assert after.status_code == 404
        assert after_units.status_code == 404

    def test_a_revoked_delegation_gives_nothing(
        self, now: Any, agency_leader: Any, other_officer: Any, staff: dict[str, Any], agency: Any
    ) -> None:
        DelegationFactory(
            delegator=agency_leader,
            delegate=other_officer,
            agency=agency,
            role=Role.AGENCY_LEADER,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
            revoked_at=now - timedelta(hours=1),
        )

        response = client_for(other_officer).get(f"/api/v1/people/{staff['own'].pk}/")

        assert response.status_code == 404


class TestMergedAgencies:
    def test_the_successors_people_see_the_merged_predecessors_people_and_units(
        self, province_admin: Any, officer: Any, other_officer: Any, province: Any, agency: Any, now: Any
    ) -> None:
        old = AgencyFactory(parent=province, name="Sở Kế hoạch và Đầu tư", abbreviation="SKHDT")
        old_unit = UnitFactory(agency=old, name="Phòng Đầu tư", abbreviation="DT")
        old_staff = person_with_role(Role.OFFICER, old, old_unit, full_name="Hà Văn Kế Hoạch")
        client = client_for(officer)
        assert client.get(f"/api/v1/people/{old_staff.pk}/").status_code == 404

        with transaction.atomic():
            services.agency_merge(
                predecessor=old, successor=agency, actor=province_admin, effective_date=date(2026, 3, 1), now=now
            )

        assert client.get(f"/api/v1/people/{old_staff.pk}/").status_code == 200
        assert client.get(f"/api/v1/agencies/{old.pk}/units/").json()[0]["id"] == old_unit.pk
        assert client_for(other_officer).get(f"/api/v1/people/{old_staff.pk}/").status_code == 404


# --- authentication -----------------------------------------------------------------------


class TestBearerTokens:
    def test_a_valid_token_authenticates(self, bearer_client: Any, officer: Any, now: Any) -> None:
        client = bearer_client(officer, now=now)

        response = client.get("/api/v1/people/me/")

        assert response.status_code == 200
        assert response.json()["id"] == officer.pk

    def test_a_forged_token_is_a_401_with_the_error_shape(self, db: None) -> None:
        response = APIClient().get("/api/v1/agencies/", HTTP_AUTHORIZATION="Bearer vt_forged")

        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_an_expired_token_is_a_401(
        self, monkeypatch: pytest.MonkeyPatch, bearer_client: Any, officer: Any, now: Any
    ) -> None:
        client = bearer_client(officer, now=now)
        monkeypatch.setattr("vanthu.core.clock.now", lambda: now + timedelta(days=1))

        response = client.get("/api/v1/people/me/")

        assert response.status_code == 401

    def test_no_credentials_is_a_401(self, db: None) -> None:
        response = APIClient().get("/api/v1/people/")

        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
