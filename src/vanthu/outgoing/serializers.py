"""Output shapes of the outgoing API (the OpenAPI schema names them); the data comes from
``presenters.api_detail`` / ``presenters.api_list_rows``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class SignerInfoOutput(serializers.Serializer[Any]):
    Position = serializers.CharField()
    FullName = serializers.CharField()


class ToOutput(serializers.Serializer[Any]):
    OrganId = serializers.CharField(allow_blank=True)
    OrganName = serializers.CharField()


class AppendixVIOutput(serializers.Serializer[Any]):
    """Decree 30 Appendix VI part II, under its tag names."""

    CodeNumber = serializers.CharField(allow_blank=True, help_text="The number, two digits at least (05).")
    CodeNotation = serializers.CharField(allow_blank=True, help_text="The symbol (QĐ-UBND).")
    TypeName = serializers.CharField()
    IssuedDate = serializers.DateField(allow_null=True)
    OrganName = serializers.CharField()
    OrganId = serializers.CharField(allow_blank=True)
    Subject = serializers.CharField()
    Language = serializers.CharField()
    PageAmount = serializers.IntegerField(allow_null=True)
    Description = serializers.CharField(allow_blank=True)
    SignerInfo = SignerInfoOutput()
    To = ToOutput(many=True)
    Priority = serializers.IntegerField(help_text="0 normal, 1 urgent, 2 very urgent, 3 flash.")
    IssuedAmount = serializers.IntegerField(allow_null=True)
    DueDate = serializers.DateField(allow_null=True)


class RecipientOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    agency_id = serializers.IntegerField(allow_null=True)
    unit_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    channel = serializers.CharField()
    address = serializers.CharField(allow_blank=True)
    delivery_status = serializers.CharField(allow_null=True, help_text="edXML status code of its delivery.")


class FileOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    conversion_status = serializers.CharField()
    is_ready = serializers.BooleanField()
    url = serializers.CharField()


class StepOutput(serializers.Serializer[Any]):
    round = serializers.IntegerField()
    ordinal = serializers.IntegerField()
    kind = serializers.CharField()
    assignee_id = serializers.IntegerField()
    assignee_name = serializers.CharField()
    status = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField()
    comment = serializers.CharField(allow_blank=True)


class OutgoingListOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    document_id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    allowed_actions = serializers.ListField(child=serializers.CharField())
    number_symbol = serializers.CharField(allow_blank=True)
    subject = serializers.CharField()
    type_name = serializers.CharField()
    urgency = serializers.CharField()
    agency_id = serializers.IntegerField()
    drafter_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    issued_date = serializers.DateField(allow_null=True)


class OutgoingDetailOutput(OutgoingListOutput):
    metadata = AppendixVIOutput()
    drafting_unit_id = serializers.IntegerField(allow_null=True)
    signer_id = serializers.IntegerField(allow_null=True)
    signer_authority = serializers.CharField(allow_blank=True)
    reply_to_id = serializers.IntegerField(allow_null=True)
    replaces_id = serializers.IntegerField(allow_null=True)
    corrects_id = serializers.IntegerField(allow_null=True)
    recipients = RecipientOutput(many=True)
    version = serializers.IntegerField(allow_null=True)
    files = FileOutput(many=True)
    steps = StepOutput(many=True)
