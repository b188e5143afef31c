"""The OpenAPI schema of /api/v1/ validates, documents every operation, and the API answers
schemathesis' generated requests without a server error and as documented."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from django.db import transaction
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance

from vanthu.accounts.tokens import api_token_issue
from vanthu.audit import services as audit
from vanthu.core import clock
from vanthu.org.models import AgencyKind
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role

# Examples per operation: enough to reach every branch of these thin endpoints, few enough for
# the fast tier (about 0.05 s a request).
POSITIVE_EXAMPLES = 20
NEGATIVE_EXAMPLES = 10

OUR_OPERATIONS = {
    ("GET", "/api/v1/agencies/"),
    ("POST", "/api/v1/agencies/"),
    ("GET", "/api/v1/agencies/tree/"),
    ("GET", "/api/v1/agencies/{id}/"),
    ("PATCH", "/api/v1/agencies/{id}/"),
    ("DELETE", "/api/v1/agencies/{id}/"),
    ("GET", "/api/v1/agencies/{id}/units/"),
    ("POST", "/api/v1/agencies/{id}/actions/merge/"),
    ("GET", "/api/v1/people/"),
    ("GET", "/api/v1/people/{id}/"),
    ("GET", "/api/v1/people/me/"),
    ("GET", "/api/v1/audit/"),
    ("GET", "/api/v1/audit/{id}/"),
    ("GET", "/api/v1/deliveries/"),
    ("GET", "/api/v1/deliveries/{id}/"),
    ("POST", "/api/v1/deliveries/{id}/actions/report/"),
    ("GET", "/api/v1/document-types/"),
    ("GET", "/api/v1/files/{id}/"),
    ("GET", "/api/v1/files/{id}/content"),
    ("GET", "/api/v1/incoming/"),
    ("GET", "/api/v1/incoming/{id}/"),
    ("PATCH", "/api/v1/incoming/{id}/"),
    ("POST", "/api/v1/incoming/{id}/actions/{action}/"),
    ("GET", "/api/v1/outgoing/"),
    ("POST", "/api/v1/outgoing/"),
    ("GET", "/api/v1/outgoing/{id}/"),
    ("PATCH", "/api/v1/outgoing/{id}/"),
    ("POST", "/api/v1/outgoing/{id}/actions/{action}/"),
    ("POST", "/api/v1/register-entries/{id}/actions/cancel/"),
    ("GET", "/api/v1/registers/"),
    ("POST", "/api/v1/registers/{id}/actions/reserve/"),
    ("GET", "/api/v1/registers/{id}/entries/"),
}


def _generate() -> dict[str, Any]:
    GENERATOR_STATS.reset()
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


class TestSchema:
    def test_validates_against_the_openapi_specification(self) -> None:
        schema = _generate()

        validate_schema(schema)
        assert not GENERATOR_STATS, (
            f"drf-spectacular warnings/errors: {dict(GENERATOR_STATS._warn_cache)} {dict(GENERATOR_STATS._error_cache)}"
        )

    def test_documents_every_operation_with_the_error_shape_and_bearer_tokens(self) -> None:
        schema = _generate()
        operations = {
            (method.upper(), path): operation
            for path, item in schema["paths"].items()
            for method, operation in item.items()
        }

        assert set(operations) >= OUR_OPERATIONS
        assert schema["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
        for key in OUR_OPERATIONS:
            operation = operations[key]
            assert {"bearerAuth": []} in operation["security"], key
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, key
        assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"code", "message", "details"}

    def test_never_documents_a_password(self) -> None:
        schema = _generate()

        for name in ("PersonOutput", "MeOutput"):
            properties = schema["components"]["schemas"][name]["properties"]
            assert "password" not in properties
            assert {"email", "phone", "roles"} <= set(properties)


# --- schemathesis ---------------------------------------------------------------------------


@pytest.fixture
def world(province: Any, agency: Any, other_agency: Any, unit: Any, now: Any) -> dict[str, Any]:
    """A small province with people, units, a historical district and audit events, so that
    generated ids sometimes hit real rows."""
    officer = person_with_role(Role.OFFICER, agency, unit, full_name="Hoàng Văn Chuyên Viên")
    leader = person_with_role(Role.AGENCY_LEADER, agency, full_name="Trần Văn Giám Đốc")
    person_with_role(Role.OFFICER, other_agency, full_name="Lý Văn Người Ngoài")
    DelegationFactory(delegator=leader, delegate=officer, agency=agency, role=Role.AGENCY_LEADER)
    UnitFactory(agency=other_agency)
    for number in range(3):
        AgencyFactory(parent=province, name=f"Xã Thử {number}", kind=AgencyKind.COMMUNE)
    AgencyFactory(
        parent=province, name="Huyện Cũ", kind=AgencyKind.DISTRICT, valid_to=date(2025, 6, 30), successor=agency
    )
    with transaction.atomic():
        for target in (province, agency, other_agency, None):
            audit.record(action="test.seed", actor=officer, agency=target, now=now, data={"n": 1})
    return {"province_admin": person_with_role(Role.ADMIN, province, full_name="Đặng Văn Quản Trị Tỉnh")}


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    """Requests go straight to the WSGI application inside the test's transaction, so keep Django
    from closing the connection at the end of each request (as django.test.Client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(operation: Any, mode: GenerationMode, checks: list[Any], headers: Any) -> None:
    @settings(
        max_examples=POSITIVE_EXAMPLES if mode is GenerationMode.POSITIVE else NEGATIVE_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers())
        case.validate_response(response, checks=checks)

    run()


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    world: dict[str, Any], wsgi_in_test_transaction: None
) -> None:
    from vanthu.config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    province_admin = world["province_admin"]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {(operation.method.upper(), operation.path) for operation in operations} >= OUR_OPERATIONS
    conformance = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

    def bearer() -> dict[str, str]:
        with transaction.atomic():
            _token, raw = api_token_issue(person=province_admin, now=clock.now())
        return {"Authorization": f"Bearer {raw}"}

    shared = bearer()

    failures: list[str] = []
    for operation in operations:
        for mode, checks in (
            (GenerationMode.POSITIVE, conformance),
            (GenerationMode.NEGATIVE, [not_a_server_error]),
        ):
            # DELETE /api/v1/auth/token/ revokes the token it is called with: a fresh one each time.
            revokes = operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token/")
            try:
                _fuzz(operation, mode, checks, bearer if revokes else lambda: shared)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - report every operation's failure together
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {error}")
    assert not failures, "\n\n".join(failures)
