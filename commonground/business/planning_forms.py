"""Forms of the visit planner's pages."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import PeopleForm


class PlanPeriod:
    WEEK = "week"
    MONTH = "month"


class PlanForm(PeopleForm):
    period = forms.ChoiceField(label=_("Plan period"), choices=[(PlanPeriod.WEEK, _("one week")),
                                                                (PlanPeriod.MONTH, _("one month"))])
    starts_on = forms.DateField(label=_("Plan from"), widget=forms.DateInput(attrs={"type": "date"}))

    def period_days(self) -> tuple[datetime.date, datetime.date]:
        start = self.cleaned_data["starts_on"]
        if self.cleaned_data["period"] == PlanPeriod.WEEK:
            return start, start + datetime.timedelta(days=6)
        return start, start + datetime.timedelta(days=30)


class MoveForm(PeopleForm):
    day = forms.DateField(label=_("Move to day"), widget=forms.DateInput(attrs={"type": "date"}))
    commissioner = forms.TypedChoiceField(label=_("Visiting commissioner"), coerce=int, choices=())

    def __init__(self, *args, commissioners=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].choices = [(c.pk, c.display_name) for c in commissioners]
