"""Staff pages that run owners' votes and elections: list, create, manage, live turnout, paper and proxy
ballots, announce, close, cancel, appeal, preparatory group and candidates.

Every page is checked for a community worker in scope, a worker of another community (404, nothing
changed), an owner (403) and an anonymous visitor; a refused action changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commonground.core.models import RoleKind
from commonground.deliberation.models import (
    Ballot,
    BallotChannel,
    Candidate,
    CandidateStatus,
    Elector,
    Notice,
    PreparatoryMember,
    Vote,
    VoteKind,
    VoteStatus,
)
from commonground.deliberation.services.ballots import ballot_cast, ballot_enter
from commonground.deliberation.services.elections import (
    candidate_register,
    candidate_review,
    preparatory_member_add,
)
from commonground.deliberation.services.votes import vote_create
from tests.files import image_bytes

PNG = image_bytes("PNG")
ALL_CONDITIONS = {"law_abiding": True, "no_arrears": True, "capable": True, "no_conflict": True, "no_record": True}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def translated(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def url(name: str, *args) -> str:
    return reverse(f"deliberation:{name}", args=args)


def local(days: int, hour: int = 8) -> str:
    """A datetime-local value `days` from today at `hour`, as the browser sends it."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def stranger(tree, make_user):
    """A community worker of the neighbouring community: sees nothing of this estate."""
    return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)


def draft(clerk, register, *, days: int = 20, kind: str = VoteKind.DECISION, **extra) -> Vote:
    now = timezone.now()
    opens = now + datetime.timedelta(days=days)
    return vote_create(actor=clerk, estate=register.estate, kind=kind, matter=extra.pop("matter", "5"),
                       title=extra.pop("title", "更换电梯"), record_date=timezone.localdate(), opens_at=opens,
                       closes_at=opens + datetime.timedelta(days=7), **extra)


def elector_of(vote: Vote, person) -> Elector:
    return Elector.objects.get(vote=vote, memberships__person=person)


def ended_vote(open_vote) -> Vote:
    now = timezone.now()
    return open_vote(opens_at=now - datetime.timedelta(days=2), closes_at=now - datetime.timedelta(minutes=1))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the list --------------------------------------------------------------------------------------

def test_votes__clerk__lists_votes_in_scope_with_turnout(client, clerk, open_vote, register, owner_user):
    vote = open_vote()
    ballot_cast(vote=vote, actor=owner_user, choice="agree")
    other = draft(clerk, register, title="修订管理规约", matter="2")
    client.force_login(clerk)
    response = client.get(url("votes"))
    assert response.status_code == 200
    assert [v.pk for v in response.context["page"].object_list] == [other.pk, vote.pk]
    shown = {v.pk: v for v in response.context["page"].object_list}
    assert shown[vote.pk].turnout_heads == "1 / 7 (14.29%)"
    assert shown[vote.pk].turnout_area == "200.00 m² / 875.50 m² (22.84%)"
    assert not hasattr(shown[other.pk], "turnout_heads")
    html = response.content.decode()
    assert url("vote-create") in html and url("vote-manage", vote.pk) in html


def test_votes__filters__status_and_kind(client, clerk, open_vote, register):
    announced = open_vote()
    draft(clerk, register)
    client.force_login(clerk)
    response = client.get(url("votes"), {"status": VoteStatus.ANNOUNCED})
    assert [v.pk for v in response.context["page"].object_list] == [announced.pk]
    response = client.get(url("votes"), {"kind": VoteKind.ELECTION})
    assert list(response.context["page"].object_list) == []
    response = client.get(url("votes"), {"estate": register.estate.pk})
    assert len(response.context["page"].object_list) == 2


