"""One case's life, through the case services: reported, accepted or rejected, dispatched at its category's
level, handled (with a mediation record for disputes), escalated when its level cannot solve it, reported
done, checked and closed, rated by its reporter, reopened after a dissatisfied rating.

`Life.run` is a generator: it yields the moment of its next step, and the engine resumes it with the one clock
stopped at that moment, so every service stamps its rows with the step's time. The deadline tick's steps for
the case (the warning at 75% of the time limit, escalation or the overdue mark at the deadline) are queued by
`clock_started` and run by the tick's own services at the five-minute tick on or after they fall due.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils import timezone

from commonground.core.working_calendar import add_working_hours, working_hours_between

from ..models import CLOCK_STAGES, LADDER, OPEN_STAGES, Case, Level, MediationOutcome
from ..rules import DISSATISFIED_AT_MOST
from ..services.deadlines import case_warn_deadline, warning_due_at
from ..services.intake import case_report
from ..services.mediation import mediation_conclude, mediation_open, mediation_session_add
from ..services.workflow import (
    case_accept,
    case_dispatch,
    case_escalate,
    case_escalate_overdue,
    case_feedback,
    case_merge,
    case_note,
    case_rate,
    case_reject,
    case_verify,
)
from .texts import (
    AGREEMENTS,
    ATTENDEES,
    DUPLICATE_CLOSED,
    ESCALATION_REASONS,
    FEEDBACK,
    NOTES,
    REJECTION_REASONS,
    SENT_BACK,
    SUMMARIES,
)

if TYPE_CHECKING:
    from commonground.core.models import User

    from .engine import Engine
    from .plans import Plan
    from .world import World

P_ESCALATE_ON_PURPOSE, P_LATE, P_SENT_BACK, P_LEVEL_UP = 0.04, 0.06, 0.04, 0.05
RATINGS, RATING_WEIGHTS = (5, 4, 3, 2, 1), (58, 28, 8, 4, 2)
NOTE_AFTER_HOURS = 4  # handling that takes longer gets a progress note on the way
CHECKED = "经核查已办结"


def ceil5(moment: datetime.datetime) -> datetime.datetime:
    """The first tick (every five minutes) at or after `moment`."""
    base = moment.replace(second=0, microsecond=0)
    if base != moment:
        base += datetime.timedelta(minutes=1)
    return base + datetime.timedelta(minutes=-base.minute % 5)


def midpoint(start: datetime.datetime, end: datetime.datetime, share: float) -> datetime.datetime:
    return start + (end - start) * share


class Life:
    def __init__(self, world: World, engine: Engine, plan: Plan) -> None:
        self.world, self.engine, self.plan, self.rng = world, engine, plan, plan.rng
        self.case: Case | None = None
        self.mediating = False
        self.handler: User | None = None  # who last reported it done

    def after(self, at: datetime.datetime, low: float, high: float) -> datetime.datetime:
        return add_working_hours(at, round(self.rng.uniform(low, high), 2))

    def run(self) -> Iterator[datetime.datetime]:
        plan, world = self.plan, self.world
        yield plan.reported_at
        self.case = case_report(
            actor=world.account(plan.reporter), category=plan.category, description=plan.description,
            place=plan.place, answers=plan.answers, channel=plan.channel, contact=plan.contact, **plan.pin)
        if plan.repeats is not None:
            yield from self.merge()
        elif plan.rejected:
            yield self.after(plan.reported_at, 0.3, 3)
            self.case = case_reject(case=self.case, actor=world.clerk(plan.place),
                                    reason=self.rng.choice(REJECTION_REASONS))
        else:
            yield from self.take_in()
            yield from self.work()
            yield from self.evaluate()

    def merge(self) -> Iterator[datetime.datetime]:
        """The clerk merges a repeat report into the case in hand (or turns it away if that one is done)."""
        yield self.after(self.plan.reported_at, 0.2, 2)
        main, clerk = self.plan.repeats.case, self.world.clerk(self.plan.place)
        if main is not None and main.stage in OPEN_STAGES:
            self.case = case_merge(duplicate=self.case, into=main, actor=clerk)
        else:
            self.case = case_reject(case=self.case, actor=clerk, reason=DUPLICATE_CLOSED)

    def take_in(self) -> Iterator[datetime.datetime]:
        """Accepted, then dispatched at the category's level (now and then one up) to its organisation there."""
        plan, clerk = self.plan, self.world.clerk(self.plan.place)
        accepted = self.after(plan.reported_at, 0.2, 3)
        yield accepted
        self.case = case_accept(case=self.case, actor=clerk)
        yield add_working_hours(self.after(accepted, 0.1, 1.5), plan.waiting)
        level = plan.category.default_level
        if not plan.on_time and self.rng.random() < P_LEVEL_UP and level != Level.DISTRICT:
            level = LADDER[LADDER.index(level) + 1]
        self.case = case_dispatch(case=self.case, actor=clerk, level=level,
                                  handler=self.world.organisation_for(plan.place, level))
        self.clock_started()

    def work(self) -> Iterator[datetime.datetime]:
        """Handle at the current level until reported done and closed, escalating on the way when it comes to
        that (on purpose, or by the tick when the deadline passes)."""
        plan, rng = self.plan, self.rng
        sla = float(plan.category.sla_hours)
        while True:
            case = self.case
            handler = self.world.handler(case.handling_place)
            start, deadline = case.dispatched_at, case.deadline
            draw = 1.0 if plan.on_time else rng.random()
            up = self.world.up(case)
            if plan.stalls and not up:
                return
            if up and draw < P_ESCALATE_ON_PURPOSE:
                at = add_working_hours(start, round(sla * rng.uniform(0.2, 0.6), 2))
                yield midpoint(start, at, 0.5)
                self.case = case_note(case=self.case, actor=handler, note=rng.choice(NOTES))
                yield at
                self.case = case_escalate(case=self.case, actor=handler, reason=rng.choice(ESCALATION_REASONS))
                self.clock_started()
                continue
            late = plan.late or draw < P_ESCALATE_ON_PURPOSE + P_LATE
            finish = add_working_hours(start, round(sla * rng.uniform(*((1.1, 2.5) if late else (0.15, 0.95))), 2))
            if late and up:
                if rng.random() < 0.5:
                    yield midpoint(start, deadline, 0.4)
                    self.case = case_note(case=self.case, actor=handler, note=rng.choice(NOTES))
                yield ceil5(deadline)  # the tick has sent it up by now
                if self.case.dispatched_at == start:
                    raise RuntimeError(f"{self.case.number}: the tick did not escalate it at {deadline}")
                continue
            noted = midpoint(start, finish, rng.uniform(0.1, 0.4))
            if working_hours_between(start, finish) > NOTE_AFTER_HOURS:  # a quick job is just reported done
                yield noted
                self.case = case_note(case=self.case, actor=handler, note=rng.choice(NOTES))
            if plan.category.is_dispute:
                yield from self.mediate(noted, finish, handler)
            yield finish
            self.case = case_feedback(case=self.case, actor=handler, note=rng.choice(FEEDBACK))
            self.handler = handler
            yield from self.verify(finish)
            return

    def mediate(self, start: datetime.datetime, end: datetime.datetime, mediator: User) -> Iterator[datetime.datetime]:
        rng = self.rng
        opened = midpoint(start, end, 0.1)
        sessions = 1
        if not self.mediating:
            yield opened
            mediation_open(case=self.case, actor=mediator, parties=self.plan.parties)
            self.mediating, sessions = True, rng.randint(1, 3)
        venue = self.world.venue(self.case.handling_place)
        for i in range(sessions):
            held = midpoint(opened, end, 0.2 + 0.25 * i)
            yield held
            mediation_session_add(case=self.case, actor=mediator, held_on=timezone.localtime(held).date(),
                                  venue=venue, attendees=rng.choice(ATTENDEES), summary=rng.choice(SUMMARIES))
        yield midpoint(start, end, 0.9)
        mediation_conclude(case=self.case, actor=mediator, outcome=MediationOutcome.AGREEMENT,
                           agreement_text=rng.choice(AGREEMENTS))

    def verify(self, done: datetime.datetime) -> Iterator[datetime.datetime]:
        """The clerk checks before the deadline (or soon after a late report of done), now and then sending it
        back once."""
        rng, deadline = self.rng, self.case.deadline
        verifier = self.world.clerk(self.plan.place)
        left = working_hours_between(done, deadline)
        if left <= 0:  # late at the top of the ladder: nothing more to escalate
            at = self.after(done, 0.3, 4)
        else:
            at = add_working_hours(done, round(left * rng.uniform(0.2, 0.5), 3))
            if left > 1 and rng.random() < P_SENT_BACK:
                yield at
                self.case = case_verify(case=self.case, actor=verifier, approved=False, note=rng.choice(SENT_BACK))
                redone = add_working_hours(at, round(working_hours_between(at, deadline) * 0.4, 3))
                yield redone
                self.case = case_feedback(case=self.case, actor=self.handler, note=rng.choice(FEEDBACK))
                at = add_working_hours(redone, round(working_hours_between(redone, deadline) * 0.5, 3))
        yield at
        self.case = case_verify(case=self.case, actor=verifier, approved=True, note=CHECKED)

    def evaluate(self) -> Iterator[datetime.datetime]:
        """The reporter's rating on the revisit; a dissatisfied one reopens the case (the service decides how)."""
        plan, rng = self.plan, self.rng
        if self.case.stage in OPEN_STAGES or rng.random() >= plan.rate:  # a stalled case is not rated
            return
        at = self.case.closed_at + datetime.timedelta(hours=rng.uniform(3, 60))
        rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
        # Rarely dissatisfied twice; never at the top of the ladder, where the service has nowhere to send it.
        if rating <= DISSATISFIED_AT_MOST and (plan.keep_closed or self.case.reopenings and (
                self.case.reopenings > 1 or self.world.up(self.case) is None or rng.random() < 0.7)):
            rating = rng.choice((3, 4, 5))
        yield at
        self.case = case_rate(case=self.case, actor=self.world.account(plan.reporter), rating=rating)
        if rating > DISSATISFIED_AT_MOST:
            return
        self.clock_started()
        yield from self.work()
        yield from self.evaluate()

    # --- the deadline tick's steps for this case ---------------------------------------------------------------
    def clock_started(self) -> None:
        """Queue the tick's warning and deadline steps for the time limit that starts now."""
        case, started = self.case, self.case.dispatched_at
        self.engine.tick(ceil5(warning_due_at(case)), lambda: self.warn(started), first=False)
        self.engine.tick(ceil5(case.deadline), lambda: self.overdue(started), first=True)

    def running(self, started: datetime.datetime) -> bool:
        """Whether the time limit that started at `started` still runs (else the tick has nothing to do)."""
        return self.case.stage in CLOCK_STAGES and self.case.dispatched_at == started

    def warn(self, started: datetime.datetime) -> None:
        if self.running(started):
            case_warn_deadline(case=self.case)

    def overdue(self, started: datetime.datetime) -> None:
        if self.running(started):
            escalated = case_escalate_overdue(case=self.case)
            if escalated is not None:
                self.case = escalated
                if escalated.dispatched_at != started:
                    self.clock_started()
