"""HTML forms of the incoming screens. Each form's ``service_kwargs()`` gives the keyword arguments of
the one service its view calls."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanthu.core.form_base import VanthuForm
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Urgency
from vanthu.documents.uploads import Upload
from vanthu.incoming import selectors
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.services.direction import AssignmentInput
from vanthu.org.models import Agency
from vanthu.org.models import Person

MAX_SCANS = 50
METADATA_FIELDS = (
    "document_type",
    "number",
    "symbol",
    "issued_date",
    "issuer_name",
    "issuer_code",
    "subject",
    "signer_position",
    "signer_name",
    "urgency",
    "reply_due_date",
    "page_count",
    "description",
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (scanned pages)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [single(item, initial) for item in files]
        return [item for item in cleaned if item]


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - the fields below are declared so
    field.choices = choices


def _upload(file: UploadedFile[bytes]) -> Upload:
    return Upload(name=file.name or "file", content=file)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MetadataForm(VanthuForm):
    """The Appendix VI fields of the incoming document (prefilled from a delivery, editable for
    paper and other electronic means)."""

    document_type = forms.ModelChoiceField(label=gettext_lazy("Document type"), queryset=DocumentType.objects.none())
    number = forms.IntegerField(label=gettext_lazy("Number"), required=False, min_value=1)
    symbol = forms.CharField(label=gettext_lazy("Symbol"), required=False, max_length=30)
    issued_date = forms.DateField(label=gettext_lazy("Issue date"), required=False, widget=_date_input())
    issuer_name = forms.CharField(label=gettext_lazy("Issuing body"), max_length=200)
    issuer_code = forms.CharField(label=gettext_lazy("Issuing body code"), required=False, max_length=13)
    subject = forms.CharField(label=gettext_lazy("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    signer_position = forms.CharField(label=gettext_lazy("Signer's position"), required=False, max_length=100)
    signer_name = forms.CharField(label=gettext_lazy("Signer's name"), required=False, max_length=50)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    reply_due_date = forms.DateField(label=gettext_lazy("Reply deadline"), required=False, widget=_date_input())
    page_count = forms.IntegerField(label=gettext_lazy("Page count"), required=False, min_value=1, max_value=999)
    description = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document_type"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = DocumentType.objects.filter(is_active=True).order_by("ordinal", "name")

    def metadata(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) if data.get(name) is not None else "" for name in METADATA_FIELDS} | {
            "number": data.get("number"),
            "issued_date": data.get("issued_date"),
            "reply_due_date": data.get("reply_due_date"),
            "page_count": data.get("page_count"),
            "document_type": data["document_type"],
        }


class ReceiveForm(MetadataForm):
    """The clerk receives a document that came by other electronic means, or on paper."""

    agency = forms.TypedChoiceField(label=gettext_lazy("Receiving agency"), coerce=int)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agency", [(a.pk, a.name) for a in agencies])
        self.agencies = {a.pk: a for a in agencies}
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        self.order_fields(["agency", *METADATA_FIELDS])

    def chosen_agency(self) -> Agency:
        return self.agencies[int(self.cleaned_data["agency"])]


class ReceiveElectronicForm(ReceiveForm):
    main = forms.FileField(label=gettext_lazy("The document (signed PDF)"))

    def service_kwargs(self) -> dict[str, Any]:
        return {"agency": self.chosen_agency(), "main": _upload(self.cleaned_data["main"]), **self.metadata()}


class ReceivePaperForm(ReceiveForm):
    scans = MultipleFileField(
        label=gettext_lazy("Scans (PDF, or JPEG/PNG/TIFF pages, at least 200 dpi)"),
    )

    def clean_scans(self) -> list[UploadedFile[bytes]]:
        scans: list[UploadedFile[bytes]] = self.cleaned_data.get("scans") or []
        if not scans:
            raise forms.ValidationError(_("Add the scan of the document."))
        if len(scans) > MAX_SCANS:
            raise forms.ValidationError(_("At most %(count)d files.") % {"count": MAX_SCANS})
        return scans

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "agency": self.chosen_agency(),
            "scans": [_upload(file) for file in self.cleaned_data["scans"]],
            **self.metadata(),
        }


class RegisterForm(MetadataForm):
    """Registration: the metadata is editable for paper and other electronic means; a document
    delivered through the system keeps the sender's metadata."""

    def __init__(self, *args: Any, incoming: Incoming, **kwargs: Any) -> None:
        document = incoming.document
        initial = {name: getattr(document, name) for name in METADATA_FIELDS if name != "document_type"}
        initial["document_type"] = document.document_type_id
        super().__init__(*args, initial=initial, **kwargs)
        self.editable = incoming.source != IncomingSource.INTERNAL
        if not self.editable:
            for field in self.fields.values():
                field.disabled = True
                field.required = False

    def service_kwargs(self) -> dict[str, Any]:
        return self.metadata() if self.editable else {}