def test_votes__stranger__sees_none_and_cannot_filter_by_foreign_estate(client, stranger, open_vote, register):
    open_vote()
    client.force_login(stranger)
    response = client.get(url("votes"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    response = client.get(url("votes"), {"estate": register.estate.pk})
    assert list(response.context["page"].object_list) == []
    assert "estate" in response.context["form"].errors


def test_votes__owner__403(client, owner_user, open_vote):
    open_vote()
    client.force_login(owner_user)
    assert client.get(url("votes")).status_code == 403


def test_votes__anonymous__redirected_to_login(client, db):
    response = client.get(url("votes"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_votes__query_count__same_for_2_and_6_votes(client, clerk, open_vote, register, owner_user):
    for _ in range(2):
        ballot_cast(vote=open_vote(), actor=owner_user, choice="agree")
    client.force_login(clerk)
    client.get(url("votes"))  # warm the session and the pinned-day cache
    with_two = _queries(client, url("votes"))
    for _ in range(2):
        ballot_cast(vote=open_vote(), actor=owner_user, choice="against")
    draft(clerk, register)
    draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    assert Vote.objects.count() == 6
    assert _queries(client, url("votes")) == with_two


# --- create ---------------------------------------------------------------------------------------

def _create_data(register, **overrides) -> dict:
    data = {"estate": register.estate.pk, "kind": VoteKind.DECISION, "matter": "6", "title": "续筹维修资金",
            "description": "每平方米续筹20元", "record_date": timezone.localdate().isoformat(),
            "opens_at": local(20), "closes_at": local(27, 18), "allow_change": "on"}
    return {**data, **overrides}


def test_vote_create__page__shows_thresholds_and_my_estates(client, clerk, register):
    client.force_login(clerk)
    response = client.get(url("vote-create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert [e.pk for e in response.context["estates"]] == [register.estate.pk]
    assert translated("at least 3/4") in html and translated("more than 1/2") in html
    assert html.count('name="matter"') == 9


def test_vote_create__user_scoped_at_one_estate__estate_preselected(client, make_user, tree, register):
    member = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)
    client.force_login(member)
    response = client.get(url("vote-create"))
    assert response.status_code == 200
    assert response.context["form"].initial["estate"] == register.estate.pk
    assert f'<option value="{register.estate.pk}" selected>' in response.content.decode()


def test_vote_create__valid__draft_saved_and_redirected_to_manage(client, clerk, register):
    client.force_login(clerk)
    response = client.post(url("vote-create"), _create_data(register))
    vote = Vote.objects.get()
    assert response.status_code == 302 and response["Location"] == url("vote-manage", vote.pk)
    assert (vote.status, vote.kind, vote.matter, vote.title, vote.allow_change, vote.created_by) == (
        VoteStatus.DRAFT, VoteKind.DECISION, "6", "续筹维修资金", True, clerk)
    assert timezone.localtime(vote.opens_at).strftime("%Y-%m-%dT%H:%M") == local(20)


def test_vote_create__election__matter_fixed_to_3(client, clerk, register):
    client.force_login(clerk)
    response = client.post(url("vote-create"), _create_data(register, kind=VoteKind.ELECTION, matter="6",
                                                            seats="3", term_years="5"))
    assert response.status_code == 302
    vote = Vote.objects.get()
    assert (vote.kind, vote.matter, vote.seats, vote.term_years) == (VoteKind.ELECTION, "3", 3, 5)


def test_vote_create__past_opening__field_error_and_nothing_created(client, clerk, register):
    client.force_login(clerk)
    response = client.post(url("vote-create"), _create_data(register, opens_at=local(-1), closes_at=local(5)))
    assert response.status_code == 400
    assert response.context["form"].errors["opens_at"] == [translated("Voting must open in the future.")]
    assert Vote.objects.count() == 0


def test_vote_create__decision_without_matter__field_error(client, clerk, register):
    client.force_login(clerk)
    response = client.post(url("vote-create"), _create_data(register, matter=""))
    assert response.status_code == 400
    assert "matter" in response.context["form"].errors
    assert Vote.objects.count() == 0


def test_vote_create__stranger_with_foreign_estate__refused_nothing_created(client, stranger, register):
    client.force_login(stranger)
    response = client.post(url("vote-create"), _create_data(register))
    assert response.status_code == 400
    assert "estate" in response.context["form"].errors
    assert Vote.objects.count() == 0


def test_vote_create__owner__403(client, owner_user, register):
    client.force_login(owner_user)
    assert client.get(url("vote-create")).status_code == 403
    assert client.post(url("vote-create"), _create_data(register)).status_code == 403
    assert Vote.objects.count() == 0


def test_vote_edit__draft__changed_through_service(client, clerk, register):
    vote = draft(clerk, register)
    client.force_login(clerk)
    data = _create_data(register, title="改：更换电梯")
    response = client.post(url("vote-edit", vote.pk), data)
    assert response.status_code == 302
    vote.refresh_from_db()
    assert (vote.title, vote.matter) == ("改：更换电梯", "6")


def test_vote_edit__stranger__404_nothing_changed(client, stranger, clerk, register, nothing_written):
    vote = draft(clerk, register)
    with nothing_written():
        client.force_login(stranger)
        assert client.get(url("vote-edit", vote.pk)).status_code == 404
        assert client.post(url("vote-edit", vote.pk), _create_data(register, title="x")).status_code == 404


# --- manage page and permissions ------------------------------------------------------------------

def test_vote_manage__clerk__draft_shows_earliest_opening(client, clerk, register):
    vote = draft(clerk, register)
    client.force_login(clerk)
    response = client.get(url("vote-manage", vote.pk))
    assert response.status_code == 200
    assert response.context["earliest_opening"] == timezone.localdate() + datetime.timedelta(days=15)
    assert response.context["announce_checks"][0][0] is True
    assert url("vote-announce", vote.pk) in response.content.decode()


def test_vote_manage__stranger__404(client, stranger, open_vote):
    vote = open_vote()
    client.force_login(stranger)
    response = client.get(url("vote-manage", vote.pk))
    assert response.status_code == 404
    assert vote.title not in response.content.decode()


def test_vote_manage__owner_on_register__403(client, owner_user, open_vote):
    vote = open_vote()
    client.force_login(owner_user)
    assert client.get(url("vote-manage", vote.pk)).status_code == 403
    assert client.get(url("vote-turnout", vote.pk)).status_code == 403


def test_vote_manage__anonymous__redirected_to_login(client, open_vote):
    vote = open_vote()
    response = client.get(url("vote-manage", vote.pk))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_vote_manage__open_vote__names_and_channels_but_no_choices(client, clerk, open_vote, owner_user, register):
    vote = open_vote()
    ballot = ballot_cast(vote=vote, actor=owner_user, choice="against")
    client.force_login(clerk)
    response = client.get(url("vote-manage", vote.pk))
    assert response.status_code == 200
    html = response.content.decode()
    register_table = html[html.index('class="striped staff-electors"'):html.index("</table>", html.index(
        'class="striped staff-electors"'))]
    assert "王一" in register_table and 'data-voted="online"' in register_table
    assert register_table.count('data-voted="no"') == 6
    assert translated("against") not in register_table
    assert ballot.receipt_code not in html
    assert 'hx-trigger="every 10s"' in html


@pytest.mark.parametrize("action", ["vote-announce", "vote-cancel", "vote-close", "vote-appeal", "ballot-enter",
                                    "vote-group-add", "vote-candidate-add"])
def test_vote_actions__stranger__404_nothing_changed(client, stranger, clerk, register, action, nothing_written):
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    with nothing_written():
        client.force_login(stranger)
        response = client.post(url(action, vote.pk), {"appeal-note": "x", "group-name": "x", "group-role": "owner",
                                                      "candidate-person": register.owners[0].pk})
        assert response.status_code == 404


@pytest.mark.parametrize("action", ["vote-announce", "vote-cancel", "ballot-enter", "vote-group-add"])
def test_vote_actions__owner__403_nothing_changed(client, owner_user, open_vote, action, nothing_written):
    vote = open_vote()  # the owner is on its register: they see the vote but may not run it
    with nothing_written():
        client.force_login(owner_user)
        response = client.post(url(action, vote.pk), {"group-name": "x", "group-role": "owner"})
        assert response.status_code == 403


@pytest.mark.parametrize("action", ["vote-announce", "vote-cancel", "ballot-enter", "vote-group-add"])
def test_vote_actions__owner_on_a_draft__404_nothing_changed(client, owner_user, clerk, register, action,
                                                             nothing_written):
    """A draft is not public: only those who may run it see it, as on the vote page and in the API."""
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    with nothing_written():
        client.force_login(owner_user)
        response = client.post(url(action, vote.pk), {"group-name": "x", "group-role": "owner"})
        assert response.status_code == 404


def test_vote_actions__anonymous__redirected_nothing_changed(client, clerk, register, nothing_written):
    vote = draft(clerk, register)
    with nothing_written():
        response = client.post(url("vote-announce", vote.pk))
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- announce, cancel -----------------------------------------------------------------------------

def test_vote_announce__15_days_ahead__announced_with_register_and_notice(client, clerk, register):
    vote = draft(clerk, register, days=16)
    client.force_login(clerk)
    response = client.post(url("vote-announce", vote.pk))
    assert response.status_code == 302 and response["Location"] == url("vote-manage", vote.pk)
    vote.refresh_from_db()
    assert (vote.status, vote.electorate_heads, str(vote.electorate_area_m2)) == (VoteStatus.ANNOUNCED, 7, "875.50")
    assert Notice.objects.filter(vote=vote).count() == 1


def test_vote_announce__less_than_15_days__error_nothing_changed(client, clerk, register, nothing_written):
    vote = draft(clerk, register, days=10)
    with nothing_written():
        client.force_login(clerk)
        response = client.post(url("vote-announce", vote.pk))
        assert response.status_code == 400
        earliest = timezone.localdate() + datetime.timedelta(days=15)
        expected = translated("The notice must be posted %(days)d days before voting opens: open on %(date)s or "
                              "later.") % {"days": 15, "date": earliest.isoformat()}
        assert response.context["announce_form"].errors["__all__"] == [expected]
        assert expected in response.content.decode()
        assert response.context["announce_checks"][0][0] is False


def test_vote_cancel__before_opening__cancelled(client, clerk, register):
    vote = draft(clerk, register)
    client.force_login(clerk)
    assert client.post(url("vote-cancel", vote.pk)).status_code == 302
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CANCELLED


def test_vote_cancel__after_opening__refused_nothing_changed(client, clerk, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        client.force_login(clerk)
        response = client.post(url("vote-cancel", vote.pk))
        assert response.status_code == 400
        assert translated("A vote can be cancelled only before voting opens.") in response.content.decode()


# --- elections: preparatory group and candidates ---------------------------------------------------

def test_election__group_and_candidates__announced(client, clerk, register):
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    client.force_login(clerk)
    for name, role in (("街道 周主任", "leader"), ("王一", "owner"), ("赵四", "owner")):
        assert client.post(url("vote-group-add", vote.pk), {"group-name": name, "group-role": role}).status_code == 302
    for person in register.owners[3:6]:
        response = client.post(url("vote-candidate-add", vote.pk), {"candidate-person": person.pk,
                                                                    "candidate-statement": "愿意服务"})
        assert response.status_code == 302
    for candidate in Candidate.objects.filter(vote=vote):
        data = {f"review-{candidate.pk}-{key}": "on" for key in ALL_CONDITIONS}
        assert client.post(url("vote-candidate-review", vote.pk, candidate.pk), data).status_code == 302
    assert set(Candidate.objects.values_list("status", flat=True)) == {CandidateStatus.APPROVED}
    page = client.get(url("vote-manage", vote.pk))
    assert page.context["group_problems"] == []
    response = client.post(url("vote-announce", vote.pk))
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.status == VoteStatus.ANNOUNCED


def test_election__even_preparatory_group__announce_refused(client, clerk, register, nothing_written):
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    preparatory_member_add(actor=clerk, vote=vote, name="周主任", role="leader")
    preparatory_member_add(actor=clerk, vote=vote, name="王一", role="owner")
    for person in register.owners[3:6]:
        candidate_review(actor=clerk, candidate=candidate_register(actor=clerk, vote=vote, person=person),
                         conditions=ALL_CONDITIONS)
    with nothing_written():
        client.force_login(clerk)
        page = client.get(url("vote-manage", vote.pk))
        odd = translated("The preparatory group needs an odd number of members.")
        assert odd in page.context["group_problems"]
        response = client.post(url("vote-announce", vote.pk))
        assert response.status_code == 400
        assert odd in response.content.decode()


def test_election__candidate_not_qualified__reason_kept(client, clerk, register):
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    candidate = candidate_register(actor=clerk, vote=vote, person=register.owners[3])
    client.force_login(clerk)
    data = {f"review-{candidate.pk}-{key}": "on" for key in ALL_CONDITIONS if key != "no_arrears"}
    data[f"review-{candidate.pk}-reason"] = "欠缴物业费两年"
    assert client.post(url("vote-candidate-review", vote.pk, candidate.pk), data).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.rejection_reason, candidate.conditions["no_arrears"]) == (
        CandidateStatus.REJECTED, "欠缴物业费两年", False)


def test_election__owner_search__only_owners_of_the_estate(client, clerk, register, tree):
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    client.force_login(clerk)
    response = client.get(url("vote-owner-options", vote.pk), {"owner_q": "王"})
    assert [p.name for p in response.context["owners"]] == ["王二", "王三", "王一"]  # by pinyin
    response = client.get(url("vote-owner-options", vote.pk), {"owner_q": "李四"})  # owns in the neighbour estate
    assert list(response.context["owners"]) == []


def test_election__candidate_from_other_estate__refused(client, clerk, register, tree):
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    client.force_login(clerk)
    response = client.post(url("vote-candidate-add", vote.pk), {"candidate-person": tree.neighbour_owner.pk})
    assert response.status_code == 400
    assert "person" in response.context["candidate_form"].errors
    assert Candidate.objects.count() == 0


def test_election__withdraw_and_remove_member(client, clerk, register):
    vote = draft(clerk, register, kind=VoteKind.ELECTION, seats=3, term_years=5)
    member = preparatory_member_add(actor=clerk, vote=vote, name="王一", role="owner")
    candidate = candidate_register(actor=clerk, vote=vote, person=register.owners[3])
    client.force_login(clerk)
    assert client.post(url("vote-group-remove", vote.pk, member.pk)).status_code == 302
    assert client.post(url("vote-candidate-withdraw", vote.pk, candidate.pk)).status_code == 302
    assert (PreparatoryMember.objects.count(), Candidate.objects.count()) == (0, 0)


# --- paper and proxy ballots ----------------------------------------------------------------------

def test_ballot_enter__paper_without_scan__error_nothing_stored(client, clerk, open_vote, register):
    vote = open_vote()
    client.force_login(clerk)
    response = client.post(url("ballot-enter", vote.pk), {
        "ballot-elector": elector_of(vote, register.owners[3]).pk, "ballot-channel": "paper",
        "ballot-choice": "agree"})
    assert response.status_code == 400
    assert response.context["ballot_form"].errors["scan"] == [translated("Attach a scan (image or PDF).")]
    assert Ballot.objects.count() == 0


def test_ballot_enter__paper_with_scan__stored_with_clerk_name(client, clerk, open_vote, register):
    vote = open_vote()
    elector = elector_of(vote, register.owners[3])
    client.force_login(clerk)
    response = client.post(url("ballot-enter", vote.pk), {
        "ballot-elector": elector.pk, "ballot-channel": "paper", "ballot-choice": "agree", "ballot-scan": png()})
    assert response.status_code == 302 and response["Location"] == url("vote-manage", vote.pk) + "#ballot-entry"
    ballot = Ballot.objects.get()
    assert (ballot.elector, ballot.choice, ballot.channel, ballot.clerk_name, ballot.cast_by) == (
        elector, "agree", BallotChannel.PAPER, str(clerk), clerk)
    assert ballot.scan.name.endswith(".png")
    page = client.get(response["Location"])
    assert any(ballot.receipt_code in message for message in messages_of(page))
    scan = client.get(url("ballot-file", vote.pk, ballot.pk, "scan"))
    assert (scan["Content-Type"], b"".join(scan.streaming_content)) == ("image/png", ballot.scan.open("rb").read())


def test_ballot_enter__proxy__stored_with_proxy_and_authorisation(client, clerk, open_vote, register):
    vote = open_vote()
    elector = elector_of(vote, register.owners[4])
    client.force_login(clerk)
    response = client.post(url("ballot-enter", vote.pk), {
        "ballot-elector": elector.pk, "ballot-channel": "proxy", "ballot-choice": "against",
        "ballot-proxy_name": "钱小五", "ballot-authorisation": png("auth.png")})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.proxy_name, ballot.choice, ballot.clerk_name) == (
        BallotChannel.PROXY, "钱小五", "against", str(clerk))
    assert ballot.proxy_authorisation.name.endswith(".png") and not ballot.scan


def test_ballot_enter__proxy_without_authorisation__error_nothing_stored(client, clerk, open_vote, register):
    vote = open_vote()
    client.force_login(clerk)
    response = client.post(url("ballot-enter", vote.pk), {
        "ballot-elector": elector_of(vote, register.owners[4]).pk, "ballot-channel": "proxy",
        "ballot-choice": "against", "ballot-proxy_name": "钱小五"})
    assert response.status_code == 400
    assert "authorisation" in response.context["ballot_form"].errors
    assert Ballot.objects.count() == 0


def test_ballot_enter__elector_of_another_vote__refused(client, clerk, open_vote, register):
    vote, other = open_vote(), open_vote()
    client.force_login(clerk)
    response = client.post(url("ballot-enter", vote.pk), {
        "ballot-elector": elector_of(other, register.owners[3]).pk, "ballot-channel": "paper",
        "ballot-choice": "agree", "ballot-scan": png()})
    assert response.status_code == 400
    assert Ballot.objects.count() == 0


def test_ballot_enter__elector_search__register_names(client, clerk, open_vote):
    vote = open_vote()
    client.force_login(clerk)
    response = client.get(url("vote-elector-options", vote.pk), {"elector_q": "王"})
    assert [e.label for e in response.context["electors"]] == ["王二、王三", "王一"]  # by pinyin


def test_ballot_file__stranger__404(client, clerk, stranger, open_vote, register):
    vote = open_vote()
    ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_of(vote, register.owners[3]), choice="agree",
                          scan=png())
    client.force_login(stranger)
    assert client.get(url("ballot-file", vote.pk, ballot.pk, "scan")).status_code == 404


# --- turnout --------------------------------------------------------------------------------------

def test_vote_turnout__fragment__exact_shares(client, clerk, open_vote, register, owner_user):
    vote = open_vote()
    ballot_cast(vote=vote, actor=owner_user, choice="agree")  # 王一: two flats, 200.00 m²
    ballot_enter(vote=vote, actor=clerk, elector=elector_of(vote, register.owners[3]), choice="against", scan=png())
    client.force_login(clerk)
    response = client.get(url("vote-turnout", vote.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.context["turnout"]["rows"]}
    assert rows["area"]["register"] == "300.00 m² / 875.50 m² (34.27%)"
    assert rows["area"]["quorum"] == "300.00 m² / 583.67 m² (51.40%)"
    assert rows["area"]["missing"] == "283.67 m²"
    assert rows["heads"]["register"] == "2 / 7 (28.57%)"
    assert rows["heads"]["quorum"] == "2 / 5 (40.00%)"
    assert (rows["heads"]["met"], rows["area"]["met"]) == (False, False)
    html = response.content.decode()
    assert "300.00 m² / 875.50 m² (34.27%)" in html and "2 / 5 (40.00%)" in html
    assert 'hx-trigger="every 10s"' in html and "<html" not in html


def test_vote_turnout__stranger__404(client, stranger, open_vote):
    vote = open_vote()
    client.force_login(stranger)
    assert client.get(url("vote-turnout", vote.pk)).status_code == 404


# --- close, verify, appeal ------------------------------------------------------------------------

def test_vote_close__before_closes_at__refused_nothing_changed(client, clerk, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        client.force_login(clerk)
        page = client.get(url("vote-manage", vote.pk))
        assert page.context["can_close"] is False
        response = client.post(url("vote-close", vote.pk))
        assert response.status_code == 400
        expected = translated("Voting is still open until %(time)s.") % {
            "time": f"{timezone.localtime(vote.closes_at):%Y-%m-%d %H:%M}"}
        assert expected in response.content.decode()


def test_vote_close__after_closes_at__outcome_hash_and_recheck(client, clerk, open_vote, register):
    vote = ended_vote(open_vote)
    for person in (register.owners[0], register.owners[1], *register.owners[3:6]):  # 5 of 7 heads, 600 m²
        ballot_enter(vote=vote, actor=clerk, elector=elector_of(vote, person), choice="agree", scan=png())
    client.force_login(clerk)
    assert client.get(url("vote-manage", vote.pk)).context["can_close"] is True
    response = client.post(url("vote-close", vote.pk))
    assert response.status_code == 302 and response["Location"] == url("vote-manage", vote.pk) + "#result"
    vote.refresh_from_db()
    assert (vote.status, vote.outcome, vote.closed_by) == (VoteStatus.CLOSED, "passed", clerk)
    assert vote.result["quorum"] == {"area": [60000, 87550], "heads": [5, 7]}
    page = client.get(url("vote-manage", vote.pk))
    result = page.context["result"]
    assert result["verified"] is True
    assert result["rows"][0][1:] == ("600.00 m² / 875.50 m² (68.53%)", "5 / 7 (71.43%)")
    assert result["rows"][1][1:] == ("600.00 m² / 600.00 m² (100.00%)", "5 / 5 (100.00%)")
    html = page.content.decode()
    assert vote.record_hash in html
    assert translated("Re-tallied from the stored ballots: same result.") in html
    assert url("vote-result", vote.pk) in html


def test_vote_appeal__closed_vote__noted(client, clerk, open_vote):
    vote = ended_vote(open_vote)
    client.force_login(clerk)
    client.post(url("vote-close", vote.pk))
    response = client.post(url("vote-appeal", vote.pk), {"appeal-note": "业主王一2025年3月向拱墅区人民法院起诉"})
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.appeal_note == "业主王一2025年3月向拱墅区人民法院起诉" and vote.appeal_noted_at is not None


def test_vote_appeal__open_vote__refused_nothing_changed(client, clerk, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        client.force_login(clerk)
        response = client.post(url("vote-appeal", vote.pk), {"appeal-note": "有人起诉"})
        assert response.status_code == 400
        assert translated("Only a decided vote can be appealed.") in response.content.decode()


def test_vote_manage__cancelled__shown_and_announce_refused(client, clerk, register, nothing_written):
    vote = draft(clerk, register)
    client.force_login(clerk)
    client.post(url("vote-cancel", vote.pk))
    page = client.get(url("vote-manage", vote.pk))
    assert page.status_code == 200
    assert url("vote-announce", vote.pk) not in page.content.decode()
    with nothing_written():
        assert client.post(url("vote-announce", vote.pk)).status_code == 400


def test_vote_turnout__anonymous__redirected_to_login(client, open_vote):
    vote = open_vote()
    response = client.get(url("vote-turnout", vote.pk))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
