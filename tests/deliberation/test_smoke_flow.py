from __future__ import annotations

import datetime

from django.utils import timezone

from commonground.core import clock
from commonground.deliberation.models import Ballot, Notice, NoticeKind, VoteStatus
from commonground.deliberation.services.ballots import ballot_cast
from commonground.deliberation.services.votes import vote_close, vote_verify


def test_vote__announce_cast_close__result_fixed_and_rechecks(open_vote, owner_user, clerk, register):
    vote = open_vote()
    assert vote.electorate_heads == 7  # 6 in the register fixture + the tree's own owner of 75.50 m²
    assert str(vote.electorate_area_m2) == "875.50"
    ballot = ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert len(ballot.receipt_code) == 10
    with clock.frozen_at(vote.closes_at + datetime.timedelta(minutes=1)):
        vote = vote_close(actor=clerk, vote=vote)
    assert vote.status == VoteStatus.CLOSED
    assert vote.outcome == "no_quorum"
    assert vote.result["quorum"] == {"area": [20000, 87550], "heads": [1, 7]}
    assert vote_verify(vote) == (True, True)
    result_notice = Notice.objects.get(vote=vote, kind=NoticeKind.RESULT)
    assert result_notice.table[1] == [ballot.receipt_code, "agree"] or result_notice.table[1][0] == ballot.receipt_code
    assert Ballot.objects.count() == 1
    assert timezone.now() < vote.closes_at


def test_admin_vote_changelist__other_community_worker__sees_nothing(client, open_vote, tree, make_user):
    from django.urls import reverse

    from commonground.core.models import RoleKind

    vote = open_vote()
    outsider = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community, is_staff=True)
    insider = make_user(RoleKind.COMMUNITY_WORKER, tree.community, is_staff=True)
    client.force_login(outsider)
    assert client.get(reverse("admin:deliberation_vote_change", args=[vote.pk])).status_code in (302, 403, 404)
    assert vote.title not in client.get(reverse("admin:deliberation_vote_changelist")).content.decode()
    client.force_login(insider)
    assert vote.title in client.get(reverse("admin:deliberation_vote_changelist")).content.decode()
    response = client.get(reverse("admin:deliberation_vote_change", args=[vote.pk]))
    assert response.status_code == 200 and b'name="_save"' not in response.content
