from django.test import Client


def test_catalog_is_listed_as_json(kyoto) -> None:
    response = Client().get("/api/v1/procedures/", {"q": "住民票"})
    assert response.status_code == 200
    assert [p["code"] for p in response.json()] == ["juminhyo-copy"]
    assert response.json()[0]["fee_yen"] == 300


def test_names_follow_accept_language(kyoto) -> None:
    english = Client(headers={"accept-language": "en"}).get("/api/v1/procedures/juminhyo-copy")
    assert english.json()["name"] == "Request for a copy of the resident record (juminhyo)"
    assert english.json()["name_ja"] == "住民票の写しの交付請求"


def test_unknown_procedure_is_404(kyoto) -> None:
    assert Client().get("/api/v1/procedures/no-such-thing").status_code == 404


def test_openapi_schema_is_published(kyoto) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Madoguchi API"
    assert "/api/v1/procedures/" in schema["paths"]
