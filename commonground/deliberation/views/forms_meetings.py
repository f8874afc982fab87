"""Forms of the meeting pages. They only parse input; the services validate and decide."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.cases.models import Category
from commonground.core.forms import apply_service_errors as apply_errors
from commonground.core.models import Organisation, Person, Place

from ..meeting_selectors import convener_choices, invitee_choices, meeting_places
from ..models import Meeting, MeetingKind

AGENDA_SEPARATOR = re.compile(r"[|｜]")
# Where a service's error keys show on the meeting form.
FIELD_OF_SERVICE_KEY = {"starts_at": "starts", "ends_at": "ends"}


def parse_agenda(text: str) -> list[tuple[str, str]]:
    """One item per line; a presenter after a vertical bar: "加装电梯方案｜王主任"."""
    items = []
    for line in (text or "").splitlines():
        parts = AGENDA_SEPARATOR.split(line, maxsplit=1)
        title, presenter = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
        if title:
            items.append((title, presenter))
    return items


class MeetingForm(forms.Form):
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), empty_label=None)
    convener = forms.ModelChoiceField(label=_("Convened by"), queryset=Organisation.objects.none(),
                                      empty_label=_("Choose an organisation"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. Red-tea council: parking")}))
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    venue = forms.CharField(label=_("Venue"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line. Add who presents it after a bar: 加装电梯方案｜王主任"))
    invitees = forms.ModelMultipleChoiceField(label=_("Invite (optional)"), queryset=Person.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Any, action: str = "meeting.add", meeting: Meeting | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = meeting_places(user, action)
        if meeting is not None:  # a meeting at a place not usually offered (a building) keeps its place
            places = places | Place.objects.filter(pk=meeting.place_id)
        self.fields["place"].queryset = places
        self.place = self.chosen_place(meeting)
        self.fields["convener"].queryset = convener_choices(user, self.place, action=action)
        if meeting is not None:  # editing: the agenda and the invitations have their own forms on the page
            del self.fields["agenda"], self.fields["invitees"]
        else:
            self.fields["invitees"].queryset = invitee_choices(user, self.place)
            # picking another place refreshes the convener and invitee choices in place
            self.fields["place"].widget.attrs.update({
                "hx-get": reverse("deliberation:meeting-place-fields"), "hx-target": "#place-fields",
                "hx-swap": "outerHTML", "hx-trigger": "change"})

    def chosen_place(self, meeting: Meeting | None) -> Place | None:
        """The place the convener and invitee lists are for: the one posted, else the meeting's, else the first."""
        places = self.fields["place"].queryset
        key = self.data.get(self.add_prefix("place")) if self.is_bound else self.initial.get("place")
        key = str(getattr(key, "pk", key) or "")
        place = places.filter(pk=int(key)).first() if key.isdigit() else None
        if place is not None:
            return place
        return meeting.place if meeting is not None else places.first()

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return (datetime.datetime.combine(data["day"], data["starts"], tzinfo=zone),
                datetime.datetime.combine(data["day"], data["ends"], tzinfo=zone))

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        starts_at, ends_at = self.times()
        return {"place": data["place"], "convener": data["convener"], "kind": data["kind"], "title": data["title"],
                "starts_at": starts_at, "ends_at": ends_at, "venue": data["venue"]}


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return {"place": meeting.place_id, "convener": meeting.convener_id, "kind": meeting.kind, "title": meeting.title,
            "day": starts.date(), "starts": starts.time(), "ends": ends.time(), "venue": meeting.venue}


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    presenter = forms.CharField(label=_("Presented by"), max_length=100, required=False)


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person on record"), queryset=Person.objects.none(), required=False,
                                    empty_label=_("— or type a name below —"))
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=100, required=False,
                                  widget=forms.TextInput(attrs={"placeholder": _("e.g. 3幢 resident, property company")}))

    def __init__(self, *args: Any, user: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = invitee_choices(user, place)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=100, required=False)


class SignInForm(forms.Form):
    attendee = forms.IntegerField()


class ResolutionForm(forms.Form):
    text = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class OpenCaseForm(forms.Form):
    resolution = forms.IntegerField()
    category = forms.ModelChoiceField(label=_("Case category"), queryset=Category.objects.none())
    description = forms.CharField(label=_("Description (optional)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(pk__in=[c.pk for c in categories])


class PlaceFilterForm(forms.Form):
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False,
                                   empty_label=_("Everywhere in my area"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = meeting_places(user, "meeting.view")


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form, the services' time keys on the form's time fields."""
    apply_errors(form, error, field_of=FIELD_OF_SERVICE_KEY)
