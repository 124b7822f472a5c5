"""Putting the built-in taxonomy into the database for one kab/kota (idempotent; keeps a pembina's edits)."""

from __future__ import annotations

from django.db import transaction

from simpul.referrals import taxonomy
from simpul.referrals.models import Agency, Category, RoutingRule
from simpul.regions.models import Region


@transaction.atomic
def categories_seed() -> int:
    made = 0
    for index, seed in enumerate(taxonomy.CATEGORIES):
        _, created = Category.objects.get_or_create(code=seed.code, defaults={
            "field": seed.field, "name": str(seed.label), "subject": seed.subject,
            "required_documents": taxonomy._docs(*seed.documents), "confidential": seed.confidential,
            "sla_working_days": seed.sla_working_days, "writes_back": seed.writes_back, "sort": index,
        })
        made += created
    return made


@transaction.atomic
def agencies_seed(kabkota_code: str) -> dict[str, Agency]:
    """The agencies of one kab/kota, its kecamatan offices and puskesmas, and the default routing rules."""
    categories_seed()
    region = Region.objects.get(code=kabkota_code)
    agencies: dict[str, Agency] = {}
    for seed in taxonomy.AGENCIES:
        agencies[seed.code], _ = Agency.objects.get_or_create(region=region, code=seed.code, defaults={
            "name": seed.name.format(region=region.name), "short_name": seed.short_name, "kind": seed.kind,
            "fields": list(seed.fields),
        })
    for kecamatan in Region.objects.filter(parent=region).order_by("code"):
        for seed in (taxonomy.KECAMATAN_AGENCY, taxonomy.PUSKESMAS_AGENCY):
            code = seed.code.format(code=kecamatan.code)
            agencies[code], _ = Agency.objects.get_or_create(region=region, code=code, defaults={
                "name": seed.name.format(name=kecamatan.name), "short_name": seed.short_name.format(name=kecamatan.name),
                "kind": seed.kind, "fields": list(seed.fields), "area": kecamatan,
            })
        RoutingRule.objects.get_or_create(region=region, field=taxonomy.ASP, category=None, area=kecamatan,
                                          defaults={"agency": agencies[f"kec-{kecamatan.code}"]})
    for field, code in taxonomy.FIELD_ROUTES.items():
        RoutingRule.objects.get_or_create(region=region, field=field, category=None, area=None,
                                          defaults={"agency": agencies[code]})
    for category_code, code in taxonomy.CATEGORY_ROUTES.items():
        category = Category.objects.get(code=category_code)
        RoutingRule.objects.get_or_create(region=region, field=category.field, category=category, area=None,
                                          defaults={"agency": agencies[code]})
    return agencies
