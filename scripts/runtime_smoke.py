"""The README's production install, end to end: a fresh virtualenv from requirements.txt alone, gunicorn,
a Celery worker and beat against Redis and a fresh PostgreSQL database, an SMTP server on loopback.

    .venv/bin/python scripts/runtime_smoke.py        # CI runs it (.ci/run); a few minutes

Through the web server, as a user: log in, request a statistics export and download it from the link
the worker e-mails, then find htmx (a static file, hashed and served by WhiteNoise) on « Mes exports »; send a contract for signature, sign it through the link the worker e-mails (code read from the e-mail), have the délégué countersign through his, and receive the sealed PDF,
which pyHanko's own CLI judges valid with a trusted timestamp. This
driver runs from the development virtualenv (it needs aiosmtpd, and certomancer's animator for the TSA,
OCSP responder and CRL the seal uses: like the SMTP server, outside services the application talks to);
the application runs only from the runtime one. Sends traffic only to 127.0.0.1; every wait is bounded.

Environment: SMOKE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/runtime_smoke, dropped
and recreated), SMOKE_REDIS_URL (default redis://127.0.0.1:6379/13, flushed).
"""

import html
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from email import message_from_bytes, policy
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pki  # noqa: E402 — the TSA, OCSP and CRL the production settings need (certomancer)

DATABASE_URL = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/runtime_smoke")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/13")
VENV = ROOT / "var" / "runtime-venv"
PASSWORD = "un-mot-de-passe-de-recette-2026"
EMAIL = "recette.nationale@cnfpt.fr"
SIGNER = "maire@recette.example.fr"
DELEGATE = "delegue.recette@cnfpt.fr"


def log(message: str) -> None:
    print(f"[runtime-smoke] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, test, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = test()
        if result:
            return result
        time.sleep(0.5)
    raise SystemExit(f"[runtime-smoke] ÉCHEC : {what} (après {seconds:.0f} s)")


def build_runtime_venv() -> Path:
    if os.environ.get("SMOKE_REUSE_VENV") == "1" and (VENV / "bin" / "gunicorn").exists():
        return VENV / "bin" / "python"  # while working on this script only; CI always builds it afresh
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "-r", str(ROOT / "requirements.txt")], check=True)
    installed = subprocess.run(
        [str(VENV / "bin" / "pip"), "freeze"], check=True, capture_output=True, text=True
    ).stdout.lower()
    # Proof that this is the runtime set alone: no test tool slipped in.
    for tool in ("pytest", "hypothesis", "aiosmtpd", "playwright"):
        assert f"\n{tool}==" not in "\n" + installed, f"{tool} installed in the runtime virtualenv"
    return VENV / "bin" / "python"


