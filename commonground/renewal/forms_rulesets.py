"""The forms of the one ruler's pages: a draft version (its rules as JSON, checked by the calculator's rules) and
the "what if" of a household's request."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _


class RuleSetDraftForm(forms.Form):
    rules = forms.CharField(label=_("Rules (JSON)"), widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
                            help_text=_("Amounts as decimal strings, e.g. \"38600\"; the keys are explained on "
                                        "each version's page."))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def clean_rules(self) -> dict:
        text = self.cleaned_data["rules"]
        try:
            value = json.loads(text, parse_float=str)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(_("Not valid JSON: line %(line)d, column %(column)d: %(message)s") % {
                "line": error.lineno, "column": error.colno, "message": error.msg}) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The rules must be a JSON object."))
        return value


class RequestCheckForm(forms.Form):
    option = forms.ChoiceField(label=_("Option"), choices=[
        ("exchange", _("replacement flat (产权调换)")), ("self_renewal", _("co-funded self-renewal (自主更新)"))])
    area = forms.DecimalField(label=_("New-flat area asked for (m²)"), max_digits=8, decimal_places=2,
                              min_value=0)


def rules_text(rules: dict) -> str:
    return json.dumps(rules, ensure_ascii=False, indent=2)
