"""Why a person needs the bidan after a posyandu day: one vocabulary for every life stage.

Each health app (growth and weight gain here, immunisation, maternal, screening) answers
``day_findings(scope, *, posyandu_id, day) -> list[Finding]`` for the records of that posyandu day, in
the caller's health scope. The posyandu-day close (``simpul.serviceday``) gathers them into the list the
bidan receives. A finding is a fact with a reason code and the value that triggered it; the label comes
from translation, so the bidan reads Bahasa and the API gives stable codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    # Children (growth, weight gain, immunisation)
    TWO_T = "two_t", _("Not gaining weight two months in a row (2T)")
    BGM = "bgm", _("Below the red line (BGM)")
    SEVERELY_STUNTED = "severely_stunted", _("Severely stunted")
    STUNTED = "stunted", _("Stunted")
    SEVERELY_WASTED = "severely_wasted", _("Severely wasted")
    WASTED = "wasted", _("Wasted")
    SEVERELY_UNDERWEIGHT = "severely_underweight", _("Severely underweight")
    LOW_MUAC = "low_muac", _("Arm circumference below the cut-off")
    IMPLAUSIBLE = "implausible", _("Implausible measurement to check")
    IMMUNIZATION_OVERDUE = "immunization_overdue", _("Immunisation overdue")
    DEVELOPMENT_DELAY = "development_delay", _("Development milestone not reached")
    # Mothers
    KEK = "kek", _("Chronic energy deficiency (KEK)")
    PREGNANCY_HYPERTENSION = "pregnancy_hypertension", _("High blood pressure in pregnancy")
    PREGNANCY_DANGER_SIGN = "pregnancy_danger_sign", _("Danger sign in pregnancy or after birth")
    # Adolescents, adults, elderly
    HYPERTENSION = "hypertension", _("High blood pressure")
    HYPERGLYCAEMIA = "hyperglycaemia", _("High blood glucose")
    ANAEMIA = "anaemia", _("Possible anaemia")
    OBESITY = "obesity", _("Obesity")
    FUNCTIONAL_DEPENDENCE = "functional_dependence", _("Needs help with daily activities")


@dataclass(frozen=True)
class Finding:
    """One reason one person needs follow-up; ``detail`` is the value behind it, e.g. "LiLA 22.0 cm"."""

    person_id: int
    reason: str  # a Reason value
    detail: str = ""

    @property
    def label(self) -> str:
        return str(Reason(self.reason).label)
