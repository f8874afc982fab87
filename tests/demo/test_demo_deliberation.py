"""The deliberation records of the demo district (built once for tests/demo, see conftest.py)."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections import Counter

import pytest
from django.db.models import Max
from django.utils import timezone

from commonground.cases.models import Case, CaseEvent, Channel, Notification, NotificationKind, Stage
from commonground.core import clock
from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind, User
from commonground.core.uploads import signature_type
from commonground.deliberation.demo.common import SCAN_NAME
from commonground.deliberation.models import (
    Attendee,
    Ballot,
    BallotChannel,
    BallotVersion,
    CandidateStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Notice,
    NoticeKind,
    PreparatoryRole,
    Representative,
    RepresentativeStatus,
    Vote,
    VoteKind,
    VoteStatus,
)
from commonground.deliberation.selectors import my_votes
from commonground.deliberation.services.ballots import my_ballot
from commonground.deliberation.services.elections import preparatory_group_problems
from commonground.deliberation.services.reminders import committees_ending, remind_committee_terms
from commonground.deliberation.services.representatives import lives_or_owns_in
from commonground.deliberation.services.votes import vote_verify

pytestmark = pytest.mark.slow

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DEMO_NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=TZ)
DEMO_TODAY = DEMO_NOW.date()
UPCOMING = "修订《浙工新村业主大会议事规则》：增加线上表决方式"
ZHEGONG_FUND = "汛期前使用专项维修资金维修屋面防水及外墙"
ZHEGONG_ELECTION = "浙工新村第二届业主委员会选举"


@pytest.fixture
def demo(demo_built):
    return demo_built


def estate(name: str) -> Place:
    return Place.objects.get(kind=PlaceKind.ESTATE, name=name)


def test_demo_votes__seven_closed_one_announced__counts(demo, db):
    ctx, _media = demo

    assert Counter(Vote.objects.values_list("status", flat=True)) == {VoteStatus.CLOSED: 7, VoteStatus.ANNOUNCED: 1}
    assert Ballot.objects.count() == 1016
    assert Ballot.objects.filter(channel=BallotChannel.ONLINE).count() == 3
    assert BallotVersion.objects.count() == 1017  # the demo owner changed one ballot once
    assert {k: ctx.counts[k] for k in ("votes", "deliberation ballots", "meetings", "resolutions", "representatives",
                                       "resolution cases")} == {
        "votes": 8, "deliberation ballots": 1013, "meetings": 32, "resolutions": 46, "representatives": 13,
        "resolution cases": 9}


def test_demo_votes__every_closed_vote__rechecks_against_its_hash_and_has_its_result_notice(demo, db):
    closed = list(Vote.objects.filter(status=VoteStatus.CLOSED).order_by("pk"))

    assert len(closed) == 7
    for vote in closed:
        assert re.fullmatch(r"[0-9a-f]{64}", vote.record_hash), vote.title
        assert vote_verify(vote) == (True, True), vote.title
        result = Notice.objects.get(vote=vote, kind=NoticeKind.RESULT)
        assert vote.record_hash in result.body
        assert len(result.table) == 1 + vote.ballots.count()


def test_demo_votes__outcomes__as_planned(demo, db):
    outcomes = {(v.estate.name, v.kind, v.matter): v.outcome
                for v in Vote.objects.filter(status=VoteStatus.CLOSED).select_related("estate")}

    assert outcomes == {
        ("浙工新村", VoteKind.ELECTION, "3"): "passed",
        ("秋涛里", VoteKind.ELECTION, "3"): "passed",
        ("浙工新村", VoteKind.DECISION, "5"): "passed",
        ("远洋公寓", VoteKind.DECISION, "5"): "no_quorum",
        ("天水北苑", VoteKind.DECISION, "5"): "passed",
        ("华丰府", VoteKind.DECISION, "7"): "passed",
        ("天水北苑", VoteKind.DECISION, "8"): "failed",
    }
    fund = Vote.objects.get(title=ZHEGONG_FUND)
    assert fund.result["quorum_met"] is True and fund.result["threshold"] == "more_than_half"
    assert fund.result["quorum"] == {"area": [2857500, 3611123], "heads": [431, 542]}
    assert fund.closed_at == datetime.datetime(2023, 3, 6, 10, 0, tzinfo=TZ)
    lifts = Vote.objects.get(estate__name="华丰府")
    assert lifts.result["threshold"] == "three_quarters" and lifts.appeal_note.startswith("1幢101室业主")
    assert Vote.objects.get(estate__name="远洋公寓").result["quorum_met"] is False


def test_demo_votes__notice_posted_at_least_fifteen_days_before_voting_opens(demo, db):
    for vote in Vote.objects.exclude(status=VoteStatus.DRAFT):
        notice = Notice.objects.get(vote=vote, kind=NoticeKind.VOTE)
        assert notice.posted_on == vote.announced_on, vote.title
        assert timezone.localtime(vote.opens_at).date() - notice.posted_on >= datetime.timedelta(days=15), vote.title
        assert vote.record_date <= vote.announced_on


def test_demo_election__zhegong__group_of_seven_seven_qualified_five_elected_for_five_years(demo, db):
    vote = Vote.objects.get(title=ZHEGONG_ELECTION)
    roles = Counter(vote.preparatory_members.values_list("role", flat=True))
    candidates = Counter(vote.candidates.values_list("status", flat=True))
    committee = vote.committee
    members = committee.memberships.all()
    elected = [row["candidate"] for row in vote.result["candidates"] if row["elected"]]

    assert (roles[PreparatoryRole.LEADER], roles[PreparatoryRole.OWNER], sum(roles.values())) == (1, 4, 7)
    assert preparatory_group_problems(vote) == []
    assert candidates == {CandidateStatus.APPROVED: 7, CandidateStatus.REJECTED: 1}
    assert (vote.seats, vote.term_years, len(elected), vote.result["tied"], vote.result["unfilled"]) == (5, 5, 5, [], 0)
    assert vote.announced_on == datetime.date(2022, 11, 8)
    assert (committee.kind, committee.place, committee.established_on, committee.dissolved_on) == (
        OrganisationKind.OWNERS_COMMITTEE, estate("浙工新村"), datetime.date(2022, 12, 12), None)
    assert sorted(members.values_list("person_id", flat=True)) == sorted(
        vote.candidates.filter(pk__in=elected).values_list("person_id", flat=True))
    assert set(members.values_list("term_from", "term_to")) == {(datetime.date(2022, 12, 12),
                                                                 datetime.date(2027, 12, 11))}
    assert Organisation.objects.get(name="浙工新村业主委员会").dissolved_on == datetime.date(2022, 12, 12)


def test_demo_election__qiutaoli_term_ends_in_october__street_login_reminded(demo, db):
    vote = Vote.objects.get(estate__name="秋涛里")
    street = User.objects.get(username="street")

    ending = committees_ending(DEMO_TODAY)
    sent = remind_committee_terms(on=DEMO_TODAY)

    assert vote.committee in ending
    assert vote.committee.memberships.aggregate(end=Max("term_to"))["end"] == datetime.date(2023, 10, 19)
    # 和平坊's committee (湖墅街道) ends too: every street's staff are told, 朝晖's login and handler, 湖墅's two staff
    assert sent == 4
    reminders = Notification.objects.filter(user=street, kind=NotificationKind.TERM_ENDING)
    assert reminders.count() == 1 and "秋涛里" in reminders.get().message


def test_demo_representatives__thirteen_confirmed_one_per_building_of_zhegong(demo, db):
    zhegong = estate("浙工新村")
    buildings = set(Place.objects.filter(parent=zhegong, kind=PlaceKind.BUILDING).values_list("pk", flat=True))
    confirmed = Representative.objects.filter(building__parent=zhegong, status=RepresentativeStatus.CONFIRMED)
    rejected = Representative.objects.get(status=RepresentativeStatus.REJECTED)
    notice = Notice.objects.get(kind=NoticeKind.REPRESENTATIVES)

    assert confirmed.count() == 13 == len(buildings)
    assert set(confirmed.values_list("building_id", flat=True)) == buildings
    assert set(confirmed.values_list("confirmed_on", flat=True)) == {datetime.date(2023, 3, 14)}
    assert all(lives_or_owns_in(r.person, r.building) for r in confirmed.select_related("person", "building"))
    assert rejected.building_id in buildings and rejected.rejection_reason
    assert (notice.posted_on, notice.ends_on, len(notice.table)) == (datetime.date(2023, 3, 8),
                                                                      datetime.date(2023, 3, 13), 14)
    assert not confirmed.exclude(notice=notice).exists()


def test_demo_meetings__by_kind__red_tea_councils_monthly_at_hedong(demo, db):
    held = Counter(Meeting.objects.filter(status=MeetingStatus.HELD).values_list("kind", flat=True))
    hedong = Meeting.objects.filter(place__name="河东社区", kind=MeetingKind.COUNCIL)
    planned = Meeting.objects.get(status=MeetingStatus.PLANNED)

    # the deliberation demo's 23 councils and the 12 the coordination demo holds to back fund projects; its 2
    # three-party joint meetings
    assert held == {MeetingKind.COUNCIL: 35, MeetingKind.PAVILION: 3, MeetingKind.BUILDING: 3,
                    MeetingKind.COURIERS: 2, MeetingKind.JOINT: 2}
    assert Meeting.objects.filter(title__startswith="红茶议事会").count() == 24
    assert sorted(timezone.localtime(m.starts_at).month for m in hedong.filter(status=MeetingStatus.HELD)) == list(
        range(1, 9))
    assert set(hedong.values_list("convener__name", flat=True)) == {"河东社区党委"}
    assert Meeting.objects.get(kind=MeetingKind.PAVILION, starts_at__date=datetime.date(2022, 7, 29)).place.name == \
        "桃源居东苑"
    assert planned.place.name == "河东社区" and planned.starts_at > clock.now()
    for meeting in Meeting.objects.filter(status=MeetingStatus.HELD):
        assert meeting.minutes and meeting.resolutions.exists(), meeting.title
        assert meeting.attendees.filter(signed_in_at__isnull=False).exists(), meeting.title
        assert Notice.objects.filter(meeting=meeting, kind=NoticeKind.MEETING).exists(), meeting.title
    assert Attendee.objects.count() == 276 + 12 * 3 + 2 * 3  # and three at each of coordination's meetings


def test_demo_meetings__hedong_resolutions_open_cases__seven_closed_two_running(demo, db):
    community = User.objects.get(username="community")
    cases = Case.objects.filter(resolutions__meeting__place__name="河东社区").exclude(
        resolutions__meeting__kind=MeetingKind.JOINT).distinct()  # the joint meetings' cases: coordination's demo

    assert Counter(cases.values_list("stage", flat=True)) == {Stage.CLOSED: 7, Stage.HANDLE: 1, Stage.CREATE: 1}
    assert set(cases.values_list("channel", "reporter")) == {(Channel.MEETING, community.pk)}
    assert Case.objects.filter(resolutions__isnull=False).exclude(resolutions__meeting__kind=MeetingKind.JOINT).count() \
        == 9
    for case in cases.prefetch_related("resolutions__meeting"):
        meeting = case.resolutions.get().meeting
        assert meeting.ends_at < case.created_at <= DEMO_NOW, case.number
        assert case.closed_at is None or case.closed_at <= DEMO_NOW
        assert not case.events.filter(at__gt=DEMO_NOW).exists()


def test_demo_owner__my_votes__upcoming_and_two_closed_with_their_receipts(demo, db):
    owner = User.objects.get(username="owner")

    votes = list(my_votes(owner))

    assert [v.title for v in votes] == [UPCOMING, ZHEGONG_FUND, ZHEGONG_ELECTION]
    upcoming, *closed = votes
    assert upcoming.status == VoteStatus.ANNOUNCED and upcoming.announced_on < DEMO_TODAY
    assert upcoming.opens_at <= clock.now() < upcoming.closes_at  # open on the demo's clock: the owner can vote
    assert my_ballot(upcoming, owner) is None
    for vote in closed:
        ballot = my_ballot(vote, owner)
        assert vote.status == VoteStatus.CLOSED and ballot.channel == BallotChannel.ONLINE
        assert ballot.receipt_code in {row["receipt"] for row in vote.result["record"]["ballots"]}
    fund_ballot = my_ballot(closed[0], owner)
    assert list(fund_ballot.versions.values_list("version", "choice")) == [(1, "abstain"), (2, "agree")]


def test_demo_ballots__paper_ballots_share_one_small_scan_and_name_their_clerk(demo, db):
    _ctx, media = demo
    paper = Ballot.objects.filter(channel=BallotChannel.PAPER)

    assert paper.count() == 1013
    assert set(paper.values_list("scan", "scan_type")) == {(SCAN_NAME, "image/png")}
    assert signature_type((media / SCAN_NAME).read_bytes()[:16]) == "image/png"
    assert not paper.filter(clerk_name="").exists()
    assert [p.relative_to(media).as_posix() for p in (media / "ballots").rglob("*") if p.is_file()] == [SCAN_NAME]
    assert (media / SCAN_NAME).stat().st_size < 2000


def test_demo_deliberation__records_dated_in_the_demo_past(demo, db):
    latest = [
        Ballot.objects.aggregate(m=Max("created_at"))["m"], BallotVersion.objects.aggregate(m=Max("recorded_at"))["m"],
        Vote.objects.aggregate(m=Max("created_at"))["m"], Vote.objects.aggregate(m=Max("updated_at"))["m"],
        Meeting.objects.aggregate(m=Max("updated_at"))["m"], Representative.objects.aggregate(m=Max("updated_at"))["m"],
        Notice.objects.aggregate(m=Max("created_at"))["m"],
        CaseEvent.objects.filter(case__resolutions__isnull=False).aggregate(m=Max("at"))["m"],
    ]

    assert all(moment <= DEMO_NOW for moment in latest), latest
    assert Notice.objects.aggregate(m=Max("posted_on"))["m"] == DEMO_TODAY
