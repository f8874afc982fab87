"""Stand-ins for the signing and visit services, until those land: the one place the progress tests write what
`agreement_sign` (Household.signed_at and .sequence) and `visit_record` (Visit rows and the household's
visits_count / last_visit_at / last_outcome) would write. Swap its body for the services when they exist."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import F, Max, QuerySet

from commonground.core.models import User
from commonground.renewal.models import Household, Outcome, Visit

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local moment of the campaign."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), TZ)


def stand_in_for_services(household: Household | QuerySet[Household], *, signed_at: datetime.datetime | None = None,
                          visits: tuple[tuple[datetime.datetime, str], ...] = (), by: User | None = None) -> Household:
    """STANDS FOR the signing and visit services: record `visits` ((when, outcome), by `by`) on `household` with
    its visit figures, then, with `signed_at`, mark it signed with the project's next signing number. Given a
    queryset of households, marks them all signed at `signed_at` (numbered by their ids)."""
    if isinstance(household, QuerySet):
        household.update(signed_at=signed_at, sequence=F("pk"), last_outcome=Outcome.SIGNED)
        return None
    for when, outcome in visits:
        Visit.objects.create(household=household, place_path=household.place_path, visited_at=when,
                             recorded_by=by, outcome=outcome)
        Household.objects.filter(pk=household.pk).update(
            visits_count=Household.objects.get(pk=household.pk).visits_count + 1, last_visit_at=when,
            last_outcome=outcome)
    if signed_at is not None:
        last = Household.objects.filter(project_id=household.project_id).aggregate(n=Max("sequence"))["n"] or 0
        Household.objects.filter(pk=household.pk).update(signed_at=signed_at, sequence=last + 1,
                                                         last_outcome=Outcome.SIGNED)
    household.refresh_from_db()
    return household


def household(campaign, index: int) -> Household:
    return Household.objects.get(project=campaign.project, flat=campaign.flats[index])


def sign_small_campaign(campaign):
    """The small campaign signed part way, through the stand-in: 甲幢 (一组): flats 0 and 1 signed on 4-22, flat 2 on 4-25; 乙幢 (二组): all four on 4-23 (complete);
    1幢 101 (no group): not signed. 7 of 11; the threshold (80%) needs 9."""
    day = datetime.date
    plan = {0: at(day(2023, 4, 22), 9), 1: at(day(2023, 4, 22), 21, 30), 6: at(day(2023, 4, 23), 8, 30),
            7: at(day(2023, 4, 23), 10), 8: at(day(2023, 4, 23), 15), 9: at(day(2023, 4, 23), 23, 50),
            2: at(day(2023, 4, 25), 11)}
    for index, moment in plan.items():
        stand_in_for_services(household(campaign, index), signed_at=moment)
    stand_in_for_services(household(campaign, 3), by=campaign.member,
                          visits=((at(day(2023, 4, 20)), Outcome.NOT_HOME), (at(day(2023, 4, 24)), Outcome.CONCERNS)))
    stand_in_for_services(household(campaign, 4), by=campaign.member,
                          visits=((at(day(2023, 4, 21)), Outcome.CONSIDERING),))
    return campaign
