from django.urls import URLPattern
from django.utils.functional import Promise


class ResidentAuthProvider:
    """One way for a resident to log in. Subclasses register with ``registry.register``."""

    key: str
    label: str | Promise
    description: str | Promise = ""
    # Shown to residents so that nobody mistakes a demo login for a real one.
    is_demo: bool = False
    # The highest level of assurance (accounts.assurance) a login here can reach: a procedure
    # that needs more offers only the providers that can give it.
    max_assurance: str = "low"

    def start_url(self, next_url: str, *, assurance: str = "") -> str:
        """Where the login button leads: a page of ours, or a redirect to the provider.
        ``assurance``: the level a procedure asks for (step-up), empty for an ordinary login."""
        raise NotImplementedError

    def urls(self) -> list[URLPattern]:
        """The provider's own pages (a picker, a callback), mounted under ``login/<key>/``."""
        return []
