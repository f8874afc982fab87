"""Forms of the owners' pages. They only parse input; the ballot services validate and decide."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import apply_service_errors  # noqa: F401  (the views import it from here)

from ..models import Candidate, Choice, NoticeKind


class DecisionBallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your choice"), choices=Choice.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Choose agree, against or abstain.")})

    def cast_args(self) -> dict[str, Any]:
        return {"choice": self.cleaned_data["choice"]}


class ElectionBallotForm(forms.Form):
    candidates = forms.TypedMultipleChoiceField(label=_("Candidates you vote for"), coerce=int, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, candidates: Sequence[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(c.pk, c.person.name) for c in candidates]

    def cast_args(self) -> dict[str, Any]:
        return {"candidates": self.cleaned_data["candidates"]}


def ballot_form(vote: Any, candidates: Sequence[Candidate], data: Any = None) -> forms.Form:
    if vote.is_election:
        return ElectionBallotForm(data, candidates=candidates)
    return DecisionBallotForm(data)


def normalise_receipt(text: str) -> str:
    """Receipt codes as typed from paper or a phone: any case, spaces and dashes ignored."""
    return re.sub(r"[\s\-]", "", text or "").upper()[:20]


KIND_FILTERS = [("", _("All kinds")), *NoticeKind.choices]


class NoticeFilterForm(forms.Form):
    place = forms.TypedChoiceField(label=_("Notice board"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_FILTERS, required=False)

    def __init__(self, *args: Any, places: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("All boards I can see")), *places]
