"""Forms of the policies part: a package, a policy with its rule rows (a formset), an application's outcome, and a
firm's demand. The services check everything; the forms only read the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import policy_rules
from .models import ApplicationStatus, PolicyDimension

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PoliciesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PackageForm(PoliciesForm):
    place = forms.ChoiceField(label=_("Policy area (district or street)"))
    name = forms.CharField(label=_("Policy package name"), max_length=200)
    issuer_text = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=DATE)

    def __init__(self, *args: Any, places: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if places is None:
            del self.fields["place"]
        else:
            self.fields["place"].choices = [(str(place.pk), place.name) for place in places]


class PolicyForm(PoliciesForm):
    number = forms.IntegerField(label=_("Article number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Policy title"), max_length=200)
    dimension = forms.ChoiceField(label=_("Policy dimension"), choices=PolicyDimension.choices)
    summary = forms.CharField(label=_("Policy summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    benefit = forms.CharField(label=_("Benefit to the firm"), max_length=500, required=False)
    amount = forms.DecimalField(label=_("Benefit amount (yuan)"), max_digits=14, decimal_places=2, min_value=0,
                                required=False)
    opens_on = forms.DateField(label=_("Applications open on"), required=False, widget=DATE)
    closes_on = forms.DateField(label=_("Applications close on"), required=False, widget=DATE)


class RuleForm(PoliciesForm):
    """One rule row: field, operator, value (several values separated by commas)."""

    field = forms.ChoiceField(label=_("Ledger field"), required=False,
                              choices=[("", "—"), *policy_rules.FIELD_LABELS.items()])
    op = forms.ChoiceField(label=_("Comparison"), required=False,
                           choices=[("", "—"), *policy_rules.OPERATOR_LABELS.items()])
    value = forms.CharField(label=_("Rule value"), max_length=2000, required=False,
                            help_text=_("Several values separated by commas."))

    def rule(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("field"):
            return None
        values = [part.strip() for part in data.get("value", "").replace("，", ",").split(",") if part.strip()]
        value: Any = values if data.get("op") in ("in", "prefix") else (values[0] if values else "")
        return {"field": data["field"], "op": data.get("op", ""), "value": value}


RuleFormSet = forms.formset_factory(RuleForm, extra=3, max_num=policy_rules.MAX_RULES, validate_max=True)


def rule_initial(rules: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": rule["field"], "op": rule["op"],
             "value": ", ".join(str(v) for v in rule["value"]) if isinstance(rule["value"], list) else str(rule["value"])}
            for rule in rules]


class DecisionForm(PoliciesForm):
    status = forms.ChoiceField(label=_("Outcome of the application"), choices=[(ApplicationStatus.APPROVED, _("application approved")),
                                                            (ApplicationStatus.REJECTED, _("application rejected"))])
    granted_amount = forms.DecimalField(label=_("Granted amount (yuan)"), max_digits=14, decimal_places=2,
                                        min_value=0, required=False)
    note = forms.CharField(label=_("Reason or note"), max_length=500, required=False)


class DemandForm(PoliciesForm):
    category = forms.ChoiceField(label=_("Kind of demand"))
    description = forms.CharField(label=_("Describe the demand"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("Attachment (photo or PDF, optional)"), required=False)

    def __init__(self, *args: Any, categories: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(category.code, category.name) for category in categories]
        # the categories' extra questions (parking asks how many spaces): answered for the chosen category only
        for category in categories:
            for question in category.questions.all():
                self.fields[f"q_{category.code}_{question.key}"] = forms.CharField(
                    label=f"{question.label}（{category.name}）", max_length=500, required=False)

    def answers(self, category: Any) -> dict[str, str]:
        prefix = f"q_{category.code}_"
        return {name[len(prefix):]: value for name, value in self.cleaned_data.items()
                if name.startswith(prefix) and value not in (None, "")}
