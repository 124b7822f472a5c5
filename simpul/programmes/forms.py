"""Forms of the programme pages. They only parse; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField
from simpul.programmes import eligibility
from simpul.programmes.models import FollowUp, Participation, Programme, ProgrammeActivity
from simpul.registry.models import HouseholdCondition

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind of programme"), choices=Programme.Kind.choices)
    field = forms.ChoiceField(label=_("SPM field"), choices=SpmField.choices, initial=SpmField.SOCIAL)
    # Who runs it and where, from the user's own grants (programmes.places): "desa:3576031002", ...
    place = forms.ChoiceField(label=_("Run by"), choices=())
    organiser = forms.CharField(
        label=_("Organiser"),
        max_length=160,
        required=False,
        help_text=_("As it is known locally, e.g. PKK Kelurahan Miji or Baznas."),
    )
    skill = forms.CharField(label=_("Skill taught (trainings)"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target_rule = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        choices=[
            ("", _("Open to everyone (no target group)")),
            *((r.code, r.name) for r in eligibility.RULES),
        ],
    )
    min_age = forms.IntegerField(label=_("Lowest age (years)"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Highest age (years)"), min_value=0, max_value=120, required=False)
    max_decile = forms.IntegerField(
        label=_("Highest DTSEN decile"), min_value=1, max_value=10, required=False
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=Programme.Status.choices, initial=Programme.Status.ACTIVE
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = list(places)

    def params(self) -> dict:
        """Only the parameters the chosen rule knows; empty boxes keep the rule's defaults."""
        rule = eligibility.BY_CODE.get(self.cleaned_data.get("target_rule") or "")
        if rule is None:
            return {}
        return {
            key: self.cleaned_data[key] for key in rule.defaults if self.cleaned_data.get(key) is not None
        }


class ActivityForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ProgrammeActivity.Kind.choices)
    posyandu = forms.TypedChoiceField(
        label=_("Posyandu"), coerce=int, required=False, empty_value=None, choices=()
    )
    place = forms.CharField(label=_("Place"), max_length=160, required=False)
    given = forms.CharField(label=_("What was given or taught"), max_length=255, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, posyandu=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posyandu"].choices = [("", "—"), *posyandu]


class FollowUpForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Participant"), coerce=int, choices=())
    date = forms.DateField(label=_("Date of the visit"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUp.Outcome.choices)
    monthly_income = forms.IntegerField(
        label=_("Income from the activity per month (Rp)"), min_value=0, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = list(people)


ATTENDANCE = [("", _("not recorded")), *Participation.Status.choices]


class EarnersForm(forms.Form):
    earners = forms.ChoiceField(
        label=_("Who earns the household's income"),
        choices=[("", "—"), *HouseholdCondition.Earners.choices],
    )
    observed_on = forms.DateField(label=_("Date asked"), widget=DATE)
    # Only asked when the household was never surveyed (see programmes.earners).
    house = forms.ChoiceField(
        label=_("House"), required=False, choices=[("", "—"), *HouseholdCondition.House.choices]
    )
    water_source = forms.ChoiceField(
        label=_("Drinking water"), required=False, choices=[("", "—"), *HouseholdCondition.Water.choices]
    )
    sanitation = forms.ChoiceField(
        label=_("Toilet"), required=False, choices=[("", "—"), *HouseholdCondition.Sanitation.choices]
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
