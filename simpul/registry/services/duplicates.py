"""Finding residents registered twice.

The same NIK is a hard duplicate and is refused at registration (unique keyed
hash). Without a NIK, a fuzzy match inside the same desa — similar name, birth
date within a tolerance, similar mother's name — becomes a *proposal* that the
kader confirms or dismisses. Confirming links the newer record to the older
one; both keep their histories.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from difflib import SequenceMatcher

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import DuplicateCandidate, Person

EXACT_DATE_TOLERANCE = dt.timedelta(days=31)  # a day/month swapped or mis-typed
ESTIMATED_DATE_TOLERANCE = dt.timedelta(days=366)  # "about 1960" on both records
NAME_THRESHOLD = 0.85
NAME_ONLY_THRESHOLD = 0.93  # stricter when there is no mother's name to corroborate
MOTHER_THRESHOLD = 0.8
_TITLES = {"h", "hj", "ibu", "bapak", "bpk", "pak", "bu", "sdr", "an", "alm", "almh", "dr", "ir"}


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii").lower()
    words = [w.strip(".,'-") for w in text.replace(".", " ").split()]
    return " ".join(w for w in words if w and w not in _TITLES)


def name_similarity(a: str, b: str) -> float:
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return 0.0
    return SequenceMatcher(None, na, nb).ratio()


def match_score(person: Person, other: Person) -> tuple[float, list[str]] | None:
    tolerance = ESTIMATED_DATE_TOLERANCE if (person.birth_date_estimated or other.birth_date_estimated) else EXACT_DATE_TOLERANCE
    if abs(person.birth_date - other.birth_date) > tolerance or person.sex != other.sex:
        return None
    name = name_similarity(person.full_name, other.full_name)
    reasons = [f"name:{name:.2f}", f"birth_date_gap_days:{abs((person.birth_date - other.birth_date).days)}"]
    if person.mother_name and other.mother_name:
        mother = name_similarity(person.mother_name, other.mother_name)
        reasons.append(f"mother:{mother:.2f}")
        if name < NAME_THRESHOLD or mother < MOTHER_THRESHOLD:
            return None
        return round((name + mother) / 2, 3), reasons
    if name < NAME_ONLY_THRESHOLD:
        return None
    return round(name * 0.9, 3), reasons


def duplicates_find(*, person: Person) -> list[DuplicateCandidate]:
    """Propose possible duplicates of ``person`` among living residents of the same desa."""
    if person.duplicate_of_id or person.life_status != Person.LifeStatus.ALIVE:
        return []
    window = ESTIMATED_DATE_TOLERANCE
    others = Person.objects.filter(
        desa_id=person.desa_id,
        birth_date__range=(person.birth_date - window, person.birth_date + window),
        life_status=Person.LifeStatus.ALIVE,
        duplicate_of__isnull=True,
        sex=person.sex,
    ).exclude(pk=person.pk)
    if person.household_id:
        # Twins share a household, a birth date and a mother: siblings are never proposed.
        others = others.exclude(household_id=person.household_id)
    proposals = []
    for other in others.only("id", "full_name", "birth_date", "birth_date_estimated", "mother_name", "sex"):
        matched = match_score(person, other)
        if matched is None:
            continue
        score, reasons = matched
        first, second = sorted([person, other], key=lambda p: p.pk)
        candidate, _created = DuplicateCandidate.objects.get_or_create(
            person=second, other=first, defaults={"score": score, "reasons": reasons}
        )
        # A pair already dismissed (or confirmed) stays decided: it is not proposed again.
        if candidate.status == DuplicateCandidate.Status.PROPOSED:
            proposals.append(candidate)
    return proposals


@transaction.atomic
def duplicate_decide(*, actor, scope: Scope, candidate: DuplicateCandidate, same_person: bool,
                     now: dt.datetime | None = None) -> DuplicateCandidate:
    """Confirm (link the newer record to the older) or dismiss a proposal."""
    now = now or timezone.now()
    candidate = DuplicateCandidate.objects.select_for_update().select_related("person", "other").get(pk=candidate.pk)
    for p in (candidate.person, candidate.other):
        if not scope.allows(Perm.REGISTER, desa_code=p.desa_id, posyandu_id=p.posyandu_id):
            raise NotInScope()
    if candidate.status != DuplicateCandidate.Status.PROPOSED:
        raise DomainError(_("This proposal was already decided."))
    if same_person and (candidate.person.duplicate_of_id or candidate.other.duplicate_of_id):
        # Linking to a record that is itself a duplicate would build chains that lists cannot follow.
        raise DomainError(_("One of these records is already linked as a duplicate; decide on the original."))
    candidate.status = DuplicateCandidate.Status.CONFIRMED if same_person else DuplicateCandidate.Status.DISMISSED
    candidate.decided_by, candidate.decided_at = actor, now
    candidate.save()
    if same_person:
        newer = candidate.person
        newer.duplicate_of = candidate.other
        newer.version += 1
        newer.updated_by, newer.updated_at = actor, now
        newer.save(update_fields=["duplicate_of", "version", "updated_by", "updated_at"])
        audit_record(actor=actor, action="registry.person.linked_as_duplicate", obj=newer, region_code=newer.desa_id,
                     changes={"duplicate_of": candidate.other_id})
    audit_record(actor=actor, action="registry.duplicate.decided", obj=candidate,
                 region_code=candidate.person.desa_id, changes={"status": candidate.status})
    return candidate
