"""The JSON API root: every app's router is mounted here under /api/v1/ (OpenAPI at
/api/v1/openapi.json). Apps expose a ``router`` in their own ``api.py``."""

from ninja import NinjaAPI

from madoguchi.forms.api import router as forms_router
from madoguchi.procedures.api import router as procedures_router
from madoguchi.submissions.api import router as submissions_router

api = NinjaAPI(
    title="Madoguchi API",
    version="1",
    description="Procedures, forms and applications of the Madoguchi digital city hall.",
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
)
api.add_router("/procedures", procedures_router)
api.add_router("/forms", forms_router)
api.add_router("/", submissions_router)
