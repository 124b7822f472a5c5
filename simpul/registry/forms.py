from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import Sex
from simpul.registry.models import Consent, Person
from simpul.registry.services import HouseholdInput, PersonInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices):
    return [("", "—")] + list(choices)


class HouseholdForm(forms.Form):
    posyandu = forms.TypedChoiceField(label=_("Posyandu"), coerce=int)
    address = forms.CharField(label=_("Address"), max_length=255)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    rw = forms.CharField(label=_("RW"), max_length=3, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    dusun = forms.CharField(label=_("Hamlet (dusun)"), max_length=60, required=False)
    kk = forms.CharField(label=_("KK number"), max_length=20, required=False,
                         widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, posyandu_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posyandu"].choices = list(posyandu_choices)

    def to_input(self, members) -> HouseholdInput:
        d = self.cleaned_data
        return HouseholdInput(posyandu_id=d["posyandu"], address=d["address"], rt=d["rt"], rw=d["rw"],
                              dusun=d["dusun"], kk=d["kk"], client_uuid=d.get("client_uuid"), members=members)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices))
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE_WIDGET)
    birth_date_estimated = forms.BooleanField(label=_("Birth date is estimated"), required=False)
    relationship = forms.ChoiceField(label=_("Relationship to the head"), choices=_blank(Person.Relationship.choices))
    nik = forms.CharField(label=_("NIK"), max_length=20, required=False,
                          help_text=_("16 digits. Leave empty if the resident has no NIK yet."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    mother_name = forms.CharField(label=_("Mother's name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    education_status = forms.ChoiceField(label=_("Education"), choices=_blank(Person.Education.choices), required=False)
    school_name = forms.CharField(label=_("School name"), max_length=120, required=False)
    disability_type = forms.ChoiceField(label=_("Disability"), choices=_blank(Person.Disability.choices), required=False)

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            full_name=d["full_name"], sex=d["sex"], birth_date=d["birth_date"],
            birth_date_estimated=d["birth_date_estimated"], relationship=d["relationship"], nik=d["nik"],
            mother_name=d["mother_name"], phone=d["phone"], education_status=d["education_status"],
            school_name=d["school_name"], disability_type=d["disability_type"],
        )


class PersonEditForm(PersonForm):
    life_status = forms.ChoiceField(label=_("Status"), choices=Person.LifeStatus.choices)
    life_status_date = forms.DateField(label=_("Date of death or of moving away"), required=False, widget=DATE_WIDGET)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def to_input(self) -> PersonInput:
        data = super().to_input()
        data.life_status = self.cleaned_data["life_status"]
        data.life_status_date = self.cleaned_data["life_status_date"]
        return data


MemberFormSet = formset_factory(PersonForm, extra=0, min_num=1, validate_min=True, max_num=30, validate_max=True)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    method = forms.ChoiceField(label=_("How consent was given"), choices=Consent.Method.choices)
    given_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    guardian_name = forms.CharField(label=_("Parent or guardian (for a child)"), max_length=120, required=False)
    guardian_relationship = forms.CharField(label=_("Relationship of the guardian"), max_length=40, required=False)


class PersonMoveForm(forms.Form):
    to_household = forms.TypedChoiceField(label=_("Move into household"), coerce=int)
    relationship = forms.ChoiceField(label=_("Relationship to the new head"), choices=Person.Relationship.choices)
    moved_on = forms.DateField(label=_("Moving date"), widget=DATE_WIDGET)

    def __init__(self, *args, household_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_household"].choices = list(household_choices)


class HouseholdMoveForm(forms.Form):
    to_posyandu = forms.TypedChoiceField(label=_("Move to posyandu"), coerce=int)
    moved_on = forms.DateField(label=_("Moving date"), widget=DATE_WIDGET)
    address = forms.CharField(label=_("New address"), max_length=255, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)

    def __init__(self, *args, posyandu_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_posyandu"].choices = list(posyandu_choices)
