"""Taking part in education: ``dik.paud`` and ``dik.dasar`` (rule ``in_education``), ``dik.kesetaraan``
(rule ``in_equivalency``).

``Person.education_status`` is current: the registry keeps no history of it. A past month is therefore judged
by today's status — a child enrolled in October counts as in school in March too, when the counters of March
are recomputed. Ages are completed years on the day judged, so a child leaves ``dik.dasar`` on their 16th
birthday.
"""

from __future__ import annotations

from simpul.registry.models import Person
from simpul.spm.data import PosyanduData, age_in_years
from simpul.spm.engine import Missing, Rule, Unit, Verdict, register

EDUCATION = Person.Education
# Out of regular school without having finished: "not in school" at 7–18 is taken to mean basic or secondary
# education was not completed (a young person who completed it is recorded "finished"). Whoever has no status
# recorded is left out: we cannot tell whether they are in school.
OUT_OF_SCHOOL = frozenset({EDUCATION.NOT_IN_SCHOOL, EDUCATION.EQUIVALENCY})


def resident_here(data: PosyanduData, person_id: int, as_of, low: int, high: int):
    """(resident, posyandu id) when the person lived here on ``as_of`` aged ``low``..``high``, else None."""
    resident = data.residents[person_id]
    posyandu_id = data.posyandu_of(resident, as_of)
    if posyandu_id is None or not low <= age_in_years(resident.birth_date, as_of) <= high:
        return None
    return resident, posyandu_id


@register
class InEducation(Rule):
    name = "in_education"

    def units(self, data):
        return (Unit("person", pk) for pk in data.residents)

    def verdict(self, data, unit, as_of):
        found = resident_here(data, unit.id, as_of, self.params["min_years"], self.params["max_years"])
        if found is None:
            return None
        resident, posyandu_id = found
        status = resident.education_status
        if status in self.params["served"]:
            return Verdict(posyandu_id, True)
        # Not recorded is not "not in school": the kader's task is to ask, not to refer.
        return Verdict(posyandu_id, False, (Missing("not_in_school" if status else "education_unknown"),))


@register
class InEquivalency(Rule):
    name = "in_equivalency"

    def units(self, data):
        return (Unit("person", pk) for pk in data.residents)

    def verdict(self, data, unit, as_of):
        found = resident_here(data, unit.id, as_of, self.params["min_years"], self.params["max_years"])
        if found is None or found[0].education_status not in OUT_OF_SCHOOL:
            return None
        resident, posyandu_id = found
        if resident.education_status == EDUCATION.EQUIVALENCY:
            return Verdict(posyandu_id, True)
        return Verdict(posyandu_id, False, (Missing("not_in_equivalency"),))
