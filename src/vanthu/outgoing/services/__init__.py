"""Writes of the outgoing app, one module per part of the workflow:

- ``history``: ``history_add`` — the timeline row every service writes;
- ``drafting``: drafts, versions, comments, recipients, withdrawal, replies;
- ``review``: review circuits (templates, proposal, submit, review, send back);
- ``signing``: approval and signature by the signer;
- ``issuance``, ``after_issuance``, ``copies``, ``paper``: numbering, issuance, recall, copies.

``outgoing_act`` is the one dispatcher of the API's ``POST …/actions/<action>/``. The modules are
imported inside it, so importing ``vanthu.outgoing.services.history`` stays light."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.org.models import Person
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing

Handler = Callable[[Outgoing, Mapping[str, Any], Person, datetime], Outgoing]

# The fields each action needs in its payload.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    OutgoingAction.RETURN_TO_DRAFTER: ("reason",),
    OutgoingAction.RETURN_TO_PREVIOUS: ("reason",),
    OutgoingAction.WITHDRAW: ("reason",),
    OutgoingAction.ISSUE: ("certificate",),
    OutgoingAction.CANCEL_ISSUE: ("reason",),
    OutgoingAction.RECALL: ("reason",),
    OutgoingAction.CHANGE_RECIPIENTS: ("reason",),
}


def _text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name, "")
    return value.strip() if isinstance(value, str) else str(value or "").strip()


def _require(action: str, payload: Mapping[str, Any]) -> None:
    missing = [
        name
        for name in REQUIRED_FIELDS.get(action, ())
        if payload.get(name) is None or (isinstance(payload.get(name), str) and not payload[name].strip())
    ]
    if missing:
        raise ValidationError(
            _("Some required fields are missing: %(fields)s.") % {"fields": ", ".join(missing)},
            details={"missing": missing},
        )


def _int(payload: Mapping[str, Any], name: str, *, index: int | None = None) -> int:
    value = payload.get(name)
    try:
        if isinstance(value, bool):
            raise TypeError
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        details: dict[str, Any] = {"field": name}
        if index is not None:
            details["index"] = index
        raise ValidationError(_("“%(field)s” must be a whole number.") % {"field": name}, details=details) from None


def _optional_int(payload: Mapping[str, Any], name: str) -> int | None:
    return None if payload.get(name) in (None, "") else _int(payload, name)


def _steps(payload: Mapping[str, Any]) -> Any:
    from vanthu.outgoing.services.review import StepInput  # noqa: PLC0415 - see the module docstring

    raw = payload.get("steps")
    if raw is None:
        return None
    if not isinstance(raw, list | tuple):
        raise ValidationError(_("“steps” must be a list."), details={"field": "steps"})
    steps = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise ValidationError(_("Each step is an object."), details={"field": "steps", "index": index})
        assignee = item.get("assignee_id", item.get("assignee"))
        steps.append(
            StepInput(
                kind=str(item.get("kind", "")),
                assignee_id=_int({"assignee_id": assignee}, "assignee_id", index=index),
                ordinal=_int(item, "ordinal", index=index),
                working_days=_int({"working_days": item.get("working_days", 1)}, "working_days", index=index),
            )
        )
    return steps


def recipient_inputs(raw: Any, field: str = "recipients") -> list[Any]:
    """``RecipientInput``s from API data: a list of objects with kind, agency_id, unit_id, name,
    channel, address, is_for_information."""
    from vanthu.outgoing.services.drafting import RecipientInput  # noqa: PLC0415 - see the module docstring

    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise ValidationError(_("“%(field)s” must be a list.") % {"field": field}, details={"field": field})
    result = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise ValidationError(_("Each recipient is an object."), details={"field": field, "index": index})
        result.append(
            RecipientInput(
                kind=str(item.get("kind") or ""),
                name=str(item.get("name") or ""),
                channel=str(item.get("channel") or RecipientInput.channel),
                address=str(item.get("address") or ""),
                agency_id=_optional_int(item, "agency_id"),
                unit_id=_optional_int(item, "unit_id"),
                is_for_information=bool(item.get("is_for_information", False)),
            )
        )
    return result


def _submit(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.outgoing.services.review import outgoing_submit  # noqa: PLC0415

    return outgoing_submit(outgoing=outgoing, actor=actor, now=now, steps=_steps(payload))


def _review(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.outgoing.services.review import outgoing_review  # noqa: PLC0415

    return outgoing_review(outgoing=outgoing, actor=actor, now=now, comment=_text(payload, "comment"))


def _send_back(*, to_previous: bool) -> Handler:
    def handler(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
        from vanthu.outgoing.services.review import outgoing_send_back  # noqa: PLC0415

        return outgoing_send_back(
            outgoing=outgoing, actor=actor, now=now, reason=_text(payload, "reason"), to_previous=to_previous
        )

    return handler


def _withdraw(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.outgoing.services.drafting import outgoing_withdraw  # noqa: PLC0415

    return outgoing_withdraw(outgoing=outgoing, actor=actor, now=now, reason=_text(payload, "reason"))


def _start_issue(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.documents.models import RegisterEntry  # noqa: PLC0415
    from vanthu.outgoing.services.issuance import outgoing_issue_start  # noqa: PLC0415

    entry_id = _optional_int(payload, "reserved_entry")
    entry = None
    if entry_id is not None:
        entry = RegisterEntry.objects.filter(pk=entry_id, register__agency_id=outgoing.agency_id).first()
        if entry is None:
            raise ValidationError(_("This reserved number does not exist."), details={"field": "reserved_entry"})
    return outgoing_issue_start(outgoing=outgoing, actor=actor, now=now, reserved_entry=entry)


def _issue(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.outgoing.services.issuance import outgoing_issue  # noqa: PLC0415
    from vanthu.signing.models import Certificate  # noqa: PLC0415

    certificate = Certificate.objects.filter(pk=_int(payload, "certificate")).first()
    if certificate is None:
        raise ValidationError(_("This certificate does not exist."), details={"field": "certificate"})
    return outgoing_issue(outgoing=outgoing, certificate=certificate, actor=actor, now=now)


def _cancel_issue(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.outgoing.services.issuance import outgoing_issue_cancel  # noqa: PLC0415

    return outgoing_issue_cancel(outgoing=outgoing, reason=_text(payload, "reason"), actor=actor, now=now)


def _recall(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.outgoing.services.after_issuance import outgoing_recall  # noqa: PLC0415

    return outgoing_recall(outgoing=outgoing, reason=_text(payload, "reason"), actor=actor, now=now)


def _change_recipients(outgoing: Outgoing, payload: Mapping[str, Any], actor: Person, now: datetime) -> Outgoing:
    from vanthu.outgoing.services.after_issuance import outgoing_change_recipients  # noqa: PLC0415

    raw_remove = payload.get("remove_ids") or []
    if not isinstance(raw_remove, list | tuple):
        raise ValidationError(
            _("“%(field)s” must be a list.") % {"field": "remove_ids"}, details={"field": "remove_ids"}
        )
    remove_ids = [_int({"remove_ids": value}, "remove_ids", index=index) for index, value in enumerate(raw_remove)]
    return outgoing_change_recipients(
        outgoing=outgoing,
        add=recipient_inputs(payload.get("add"), "add"),
        remove_ids=remove_ids,
        reason=_text(payload, "reason"),
        actor=actor,
        now=now,
    )


HANDLERS: dict[str, Handler] = {
    OutgoingAction.SUBMIT: _submit,
    OutgoingAction.REVIEW: _review,
    OutgoingAction.RETURN_TO_DRAFTER: _send_back(to_previous=False),
    OutgoingAction.RETURN_TO_PREVIOUS: _send_back(to_previous=True),
    OutgoingAction.WITHDRAW: _withdraw,
    OutgoingAction.START_ISSUE: _start_issue,
    OutgoingAction.ISSUE: _issue,
    OutgoingAction.CANCEL_ISSUE: _cancel_issue,
    OutgoingAction.RECALL: _recall,
    OutgoingAction.CHANGE_RECIPIENTS: _change_recipients,
}


def outgoing_act(
    *, outgoing: Outgoing, action: str, actor: Person, now: datetime, payload: Mapping[str, Any]
) -> Outgoing:
    """Run ``action`` (an ``OutgoingAction`` value) on ``outgoing`` with the API's ``payload``.

    Signing (``sign``) has its own two-step endpoints (prepare, finish); internal moves
    (reach_signer, submit_to_signer, replace, correct) are never asked for: both are unknown here."""
    handler = HANDLERS.get(str(action))
    if handler is None:
        raise NotFoundError(
            _("Unknown action: %(action)s.") % {"action": action}, code="unknown_action", details={"action": action}
        )
    _require(str(action), payload)
    return handler(outgoing, payload, actor, now)
