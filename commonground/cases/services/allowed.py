"""What may be done to a case now, and by whom: the rules the transitions enforce, asked by the pages before
they offer a step. A step is offered only when its service would accept it."""

from __future__ import annotations

from commonground.core.models import User
from commonground.core.permissions import active_roles, can
from commonground.core.rules import role_permits

from ..models import CLOCK_STAGES, OPEN_STAGES, Case, Mediation, MediationOutcome, Stage

# Of the steps a user may take, the one a page opens first: the step that moves the case on.
PRIMARY_ORDER = ("accept", "dispatch", "mediate", "feedback", "verify", "rate", "note")


def last_feedback_actor_id(case: Case) -> int | None:
    return case.events.filter(action="feedback").order_by("-at", "-pk").values_list("actor_id", flat=True).first()


def mediation_of(case: Case) -> Mediation | None:
    """The dispute's mediation record, with its sessions (None when not opened or not a dispute)."""
    if not case.category.is_dispute:
        return None
    return Mediation.objects.filter(case=case).select_related("mediator").prefetch_related("sessions").first()


def mediation_done(mediation: Mediation | None) -> bool:
    """A dispute is reported done only after its mediation has an outcome."""
    return mediation is not None and mediation.outcome != MediationOutcome.PENDING


def mediation_steps(mediation: Mediation | None) -> list[str]:
    """The mediation steps that make sense now: open the record, then sessions, then the outcome."""
    if mediation is None:
        return ["mediation_open"]
    if mediation_done(mediation):
        return []
    return ["mediation_session", "mediation_conclude"] if mediation.sessions.all() else ["mediation_session"]


def allowed_actions(actor: User, case: Case, *, mediation: Mediation | None | bool = False) -> list[str]:
    """The steps a case page offers this user: every transition the resolver and the stage allow, and that the
    service would accept now (a dispute is reported done only once its mediation has an outcome). `mediation`:
    the record when the caller has it loaded (None: there is none); left out, it is read when needed."""
    actions = []
    stage = case.stage
    if stage == Stage.COLLECT and can(actor, "case.accept", case):
        actions += ["accept", "reject"]
    if stage == Stage.CREATE and can(actor, "case.dispatch", case):
        actions.append("dispatch")
    if stage in CLOCK_STAGES and case.handling_place_id and can(actor, "case.handle", case):
        actions += ["note", "escalate", "extend"]
        if case.category.is_dispute:
            if mediation is False:
                mediation = mediation_of(case)
            if not mediation_done(mediation):
                actions.append("mediate")
            elif stage != Stage.FEEDBACK:
                actions.append("feedback")
        elif stage != Stage.FEEDBACK:
            actions.append("feedback")
    if stage == Stage.FEEDBACK and can(actor, "case.verify", case) and last_feedback_actor_id(case) != actor.pk:
        actions.append("verify")  # the check is independent: never by whoever reported it done
    if stage == Stage.CLOSED and case.is_own(actor, "case.rate"):
        actions.append("rate")
    if stage in OPEN_STAGES and can(actor, "case.merge", case):
        actions.append("merge")
    return actions


def may_decide_extension(actor: User, case: Case) -> bool:
    """One level up: a role allowing "case.approve_extension" whose scope lies strictly above the handling place."""
    if getattr(actor, "is_superuser", False):
        return True
    place = case.handling_place
    return any(
        role_permits(r.role, "case.approve_extension") and place.path.startswith(r.scope.path)
        and len(r.scope.path) < len(place.path)
        for r in active_roles(actor)
    )


def primary_action(actions: list[str]) -> str | None:
    """Of `allowed_actions`, the step a page opens first: the one that moves the case on now."""
    return next((name for name in PRIMARY_ORDER if name in actions), None)
