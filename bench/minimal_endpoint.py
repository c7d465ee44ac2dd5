"""The issue's second reference: a minimal Django + django-ninja endpoint that inserts one row,
served by gunicorn exactly as Madoguchi is in bench/submissions.py. It measures what the
framework and the machine allow before any of Madoguchi's work.

    gunicorn --chdir bench minimal_endpoint:application  (BENCH_DATABASE_URL names the database)
"""

import json
import os
import secrets

import dj_database_url
import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={
        "default": dj_database_url.parse(os.environ["BENCH_DATABASE_URL"], conn_max_age=600)
    },
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.urls import path  # noqa: E402
from ninja import NinjaAPI, Schema  # noqa: E402

api = NinjaAPI()


class Row(Schema):
    phone: str


@api.post("/insert", response={201: dict})
def insert(request: HttpRequest, row: Row) -> tuple[int, dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (payload) VALUES (%s) RETURNING id",
            [json.dumps({"phone": row.phone})],
        )
        (row_id,) = cursor.fetchone()
    return 201, {"id": row_id}


urlpatterns = [path("", api.urls)]
application = get_wsgi_application()
