from ninja import NinjaAPI

from simpul.api import errors
from simpul.api.auth import API_AUTH
from simpul.api.parser import StrictJsonParser

api = NinjaAPI(
    title="Simpul API",
    version="1",
    description="Posyandu 6 SPM: region tree, posyandu, households and residents. Errors are in Bahasa Indonesia.",
    urls_namespace="api",
    auth=API_AUTH,
    parser=StrictJsonParser(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
errors.install_404(api)

from simpul.accounts.api import router as auth_router  # noqa: E402
from simpul.alerts.api import router as alerts_router  # noqa: E402
from simpul.health.api import router as growth_router  # noqa: E402
from simpul.health.fhir_api import router as fhir_router  # noqa: E402
from simpul.health.measurements_api import router as measurements_router  # noqa: E402
from simpul.immunization.api import router as immunization_router  # noqa: E402
from simpul.maternal.api import router as maternal_router  # noqa: E402
from simpul.posyandu.api import router as posyandu_router  # noqa: E402
from simpul.programmes.api import router as programmes_router  # noqa: E402
from simpul.referrals.api import agencies_router  # noqa: E402
from simpul.referrals.api import router as referrals_router  # noqa: E402
from simpul.regions.api import router as regions_router  # noqa: E402
from simpul.registry.api import households_router, persons_router  # noqa: E402
from simpul.reports.api import router as reports_router  # noqa: E402
from simpul.screening.api import router as screening_router  # noqa: E402
from simpul.serviceday.api import router as serviceday_router  # noqa: E402
from simpul.spm.api import router as spm_router  # noqa: E402
from simpul.sync.api import router as sync_router  # noqa: E402
from simpul.tasks.api import router as tasks_router  # noqa: E402

api.add_router("/auth", auth_router)
api.add_router("/regions", regions_router)
api.add_router("/posyandu", posyandu_router)
api.add_router("/households", households_router)
api.add_router("/persons", persons_router)
api.add_router("/growth", growth_router)
api.add_router("/measurements", measurements_router)
api.add_router("/immunizations", immunization_router)
api.add_router("/pregnancies", maternal_router)
api.add_router("/screenings", screening_router)
api.add_router("/service-days", serviceday_router)
api.add_router("/reports", reports_router)
api.add_router("/referrals", referrals_router)
api.add_router("/agencies", agencies_router)
api.add_router("/fhir", fhir_router)
api.add_router("/sync", sync_router)
api.add_router("/spm", spm_router)
api.add_router("/alerts", alerts_router)
api.add_router("/tasks", tasks_router)
api.add_router("/programmes", programmes_router)
