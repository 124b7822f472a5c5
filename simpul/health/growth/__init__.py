"""WHO growth z-scores and Permenkes 2/2020 nutritional status.

* ``lms``: the LMS formula and WHO's restricted z (numpy, scalars or arrays);
* ``tables``: the WHO LMS tables shipped in ``data/``;
* ``zscores``: WHO's rules (age in days, ±0.7 cm, interpolation, oedema, flags) — ``zscores_batch`` for
  arrays, ``zscores_one`` for one child; free of Django, so scripts and benchmarks can use it alone;
* ``classify``: the Permenkes 2/2020 bands as codes;
* ``assessment``: ``growth_assess`` — validation, z, classification and flags for one measurement.
"""
