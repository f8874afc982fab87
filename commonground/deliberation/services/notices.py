"""Public notices (公示): composed once from the records, frozen, posted on the estate's board."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core.models import Place, User
from commonground.core.permissions import require
from commonground.core.text import clean_text

from .. import rules
from ..models import CandidateStatus, Notice, NoticeKind, Vote
from ..notice_selectors import notice_issuer
from ..presentation import area_text, choice_label, outcome_text, share_text, threshold_text


@transaction.atomic
def notice_publish(*, actor: User, place: Place, kind: str, title: str, body: str, table: list | None = None,
                   posted_on: datetime.date, ends_on: datetime.date | None = None, vote: Vote | None = None,
                   meeting: Any = None, issuer: str = "", public: bool | None = None) -> Notice:
    """Post a notice; it never changes afterwards. `issuer` is whose name it is posted under (by default the
    committee nearest the place, `notice_issuer`); `public` whether anyone may read it without logging in (by
    default only the kinds public by nature, `rules.PUBLIC_NOTICE_KINDS`)."""
    require(actor, "notice.publish", place)
    errors = {}
    title, body = clean_text(title, multiline=False).strip(), clean_text(body).strip()
    if not title:
        errors["title"] = _("Give the notice a title.")
    if not body:
        errors["body"] = _("Write the text of the notice.")
    if ends_on and ends_on < posted_on:
        errors["ends_on"] = _("A notice cannot end before it is posted.")
    if kind not in NoticeKind.values:
        errors["kind"] = _("Choose the kind of notice.")
    if errors:
        raise ValidationError(errors)
    issuer = clean_text(issuer, multiline=False).strip()[:200] or notice_issuer(place)
    if public is None:
        public = kind in rules.PUBLIC_NOTICE_KINDS
    return Notice.objects.create(place=place, kind=kind, title=title[:200], body=body,
                                 table=table or [], posted_on=posted_on, ends_on=ends_on, vote=vote, meeting=meeting,
                                 published_by=actor, issuer=issuer, public=public)


def vote_issuer(vote: Vote) -> str:
    """An election is posted by the preparatory group of the owners' assembly; a decision by the estate's
    owners' committee, or without one by the community's residents' committee."""
    if vote.is_election:
        return _("Preparatory group of the owners' assembly of %(estate)s") % {"estate": vote.estate.name}
    return notice_issuer(vote.estate)


def _local(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def publish_vote_notice(*, vote: Vote, actor: User, on: datetime.date) -> Notice:
    """The notice before voting: matter, threshold, window, register totals (and for an election, the
    preparatory group and the qualified candidates)."""
    lines = [
        _("Matter: %(matter)s") % {"matter": vote.get_matter_display()},
        vote.description,
        _("Voting opens %(opens)s and closes %(closes)s.") % {"opens": _local(vote.opens_at),
                                                              "closes": _local(vote.closes_at)},
        _("Register of owners as on %(date)s: %(heads)d owners, %(area)s of exclusive area.") % {
            "date": vote.record_date.isoformat(), "heads": vote.electorate_heads,
            "area": area_text(vote.electorate_area_m2)},
        _("Quorum: owners holding at least 2/3 of the area and at least 2/3 of the owners take part."),
        threshold_text(vote),
        _("Owners may change their ballot until voting closes.") if vote.allow_change
        else _("A ballot cannot be changed once cast."),
    ]
    table: list[list[str]] = []
    if vote.is_election:
        group = "、".join(f"{m.name}（{m.get_role_display()}）" for m in vote.preparatory_members.all())
        lines.insert(1, _("Seats: %(seats)d; term: %(years)d years. Each owner marks at most %(seats)d candidates.")
                     % {"seats": vote.seats, "years": vote.term_years})
        lines.append(_("Preparatory group: %(members)s") % {"members": group})
        table = [[_("No."), _("Candidate"), _("Statement")]] + [
            [str(c.position), c.person.name, c.statement]
            for c in vote.candidates.filter(status=CandidateStatus.APPROVED).select_related("person")]
    return notice_publish(
        actor=actor, place=vote.estate, kind=NoticeKind.VOTE, title=_("Notice: %(title)s") % {"title": vote.title},
        body="\n\n".join(line for line in lines if line), table=table, posted_on=on,
        ends_on=timezone.localtime(vote.closes_at).date(), vote=vote, issuer=vote_issuer(vote))


def publish_result_notice(*, vote: Vote, actor: User, on: datetime.date) -> Notice:
    """The result with every share as numerator/denominator, and every counted ballot by receipt code."""
    result = vote.result
    names = dict(vote.candidates.values_list("pk", "person__name")) if vote.is_election else {}
    lines = [
        _("Result: %(outcome)s") % {"outcome": outcome_text(vote, names if vote.is_election else None)},
        _("Taking part: %(area)s of the area, %(heads)s of the owners.") % {
            "area": share_text(result["quorum"]["area"], area=True), "heads": share_text(result["quorum"]["heads"])},
        threshold_text(vote),
    ]
    if vote.is_election:
        for row in result["candidates"]:
            lines.append(_("%(name)s: %(area)s of the participating area, %(heads)s of the participating owners"
                           "%(mark)s") % {
                "name": names.get(row["candidate"], "?"), "area": share_text(row["area"], area=True),
                "heads": share_text(row["heads"]),
                "mark": (" — " + _("elected")) if row["elected"] else (" — " + _("tied")) if row["tied"] else ""})
        if result["unfilled"]:
            lines.append(_("%(n)d seat(s) not filled.") % {"n": result["unfilled"]})
    else:
        for label, key in ((_("Agree"), "agree"), (_("Against"), "against"), (_("Abstain"), "abstain")):
            lines.append(_("%(label)s: %(area)s of the participating area, %(heads)s of the participating "
                           "owners.") % {"label": label, "area": share_text(result[key]["area"], area=True),
                                         "heads": share_text(result[key]["heads"])})
    lines.append(_("SHA-256 of the ballot record: %(hash)s") % {"hash": vote.record_hash})
    lines.append(_("Every owner can find their receipt code below and check that their ballot was counted."))
    if vote.is_election:
        names = dict(vote.candidates.values_list("pk", "person__name"))
        rows = [[b["receipt"], "、".join(names.get(c, "?") for c in b["candidates"]) or _("(none marked)")]
                for b in result["record"]["ballots"]]
    else:
        rows = [[b["receipt"], choice_label(b["choice"])] for b in result["record"]["ballots"]]
    return notice_publish(
        actor=actor, place=vote.estate, kind=NoticeKind.RESULT, title=_("Result: %(title)s") % {"title": vote.title},
        body="\n\n".join(lines), table=[[_("Receipt code"), _("Choice")], *rows], posted_on=on,
        ends_on=on + datetime.timedelta(days=rules.notice_days()), vote=vote, issuer=vote_issuer(vote))

