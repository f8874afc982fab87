"""The activities pages' forms: the noticeboard's filters, an activity, a session, a sign-up, the desk's search.
The services check everything; the forms only read the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActivityKind, ActivityStatus, Audience

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


class ActivitiesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def moment_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format=MOMENT_FORMAT), **kwargs)


class NoticeboardFilterForm(ActivitiesForm):
    q = forms.CharField(label=_("Search activities"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Activity kind"), required=False,
                             choices=[("", _("All kinds")), *ActivityKind.choices])
    audience = forms.ChoiceField(label=_("Who may sign up"), required=False,
                                 choices=[("", _("Any audience")), *Audience.choices])
    place = forms.ChoiceField(label=_("Held at"), required=False)
    open_now = forms.BooleanField(label=_("Open for sign-up now"), required=False)
    status = forms.ChoiceField(label=_("Activity status"), required=False,
                               choices=[("", _("All statuses")), *ActivityStatus.choices])

    def __init__(self, *args: Any, places: Any = (), staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("Anywhere")), *((p.code, p.name) for p in places)]
        if not staff:
            del self.fields["status"]


class ActivityForm(ActivitiesForm):
    place = forms.ChoiceField(label=_("Held by (place)"))
    organiser = forms.ChoiceField(label=_("Organised by"))
    title = forms.CharField(label=_("Activity title"), max_length=200)
    kind = forms.ChoiceField(label=_("Activity kind"), choices=ActivityKind.choices)
    description = forms.CharField(label=_("Activity description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    audience = forms.ChoiceField(label=_("Who may sign up"), choices=Audience.choices)
    min_age = forms.IntegerField(label=_("Youngest age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Oldest age"), required=False, min_value=0, max_value=120)
    capacity = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=100_000)
    signup_opens_at = moment_field(_("Sign-up opens"))
    signup_closes_at = moment_field(_("Sign-up closes"))
    fee = forms.DecimalField(label=_("Fee (yuan)"), max_digits=10, decimal_places=2, min_value=0, initial=0,
                             widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    allow_walk_ins = forms.BooleanField(label=_("Walk-ins welcome"), required=False)

    def __init__(self, *args: Any, places: Any = (), organisers: Any = (), editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["place"]
        else:
            self.fields["place"].choices = [(str(p.pk), p.name) for p in places]
        self.fields["organiser"].choices = [(str(o.pk), o.name) for o in organisers]


class SessionForm(ActivitiesForm):
    starts_at = moment_field(_("Session starts"))
    ends_at = moment_field(_("Session ends"))
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)


class SignUpForm(ActivitiesForm):
    participant = forms.TypedChoiceField(label=_("Who takes part"), coerce=int)

    def __init__(self, *args: Any, candidates: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [(c.person.pk, c.person.name) for c in candidates]


class DeskSearchForm(ActivitiesForm):
    q = forms.CharField(label=_("Name, pinyin initials or the phone's last four digits"), max_length=100,
                        required=False)
