from madoguchi.procedures.models import Procedure

from .models import FormVersion


def current_version(procedure: Procedure) -> FormVersion | None:
    """The newest published version, which new applications are filled with."""
    return procedure.form_versions.order_by("-number").first()
