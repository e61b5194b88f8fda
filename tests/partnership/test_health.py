import json

from django.db.utils import OperationalError

from partnership.celery import app


def test_healthz_reports_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("ok")


def test_healthz_reports_database_down_with_503(client, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise OperationalError("connexion refusée")

    monkeypatch.setattr("partnership.health.connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["checks"]["database"] == "erreur : OperationalError"


def test_healthz_reports_broker_down_with_503(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["broker"].startswith("erreur")
