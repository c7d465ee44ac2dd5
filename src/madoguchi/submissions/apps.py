from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "madoguchi.submissions"
    label = "submissions"
    verbose_name = _("申請")

    def ready(self) -> None:
        from . import prefill  # noqa: F401  registers earlier submissions as a prefill source
