"""Forms of the staff vote pages. They only parse input; the services validate and decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core import clock
from commonground.core.forms import apply_service_errors  # noqa: F401  (the views import it from here)
from commonground.core.models import Ownership, Person, Place, PlaceKind
from commonground.core.models.places import within_q
from commonground.core.permissions import visible_to

from .. import rules
from ..models import (
    CANDIDATE_CONDITIONS,
    SUPERMAJORITY_MATTERS,
    BallotChannel,
    Choice,
    Matter,
    PreparatoryRole,
    Vote,
    VoteKind,
    VoteStatus,
)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ODD_SEATS = [(n, str(n)) for n in (3, 5, 7, 9, 11)]


class StaffForm(forms.Form):
    """Labels sit above their fields: no "label:" colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def matter_threshold(matter: str) -> str:
    return str(_("at least 3/4") if matter in SUPERMAJORITY_MATTERS else _("more than 1/2"))


def managed_estates(user: Any) -> QuerySet[Place]:
    """Estates where the user may run votes."""
    return visible_to(user, "vote.manage", Place.objects.filter(kind=PlaceKind.ESTATE)).select_related("parent")


def estate_owners(vote: Vote, user: Any) -> QuerySet[Person]:
    """People owning a flat in the vote's estate on its record date, as far as the user may see people."""
    owning = Ownership.objects.current(vote.record_date).filter(
        within_q("flat__path", [vote.estate.path]), person__isnull=False).values("person_id")
    return visible_to(user, "person.view", Person.objects.filter(pk__in=owning)).order_by("name_pinyin", "pk")


class VoteFilterForm(StaffForm):
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Place.objects.none(), required=False,
                                    empty_label=_("All estates in my area"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *VoteStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Votes and elections")),
                                                                        *VoteKind.choices])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_votes = Vote.objects.values("estate_id")
        self.fields["estate"].queryset = managed_estates(user).filter(pk__in=with_votes).order_by("path")


class DateTimeLocalField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


