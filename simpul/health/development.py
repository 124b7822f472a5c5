"""The Buku KIA development checklist ("perkembangan anak") for children 0–72 months, as versioned data.

The kader asks the parent, for the child's age band, whether the child can already do each item, and
ticks yes or no. The result follows the KPSP reading (Kuesioner Pra Skrining Perkembangan, Pedoman
SDIDTK): all "yes" is **appropriate** (sesuai); one or two "no" is **doubtful** (meragukan: stimulate
more and check again in two weeks); three or more "no" is a **possible delay** (kemungkinan
penyimpangan: to the bidan / puskesmas). See docs/decisions/0010-kms-chart-and-development-checklist.md.

Source and status — TO BE CONFIRMED [U]: the items below are the age-band milestones of the SDIDTK
guidance ("tahapan perkembangan anak menurut umur") that the Buku KIA's development pages were built
from, as we could reconstruct them from public training material; they are **not** checked against the
printed Buku KIA (2020 or 2024 revision), whose bands and wording may differ. The result rule is the
brief's reading of the KPSP rule (the KPSP itself asks 9–10 questions: 9–10 yes sesuai, 7–8 meragukan,
≤ 6 penyimpangan), also [U]. When the Dinkes gives the official list, add a new table below and point
``CURRENT`` at it: every check stores the table version and band it was asked with, so old checks keep
their meaning.

Age is the child's age in completed months on the day of the check; the band is the one whose range
holds it (lower bound included, upper bound excluded), e.g. 3 months 0 days is in the 3–6 month band.
Children from 72 months (6 years) have no band.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.registry.lifestage import age_in_months

MAX_MONTHS = 72  # exclusive: the checklist ends at the 6th birthday


class DevelopmentResult(models.TextChoices):
    APPROPRIATE = "appropriate", _("Appropriate for age")
    DOUBTFUL = "doubtful", _("Doubtful")
    POSSIBLE_DELAY = "possible_delay", _("Possible delay")


#: number of "no" answers -> result: 0 appropriate, 1–2 doubtful, from 3 possible delay [U]
DOUBTFUL_FROM_NO = 1
POSSIBLE_DELAY_FROM_NO = 3


@dataclass(frozen=True)
class Item:
    code: str
    label: object  # lazy translation


@dataclass(frozen=True)
class Band:
    code: str
    low_months: int  # included
    high_months: int  # excluded
    items: tuple[Item, ...]

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    @property
    def label(self) -> str:
        return str(_("%(low)d–%(high)d months") % {"low": self.low_months, "high": self.high_months})

    @property
    def short(self) -> str:
        """A label that needs no translation, for the bidan's list ("12–18 bln")."""
        return f"{self.low_months}–{self.high_months} bln"


@dataclass(frozen=True)
class ChecklistTable:
    version: str
    source: str
    confirmed: bool
    bands: tuple[Band, ...]

    def band(self, code: str) -> Band | None:
        return next((b for b in self.bands if b.code == code), None)

    def band_for_months(self, months: int) -> Band | None:
        return next((b for b in self.bands if b.low_months <= months < b.high_months), None)


def _band(code: str, low: int, high: int, *items: tuple[str, object]) -> Band:
    return Band(code, low, high, tuple(Item(c, label) for c, label in items))


