"""HTML forms of the outgoing screens. Each form's ``service_kwargs()`` gives the keyword arguments
of the one service its view calls, so forms and the API serializers feed the services alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanthu.core.form_base import VanthuForm
from vanthu.documents.models import Channel
from vanthu.documents.models import DocumentType
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import SignerAuthority
from vanthu.documents.models import TypeKind
from vanthu.documents.models import Urgency
from vanthu.documents.uploads import Upload
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit
from vanthu.outgoing.models import CopyKind
from vanthu.outgoing.models import StepKind

MAX_ANNEXES = 20
EXTERNAL_CHANNELS = (Channel.EMAIL, Channel.POST, Channel.AXIS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (annexes)."""

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


def agency_choices(*, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """Agencies of the system a document can be sent to (current ones; merged ones are routed by
    the service, so they are not offered)."""
    agencies = Agency.objects.filter(valid_to__isnull=True).order_by("path", "id").only("pk", "name", "abbreviation")
    return [(agency.pk, agency.name) for agency in agencies if agency.pk != exclude_id]


def signer_choices(*, agency: Agency, now: datetime) -> list[tuple[int, str]]:
    """People of ``agency`` who may sign: its AGENCY_LEADERs and UNIT_LEADERs now."""
    assignments = (
        RoleAssignment.objects.filter(
            agency=agency,
            role__in=[Role.AGENCY_LEADER, Role.UNIT_LEADER],
            valid_from__lte=now,
            person__is_active=True,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .select_related("person", "position", "unit")
        .order_by("role", "person__full_name_folded", "id")
    )
    seen: set[int] = set()
    choices: list[tuple[int, str]] = []
    for assignment in assignments:
        if assignment.person_id in seen:
            continue
        seen.add(assignment.person_id)
        title = assignment.position.name if assignment.position else assignment.get_role_display()
        choices.append((assignment.person_id, f"{assignment.person.full_name} — {title}"))
    return choices


def member_choices(*, agency: Agency, now: datetime) -> list[tuple[int, str]]:
    """People holding a role in ``agency`` now (assignees of review steps)."""
    people = (
        Person.objects.filter(
            is_active=True,
            roles__agency=agency,
            roles__valid_from__lte=now,
        )
        .filter(Q(roles__valid_to__isnull=True) | Q(roles__valid_to__gt=now))
        .distinct()
        .order_by("full_name_folded", "id")
    )
    return [(person.pk, person.full_name or person.username) for person in people]


class OutgoingForm(VanthuForm):
    """A new draft (or the metadata of a draft being edited)."""

    document_type = forms.TypedChoiceField(label=gettext_lazy("Document type"), coerce=int)
    subject = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write the summary of the document.")},
    )
    drafting_unit = forms.TypedChoiceField(
        label=gettext_lazy("Drafting unit"), coerce=int, required=False, empty_value=None
    )
    signer = forms.TypedChoiceField(label=gettext_lazy("Signer"), coerce=int, required=False, empty_value=None)
    signer_authority = forms.ChoiceField(
        label=gettext_lazy("Signing authority"), choices=SignerAuthority.choices, required=False
    )
    signer_position = forms.CharField(
        label=gettext_lazy("Signer's position"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("As printed above the signature, e.g. GIÁM ĐỐC. Empty: the signer's position."),
    )
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    reply_due_date = forms.DateField(
        label=gettext_lazy("Reply deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    circulation_note = forms.CharField(label=gettext_lazy("Circulation note"), max_length=100, required=False)
    recipient_agencies = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Agencies in the system"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Units of the agency"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    external_recipients = forms.CharField(
        label=gettext_lazy("Recipients outside the system"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One per line: name; channel (EMAIL, POST or AXIS); e-mail or address. "
            "E.g. Bộ Tài chính; AXIS; or Công ty A; EMAIL; vanthu@congtya.vn"
        ),
    )
    main_file = forms.FileField(
        label=gettext_lazy("Main file (PDF or DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
    )
    annexes = MultipleFileField(label=gettext_lazy("Annexes (separate files)"), required=False)

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        now: datetime,
        require_main: bool = True,
        with_files: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        types = DocumentType.objects.filter(is_active=True).filter(
            Q(agency__isnull=True, kind=TypeKind.ADMINISTRATIVE) | Q(agency=agency)
        )
        _choices(self, "document_type", [(t.pk, t.name) for t in types])
        units = list(Unit.objects.filter(agency=agency).order_by("name", "id"))
        unit_choices = [(unit.pk, unit.name) for unit in units]
        _choices(self, "drafting_unit", [("", "—"), *unit_choices])
        _choices(self, "signer", [("", "—"), *signer_choices(agency=agency, now=now)])
        _choices(self, "recipient_agencies", agency_choices(exclude_id=agency.pk))
        _choices(self, "recipient_units", unit_choices)
        if not with_files:
            del self.fields["main_file"]
            del self.fields["annexes"]
        elif require_main:
            self.fields["main_file"].required = True
            self.fields["main_file"].error_messages["required"] = _("Attach the main file (PDF or DOCX).")

    def clean_subject(self) -> str:
        subject = str(self.cleaned_data["subject"]).strip()
        if not subject:
            raise forms.ValidationError(_("Write the summary of the document."))
        return subject

    def clean_annexes(self) -> list[UploadedFile[bytes]]:
        annexes: list[UploadedFile[bytes]] = self.cleaned_data.get("annexes") or []
        if len(annexes) > MAX_ANNEXES:
            raise forms.ValidationError(_("At most %(count)s annexes.") % {"count": MAX_ANNEXES})
        return annexes

    def clean_external_recipients(self) -> list[dict[str, str]]:
        lines = [line.strip() for line in str(self.cleaned_data.get("external_recipients") or "").splitlines()]
        parsed = []
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            parts = [part.strip() for part in line.split(";")]
            name = parts[0]
            channel = (parts[1] if len(parts) > 1 else "").upper() or Channel.POST
            address = parts[2] if len(parts) > 2 else ""  # noqa: PLR2004 - name; channel; address
            if not name:
                raise forms.ValidationError(_("Line %(line)s: write the recipient's name.") % {"line": number})
            if channel not in EXTERNAL_CHANNELS:
                raise forms.ValidationError(
                    _("Line %(line)s: the channel must be EMAIL, POST or AXIS.") % {"line": number}
                )
            parsed.append({"name": name, "channel": channel, "address": address})
        return parsed

    def recipients(self) -> list[Any]:
        from vanthu.outgoing.services.drafting import RecipientInput

        data = self.cleaned_data
        recipients = [RecipientInput(kind=RecipientKind.AGENCY, agency_id=pk) for pk in data["recipient_agencies"]]
        recipients += [
            RecipientInput(kind=RecipientKind.UNIT, unit_id=pk, channel=Channel.NONE) for pk in data["recipient_units"]
        ]
        recipients += [
            RecipientInput(
                kind=RecipientKind.EXTERNAL, name=line["name"], channel=line["channel"], address=line["address"]
            )
            for line in data["external_recipients"]
        ]
        return recipients

    def metadata_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        units = {unit.pk: unit for unit in Unit.objects.filter(agency=self.agency)}
        signer = Person.objects.filter(pk=data["signer"]).first() if data.get("signer") else None
        return {
            "document_type": DocumentType.objects.get(pk=data["document_type"]),
            "subject": data["subject"],
            "drafting_unit": units.get(data["drafting_unit"]) if data.get("drafting_unit") else None,
            "signer": signer,
            "signer_authority": data.get("signer_authority") or "",
            "signer_position": data.get("signer_position") or "",
            "urgency": data["urgency"],
            "reply_due_date": data.get("reply_due_date"),
            "circulation_note": data.get("circulation_note") or "",
        }

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``outgoing_create`` (without agency, actor, now)."""
        kwargs = {**self.metadata_kwargs(), "recipients": self.recipients()}
        main = self.cleaned_data.get("main_file")
        kwargs["main"] = _upload(main) if main else None
        kwargs["annexes"] = [_upload(file) for file in self.cleaned_data.get("annexes") or []]
        return kwargs


class PaperForm(OutgoingForm):
    """A document signed on paper, registered by the clerk: the register line's fields, the
    recipients (the same picker as a draft) and an optional scan (PDF)."""

    signer_name = forms.CharField(
        label=gettext_lazy("Signer's name"),
        max_length=50,
        error_messages={"required": gettext_lazy("Give the name of the person who signed.")},
    )
    issued_date = forms.DateField(
        label=gettext_lazy("Issue date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Give the issue date.")},
    )
    scanned = forms.FileField(
        label=gettext_lazy("Scan of the signed original (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args: Any, agency: Agency, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, agency=agency, now=now, with_files=False, **kwargs)
        for name in ("drafting_unit", "signer", "urgency", "reply_due_date", "circulation_note"):
            del self.fields[name]
        self.order_fields(
            ["document_type", "subject", "signer_authority", "signer_position", "signer_name", "issued_date", "scanned"]
        )

    def clean_signer_name(self) -> str:
        name = str(self.cleaned_data["signer_name"]).strip()
        if not name:
            raise forms.ValidationError(_("Give the name of the person who signed."))
        return name

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``outgoing_register_paper`` (without agency, actor, now)."""
        data = self.cleaned_data
        scanned = data.get("scanned")
        return {
            "document_type": DocumentType.objects.get(pk=data["document_type"]),
            "subject": data["subject"],
            "signer_name": data["signer_name"],
            "signer_position": data.get("signer_position") or "",
            "signer_authority": data.get("signer_authority") or "",
            "issued_date": data["issued_date"],
            "scanned": _upload(scanned) if scanned else None,
            "recipients": self.recipients(),
        }


class NewVersionForm(VanthuForm):
    main_file = forms.FileField(label=gettext_lazy("New main file (PDF or DOCX)"), required=False)
    annexes = MultipleFileField(label=gettext_lazy("New annexes (replace the old ones)"), required=False)
    note = forms.CharField(label=gettext_lazy("What changed"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("main_file") and not cleaned.get("annexes"):
            raise forms.ValidationError(_("Attach a new main file or new annexes."))
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        main = self.cleaned_data.get("main_file")
        return {
            "main": _upload(main) if main else None,
            "annexes": [_upload(file) for file in self.cleaned_data.get("annexes") or []],
            "note": self.cleaned_data.get("note") or "",
        }


class CommentForm(VanthuForm):
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write the comment.")},
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"text": self.cleaned_data["text"]}


class ReviewForm(VanthuForm):
    comment = forms.CharField(
        label=gettext_lazy("Opinion (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"comment": self.cleaned_data.get("comment") or ""}


class ReasonForm(VanthuForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write the reason.")},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Write the reason."))
        return reason

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class StepForm(forms.Form):
    """One step of the review circuit on the submit form."""

    # Both lists start with an empty choice, so the empty row for adding a step is left out when it
    # is left alone (an untouched extra form has not changed; a select without a blank always has).
    kind = forms.ChoiceField(label=gettext_lazy("Step"), choices=[("", "—"), *StepKind.choices])
    assignee = forms.TypedChoiceField(label=gettext_lazy("Person"), coerce=int)
    ordinal = forms.IntegerField(label=gettext_lazy("Order"), min_value=1, max_value=50)
    working_days = forms.IntegerField(label=gettext_lazy("Working days"), min_value=1, max_value=60, initial=1)

    def __init__(self, *args: Any, people: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assignee", [("", "—"), *people])
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css


class BaseStepFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        steps = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        approvals = [step for step in steps if step["kind"] == StepKind.APPROVAL]
        if len(approvals) != 1:
            raise forms.ValidationError(_("The circuit needs exactly one approval step, by the signer."))
        if any(step["ordinal"] >= approvals[0]["ordinal"] for step in steps if step is not approvals[0]):
            raise forms.ValidationError(_("The approval by the signer must be the last step."))


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=1, can_delete=True, max_num=30)


def step_inputs(formset: forms.BaseFormSet) -> list[Any]:  # type: ignore[type-arg]
    from vanthu.outgoing.services.review import StepInput

    return [
        StepInput(
            kind=form.cleaned_data["kind"],
            assignee_id=form.cleaned_data["assignee"],
            ordinal=form.cleaned_data["ordinal"],
            working_days=form.cleaned_data["working_days"],
        )
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class CircuitTemplateForm(VanthuForm):
    """The name and the document type of a review circuit template (its steps: a formset)."""

    name = forms.CharField(
        label=gettext_lazy("Name of the circuit"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the circuit a name.")},
    )
    document_type = forms.TypedChoiceField(
        label=gettext_lazy("Document type"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = DocumentType.objects.filter(is_active=True).filter(
            Q(agency__isnull=True, kind=TypeKind.ADMINISTRATIVE) | Q(agency=agency)
        )
        _choices(self, "document_type", [("", _("All types")), *[(t.pk, t.name) for t in types]])

    def document_type_object(self) -> DocumentType | None:
        pk = self.cleaned_data.get("document_type")
        return DocumentType.objects.get(pk=pk) if pk else None


class TemplateStepForm(StepForm):
    """A step of a circuit template: the person may be left empty (chosen on each draft)."""

    def __init__(self, *args: Any, people: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, people=people, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.TypedChoiceField)  # noqa: S101 - declared so on StepForm
        assignee.required = False
        assignee.empty_value = None
        _choices(self, "assignee", [("", _("Chosen on each draft")), *people])


TemplateStepFormSet = forms.formset_factory(
    TemplateStepForm, formset=BaseStepFormSet, extra=1, can_delete=True, max_num=30
)


def template_step_inputs(formset: forms.BaseFormSet) -> list[Any]:  # type: ignore[type-arg]
    from vanthu.outgoing.services.review import TemplateStepInput

    return [
        TemplateStepInput(
            kind=form.cleaned_data["kind"],
            assignee_id=form.cleaned_data.get("assignee"),
            ordinal=form.cleaned_data["ordinal"],
            working_days=form.cleaned_data["working_days"],
        )
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class CertificateForm(VanthuForm):
    certificate = forms.TypedChoiceField(
        label=gettext_lazy("Certificate"),
        coerce=int,
        error_messages={"required": gettext_lazy("Choose a certificate.")},
    )

    def __init__(self, *args: Any, certificate_choices: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "certificate", list(certificate_choices))


class ChangeRecipientsForm(VanthuForm):
    add_agencies = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Add agencies"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    remove = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Remove recipients"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Write the reason.")},
    )

    def __init__(self, *args: Any, agency: Agency, current: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "add_agencies", agency_choices(exclude_id=agency.pk))
        _choices(self, "remove", list(current))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("add_agencies") and not cleaned.get("remove") and not self.errors:
            raise forms.ValidationError(_("Choose recipients to add or to remove."))
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        from vanthu.outgoing.services.drafting import RecipientInput

        return {
            "add": [
                RecipientInput(kind=RecipientKind.AGENCY, agency_id=pk) for pk in self.cleaned_data["add_agencies"]
            ],
            "remove_ids": list(self.cleaned_data["remove"]),
            "reason": self.cleaned_data["reason"],
        }


class CopyForm(CertificateForm):
    kind = forms.ChoiceField(label=gettext_lazy("Copy form"), choices=CopyKind.choices, initial=CopyKind.SAO_Y)
    pages = forms.CharField(
        label=gettext_lazy("Pages (partial copy only)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("E.g. 1-2,4"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == CopyKind.TRICH_SAO and not str(cleaned.get("pages") or "").strip():
            self.add_error("pages", _("A partial copy needs the pages to copy."))
        return cleaned


class QueueFilterForm(forms.Form):
    """The filters above a queue (GET)."""

    type = forms.TypedChoiceField(label=gettext_lazy("Type"), coerce=int, required=False, empty_value=None)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), required=False)
    q = forms.CharField(label=gettext_lazy("Summary or number"), required=False, max_length=100)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = DocumentType.objects.filter(is_active=True, kind=TypeKind.ADMINISTRATIVE)
        _choices(self, "type", [("", gettext_lazy("All types")), *[(t.pk, t.name) for t in types]])
        _choices(self, "urgency", [("", gettext_lazy("Any urgency")), *Urgency.choices])
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
