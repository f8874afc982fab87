"""浙工新村's agreements and flat choice, through the services on the one clock.

Each household signs at the moment `plan_signings` gave it (world.signing_at): a field worker of its group draws
the agreement from its offer under the published rule set a little before (mostly co-funded self-renewal, some
cash compensation, some a replacement flat), and every co-owner signs at that moment, witnessed by the group's
leader. The signature that reaches the threshold (90%: 494 of 548) puts every agreement in effect; 547 sign, the
last 张大姐's of 二组 at 2023-06-30 23:54; the holdout never signs. The switch runs once more after the deadline
(nothing changes: the agreements are in effect).

Then the new buildings' inventory (7 eleven-storey buildings, a flat of a fitting standard size for every
household taking one and about a tenth more), and from 2023-08-15 the first households in signing order choose
their flats, about thirty a day; a few are absent when called, passed over, and choose later that day.

The offers come from the published rule set (the rule-set step publishes it before this one); without one,
there is nothing to sign and this step adds nothing.
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_FLOOR, Decimal

from ..models import Agreement, AgreementStatus, NewFlat, Offer, OptionKind, RuleSetStatus
from ..services.flats import area_tolerance, flat_choose, flat_turn_skip, new_flats_import
from ..services.signing import agreement_draw, agreement_sign, agreements_decide
from ..signing_selectors import turn_of
from .world import SIGNING_UNTIL, TZ, World, local

NEW_BUILDINGS = 7
STOREYS = 11
STANDARD_SIZES = [Decimal(size) for size in range(35, 155, 5)]  # the new flats come in steps of 5 m²
CHOICE_FROM = datetime.date(2023, 8, 15)
CHOOSERS = 120
PER_DAY = 30
ABSENT = 3  # called in turn but not there: passed over, they choose at the end of the day
OPTION_WEIGHTS = [(OptionKind.SELF_RENEWAL, 86), (OptionKind.CASH, 8), (OptionKind.EXCHANGE, 6)]
ORIENTATIONS = ["南", "南", "南北", "东南", "西南"]


def build_signing(world: World) -> None:
    project = world.project
    if not project.rule_sets.filter(status=RuleSetStatus.PUBLISHED).exists():
        return
    sign_agreements(world)
    world.due()
    world.call(local(SIGNING_UNTIL + datetime.timedelta(days=1), 0, 10), agreements_decide, project=project)
    build_inventory(world)
    choose_flats(world)
    world.ctx.add_count("renewal agreements", Agreement.objects.filter(household__project=project).count())
    world.ctx.add_count("renewal new flats", NewFlat.objects.filter(project=project).count())


def sign_agreements(world: World) -> None:
    rng = world.rng
    households = {h.pk: h for h in world.project.households.select_related("group").prefetch_related("owners")}
    offered: dict[int, set[str]] = {}
    for household_id, option in Offer.objects.filter(
            household__project=world.project, rule_set__status=RuleSetStatus.PUBLISHED).values_list(
            "household_id", "option"):
        offered.setdefault(household_id, set()).add(option)
    options, weights = zip(*OPTION_WEIGHTS, strict=True)
    for household_id, moment in sorted(world.signing_at.items(), key=lambda item: (item[1], item[0])):
        household = households[household_id]
        available = offered.get(household_id)
        if not available:
            continue
        option = rng.choices(options, weights=weights)[0]
        if option not in available:
            option = next(o for o in options if o in available)
        staff = world.staff.get(household.group.name) if household.group else None
        leader = staff[0] if staff else world.users["renewal"]
        worker = rng.choice(staff[1:]) if staff and len(staff) > 1 else leader
        drawn_at = max(moment - datetime.timedelta(minutes=rng.randrange(15, 90)),
                       local(moment.astimezone(TZ).date(), 8, 0))
        world.due(drawn_at)
        agreement = world.call(drawn_at, agreement_draw, actor=worker, household=household, option=option)
        for person in sorted(household.owners.all(), key=lambda p: p.pk):
            agreement = world.call(moment, agreement_sign, actor=worker, agreement=agreement, person=person,
                                   witness=leader.display_name or leader.username)


def standard_size(entitled: Decimal) -> Decimal:
    """The largest standard size within the entitled area (the area itself, to the m², below the smallest)."""
    fitting = [size for size in STANDARD_SIZES if size <= entitled]
    return fitting[-1] if fitting else entitled.quantize(Decimal("1"), rounding=ROUND_FLOOR)


def build_inventory(world: World) -> None:
    """7 new eleven-storey buildings: a flat of a standard size for every household taking one, a tenth more
    spread over the sizes, shuffled over buildings, floors and positions."""
    rng = world.rng
    entitled = list(Agreement.objects.filter(household__project=world.project, status=AgreementStatus.EFFECTIVE,
                                             entitled_area_m2__isnull=False)
                    .values_list("entitled_area_m2", flat=True))
    if not entitled:
        return
    sizes = [standard_size(area) for area in entitled]
    sizes += [rng.choice(sizes) for _ in range(math.ceil(len(sizes) / 10))]
    rng.shuffle(sizes)
    per_floor = math.ceil(len(sizes) / (NEW_BUILDINGS * STOREYS))
    rows = []
    for index, size in enumerate(sizes):
        building, rest = divmod(index, STOREYS * per_floor)
        floor, position = divmod(rest, per_floor)
        rows.append({"building": f"新{building + 1}幢", "floor": floor + 1, "number": f"{floor + 1}{position + 1:02d}",
                     "area_m2": str(size), "orientation": rng.choice(ORIENTATIONS)})
    world.call(local(datetime.date(2023, 8, 1), 9), new_flats_import, actor=world.users["renewal"],
               project=world.project, rows=rows)


def pick(world: World, agreement: Agreement) -> NewFlat | None:
    """What the household picks: a flat of its own standard size (the inventory holds one for each), on a floor
    and in a building of its liking; else the largest left within its entitled area."""
    left = NewFlat.objects.filter(project=world.project, chosen_by__isnull=True)
    own = list(left.filter(area_m2=standard_size(agreement.entitled_area_m2)).order_by("building", "floor", "number"))
    if own:
        return world.rng.choice(own)
    limit = agreement.entitled_area_m2 + area_tolerance()
    return left.filter(area_m2__lte=limit).order_by("-area_m2", "building", "floor", "number").first()


def choose_flats(world: World) -> None:
    """The first households in signing order choose, about thirty a day from 2023-08-15 at 09:00, ten minutes
    apart; a few absent ones are passed over and choose at the day's end."""
    rng = world.rng
    office = world.users["renewal"]
    absent_slots = set(rng.sample(range(CHOOSERS), ABSENT))
    passed: list[Agreement] = []

    def late(day: datetime.date) -> None:
        for n, agreement in enumerate(passed):
            flat = pick(world, agreement)
            if flat is not None:
                world.call(local(day, 16, 30 + n), flat_choose, actor=office, household=agreement.household,
                           flat=flat)
        passed.clear()

    for slot in range(CHOOSERS):
        day = CHOICE_FROM + datetime.timedelta(days=slot // PER_DAY)
        minutes = 9 * 60 + (slot % PER_DAY) * 10
        moment = local(day, minutes // 60, minutes % 60)
        turn = world.call(moment, turn_of, project=world.project)
        if turn is None:
            late(day)
            return
        flat = None if slot in absent_slots else pick(world, turn)
        if flat is None:
            passed.append(world.call(moment, flat_turn_skip, actor=office, household=turn.household))
        else:
            world.call(moment, flat_choose, actor=office, household=turn.household, flat=flat)
        if slot % PER_DAY == PER_DAY - 1 or slot == CHOOSERS - 1:
            late(day)
