import pytest

pytestmark = pytest.mark.django_db


def test_api_404_is_json(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_html_404_is_a_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"<html" in response.content
