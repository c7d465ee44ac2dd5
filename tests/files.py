"""File questions added to a published form, and files a resident might upload, for the tests of
attachments in bundles, at the counter and in corrections."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.forms import selectors as form_selectors
from madoguchi.forms import services as form_services
from madoguchi.procedures.models import Procedure

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

DOCUMENTS_STEP: dict[str, Any] = {
    "key": "documents",
    "title": {"ja": "書類の添付", "en": "Documents"},
    "questions": [
        {
            "key": "health_card",
            "type": "file",
            "label": {"ja": "健康保険証の写し", "en": "Copy of the health insurance card"},
            "accept": ["pdf", "jpeg", "png"],
            "max_size_mb": 5,
        },
        {
            "key": "other_document",
            "type": "file",
            "label": {"ja": "その他の書類", "en": "Other document"},
            "required": False,
            "accept": ["pdf"],
        },
    ],
}


def add_documents_step(procedure: Procedure) -> None:
    """Publish the procedure's current form again with the documents step at its end."""
    definition = form_selectors.current_version(procedure).schema
    form_services.publish(
        procedure, {**definition, "steps": [*definition["steps"], DOCUMENTS_STEP]}
    )


def upload(content: bytes = PDF, name: str = "hokensho.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
