"""The fieldwork's forms: recording a visit (phone first: big outcome choices, concerns as checkboxes) and a
household's consent answer. The services check everything; the forms only read the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.cases.models import Category, ReporterKind
from commonground.core import clock
from commonground.core.models import User

from .models import Concern, ConsentAnswer, Household, Outcome

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class FieldForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def staff_categories() -> list[tuple[str, str]]:
    """Case categories staff may report in (active, open to staff or to everyone)."""
    rows = Category.objects.filter(is_active=True).order_by("code").values_list("code", "name", "open_to")
    return [(code, name) for code, name, open_to in rows if not open_to or ReporterKind.STAFF in open_to]


class VisitForm(FieldForm):
    visited_at = forms.DateTimeField(label=_("When"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format=DATETIME_LOCAL))
    outcome = forms.ChoiceField(label=_("Outcome of the visit"), choices=Outcome.choices, widget=forms.RadioSelect)
    visitors = forms.ModelMultipleChoiceField(label=_("Went with me"), queryset=User.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    met = forms.CharField(label=_("Whom we met"), max_length=100, required=False)
    concerns = forms.MultipleChoiceField(label=_("Concerns raised"), choices=Concern.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=_("Next step"), max_length=200, required=False)
    next_on = forms.DateField(label=_("Next visit on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    case_category = forms.ChoiceField(label=_("Open a case for another department"), required=False,
                                      help_text=_("Only when a concern needs another department; the case goes to "
                                                  "the case engine at this flat."))

    def __init__(self, *args: Any, household: Household, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = household.group
        members = User.objects.none()
        if group is not None:
            members = User.objects.filter(Q(renewal_work_groups=group) | Q(pk=group.leader_id)).exclude(
                pk=actor.pk).distinct().order_by("display_name", "username")
        self.fields["visitors"].queryset = members
        self.fields["case_category"].choices = [("", _("No case")), *staff_categories()]
        if not self.is_bound:
            self.initial.setdefault("visited_at", timezone.localtime(clock.now()).strftime(DATETIME_LOCAL))


class ConsentForm(FieldForm):
    answer = forms.ChoiceField(label=_("Answer"), choices=ConsentAnswer.choices, widget=forms.RadioSelect)
    answered_on = forms.DateField(label=_("Answered on"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    by_all_owners = forms.BooleanField(label=_("Every co-owner answered"), required=False, initial=True)
    authorisation = forms.FileField(label=_("Authorisation of the other co-owners (scan)"), required=False,
                                    help_text=_("Needed when not every co-owner answered: an image or a PDF."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("answered_on", clock.today())