class VoteForm(StaffForm):
    """Create (with estate and kind) or edit a draft (without them)."""

    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Place.objects.none(), empty_label=_("Choose…"))
    kind = forms.ChoiceField(label=_("Kind"), choices=VoteKind.choices, initial=VoteKind.DECISION,
                             widget=forms.RadioSelect)
    matter = forms.ChoiceField(label=_("Matter (Civil Code Art. 278)"), choices=Matter.choices, required=False,
                               widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What is decided"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    record_date = forms.DateField(label=_("Record date of the ownership register"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text=_("Owners on the register on this date make up the electorate."))
    opens_at = DateTimeLocalField(label=_("Voting opens"))
    closes_at = DateTimeLocalField(label=_("Voting closes"))
    allow_change = forms.BooleanField(label=_("Owners may change their ballot until close"), required=False,
                                      initial=True)
    seats = forms.TypedChoiceField(label=_("Seats"), choices=ODD_SEATS, coerce=int, required=False, initial=5)
    term_years = forms.TypedChoiceField(label=_("Term (years)"), coerce=int, required=False, initial=5,
                                        choices=[(n, str(n)) for n in range(1, 11)])

    def __init__(self, *args: Any, user: Any, vote: Vote | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.fields["seats"].help_text = _("An odd number; %(small)d only in an estate under %(n)d households.") % {
            "small": rules.small_estate_min_seats(), "n": rules.small_estate_households()}
        low, high = rules.committee_term_years()
        self.fields["term_years"].choices = [(n, str(n)) for n in range(low, high + 1)]
        if vote is not None:  # a draft keeps its estate and kind
            del self.fields["estate"], self.fields["kind"]
            if vote.is_election:
                del self.fields["matter"]
            else:
                del self.fields["seats"], self.fields["term_years"]
            return
        estates = managed_estates(user).order_by("path")
        self.fields["estate"].queryset = estates
        if not self.is_bound:
            self.initial.update(default_window())
            only = list(estates[:2])
            if len(only) == 1:  # a user scoped at one estate has nothing to choose
                self.initial["estate"] = only[0].pk

    @property
    def kind_value(self) -> str:
        if self.vote is not None:
            return self.vote.kind
        value = self.data.get("kind") if self.is_bound else self.initial.get("kind", VoteKind.DECISION)
        return value if value in VoteKind.values else VoteKind.DECISION

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.kind_value == VoteKind.ELECTION:
            data["matter"] = Matter.COMMITTEE
            for name in ("seats", "term_years"):
                if name in self.fields and data.get(name) in (None, ""):
                    self.add_error(name, _("Required for an election."))
        elif "matter" in self.fields and not data.get("matter"):
            self.add_error("matter", _("Choose the matter the owners decide."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.kind_value != VoteKind.ELECTION:
            data.pop("seats", None)
            data.pop("term_years", None)
        return data


def default_window() -> dict[str, Any]:
    """Suggested dates: register as of today, voting from the earliest lawful day for two weeks."""
    today = clock.today()
    opens_on = today + datetime.timedelta(days=rules.notice_days() + 1)
    zone = timezone.get_current_timezone()
    opens_at = datetime.datetime.combine(opens_on, datetime.time(8, 0), tzinfo=zone)
    closes_at = datetime.datetime.combine(opens_on + datetime.timedelta(days=14), datetime.time(18, 0), tzinfo=zone)
    return {"record_date": today, "opens_at": opens_at, "closes_at": closes_at}


class GroupMemberForm(StaffForm):
    name = forms.CharField(label=_("Member's name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose…")), *PreparatoryRole.choices])


class CandidateForm(StaffForm):
    person = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), empty_label=_("Choose…"))
    statement = forms.CharField(label=_("Statement (optional)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, vote: Vote, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = estate_owners(vote, user)


class CandidateReviewForm(StaffForm):
    """One checkbox per condition; "is an owner" comes from the register, not from the clerk."""

    reason = forms.CharField(label=_("Reason if not qualified (optional)"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CANDIDATE_CONDITIONS.items():
            if key != "is_owner":
                self.fields[key] = forms.BooleanField(label=label, required=False)
        self.order_fields([*CANDIDATE_CONDITIONS, "reason"])

    def conditions(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key in CANDIDATE_CONDITIONS if key != "is_owner"}


class BallotForm(StaffForm):
    """A paper ballot (with its scan) or a proxy ballot (with the authorisation), entered by staff."""

    elector = forms.ModelChoiceField(label=_("Owner on the register"), queryset=None, empty_label=_("Choose…"))
    channel = forms.ChoiceField(label=_("Ballot"), widget=forms.RadioSelect, initial=BallotChannel.PAPER,
                                choices=[(BallotChannel.PAPER, BallotChannel.PAPER.label),
                                         (BallotChannel.PROXY, BallotChannel.PROXY.label)])
    choice = forms.ChoiceField(label=_("Choice on the ballot"), choices=Choice.choices, widget=forms.RadioSelect,
                               required=False)
    candidates = forms.TypedMultipleChoiceField(label=_("Candidates marked"), coerce=int, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    scan = forms.FileField(label=_("Scan or photo of the signed ballot"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}))
    proxy_name = forms.CharField(label=_("Name of the proxy"), required=False, max_length=100)
    authorisation = forms.FileField(label=_("Signed authorisation (scan or photo)"), required=False,
                                    widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}))

    def __init__(self, *args: Any, vote: Vote, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.fields["elector"].queryset = vote.electors.all()
        if vote.is_election:
            del self.fields["choice"]
            self.fields["candidates"].choices = [
                (c.pk, f"{c.position}. {c.person.name}")
                for c in vote.candidates.filter(status="approved").select_related("person")]
            self.fields["candidates"].help_text = _("At most %(seats)d.") % {"seats": vote.seats}
        else:
            del self.fields["candidates"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("channel") == BallotChannel.PROXY and not (data.get("proxy_name") or "").strip():
            self.add_error("proxy_name", _("Give the name of the proxy who cast the ballot."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        proxy = data["channel"] == BallotChannel.PROXY
        return {"elector": data["elector"], "choice": data.get("choice") or "",
                "candidates": data.get("candidates") or [], "scan": data.get("scan") or None,
                "proxy_name": data["proxy_name"] if proxy else "",
                "authorisation": (data.get("authorisation") or None) if proxy else None}


class AppealForm(StaffForm):
    note = forms.CharField(label=_("Who appealed, when, to which court"), widget=forms.Textarea(attrs={"rows": 3}))
