"""API shapes of the audit log: who did what, when, to which target — never file content."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ID = 2**63 - 1


class AuditAgencyOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()


class AuditActorOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The actor's name when the event was written.")


class AuditEventOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    action = serializers.CharField(help_text="e.g. org.agency.merged, accounts.login.failed")
    actor = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    target_label = serializers.CharField()
    data = serializers.JSONField()  # type: ignore[assignment]  # a field named like Serializer.data: DRF pops it
    client_address = serializers.IPAddressField(allow_null=True)
    chain = serializers.CharField()
    seq = serializers.IntegerField()
    hash = serializers.CharField(help_text="SHA-256 of prev_hash and this event's canonical content.")
    prev_hash = serializers.CharField()

    @extend_schema_field(AuditActorOutput(allow_null=True))
    def get_actor(self, event: Any) -> dict[str, Any] | None:
        if event.actor_id is None:
            return None
        return {"id": event.actor_id, "name": event.actor_name}

    @extend_schema_field(AuditAgencyOutput(allow_null=True))
    def get_agency(self, event: Any) -> dict[str, Any] | None:
        """The agency the event belongs to; its id alone when the agency row is gone."""
        if event.agency_id is None:
            return None
        try:
            agency = event.agency
        except ObjectDoesNotExist:
            agency = None
        if agency is None:
            return {"id": event.agency_id, "name": "", "abbreviation": ""}
        return {"id": agency.pk, "name": agency.name, "abbreviation": agency.abbreviation}


class AuditFilterInput(serializers.Serializer[Any]):
    agency = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="Exact agency id.")
    actor = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="Person id.")
    action = serializers.CharField(
        required=False, allow_blank=True, max_length=96, help_text='Prefix, e.g. "org.agency." or "accounts.login".'
    )
    target_type = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="e.g. org.agency")
    target_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    date_from = serializers.DateField(required=False, help_text="First day, in Vietnam time (included).")
    date_to = serializers.DateField(required=False, help_text="Last day, in Vietnam time (included).")
