from typing import Any

from madoguchi.organizations.models import OrgUnit


class DocumentType:
    """A kind of document the city issues. Subclasses render the PDF from the application."""

    key: str
    title_ja: str
    title_en: str

    def render(self, submission: Any, *, office: OrgUnit, issued_on: Any) -> bytes:
        raise NotImplementedError
