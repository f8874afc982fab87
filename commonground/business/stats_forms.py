"""The statistics page's filter: a place within the user's scope and a period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .stats_selectors import stats_scopes

KIND_MARKS = {"district": "", "street": "", "business_community": "· ", "office_building": "· · ",
              "building": "· · "}


class StatsForm(forms.Form):
    scope = forms.ChoiceField(label=_("Street, business community or building"), required=False)
    start = forms.DateField(label=_("From (date)"), required=False,
                            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label=_("To (date)"), required=False,
                          widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [
            (code, f"{KIND_MARKS.get(kind, '')}{name}")
            for code, name, kind in stats_scopes(user).values_list("code", "name", "kind")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period starts after it ends."))
        return data
