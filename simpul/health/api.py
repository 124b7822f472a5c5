"""POST /api/v1/growth/calculate: WHO z-scores and the Permenkes 2/2020 status for one measurement.

A calculator: nothing is stored and no personal data is read, so no scope applies; the API's default
authentication still does (a logged-in session or a bearer token).
"""

from __future__ import annotations

from typing import Literal

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from simpul.api.types import Day
from simpul.health.growth.assessment import growth_assess

router = Router(tags=["growth"])


class GrowthIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not silently become "not measured"

    sex: Literal["M", "F"]
    birth_date: Day
    measured_on: Day
    weight_kg: float | None = None
    length_height_cm: float | None = Field(None, description="as measured; converted ±0.7 cm for the look-up "
                                           "when the position does not match the age (lying < 731 days)")
    position: Literal["recumbent", "standing"] | None = Field(
        None, description="how the length/height was measured; null: as the age requires")
    head_circumference_cm: float | None = None
    muac_cm: float | None = None
    oedema: bool = Field(False, description="bilateral pitting oedema: weight-based z-scores become null")


class ZOut(Schema):
    wfa: float | None
    lhfa: float | None
    wflh: float | None
    bmifa: float | None
    hcfa: float | None
    acfa: float | None


class ClassificationOut(Schema):
    wfa: str | None = Field(description="severely_underweight, underweight, normal, risk_of_overweight")
    lhfa: str | None = Field(description="severely_stunted, stunted, normal, tall")
    wflh: str | None = Field(description="severely_wasted, wasted, normal, possible_risk_of_overweight, "
                             "overweight, obese")
    bmifa: str | None = Field(description="0–60 months: as wflh; 5–18 years: severely_thin, thin, normal, "
                              "overweight, obese")


class GrowthOut(Schema):
    age_days: int
    z: ZOut
    classification: ClassificationOut
    flags: list[str] = Field(description="implausible_<index> where WHO flags the z; the z is still given")


@router.post("/calculate", response=GrowthOut)
def growth_calculate(request, payload: GrowthIn):
    """z-scores (2 decimals, null where not computable) and Permenkes 2/2020 codes for one measurement."""
    result = growth_assess(**payload.dict())
    return {"age_days": result.age_days, "z": result.z, "classification": result.classification,
            "flags": result.flags}
