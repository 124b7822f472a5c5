from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import Sex
from simpul.registry.models import Person
from simpul.registry.services.people import PersonInput
from simpul.serviceday.models import CounsellingTopic, KbMethod, Service

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WithClientUuid(forms.Form):
    # Made when the form is shown: a double tap on "Save" stores the record once.
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)


class ScheduleForm(WithClientUuid):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("Starts at"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=160, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the day cancelled?"), max_length=255)


class ServiceForm(WithClientUuid):
    kind = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    quantity = forms.IntegerField(label=_("Number of tablets"), required=False, min_value=0, max_value=999)
    detail = forms.ChoiceField(label=_("Family planning method"), required=False,
                               choices=[("", "—"), *KbMethod.choices])
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class CounsellingForm(forms.Form):
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=CounsellingTopic.choices,
                                       widget=forms.CheckboxSelectMultiple)
    participants = forms.IntegerField(label=_("Number of participants"), required=False, min_value=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WalkInForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE_WIDGET)
    birth_date_estimated = forms.BooleanField(label=_("Date of birth is estimated"), required=False)
    nik = forms.CharField(label=_("NIK (if known)"), max_length=16, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    mother_name = forms.CharField(label=_("Mother's name"), max_length=120, required=False)
    household = forms.TypedChoiceField(label=_("Family"), required=False, coerce=int, empty_value=None)
    relationship = forms.ChoiceField(label=_("Relationship in the family"), choices=Person.Relationship.choices,
                                     initial=Person.Relationship.CHILD)
    new_address = forms.CharField(label=_("Address of the new family"), max_length=255, required=False)
    new_rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    new_rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    person_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, households=(), **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("person_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", _("— New family —")), *[
            (h.pk, f"{h.head_name} · RT {h.rt}/RW {h.rw}") for h in households]]

    def person_input(self, *, head: bool) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(full_name=d["full_name"], sex=d["sex"], birth_date=d["birth_date"],
                           birth_date_estimated=d["birth_date_estimated"], nik=d["nik"],
                           mother_name=d["mother_name"],
                           relationship=Person.Relationship.HEAD if head else d["relationship"],
                           client_uuid=d.get("person_uuid"))


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=255)


class AbsenceVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