SDIDTK_KIA_UNCONFIRMED = ChecklistTable(
    version="sdidtk-kia-unconfirmed-1",
    source="SDIDTK age-band milestones as used in the Buku KIA, reconstructed from public training "
           "material; to be confirmed against the printed Buku KIA, see ADR 0010",
    confirmed=False,
    bands=(
        _band("m0_3", 0, 3,
              ("head_45", _("Lifts the head to 45° when lying on the tummy")),
              ("head_to_middle", _("Moves the head from left or right to the middle")),
              ("looks_at_face", _("Looks at and gazes at your face")),
              ("babbles", _("Babbles by themself or in reply")),
              ("laughs", _("Laughs out loud")),
              ("startles", _("Startles at a loud sound")),
              ("smiles_back", _("Smiles back when talked to or smiled at")),
              ("knows_mother", _("Knows the mother by sight, smell, hearing and touch"))),
        _band("m3_6", 3, 6,
              ("rolls_over", _("Rolls from tummy to back")),
              ("head_90", _("Lifts the head to 90°")),
              ("head_steady", _("Keeps the head upright and steady")),
              ("grasps_pencil", _("Grasps a pencil")),
              ("reaches", _("Reaches for an object within reach")),
              ("holds_hands", _("Holds their own hands")),
              ("looks_around", _("Tries to look around more widely")),
              ("eyes_small_objects", _("Turns the eyes to small objects")),
              ("squeals", _("Makes happy high-pitched sounds or squeals")),
              ("smiles_at_toys", _("Smiles at an interesting toy or picture when playing alone"))),
        _band("m6_9", 6, 9,
              ("sits_alone", _("Sits alone")),
              ("bears_weight", _("Learns to stand, the legs bearing some of the weight")),
              ("crawls", _("Crawls to reach a toy or a person")),
              ("transfers", _("Passes an object from one hand to the other")),
              ("two_objects", _("Picks up two objects, one in each hand, at the same time")),
              ("rakes_small", _("Picks up a peanut-sized object by raking it in")),
              ("syllables", _("Makes sounds like mamama, bababa, dadada")),
              ("looks_for_dropped", _("Looks for a dropped toy")),
              ("peekaboo", _("Plays clapping games or peekaboo")),
              ("feeds_biscuit", _("Eats a biscuit by themself"))),
        _band("m9_12", 9, 12,
              ("pulls_to_stand", _("Pulls up to standing")),
              ("stands_holding", _("Stands for 30 seconds or holding on to a chair")),
              ("walks_led", _("Walks when led by the hand")),
              ("reaches_out", _("Stretches out the arm or body to reach a wanted toy")),
              ("grips_pencil", _("Grips a pencil firmly")),
              ("imitates_sounds", _("Repeats sounds they hear")),
              ("repeated_syllables", _("Says 2–3 repeated syllables without meaning")),
              ("explores", _("Explores around, curious, wants to touch everything")),
              ("reacts_whisper", _("Reacts to a soft voice or a whisper")),
              ("knows_family", _("Knows family members and is wary of strangers"))),
        _band("m12_18", 12, 18,
              ("stands_alone", _("Stands alone without holding on")),
              ("stoops", _("Bends down to pick up a toy and stands up again")),
              ("walks_backward", _("Walks backwards 5 steps")),
              ("says_papa_mama", _("Calls the father \"papa\" and the mother \"mama\"")),
              ("stacks_2", _("Stacks 2 cubes")),
              ("cube_in_box", _("Puts a cube in a box")),
              ("points_wants", _("Points at what they want without crying or whining")),
              ("jealous", _("Shows jealousy or rivalry"))),
        _band("m18_24", 18, 24,
              ("stands_30s", _("Stands alone without holding on for 30 seconds")),
              ("walks_steady", _("Walks without staggering")),
              ("claps_waves", _("Claps hands and waves")),
              ("stacks_4", _("Stacks 4 cubes")),
              ("pincer", _("Picks up a small object with thumb and index finger")),
              ("rolls_ball", _("Rolls a ball towards a target")),
              ("words_3_6", _("Says 3–6 words with meaning")),
              ("helps_housework", _("Helps with or imitates housework")),
              ("holds_cup", _("Holds a cup and learns to eat and drink alone"))),
        _band("m24_36", 24, 36,
              ("climbs_stairs", _("Walks up stairs alone")),
              ("kicks_ball", _("Plays with and kicks a small ball")),
              ("scribbles", _("Scribbles with a pencil on paper")),
              ("two_words", _("Speaks well using 2 words together")),
              ("body_parts", _("Points to one or more body parts when asked")),
              ("names_pictures", _("Names 2 or more objects in a picture correctly")),
              ("helps_tidy", _("Helps pick up toys or carry a plate when asked")),
              ("eats_rice", _("Eats rice alone without spilling much")),
              ("undresses", _("Takes off their own clothes"))),
        _band("m36_48", 36, 48,
              ("one_foot_2s", _("Stands on one foot for 2 seconds")),
              ("jumps", _("Jumps with both feet off the ground")),
              ("tricycle", _("Pedals a tricycle")),
              ("draws_line", _("Draws a straight line")),
              ("stacks_8", _("Stacks 8 cubes")),
              ("colours", _("Knows 2–4 colours")),
              ("says_name_age", _("Says their name, age and where they live")),
              ("prepositions", _("Understands on, under and in front of")),
              ("listens_story", _("Listens to a story")),
              ("washes_hands", _("Washes and dries their own hands")),
              ("plays_rules", _("Plays with friends and follows the rules of a game")),
              ("dresses", _("Puts on trousers, a shirt and clothes"))),
        _band("m48_60", 48, 60,
              ("one_foot_6s", _("Stands on one foot for 6 seconds")),
              ("hops", _("Hops on one foot")),
              ("dances", _("Dances")),
              ("draws_cross", _("Draws a cross")),
              ("draws_circle", _("Draws a circle")),
              ("draws_person_3", _("Draws a person with 3 body parts")),
              ("buttons", _("Buttons clothes or a doll's clothes")),
              ("full_name", _("Says their full name without help")),
              ("new_words", _("Likes to say new words")),
              ("asks", _("Likes to ask about things")),
              ("answers", _("Answers questions with the right words")),
              ("understood", _("Speech is easy to understand")),
              ("compares", _("Compares things by size and shape")),
              ("counts_fingers", _("Says numbers and counts fingers")),
              ("days", _("Names the days of the week")),
              ("dresses_alone", _("Dresses without help")),
              ("calm_separation", _("Stays calm when the mother leaves"))),
        _band("m60_72", 60, 72,
              ("walks_line", _("Walks in a straight line")),
              ("one_foot_11s", _("Stands on one foot for 11 seconds")),
              ("draws_person_6", _("Draws a person with 6 body parts")),
              ("catches_ball", _("Catches a small ball with both hands")),
              ("draws_square", _("Draws a square")),
              ("opposites", _("Understands opposites")),
              ("long_sentences", _("Understands talk of 7 words or more")),
              ("material_use", _("Says what an object is made of and what it is for")),
              ("counts_5_10", _("Knows numbers and counts to 5–10")),
              ("knows_colours", _("Knows colours")),
              ("sympathy", _("Shows sympathy")),
              ("follows_rules", _("Follows the rules of a game")),
              ("dresses_alone", _("Dresses without help"))),
    ),
)

CURRENT = SDIDTK_KIA_UNCONFIRMED
TABLES = {t.version: t for t in (SDIDTK_KIA_UNCONFIRMED,)}


def band_for(birth_date: dt.date, on: dt.date, *, table: ChecklistTable = CURRENT) -> Band | None:
    """The band for a child's age on a date; None before birth and from 72 months."""
    if on < birth_date:
        return None
    return table.band_for_months(age_in_months(birth_date, on))


def no_count(answers: Mapping[str, bool]) -> int:
    return sum(1 for value in answers.values() if not value)


def result_for(answers: Mapping[str, bool]) -> str:
    """The result code for a complete set of answers (item code -> yes)."""
    no = no_count(answers)
    if no >= POSSIBLE_DELAY_FROM_NO:
        return DevelopmentResult.POSSIBLE_DELAY.value
    if no >= DOUBTFUL_FROM_NO:
        return DevelopmentResult.DOUBTFUL.value
    return DevelopmentResult.APPROPRIATE.value