class ReasonForm(VanthuForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class NoteForm(VanthuForm):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note") or ""}


class TextForm(VanthuForm):
    text = forms.CharField(label=gettext_lazy("Progress or input"), widget=forms.Textarea(attrs={"rows": 4}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"text": self.cleaned_data["text"]}


class ResultForm(VanthuForm):
    result = forms.CharField(label=gettext_lazy("Result"), widget=forms.Textarea(attrs={"rows": 4}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"result": self.cleaned_data["result"]}


class DirectForm(VanthuForm):
    """The leader's direction: instruction, lead (a unit or a person), co-operating and
    for-information units and persons of this agency, a deadline (a date or N working days)."""

    instruction = forms.CharField(
        label=gettext_lazy("Instruction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    lead_unit = forms.TypedChoiceField(label=gettext_lazy("Lead unit"), coerce=int, required=False, empty_value=None)
    lead_person = forms.TypedChoiceField(
        label=gettext_lazy("Lead person"), coerce=int, required=False, empty_value=None
    )
    cooperate_units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Co-operating units"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    cooperate_people = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Co-operating persons"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    inform_units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Units for information"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    inform_people = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Persons for information"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=gettext_lazy("Deadline (a date)"), required=False, widget=_date_input())
    due_working_days = forms.IntegerField(
        label=gettext_lazy("or within N working days"), required=False, min_value=1, max_value=365
    )

    def __init__(self, *args: Any, incoming: Incoming, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = [(u.pk, u.name) for u in selectors.agency_units(agency_id=incoming.agency_id)]
        people = [
            (p.pk, p.full_name or p.username) for p in selectors.agency_people(agency_id=incoming.agency_id, now=now)
        ]
        _choices(self, "lead_unit", [("", "—"), *units])
        _choices(self, "lead_person", [("", "—"), *people])
        for name in ("cooperate_units", "inform_units"):
            _choices(self, name, units)
        for name in ("cooperate_people", "inform_people"):
            _choices(self, name, people)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("lead_unit") is None and cleaned.get("lead_person") is None:
            self.add_error("lead_unit", _("Name the lead unit or the lead person."))
        if cleaned.get("due_date") and cleaned.get("due_working_days"):
            self.add_error("due_working_days", _("Give the deadline as a date or as working days, not both."))
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        assignments = [
            AssignmentInput(role=AssignmentRole.LEAD, unit_id=data["lead_unit"], person_id=data["lead_person"])
        ]
        for role, units, people in (
            (AssignmentRole.COOPERATE, "cooperate_units", "cooperate_people"),
            (AssignmentRole.INFORM, "inform_units", "inform_people"),
        ):
            assignments += [AssignmentInput(role=role, unit_id=pk) for pk in data.get(units) or []]
            assignments += [AssignmentInput(role=role, person_id=pk) for pk in data.get(people) or []]
        return {
            "instruction": data["instruction"],
            "assignments": assignments,
            "due_date": data.get("due_date"),
            "due_working_days": data.get("due_working_days"),
        }


class AssignForm(VanthuForm):
    """A unit leader passes the unit's assignment to one of its people."""

    parent = forms.TypedChoiceField(label=gettext_lazy("Assignment of the unit"), coerce=int)
    person = forms.TypedChoiceField(label=gettext_lazy("Handler"), coerce=int)
    instruction = forms.CharField(
        label=gettext_lazy("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    due_date = forms.DateField(label=gettext_lazy("Deadline"), required=False, widget=_date_input())

    def __init__(self, *args: Any, parents: list[Assignment], now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parents = {a.pk: a for a in parents}
        _choices(self, "parent", [(a.pk, f"{a.unit.name if a.unit else ''} ({a.get_role_display()})") for a in parents])
        people: dict[int, Person] = {}
        for assignment in parents:
            if assignment.unit_id is not None:
                for person in selectors.unit_people(unit_id=assignment.unit_id, now=now):
                    people[person.pk] = person
        self.people = people
        _choices(self, "person", [(p.pk, p.full_name or p.username) for p in people.values()])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "parent": self.parents[int(data["parent"])],
            "person": self.people[int(data["person"])],
            "instruction": data.get("instruction") or "",
            "due_date": data.get("due_date"),
        }


class ExtensionRequestForm(VanthuForm):
    due_date = forms.DateField(label=gettext_lazy("New deadline"), widget=_date_input())
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def service_kwargs(self) -> dict[str, Any]:
        return {"due_date": self.cleaned_data["due_date"], "reason": self.cleaned_data["reason"]}


class ExtensionDecideForm(VanthuForm):
    grant = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        coerce=lambda value: value == "yes",
        choices=[("yes", gettext_lazy("Grant the new deadline")), ("no", gettext_lazy("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"grant": bool(self.cleaned_data["grant"]), "note": self.cleaned_data.get("note") or ""}


class QueueFilterForm(forms.Form):
    """The filters above a queue (GET)."""

    type = forms.TypedChoiceField(label=gettext_lazy("Type"), coerce=int, required=False, empty_value=None)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), required=False)
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)
    q = forms.CharField(label=gettext_lazy("Summary, number or sender"), required=False, max_length=100)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = DocumentType.objects.filter(is_active=True).order_by("ordinal", "name")
        _choices(self, "type", [("", gettext_lazy("All types")), *[(t.pk, t.name) for t in types]])
        _choices(self, "urgency", [("", gettext_lazy("Any urgency")), *Urgency.choices])
        _choices(self, "source", [("", gettext_lazy("Any source")), *IncomingSource.choices])
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filters(self) -> selectors.QueueFilters:
        if not (self.is_bound and self.is_valid()):
            return selectors.QueueFilters()
        data = self.cleaned_data
        return selectors.QueueFilters(
            document_type_id=data.get("type"),
            urgency=data.get("urgency") or "",
            source=data.get("source") or "",
            text=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
