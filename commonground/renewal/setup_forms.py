"""The setup pages' forms: a project (estate, name, thresholds as percentages, phase dates), a work group, a field
group's buildings and a member. The services check everything; the forms only read the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.models import User

from .models import WorkGroupKind
from .services.projects import PHASES

HUNDRED = Decimal(100)


def day_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SetupForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProjectForm(SetupForm):
    """A project; thresholds in percent (90 for 90%). `estates` given: a new project, on one of them."""

    estate = forms.ChoiceField(label=_("Estate"))
    name = forms.CharField(label=_("Project name"), max_length=100)
    effect_threshold = forms.DecimalField(
        label=_("Signing threshold for effect (%)"), max_digits=5, decimal_places=2, initial=Decimal(80),
        help_text=_("At least 80: the agreements take effect only if this share of households sign in the signing "
                    "period."), widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    consent_threshold = forms.DecimalField(
        label=_("Consent threshold (%)"), max_digits=5, decimal_places=2, initial=Decimal(90),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    mobilised_on = day_field(_("Mobilisation"))
    survey_from = day_field(_("Consent survey from"))
    survey_until = day_field(_("Consent survey until"))
    plan_published_on = day_field(_("Plan published for comment on"))
    comment_until = day_field(_("Comments until"))
    assessment_from = day_field(_("Household assessment from"))
    signing_from = day_field(_("Signing from"))
    signing_until = day_field(_("Signing until"))
    selection_from = day_field(_("Flat selection from"))
    done_on = day_field(_("Completed on"))

    def __init__(self, *args: Any, estates: list[Any] | None = None, effect_fixed: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if estates is None:
            del self.fields["estate"]
        else:
            self.fields["estate"].choices = [(place.code, place.name) for place in estates]
        if effect_fixed:
            self.fields["effect_threshold"].disabled = True
            self.fields["effect_threshold"].help_text = _("Fixed: the agreements have taken effect or lapsed.")

    def service_fields(self) -> dict[str, Any]:
        """The cleaned fields as the services take them: thresholds as fractions."""
        data = {name: self.cleaned_data[name] for name in ("name", *PHASES)}
        for name in ("effect_threshold", "consent_threshold"):
            data[name] = self.cleaned_data[name] / HUNDRED
        return data

    @staticmethod
    def initial_of(project: Any) -> dict[str, Any]:
        initial = {name: getattr(project, name) for name in ("name", *PHASES)}
        for name in ("effect_threshold", "consent_threshold"):
            initial[name] = format((getattr(project, name) * HUNDRED).normalize(), "f")  # 80, not 8E+1
        return initial


class WorkGroupForm(SetupForm):
    name = forms.CharField(label=_("Group name"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkGroupKind.choices, initial=WorkGroupKind.FIELD)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none(), required=False,
                                    empty_label=_("(none yet)"))

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people if people is not None else User.objects.none()


class BuildingsForm(SetupForm):
    buildings = forms.MultipleChoiceField(label=_("Buildings"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, buildings: list[tuple[Any, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buildings"].choices = [
            (str(building.pk), f"{building.name}（{owner.name}）" if owner else building.name)
            for building, owner in buildings]


class MemberForm(SetupForm):
    user = forms.ModelChoiceField(label=_("Group member"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people if people is not None else User.objects.none()
