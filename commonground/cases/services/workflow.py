"""The seven stages: accept (立案), dispatch, handle, feedback, verify and close, evaluate; and
escalation, extensions, mediation and merging. Every function is atomic, checks permission and
stage, and logs an event; an illegal move raises ValidationError and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Organisation, User
from commonground.core.permissions import require
from commonground.core.working_calendar import add_working_hours

from ..models import (
    CLOCK_STAGES,
    OPEN_STAGES,
    Case,
    CaseAttachment,
    ExtensionRequest,
    ExtensionStatus,
    Level,
    Mediation,
    NotificationKind,
    Stage,
)
from ..rules import DISSATISFIED_AT_MOST
from .allowed import (  # noqa: F401  (allowed_actions and may_decide_extension: callers asked them here first)
    allowed_actions,
    last_feedback_actor_id,
    may_decide_extension,
    mediation_done,
)
from .events import expect_stage, locked, log_event, move
from .intake import clean_attachments
from .ladder import handling_organisation, handling_place, next_level
from .notifications import case_message, notify, notify_handlers, rating_request_settled
from .tallies import saved


def _start_clock(case: Case, level: str, now: datetime.datetime) -> dict[str, Any]:
    actual, place = handling_place(case.place, level)
    return {"level": actual, "handling_place": place, "handling_path": place.path, "dispatched_at": now,
            "warned_at": None, "deadline": add_working_hours(now, case.category.sla_hours), "is_overdue": False}


@transaction.atomic
def case_accept(*, case: Case, actor: User, note: str = "") -> Case:
    """立案: the matter is a real case for the platform."""
    return move(case=case, actor=actor, permission="case.accept", allowed=(Stage.COLLECT,), to_stage=Stage.CREATE,
                action="accepted", verb=_("accepted"), note=note)


@transaction.atomic
def case_reject(*, case: Case, actor: User, reason: str) -> Case:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is not accepted; the reporter will read it.")})
    case = move(case=case, actor=actor, permission="case.accept", allowed=(Stage.COLLECT,),
                to_stage=Stage.REJECTED, action="rejected", verb=_("rejected"), note=reason.strip(),
                closed_at=clock.now())
    if case.reporter_id:
        notify([case.reporter_id], case, NotificationKind.CLOSED,
               case_message("rejected", case, reason=reason.strip()))
    return case


@transaction.atomic
def case_dispatch(*, case: Case, actor: User, level: str | None = None, handler: Organisation | None = None,
                  note: str = "") -> Case:
    """Send an accepted case to the handling place at `level` (default: the category's); the clock starts."""
    current = locked(case)
    level = level or current.category.default_level
    if level not in Level.values:
        raise ValidationError({"level": _("Unknown handling level.")})
    fields = _start_clock(current, level, clock.now())
    if handler is not None and not handler.place.is_within(fields["handling_place"]):
        raise ValidationError({"handler": _("The handling organisation must be at or under the handling place.")})
    if handler is None:  # none named: the category's kind of organisation at the handling place, if there is one
        handler = handling_organisation(current.category.handler_kind, fields["handling_place"])
    case = move(case=current, held=True, actor=actor, permission="case.dispatch", allowed=(Stage.CREATE,),
                to_stage=Stage.DISPATCH, action="dispatched", verb=_("dispatched"), note=note, handler=handler,
                data={"level": fields["level"], "handling_place": fields["handling_place"].code}, **fields)
    notify_handlers(case, NotificationKind.ASSIGNED, case_message(
        "assigned", case, deadline=f"{timezone.localtime(case.deadline):%Y-%m-%d %H:%M}"))
    return case


@transaction.atomic
def case_note(*, case: Case, actor: User, note: str, attachments: list = ()) -> Case:
    """The handler records progress (and photos); the first note moves a dispatched case into handling."""
    if not note.strip():
        raise ValidationError({"note": _("Write what was done.")})
    current = locked(case)
    require(actor, "case.handle", current)
    expect_stage(current, Stage.DISPATCH, Stage.HANDLE, action=_("updated"))
    stored = clean_attachments(attachments)
    from_stage = current.stage
    current.stage = Stage.HANDLE
    saved(current, ["stage", "updated_at"])
    event = log_event(case=current, actor=actor, action="note", from_stage=from_stage, to_stage=Stage.HANDLE,
                      note=note.strip())
    for item in stored:
        CaseAttachment.objects.create(case=current, event=event, file=item.file, content_type=item.content_type,
                                      size=item.size, uploaded_by=actor)
    return current


@transaction.atomic
def case_feedback(*, case: Case, actor: User, note: str) -> Case:
    """The handler reports the matter done; it waits for an independent check."""
    if not note.strip():
        raise ValidationError({"note": _("Say how the matter was solved.")})
    current = locked(case)
    if current.category.is_dispute and not mediation_done(Mediation.objects.filter(case=current).first()):
        raise ValidationError(_("A dispute needs a mediation record with its outcome before it is reported done."))
    return move(case=current, held=True, actor=actor, permission="case.handle",
                allowed=(Stage.DISPATCH, Stage.HANDLE), to_stage=Stage.FEEDBACK, action="feedback",
                verb=_("reported done"), note=note.strip())


@transaction.atomic
def case_verify(*, case: Case, actor: User, approved: bool, note: str = "") -> Case:
    """Independent check: close the case (recording the level that solved it) or send it back."""
    current = locked(case)
    if last_feedback_actor_id(current) == actor.pk:
        raise PermissionDenied(_("The check must be made by someone other than the handler who reported it done."))
    if approved:
        now = clock.now()
        case = move(case=current, held=True, actor=actor, permission="case.verify", allowed=(Stage.FEEDBACK,),
                    to_stage=Stage.CLOSED, action="closed", verb=_("closed"), note=note, closed_at=now,
                    closed_level=current.level)
        # none can join: the main case is locked
        merged = list(case.merged_cases.select_related("category", "place__parent"))
        if merged:
            Case.objects.filter(pk__in=[c.pk for c in merged]).update(closed_at=now, closed_level=case.level)
        if case.reporter_id:
            notify([case.reporter_id], case, NotificationKind.CLOSED, case_message("closed", case))
        told = {case.reporter_id}
        for repeat in merged:
            # told once, about their own report (only the main case is rated); a caller recorded by staff is not
            if repeat.reporter_id and repeat.reporter_id not in told:
                told.add(repeat.reporter_id)
                notify([repeat.reporter_id], case, NotificationKind.CLOSED, case_message("closed_merged", repeat))
        return case
    if not note.strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    return move(case=current, held=True, actor=actor, permission="case.verify", allowed=(Stage.FEEDBACK,),
                to_stage=Stage.HANDLE, action="sent_back", verb=_("sent back"), note=note.strip())


@transaction.atomic
def case_rate(*, case: Case, actor: User, rating: int, comment: str = "") -> Case:
    """The reporter's revisit rating (1–5). A dissatisfied rating reopens the case once at the same
    level; a second one sends it up the ladder."""
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Rate from 1 (very dissatisfied) to 5 (very satisfied).")})
    current = locked(case)
    if not current.is_own(actor, "case.rate"):
        raise PermissionDenied(_("Only the person who reported the case can rate it."))
    expect_stage(current, Stage.CLOSED, action=_("rated"))
    case = move(case=current, held=True, actor=actor, permission="case.rate", allowed=(Stage.CLOSED,),
                to_stage=Stage.EVALUATED, action="rated", verb=_("rated"), note=comment.strip(), data={"rating": rating},
                rating=rating)
    rating_request_settled(actor=actor, case=case)
    if rating > DISSATISFIED_AT_MOST:
        return case
    now = clock.now()
    if case.reopenings == 0:
        reopened = move(case=case, held=True, actor=None, permission="case.rate", allowed=(Stage.EVALUATED,),
                        to_stage=Stage.HANDLE, action="reopened", verb=_("reopened"),
                        note=_("Reopened after a dissatisfied rating."), reopenings=1, closed_at=None,
                        closed_level="", rating=None, **_start_clock(case, case.level, now))
        notify_handlers(reopened, NotificationKind.REOPENED, case_message("reopened", reopened))
        return reopened
    return _escalate(case, actor=None, reason=_("Dissatisfied again after reopening."),
                     from_stages=(Stage.EVALUATED,), reopen=True)


def _escalate(case: Case, *, actor: User, reason: str, from_stages: tuple[str, ...], reopen: bool = False,
              late: bool = False) -> Case:
    """Send a (locked, permission-checked) case one level up the ladder, restarting its clock there: the level
    above gets its own time limit, so the case is not overdue there (`late`: the event notes it was below)."""
    up = next_level(case.place, case.level, case.handling_place)
    if up is None:
        raise ValidationError(_("This case is already at the top of the ladder."))
    expect_stage(case, *from_stages, action=_("escalated"))
    fields = _start_clock(case, up[0], clock.now())
    if reopen:
        fields.update(reopenings=case.reopenings + 1, closed_at=None, closed_level="", rating=None)
    from_stage = case.stage
    # the level above's organisation of the category's kind takes it over (e.g. the street's three-party office)
    changes = {**fields, "handler": handling_organisation(case.category.handler_kind, fields["handling_place"]),
               "escalations": case.escalations + 1}
    for field, value in changes.items():
        setattr(case, field, value)
    case.stage = Stage.DISPATCH
    saved(case, [*changes, "stage", "updated_at"])
    log_event(case=case, actor=actor, action="escalated", from_stage=from_stage, to_stage=Stage.DISPATCH,
              note=reason, data={"level": case.level, "handling_place": case.handling_place.code,
                                 **({"overdue": True} if late else {})})
    notify_handlers(case, NotificationKind.ESCALATED, case_message("escalated", case, reason=reason))
    return case


@transaction.atomic
def case_escalate(*, case: Case, actor: User, reason: str) -> Case:
    """A handler sends the case one level up: "this level cannot solve it"."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this level cannot solve it.")})
    current = locked(case)
    require(actor, "case.handle", current)
    return _escalate(current, actor=actor, reason=reason.strip(), from_stages=tuple(CLOCK_STAGES))


@transaction.atomic
def case_escalate_overdue(*, case: Case) -> Case | None:
    """The deadline job's step for one case: send it one level up, where its clock starts again (the escalation
    event records that it was overdue), or, at the top, mark it overdue. Does nothing when the case is no longer
    overdue: safe to run twice."""
    current = locked(case)
    if current.stage not in CLOCK_STAGES or current.deadline is None or current.deadline > clock.now():
        return None
    if next_level(current.place, current.level, current.handling_place) is None:
        if current.is_overdue:
            return None
        current.is_overdue = True
        saved(current, ["is_overdue", "updated_at"])
        log_event(case=current, actor=None, action="overdue", from_stage=current.stage, to_stage=current.stage,
                  note=_("Overdue at the top of the ladder."))
        return current
    return _escalate(current, actor=None, reason=_("Deadline passed."), from_stages=tuple(CLOCK_STAGES), late=True)


@transaction.atomic
def extension_request(*, case: Case, actor: User, hours: Decimal, reason: str) -> ExtensionRequest:
    """Asked before the deadline, by the handler, for more working hours."""
    current = locked(case)
    require(actor, "case.handle", current)
    expect_stage(current, *CLOCK_STAGES, action=_("extended"))
    if current.deadline is None or clock.now() >= current.deadline:
        raise ValidationError(_("An extension must be asked for before the deadline."))
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Ask for a positive number of working hours.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why more time is needed.")})
    if current.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest.objects.create(case=current, requested_by=actor, hours=hours, reason=reason.strip())
    log_event(case=current, actor=actor, action="extension_requested", from_stage=current.stage,
              to_stage=current.stage, note=reason.strip(), data={"hours": str(hours)})
    return request


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, actor: User, approve: bool) -> ExtensionRequest:
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    current = locked(request.case)
    if not may_decide_extension(actor, current):
        raise PermissionDenied(_("An extension is approved one level above the handling place."))
    if request.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by, request.decided_at = actor, clock.now()
    request.save()
    if approve:
        current.deadline = add_working_hours(current.deadline, request.hours)
        current.warned_at = None
        saved(current, ["deadline", "warned_at", "updated_at"])
    log_event(case=current, actor=actor, action="extension_approved" if approve else "extension_refused",
              from_stage=current.stage, to_stage=current.stage, data={"hours": str(request.hours)})
    return request


@transaction.atomic
def case_merge(*, duplicate: Case, into: Case, actor: User) -> Case:
    """Merge a repeat report into the main case; it then shares the main case's outcome."""
    if duplicate.pk == into.pk:
        raise ValidationError(_("A case cannot be merged into itself."))
    main = locked(into)
    require(actor, "case.merge", main)
    if main.merged_into_id:
        raise ValidationError(_("Merge into the main case %(number)s instead.") % {"number": main.merged_into.number})
    if main.category_id != duplicate.category_id:
        raise ValidationError(_("Only cases of the same category can be merged."))
    if main.stage not in OPEN_STAGES:
        raise ValidationError(_("The main case is no longer open."))
    merged = move(case=duplicate, actor=actor, permission="case.merge", allowed=tuple(OPEN_STAGES),
                  to_stage=Stage.MERGED, action="merged", verb=_("merged"), merged_into=main,
                  data={"into": main.number})
    Case.objects.filter(merged_into=merged).update(merged_into=main)
    log_event(case=main, actor=actor, action="merged_in", from_stage=main.stage, to_stage=main.stage,
              data={"from": merged.number})
    return merged
