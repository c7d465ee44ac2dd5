from .base import DocumentType

_types: dict[str, DocumentType] = {}


def register(document_class: type[DocumentType]) -> type[DocumentType]:
    document = document_class()
    _types[document.key] = document
    return document_class


def get(key: str) -> DocumentType:
    return _types[key]


def keys() -> list[str]:
    return sorted(_types)
