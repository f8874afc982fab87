"""The evaluation pages' forms: a questionnaire (one question a line), a round, and a household's answers (1–5 per
question). The services check everything; the forms only read the fields."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Aspect
from .services.evaluation import QuestionSpec

SCALE = [(5, _("5 · very satisfied")), (4, _("4 · satisfied")), (3, _("3 · neutral")),
         (2, _("2 · dissatisfied")), (1, _("1 · very dissatisfied"))]


class EvaluationForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class QuestionnaireForm(EvaluationForm):
    name = forms.CharField(label=_("Questionnaire name"), max_length=100)
    description = forms.CharField(label=_("Questionnaire description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    questions = forms.CharField(
        label=_("Questions, one a line"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Each line: the question | its aspect | its weight, e.g. “小区保洁是否及时干净？ | cleaning | 2”. "
                    "Aspects: cleaning, security, repairs, greenery, fees, service, overall."))

    def clean_questions(self) -> list[QuestionSpec]:
        specs = []
        labels = {str(label): value for value, label in Aspect.choices}
        for n, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3:
                raise forms.ValidationError(_("Line %(n)d: write the question, its aspect and its weight, separated "
                                              "by |.") % {"n": n})
            text, aspect, weight = parts
            aspect = labels.get(aspect, aspect)
            try:
                value = Decimal(weight)
            except InvalidOperation:
                raise forms.ValidationError(_("Line %(n)d: the weight is a number.") % {"n": n}) from None
            specs.append(QuestionSpec(key=f"q{len(specs) + 1}", text=text, aspect=aspect, weight=value))
        return specs


class RoundForm(EvaluationForm):
    questionnaire = forms.ChoiceField(label=_("Evaluation questionnaire"))
    place = forms.ChoiceField(label=_("Area covered"))
    year = forms.IntegerField(label=_("Evaluation year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Evaluation quarter"), coerce=int, empty_value=None, required=False,
                                     choices=[("", _("the whole year")), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")])
    opens_on = forms.DateField(label=_("Answers from"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Answers until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, questionnaires: list[tuple[int, str]], places: list[tuple[int, str]],
                 today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = questionnaires
        self.fields["place"].choices = places
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1


class AnswerForm(EvaluationForm):
    """One radio group per question of the round's questionnaire."""

    def __init__(self, *args: Any, questions: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.key] = forms.TypedChoiceField(
                label=f"{question.position}. {question.text}", choices=SCALE, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score for this question.")})
        self.fields["comment"] = forms.CharField(label=_("Anything else to tell the property company? (optional)"),
                                                 required=False, max_length=300,
                                                 widget=forms.Textarea(attrs={"rows": 2}))
