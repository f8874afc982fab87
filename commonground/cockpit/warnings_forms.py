"""Forms of the warnings pages: the list's filters, giving a warning to a colleague, turning it into a case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.cases.models import Category

from .models import Severity, WarningRule, WarningState


class AlertFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("warning rule"), required=False,
                             choices=[("", _("All warning rules")), *WarningRule.choices])
    severity = forms.TypedChoiceField(label=_("severity"), required=False, coerce=int, empty_value=None,
                                      choices=[("", _("Any severity")), *Severity.choices])
    state = forms.ChoiceField(label=_("warning state"), required=False, initial="open",
                              choices=[("open", _("Still open")), ("all", _("All warnings")),
                                       *WarningState.choices])
    place = forms.CharField(label=_("Street or community"), required=False, max_length=64)


class AlertAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Give the warning to"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.username


class AlertCaseForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Case category"), queryset=Category.objects.none())
    description = forms.CharField(label=_("What the case is about"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True, children__isnull=True).order_by(
            "code")