class Mailbox:
    """An SMTP server on loopback keeping every message (aiosmtpd)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                mailbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def find(self, to: str, subject_part: str):
        for message in self.messages:
            if to in str(message["To"]) and subject_part in str(message["Subject"]):
                return message
        return None

    def stop(self):
        self.controller.stop()


class Browser:
    """Just enough of a browser: cookies (whatever their Secure flag: the proxy's HTTPS is simulated), CSRF."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers, content

    def post_form(self, page: str, action: str, fields: dict):
        _status, _headers, content = self.request("GET", page)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
        return self.request("POST", action, {"csrfmiddlewaretoken": token, **fields})


SETUP = """
import datetime
from agreements.services import drafting
from agreements.services.rows import LineData, PartyData
from agreements.models import Theme
from partnership.enums import CollectivityKind, Role, Zone
from partnership.models import Collectivity, Delegation, Department, Region, User

region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", zone=Zone.METRO)
department = Department.objects.create(code="42", name="Loire", region=region, zone=Zone.METRO)
delegation = Delegation.objects.create(region=region, code="ara", name="Délégation Auvergne-Rhône-Alpes", seat="Lyon")
delegation.departments.add(department)
commune = Collectivity.objects.create(
    kind=CollectivityKind.COMMUNE, code="42218", siren="214202186", name="Saint-Étienne", department=department
)
user = User.objects.create_user("{email}", "{password}", first_name="Nadia", last_name="Recette", role=Role.NATIONAL_STAFF)
delegate = User.objects.create_user(
    "delegue.recette@cnfpt.fr", "{password}", first_name="Bernard", last_name="Recette",
    role=Role.DELEGATION_STAFF, delegation=delegation, function="Délégué régional",
)
contract = drafting.contract_create(
    actor=user,
    delegation=delegation,
    title="Contrat de recette",
    start_date=datetime.date(2027, 1, 1),
    delegate=delegate,
    parties=[PartyData(
        collectivity=commune, signatory_name="Marie Maire", signatory_function="Maire",
        signatory_email="{signer}", deliberation_date=datetime.date(2026, 6, 1),
    )],
    lines=[LineData(
        year=2027, theme=Theme.objects.filter(is_active=True).first(), title="Plan de formation",
        planned_days=2, planned_trainees=10,
    )],
)
print("CONTRACT", contract.pk)
"""


def sign_through_the_link(port: int, mailbox: "Mailbox", address: str, name: str, function: str) -> None:
    """What a signer does: open the e-mailed link, ask for the code, type it, read, consent, sign."""
    message = wait_for(f"l'e-mail du lien de signature de {address}", lambda: mailbox.find(address, "signer"))
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = urlparse(re.search(r"https?://\S+/signature/[^/\s]+/", body).group(0)).path
    signer = Browser(port)
    status, _, _ = signer.post_form(link, link + "code/", {})
    assert status == 302, f"demande de code : {status}"
    message = wait_for(f"le code de {address}", lambda: mailbox.find(address, "votre code de signature"))
    code = re.search(r"(\d{6})", message.get_body(preferencelist=("plain",)).get_content()).group(1)
    status, _, _ = signer.post_form(link, link + "verifier/", {"code": code})
    assert status == 302, f"code : {status}"
    _, _, page = signer.request("GET", link + "signer/")
    digest = re.search(rb'name="document_sha256" value="([0-9a-f]{64})"', page).group(1).decode()
    status, _, _ = signer.post_form(
        link + "signer/",
        link + "signer/",
        {"consent": "on", "name": name, "function": function, "document_sha256": digest},
    )
    assert status == 302, f"signature : {status}"


def main() -> int:
    with pki.running(Path(tempfile.mkdtemp(prefix="runtime-smoke-pki-"))) as test_pki:
        return run(test_pki)


def run(test_pki) -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="runtime-smoke-"))
    processes: dict[str, subprocess.Popen] = {}
    mailbox = None
    url = urlparse(DATABASE_URL)
    admin_url = f"{url.scheme}://{url.netloc}/postgres"
    name = url.path.lstrip("/")
    succeeded = False
    try:
        log("virtualenv neuf depuis requirements.txt seul")
        python = build_runtime_venv()
        log(f"  prêt en {time.monotonic() - started:.0f} s")

        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
        redis_host = urlparse(REDIS_URL)
        subprocess.run(
            ["redis-cli", "-h", redis_host.hostname, "-p", str(redis_host.port or 6379), "-n",
             redis_host.path.lstrip("/") or "0", "FLUSHDB"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        mailbox = Mailbox()
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DEBUG", "PYTEST"))}
        env.update(
            {
                "DEBUG": "0",
                "SECRET_KEY": "runtime-smoke-" + "s" * 60,
                "ALLOWED_HOSTS": "127.0.0.1",
                "DATABASE_URL": DATABASE_URL,
                "REDIS_URL": REDIS_URL,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(mailbox.port),
                "EMAIL_USE_TLS": "0",
                "SITE_URL": f"http://127.0.0.1:{port}",
                "VAR_DIR": str(work / "var"),
                "MEDIA_ROOT": str(work / "media"),
                # The seal and its TSA, OCSP and CRL: the test PKI, served over HTTP by certomancer.
                **test_pki.seal_settings(),
                # The TLS proxy is not part of this test: plain HTTP on loopback.
                "SECURE_SSL_REDIRECT": "0",
                "SECURE_HSTS_SECONDS": "0",
                "LOG_LEVEL": "WARNING",
            }
        )

        def manage(*args, **kwargs):
            return subprocess.run([str(python), "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, **kwargs)

        log("migrate, collectstatic, check --deploy")
        manage("migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage("collectstatic", "--noinput", stdout=subprocess.DEVNULL)
        deployed = {k: v for k, v in env.items() if k not in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")}
        subprocess.run(
            [str(python), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=deployed,
            check=True,
        )
        output = manage(
            "shell", "-c", SETUP.format(email=EMAIL, password=PASSWORD, signer=SIGNER), capture_output=True
        ).stdout
        contract_id = int(re.search(r"CONTRACT (\d+)", output).group(1))

        log("gunicorn, worker Celery, beat")
        bin_dir = python.parent
        logs = {}
        for label, command in {
            "gunicorn": [str(bin_dir / "gunicorn"), "partnership.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            "worker": [str(bin_dir / "celery"), "-A", "partnership", "worker", "--concurrency", "2", "--loglevel", "INFO"],
            "beat": [str(bin_dir / "celery"), "-A", "partnership", "beat", "--loglevel", "INFO",
                     "--schedule", str(work / "beat-schedule")],
        }.items():  # fmt: skip
            logs[label] = open(work / f"{label}.log", "w")  # noqa: SIM115 (closed with the process)
            processes[label] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=logs[label], stderr=subprocess.STDOUT, start_new_session=True
            )
        browser = Browser(port)

        def healthy():
            try:
                return browser.request("GET", "/healthz")[0] == 200
            except OSError:
                return False

        wait_for("/healthz répond 200 (base et courtier joignables)", healthy)
        wait_for("le worker est prêt", lambda: "ready." in (work / "worker.log").read_text())
        wait_for("beat a démarré", lambda: "beat: Starting" in (work / "beat.log").read_text())

        log("connexion")
        status, _headers, _ = browser.post_form("/connexion/", "/connexion/", {"username": EMAIL, "password": PASSWORD})
        assert status == 302, f"connexion : {status}"

        log("export statistique demandé, préparé par le worker, lien reçu par e-mail, téléchargé")
        status, _, _ = browser.post_form(
            "/statistiques/exports/", "/statistiques/exports/demander/", {"dataset": "contracts", "format": "csv"}
        )
        assert status == 302, f"demande d'export : {status}"
        message = wait_for("l'e-mail de l'export", lambda: mailbox.find(EMAIL, "Votre export est prêt"))
        body = message.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"/statistiques/exports/\d+/telecharger/", body).group(0)
        status, _headers, content = browser.request("GET", link)
        assert status == 200, f"téléchargement : {status}"
        # CSV for French spreadsheets: UTF-8 with BOM, ";" between columns.
        assert content.startswith(b"\xef\xbb\xbf") and b";" in content.splitlines()[0], content[:80]

        log("« Mes exports » : htmx servi par l'application (collectstatic, WhiteNoise), tableau de l'export")
        status, _headers, content = browser.request("GET", "/statistiques/exports/")
        assert status == 200, f"Mes exports : {status}"
        script = re.search(rb'<script src="(/static/django_htmx/htmx-2\.min\.[0-9a-f]+\.js)" defer>', content)
        assert script, "pas de script htmx (versionné par le manifeste) dans la page"
        status, headers, content = browser.request("GET", script.group(1).decode())
        assert status == 200 and b"htmx" in content[:4000], f"htmx : {status}"
        assert "javascript" in headers.get("Content-Type", ""), headers.get("Content-Type")
        status, _headers, content = browser.request("GET", "/statistiques/exports/etat/")
        assert status == 200 and "Prêt" in content.decode(), f"tableau des exports : {status}"

        log("contrat envoyé à la signature (après sa page de confirmation), lien reçu par e-mail, ouvert")
        send = f"/contrats/{contract_id}/envoyer-a-la-signature/"
        status, _, content = browser.post_form(f"/contrats/{contract_id}/", send, {})
        confirmation = html.unescape(content.decode())
        assert status == 200 and "Ce qui va se passer" in confirmation, f"confirmation de l'envoi : {status}"
        # The confirmation page posts again what was sent, with its « oui » (partnership.viewutils.CONFIRM_FIELD).
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirmation).group(1)
        status, _, _ = browser.request("POST", send, {"csrfmiddlewaretoken": token, "confirmation": "oui"})
        assert status == 302, f"envoi à la signature : {status}"
        page = html.unescape(browser.request("GET", f"/contrats/{contract_id}/")[2].decode())
        alerts = re.findall(r'class="alert alert-(?:danger|success)[^"]*"[^>]*>\s*([^<]+)', page)
        assert any("envoyé à la signature" in alert for alert in alerts), alerts
        message = wait_for("l'e-mail du lien de signature", lambda: mailbox.find(SIGNER, "à signer"))
        body = message.get_body(preferencelist=("plain",)).get_content()
        link = urlparse(re.search(r"https?://\S+/signature/[^/\s]+/", body).group(0)).path
        status, _, content = Browser(port).request("GET", link)
        assert status == 200, f"lien de signature : {status}"
        assert "Contrat de recette" in html.unescape(content.decode()), "le portail ne montre pas le contrat"

        log("signé par le maire puis contresigné par le délégué, par leurs liens ; PDF scellé reçu par e-mail")
        sign_through_the_link(port, mailbox, SIGNER, "Marie Maire", "Maire")
        sign_through_the_link(port, mailbox, DELEGATE, "Bernard Recette", "Délégué régional")
        message = wait_for(
            "l'e-mail du contrat signé et scellé (worker : PDF/A, cachet, horodatage, OCSP)",
            lambda: mailbox.find(SIGNER, "signé par toutes les parties"),
            seconds=120,
        )
        [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
        sealed = work / "contrat-signe.pdf"
        sealed.write_bytes(attachment.get_content())
        trust = ["--trust", str(test_pki.root), "--trust-replace"]
        checked = subprocess.run(
            [str(Path(sys.executable).parent / "pyhanko"), "sign", "validate", "--pretty-print", *trust, str(sealed)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "The TSA certificate is trusted." in checked.stdout, checked.stdout
        assert "The signature is judged VALID." in checked.stdout, checked.stdout

        for label, process in processes.items():
            assert process.poll() is None, f"{label} s'est arrêté : voir {work / (label + '.log')}"
        log(f"OK en {time.monotonic() - started:.0f} s")
        succeeded = True
        return 0
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if mailbox is not None:
            mailbox.stop()
        if not succeeded:
            for log_file in sorted(work.glob("*.log")):
                print(f"--- {log_file.name}\n{log_file.read_text()[-4000:]}", file=sys.stderr)
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
