"""API input and output shapes of the organisation.

Inputs only check the shape (types, lengths, enums: a mismatch is a 400); the rules of the
domain (code format, blank names, uniqueness, who may) are the services' (422/409/403)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanthu.org.models import AgencyKind
from vanthu.org.models import Role

MAX_ID = 2**63 - 1  # the largest id the databases store


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- outputs ----------------------------------------------------------------------------


class AgencyBriefOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()
    code_qcvn102 = serializers.CharField()


class AgencyOutput(serializers.Serializer[Any]):
    """An agency in a list."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    code_qcvn102 = serializers.CharField()
    code_qd20 = serializers.CharField()
    place_name = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    is_active = serializers.BooleanField()
    successor = AgencyBriefOutput(allow_null=True)


class AgencyDetailOutput(AgencyOutput):
    parent = AgencyBriefOutput(allow_null=True)
    predecessors = serializers.SerializerMethodField()
    children_count = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    @extend_schema_field(AgencyBriefOutput(many=True))
    def get_predecessors(self, agency: Any) -> list[dict[str, Any]]:
        return AgencyBriefOutput(agency.predecessors.order_by("name", "id"), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.IntegerField(help_text="Direct sub-agencies, ended ones included."))
    def get_children_count(self, agency: Any) -> int:
        return int(agency.children.count())

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=["update", "merge", "delete"])))
    def get_allowed_actions(self, agency: Any) -> list[str]:
        return list(self.context.get("allowed_actions", []))


class AgencyTreeNodeOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    kind_label = serializers.CharField()
    code_qcvn102 = serializers.CharField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["children"] = AgencyTreeNodeOutput(many=True)
        return fields


class UnitOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()
    is_active = serializers.BooleanField()


class UnitBriefOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()


class PersonBriefOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class RoleAssignmentOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    agency = AgencyBriefOutput()
    unit = UnitBriefOutput(allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display")
    position = serializers.CharField(source="position.name", allow_null=True, default=None)
    valid_from = serializers.DateTimeField()
    valid_to = serializers.DateTimeField(allow_null=True)


class PersonOutput(serializers.Serializer[Any]):
    """A person of the directory. Never a password hash; e-mail and phone only reach people who
    may see the person at all (everyone else gets a 404)."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    is_active = serializers.BooleanField()
    roles = RoleAssignmentOutput(many=True, source="current_roles")


class GrantOutput(serializers.Serializer[Any]):
    """One effective role: held, or received by delegation (``delegated_by`` set)."""

    agency = AgencyBriefOutput()
    unit = UnitBriefOutput(allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()
    delegated_by = PersonBriefOutput(allow_null=True)


class DelegationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    delegator = PersonBriefOutput()
    agency = AgencyBriefOutput()
    unit = UnitBriefOutput(allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()


class MeOutput(PersonOutput):
    is_superuser = serializers.BooleanField()
    grants = GrantOutput(many=True)
    delegations_received = DelegationOutput(many=True)


# --- inputs -----------------------------------------------------------------------------


class AgencyFilterInput(serializers.Serializer[Any]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="Name search without accents: 'thanh hoa' finds 'Thanh Hóa'; also an exact abbreviation or code.",
    )
    code = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="Exact QCVN 102 or QĐ 20/2020 code."
    )
    parent = id_field(required=False, help_text="Only the direct sub-agencies of this agency.")  # type: ignore[assignment]  # DRF pops declared fields
    active = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: agencies that exist today; false: merged or ended ones.",
    )
    roots = serializers.BooleanField(required=False, default=False, help_text="Only top-level agencies.")


class AgencyCreateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255, allow_blank=True)
    abbreviation = serializers.CharField(
        max_length=32, allow_blank=True, help_text="Case-exact, e.g. UBND, STC, SGDĐT."
    )
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    code_qcvn102 = serializers.CharField(max_length=13, allow_blank=True, help_text="e.g. 000.00.00.H56")
    code_qd20 = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")
    place_name = serializers.CharField(max_length=64, allow_blank=True, help_text="Used in document dates.")
    parent = id_field(allow_null=True, help_text="The parent agency; null for a top-level agency.")  # type: ignore[assignment]  # DRF pops declared fields
    valid_from = serializers.DateField(required=False, help_text="Defaults to today (Vietnam time).")


class AgencyUpdateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255, allow_blank=True, required=False)
    abbreviation = serializers.CharField(max_length=32, allow_blank=True, required=False)
    kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
    code_qcvn102 = serializers.CharField(max_length=13, allow_blank=True, required=False)
    code_qd20 = serializers.CharField(max_length=32, allow_blank=True, required=False)
    place_name = serializers.CharField(max_length=64, allow_blank=True, required=False)
    parent = id_field(allow_null=True, required=False, help_text="Move the agency under another one.")  # type: ignore[assignment]  # DRF pops declared fields
    valid_from = serializers.DateField(required=False)


class AgencyMergeInput(serializers.Serializer[Any]):
    successor = id_field(help_text="The agency that takes over.")
    effective_date = serializers.DateField(help_text="First day the successor carries the work.")


class PersonFilterInput(serializers.Serializer[Any]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="Name search without accents ('nguyen van a'), or an exact username or e-mail.",
    )
    agency = id_field(required=False, help_text="People holding (or having held) a role in this agency.")
