from dataclasses import dataclass
from typing import Any

from madoguchi.organizations.models import OrgUnit


@dataclass(frozen=True)
class Verification:
    """What the document prints so that anyone can check it: its code and the page's URL."""

    code: str
    url: str


class DocumentType:
    """A kind of document the city issues. Subclasses render the PDF from the application;
    the issuance service signs it."""

    key: str
    title_ja: str
    title_en: str

    def render(
        self,
        submission: Any,
        *,
        office: OrgUnit,
        issued_on: Any,
        verification: Verification,
        details: dict[str, str],
    ) -> bytes:
        """``details``: what the decision adds (a notice's reason), never read from forms."""
        raise NotImplementedError
