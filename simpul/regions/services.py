"""Loading the Kemendagri region tree from the shipped idn-area-data extract."""

from __future__ import annotations

import csv
import gzip
import io
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from simpul.core.errors import DomainError
from simpul.regions.models import LEVEL_BY_LENGTH, Region, Subdivision, undotted

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SOURCE = DATA_DIR / "regions-idn-area-data-4.0.1.csv.gz"
_TARBALL_FILES = [
    ("provinces.csv", None),
    ("regencies.csv", "province_code"),
    ("districts.csv", "regency_code"),
    ("villages.csv", "district_code"),
]


@dataclass(frozen=True)
class LoadResult:
    total: int
    created: int
    updated: int


def read_region_rows(source: Path = DEFAULT_SOURCE) -> Iterator[tuple[str, str, str]]:
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            code, parent_code, name = row  # exactly three columns, or the extract is broken
            yield code, parent_code, name


def regions_load(*, source: Path = DEFAULT_SOURCE, prefix: str = "", batch_size: int = 5000) -> LoadResult:
    """Insert or update every region (optionally only those under ``prefix``), in bulk.

    Running it twice changes nothing; a newer extract updates names and adds new codes.
    Rows come ordered province → village, so parents always exist before children.
    """
    prefix = undotted(prefix or "")
    # The ancestors of the prefix (province "35" for "3576") are loaded too, so they count as existing:
    # without them a second prefixed load, or a load of a sibling regency, re-inserted the province.
    ancestors = [prefix[:n] for n in (2, 4, 6) if n < len(prefix)]
    existing = {
        code: (name, level, parent_id)
        for code, name, level, parent_id in Region.objects.filter(
            Q(code__startswith=prefix) | Q(code__in=ancestors)
        ).values_list("code", "name", "level", "parent_id")
    }
    to_create: list[Region] = []
    to_update: list[Region] = []
    total = 0
    for code, parent_code, name in read_region_rows(source):
        if prefix and not (code.startswith(prefix) or prefix.startswith(code)):
            continue
        total += 1
        row = Region(code=code, name=name, level=LEVEL_BY_LENGTH[len(code)], parent_id=parent_code or None)
        if code not in existing:
            to_create.append(row)
        elif existing[code] != (row.name, row.level, row.parent_id):
            to_update.append(row)
    with transaction.atomic():
        Region.objects.bulk_create(to_create, batch_size=batch_size)
        Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=batch_size)
    return LoadResult(total=total, created=len(to_create), updated=len(to_update))


def regions_extract_from_tarball(*, tarball: Path, output: Path) -> int:
    """Rebuild the shipped extract from an ``npm pack idn-area-data@X`` tarball."""
    rows: list[tuple[str, str, str]] = []
    with tarfile.open(tarball, "r:gz") as archive:
        for file_name, parent_column in _TARBALL_FILES:
            member = archive.extractfile(f"package/data/{file_name}")
            if member is None:
                raise DomainError(f"{file_name} is missing from {tarball}")
            for record in csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")):
                parent = record[parent_column].replace(".", "") if parent_column else ""
                rows.append((record["code"].replace(".", ""), parent, record["name"]))
        licence = archive.extractfile("package/data/LICENSE.md")
        if licence is not None:
            (output.parent / "LICENSE-ODbL.md").write_bytes(licence.read())
    with gzip.open(output, "wt", encoding="utf-8", newline="", compresslevel=9) as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "parent_code", "name"])
        writer.writerows(rows)
    return len(rows)


# Which kind of subdivision may hold which: dusun → RW → RT, each level optional.
_ALLOWED_PARENT_KINDS = {
    Subdivision.Kind.DUSUN: set(),
    Subdivision.Kind.RW: {Subdivision.Kind.DUSUN},
    Subdivision.Kind.RT: {Subdivision.Kind.RW},
}
_SUBDIVISION_NAME_MAX = Subdivision._meta.get_field("name").max_length


@transaction.atomic
def subdivision_create(*, desa: Region, kind: str, name: str, parent: Subdivision | None = None) -> Subdivision:
    """Create a dusun, RW or RT inside a desa; asking again for the same one returns the existing row."""
    if desa.level != Region.Level.VILLAGE:
        raise DomainError(_("Subdivisions can only be made inside a desa or kelurahan."))
    errors: dict[str, list[str]] = {}
    if kind not in Subdivision.Kind.values:
        errors["kind"] = [_("Choose one of the listed options.")]
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("This field is required.")]
    elif len(name) > _SUBDIVISION_NAME_MAX:
        errors["name"] = [_("A name can be at most %(n)d characters.") % {"n": _SUBDIVISION_NAME_MAX}]
    if parent is not None:
        if parent.desa_id != desa.code:
            errors["parent"] = [_("The parent subdivision belongs to another desa.")]
        elif kind in _ALLOWED_PARENT_KINDS and parent.kind not in _ALLOWED_PARENT_KINDS[kind]:
            if kind == Subdivision.Kind.RT:
                errors["parent"] = [_("An RT can only sit inside an RW.")]
            elif kind == Subdivision.Kind.RW:
                errors["parent"] = [_("An RW can only sit inside a dusun.")]
            else:
                errors["parent"] = [_("A dusun cannot sit inside another subdivision.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    existing = Subdivision.objects.filter(desa=desa, kind=kind, name__iexact=name, parent=parent).first()
    if existing is not None:
        return existing
    return Subdivision.objects.create(desa=desa, kind=kind, name=name, parent=parent)
