"""The pure generators: age pyramid, households, names, NIK serials, sealing — no database."""

import datetime as dt
import random

from simpul.demo import families, names
from simpul.demo.identity import BulkSealer, SerialBook
from simpul.demo.pyramid import AGE_BANDS, AgeSampler, band_shares, birth_date_for_age
from simpul.lib import crypto
from simpul.registry.services.validation import kk_hash, nik_hash

TODAY = dt.date(2026, 11, 22)


def _population(seed: int, households: int = 8000) -> list[families.Member]:
    rng = random.Random(seed)
    people = []
    for _ in range(households):
        people += families.household_members(rng)
    return people


def test_households_add_up_to_the_indonesian_age_pyramid():
    people = _population(3)
    ages = [m.age for m in people]
    total = sum(share for *_, share in AGE_BANDS)
    got = band_shares(ages, tuple((first, last) for first, last, _ in AGE_BANDS))
    for (first, last, share), observed in zip(AGE_BANDS, got, strict=True):
        assert abs(observed - share / total) < 0.012, (first, last, observed)
    under_five = sum(1 for a in ages if a < 5) / len(ages)
    elderly = sum(1 for a in ages if a >= 60) / len(ages)
    assert 0.07 < under_five < 0.09
    assert 0.095 < elderly < 0.125
    assert 2.8 < len(people) / 8000 < 3.4  # members per KK


def test_households_are_families():
    for members in (families.household_members(random.Random(seed)) for seed in range(2000)):
        assert [m.relationship for m in members].count("kepala") == 1
        head = members[0]
        assert head.relationship == "kepala"
        for member in members:
            if member.mother is not None:
                assert member.mother in members
                assert 17 <= member.mother.age - member.age <= 44
            if member.relationship == "istri":
                assert member.sex == "F" and member.age >= 18


def test_generation_is_deterministic_with_the_seed():
    def snapshot(seed):
        return [(m.relationship, m.sex, m.age) for m in _population(seed, 300)]

    assert snapshot(11) == snapshot(11)
    assert snapshot(11) != snapshot(12)


def test_age_sampler_follows_the_pyramid_and_birth_dates_match_the_age():
    sampler, rng = AgeSampler(), random.Random(5)
    ages = [sampler.age(rng) for _ in range(20000)]
    assert 0.07 < sum(1 for a in ages if a < 5) / len(ages) < 0.09
    assert all(15 <= sampler.age(rng, 15, 49) <= 49 for _ in range(200))
    for age in (0, 1, 17, 60, 90):
        born = birth_date_for_age(rng, age, TODAY)
        assert TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day)) == age


def test_names_change_with_generations():
    rng = random.Random(1)
    old = {names.person_name(rng, "F", 1945).split()[0] for _ in range(300)}
    young = {names.person_name(rng, "F", 2020).split()[0] for _ in range(300)}
    assert old <= set(names.FEMALE_OLD)
    assert young <= set(names.FEMALE_YOUNG)
    assert all(names.person_name(rng, "M", 1990).split()[0] in names.MALE_MIDDLE for _ in range(50))


def test_bulk_sealer_matches_the_services_formats():
    sealer = BulkSealer()
    token = sealer.encrypt("3576034507900001")
    assert token.startswith("v1:") and crypto.decrypt(token) == "3576034507900001"
    assert sealer.encrypt("3576034507900001") != token  # a fresh nonce each time
    assert sealer.nik_hash("3576034507900001") == nik_hash("3576034507900001")
    assert sealer.kk_hash("3576032507170001") == kk_hash("3576032507170001")


def test_serial_book_counts_per_prefix_and_skips_numbers_already_taken():
    sealer = BulkSealer()
    taken = {sealer.nik_hash("3576034507900002")}
    book = SerialBook(sealer.nik_hash, taken)
    assert book.issue("357603450790")[0] == "3576034507900001"
    assert book.issue("357603450790")[0] == "3576034507900003"
    assert book.issue("357603010190")[0] == "3576030101900001"
