"""Output shapes of the incoming API (the OpenAPI schema names them); the data comes from
``presenters.api_detail`` / ``presenters.api_list_rows``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from vanthu.documents.models import Urgency
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus


class IncomingSignerInfoOutput(serializers.Serializer[Any]):
    Position = serializers.CharField(allow_blank=True)
    FullName = serializers.CharField(allow_blank=True)


class TraceHeaderOutput(serializers.Serializer[Any]):
    Kind = serializers.CharField()
    At = serializers.DateTimeField()
    By = serializers.CharField(allow_blank=True)
    FromStatus = serializers.CharField(allow_blank=True)
    ToStatus = serializers.CharField(allow_blank=True)
    Text = serializers.CharField(allow_blank=True)


class IncomingAppendixVIOutput(serializers.Serializer[Any]):
    """Decree 30 Appendix VI part II.II (incoming), under its tag names."""

    ArrivalNumber = serializers.IntegerField(allow_null=True, help_text="Số đến.")
    ArrivalDate = serializers.DateField(allow_null=True)
    CodeNumber = serializers.CharField(allow_blank=True)
    CodeNotation = serializers.CharField(allow_blank=True)
    TypeName = serializers.CharField()
    IssuedDate = serializers.DateField(allow_null=True)
    OrganName = serializers.CharField(allow_blank=True)
    OrganId = serializers.CharField(allow_blank=True)
    Subject = serializers.CharField(allow_blank=True)
    Language = serializers.CharField(allow_blank=True)
    PageAmount = serializers.IntegerField(allow_null=True)
    Description = serializers.CharField(allow_blank=True)
    SignerInfo = IncomingSignerInfoOutput()
    Priority = serializers.IntegerField(help_text="0 normal, 1 urgent, 2 very urgent, 3 flash.")
    ToPlaces = serializers.CharField(allow_blank=True, help_text="The receiving units and persons.")
    TraceHeaderList = TraceHeaderOutput(many=True)
    DueDate = serializers.DateField(allow_null=True, help_text="The handling deadline.")


class IncomingAssignmentOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    role = serializers.CharField(help_text="LEAD, COOPERATE or INFORM.")
    unit_id = serializers.IntegerField(allow_null=True)
    person_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text="OPEN, DONE or CANCELLED.")
    due_date = serializers.DateField(allow_null=True)
    instruction = serializers.CharField(allow_blank=True)


class IncomingFileOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    conversion_status = serializers.CharField()
    is_ready = serializers.BooleanField()
    url = serializers.CharField()


class IncomingListOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    document_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    status = serializers.CharField(help_text=", ".join(IncomingStatus.values))
    status_label = serializers.CharField()
    source = serializers.ChoiceField(choices=IncomingSource.choices)  # type: ignore[assignment]
    allowed_actions = serializers.ListField(child=serializers.CharField())
    arrival_number = serializers.IntegerField(allow_null=True)
    received_at = serializers.DateTimeField()
    number_symbol = serializers.CharField(allow_blank=True)
    subject = serializers.CharField(allow_blank=True)
    type_name = serializers.CharField()
    issuer_name = serializers.CharField(allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    due_date = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()
    recall_requested_at = serializers.DateTimeField(allow_null=True)


class IncomingDetailOutput(IncomingListOutput):
    metadata = IncomingAppendixVIOutput()
    instruction = serializers.CharField(allow_blank=True)
    result = serializers.CharField(allow_blank=True)
    refused_reason = serializers.CharField(allow_blank=True)
    verification = serializers.JSONField(allow_null=True)
    assignments = IncomingAssignmentOutput(many=True)
    files = IncomingFileOutput(many=True)
