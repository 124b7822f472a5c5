"""The catalogue holds the 29 kab/kota service types of design.md §4, each computable or marked external."""

from __future__ import annotations

from simpul.core.choices import SpmField
from simpul.spm import catalogue, engine

# design.md §4, copied here on purpose: the contract the catalogue must keep.
CONTRACT = ("kes.ibu_hamil kes.ibu_bersalin kes.bayi_baru_lahir kes.balita kes.usia_pendidikan_dasar "
            "kes.usia_produktif kes.usia_lanjut kes.hipertensi kes.diabetes kes.odgj_berat kes.tb kes.hiv "
            "dik.paud dik.dasar dik.kesetaraan pu.air_minum pu.air_limbah pkp.korban_bencana pkp.relokasi "
            "sos.disabilitas sos.anak_telantar sos.lansia_telantar sos.tuna_sosial sos.korban_bencana "
            "trantib.ketertiban trantib.info_rawan_bencana trantib.kesiapsiagaan trantib.evakuasi_bencana "
            "trantib.kebakaran").split()


def test_the_29_codes_of_the_contract_in_order():
    assert [i.code for i in catalogue.INDICATORS] == CONTRACT
    assert len(CONTRACT) == 29


def test_fields_follow_the_code_prefix():
    prefix = {"kes": SpmField.HEALTH, "dik": SpmField.EDUCATION, "pu": SpmField.PUBLIC_WORKS,
              "pkp": SpmField.HOUSING, "sos": SpmField.SOCIAL, "trantib": SpmField.PUBLIC_ORDER}
    for indicator in catalogue.INDICATORS:
        assert indicator.field == prefix[indicator.code.split(".")[0]], indicator.code
    # Health 12, education 3, public works 2, housing 2, social 5, public order 5 (domain.md §2.3–2.8).
    counts = {field: len(catalogue.for_fields({field})) for field in SpmField.values}
    assert counts == {"kesehatan": 12, "pendidikan": 3, "pekerjaan_umum": 2, "perumahan": 2, "sosial": 5,
                      "trantibumlinmas": 5}


def test_every_computed_row_has_a_registered_rule_and_external_rows_none():
    registered = {i.code for i in engine.computed()}
    for indicator in catalogue.INDICATORS:
        if indicator.source == catalogue.SIMPUL:
            assert indicator.code in registered, f"{indicator.code}: rule {indicator.rule!r} is not registered"
        else:
            assert indicator.source == catalogue.EXTERNAL and not indicator.rule, indicator.code


def test_every_row_says_where_it_comes_from():
    for indicator in catalogue.INDICATORS:
        assert indicator.regulation and str(indicator.sasaran) and str(indicator.standard), indicator.code
        assert 0 < indicator.target <= 100
        assert indicator.unit in {"person", "household", "report"}
