"""Forms of the case pages. They only parse input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import apply_service_errors  # noqa: F401  (the views import it from here)
from commonground.core.models import Organisation, Place
from commonground.core.models.places import within_q
from commonground.core.permissions import visible_to

from ..models import Category, Level, MediationOutcome, Stage
from ..services.ladder import handling_place

STAGE_FILTERS = [("open", _("Open cases")), ("all", _("All stages")), *Stage.choices]
DUE_FILTERS = [("", _("Any deadline")), ("today", _("Due today"))]
SCOPES = [("mine", _("Waiting at my level")), ("all", _("Everything in my area"))]
SORTS = [("deadline", _("New first, then by deadline")), ("newest", _("Newest first"))]
# The place filter offers (and accepts) the places where the user may view cases.
PLACE_ACTION = "case.view"


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.TextInput(attrs={
        "type": "search", "placeholder": _("Number, words or place"), "id": "queue-q", "autocomplete": "off"}))
    scope = forms.ChoiceField(label=_("Showing"), choices=SCOPES, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=STAGE_FILTERS, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False,
                                      to_field_name="code", empty_label=_("All categories"))
    # A box with suggestions, not a select: a district's select listed every street, community, estate and office
    # building (about a thousand options) on every page.
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, to_field_name="code",
        error_messages={"invalid_choice": _("Not a place in your area: pick one from the list.")},
        widget=forms.TextInput(attrs={"type": "search", "list": "queue-place-options", "autocomplete": "off",
                                      "spellcheck": "false", "placeholder": _("Everywhere in my area")}))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due = forms.ChoiceField(label=_("Deadline"), choices=DUE_FILTERS, required=False)
    reported_from = forms.DateField(label=_("Reported from"), required=False)
    reported_to = forms.DateField(label=_("Reported until"), required=False)
    closed_from = forms.DateField(label=_("Closed from"), required=False)
    closed_to = forms.DateField(label=_("Closed until"), required=False)

    def __init__(self, *args: Any, user: Any, area_kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by("code")
        self.fields["place"].queryset = visible_to(user, PLACE_ACTION, Place.objects.filter(kind__in=area_kinds))
        self.place_options_url = (f"{reverse('core:place-suggest')}?"
                                  f"{urlencode({'kinds': ','.join(area_kinds), 'for': PLACE_ACTION})}")

    @property
    def chosen_place(self) -> Place | None:
        """The place the list is narrowed to, once validated (the box holds its code; the page shows its name)."""
        return getattr(self, "cleaned_data", {}).get("place")


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not accepted (the reporter reads this)"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class DispatchForm(forms.Form):
    level = forms.ChoiceField(label=_("Handling level"), choices=Level.choices)
    handler = forms.ModelChoiceField(label=_("Handling organisation (optional)"), queryset=Organisation.objects.none(),
                                     required=False, empty_label=_("The handling place's staff"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = case.category.default_level
        self.fields["level"].initial = default
        level = self.data.get("level") if self.is_bound else default
        self.fields["handler"].queryset = handler_options(user, case, level if level in Level.values else default)


def handler_options(user: Any, case: Any, level: str):
    """Organisations at or under the place that handles `case` at `level`, as the user may see them."""
    _actual, place = handling_place(case.place, level)
    organisations = Organisation.objects.filter(within_q("place__path", [place.path])).select_related("place")
    return visible_to(user, "organisation.view", organisations).order_by("place__path", "name")


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Why this level cannot solve it"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    hours = forms.DecimalField(label=_("Extra working hours"), min_value=0.5, max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("Why more time is needed"), widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    note = forms.CharField(label=_("How the matter was solved"), widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("Result of the check"), widget=forms.RadioSelect, initial="close",
                                 choices=[("close", _("Solved: close the case")),
                                          ("back", _("Not solved: send it back to the handler"))])
    note = forms.CharField(label=_("Note (required when sending back)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How satisfied are you?"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Number of the main case"), max_length=20)


class MediationOpenForm(forms.Form):
    parties = forms.CharField(label=_("Parties (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))


class MediationSessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    venue = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))


class MediationConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect, choices=[
        (MediationOutcome.AGREEMENT, MediationOutcome.AGREEMENT.label),
        (MediationOutcome.FAILED, MediationOutcome.FAILED.label)])
    agreement_text = forms.CharField(label=_("What the parties agreed"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    referred_to = forms.CharField(label=_("Referred to"), required=False, max_length=200)
    signed_agreement = forms.FileField(label=_("Signed agreement (scan or photo)"), required=False)


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])


class PreferenceForm(forms.Form):
    digest = forms.BooleanField(label=_("Send one daily digest instead of each notification"), required=False)
    email = forms.BooleanField(label=_("Also by e-mail"), required=False)
