from django.urls import URLPattern
from django.utils.functional import Promise


class ResidentAuthProvider:
    """One way for a resident to log in. Subclasses register with ``registry.register``."""

    key: str
    label: str | Promise
    description: str | Promise = ""
    # Shown to residents so that nobody mistakes a demo login for a real one.
    is_demo: bool = False

    def start_url(self, next_url: str) -> str:
        """Where the login button leads: a page of ours, or a redirect to the provider."""
        raise NotImplementedError

    def urls(self) -> list[URLPattern]:
        """The provider's own pages (a picker, a callback), mounted under ``login/<key>/``."""
        return []
