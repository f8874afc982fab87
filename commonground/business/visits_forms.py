"""Forms of the visits part: the commissioner's record of a visit with its demands, another department's visit,
the visit list's filters, and the commissioner pages' forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, VisitStatus
from .services.visits import OTHER_DEPARTMENTS, demand_categories


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Day of the visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    topics = forms.CharField(label=_("Topics discussed"), max_length=500,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. business, hiring, premises")}))
    feedback = forms.CharField(label=_("The enterprise's feedback"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))


class DemandForm(forms.Form):
    """One demand raised in the visit (a blank row is skipped)."""

    category_code = forms.ChoiceField(label=_("Kind of demand"), required=False)
    description = forms.CharField(label=_("What the enterprise needs"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(label=_("How many or how much (spaces, positions, 10k yuan)"), required=False,
                                min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_code"].choices = [("", _("— no demand —"))] + [
            (category.code, category.name) for category in demand_categories()]

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("category_code"):
            self.add_error("category_code", _("Choose the kind of demand."))
        if data.get("category_code") and not data.get("description"):
            self.add_error("description", _("Describe what the enterprise needs."))
        return data

    @property
    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("category_code") or data.get("description"))


class BaseDemandFormSet(forms.BaseFormSet):
    def demands(self) -> list[dict]:
        """The filled rows as the service takes them (the number goes to the category's number question)."""
        from commonground.cases.models import Category, QuestionType

        rows = []
        for form in self.forms:
            if not form.filled:
                continue
            data = form.cleaned_data
            answers = {}
            if data.get("amount") is not None:
                question = (Category.objects.filter(code=data["category_code"]).first())
                number = question.questions.filter(type=QuestionType.NUMBER).order_by("order").first() \
                    if question else None
                if number is not None:
                    answers[number.key] = format(data["amount"].normalize(), "f")
            rows.append({"category_code": data["category_code"], "description": data["description"],
                         "answers": answers, "form": form})
        return rows


DemandFormSet = forms.formset_factory(DemandForm, formset=BaseDemandFormSet, extra=3, max_num=10)


class OtherVisitForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code of the enterprise"), max_length=18)
    department = forms.ChoiceField(label=_("Visiting department"),
                                   choices=[(d.value, d.label) for d in OTHER_DEPARTMENTS])
    visited_on = forms.DateField(label=_("Day of the visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("A later day records the visit as planned."))
    visitor_name = forms.CharField(label=_("Who visits"), max_length=100)
    topics = forms.CharField(label=_("Topics discussed"), max_length=500, required=False)
    feedback = forms.CharField(label=_("The enterprise's feedback"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))


class VisitFilterForm(forms.Form):
    community = forms.TypedChoiceField(label=_("Business community"), required=False, coerce=int, empty_value=None)
    building = forms.TypedChoiceField(label=_("Office building"), required=False, coerce=int, empty_value=None)
    commissioner = forms.TypedChoiceField(label=_("Building commissioner"), required=False, coerce=int,
                                          empty_value=None)
    department = forms.ChoiceField(label=_("Visiting department"), required=False,
                                   choices=[("", _("All departments")), *Department.choices])
    status = forms.ChoiceField(label=_("Visit status"), required=False,
                               choices=[("", _("Any status")), *VisitStatus.choices])
    date_from = forms.DateField(label=_("Visits from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Visits until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, communities=(), buildings=(), commissioners=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Any (all of them)"))
        self.fields["community"].choices = [everything, *[(p.pk, p.name) for p in communities]]
        self.fields["building"].choices = [everything, *[(p.pk, p.name) for p in buildings]]
        self.fields["commissioner"].choices = [everything, *[(c.pk, c.display_name) for c in commissioners]]


class AppointForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Account holding the commissioner role"), queryset=None)
    business_community = forms.ModelChoiceField(label=_("Business community"), queryset=None)
    display_name = forms.CharField(label=_("Commissioner's name"), max_length=100)
    phone = forms.CharField(label=_("Commissioner's phone"), max_length=20, required=False)
    daily_capacity = forms.IntegerField(label=_("Visits a day"), min_value=1, max_value=30, initial=6)

    def __init__(self, *args, users, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["business_community"].queryset = communities


class AssignForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building to assign"), queryset=None)
    valid_from = forms.DateField(label=_("Assigned from"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings


class CapacityForm(forms.Form):
    daily_capacity = forms.IntegerField(label=_("Visits a day"), min_value=1, max_value=30)
