"""Text from requests, made safe to query with."""


def without_nul(text: str) -> str:
    """PostgreSQL text cannot hold NUL bytes (a query with one is an error, not "no match"),
    and no real search or code contains one."""
    return text.replace("\x00", "")
