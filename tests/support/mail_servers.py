"""Real mail servers for the gateway tests, and PEC receipts built like a provider's.

- an SMTP server (aiosmtpd) in this process, over SSL from the first byte or with STARTTLS, with passwords;
- Dovecot IMAP started from a temporary configuration (127.0.0.1, a free port, passwd-file users, maildirs);
- a self-signed certificate for 127.0.0.1 made at test time (``cryptography``, else the ``openssl`` command);
- receipts shaped like ``shared/samples/pec/ricevuta_accettazione.eml``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import grp
import os
import pwd
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"
MAILBOXES = 32  # users of the test Dovecot, one per test that asks


# --- certificate ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfSignedCertificate:
    """A self-signed certificate for 127.0.0.1 and localhost; ``cert`` doubles as the clients' CA file."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """A TLS server context presenting this certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificate(folder: Path) -> SelfSignedCertificate:
    """A new certificate and key in ``folder``, made with ``cryptography`` when installed, else ``openssl``."""
    folder.mkdir(parents=True, exist_ok=True)
    result = SelfSignedCertificate(folder / "cert.pem", folder / "key.pem")
    try:
        _certificate_with_cryptography(result)
    except ImportError:
        _certificate_with_openssl(result)
    return result


def _certificate_with_cryptography(target: SelfSignedCertificate) -> None:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    target.cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    target.key.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _certificate_with_openssl(target: SelfSignedCertificate) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("neither the cryptography package nor the openssl command is available to make a certificate")
    command = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    command += ["-keyout", str(target.key), "-out", str(target.cert), "-days", "1", "-subj", "/CN=localhost"]
    command += ["-addext", f"subjectAltName=DNS:localhost,IP:{HOST}"]
    subprocess.run(command, check=True, capture_output=True, timeout=30)


# --- SMTP -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the SMTP server took it: envelope, raw bytes, and whether the session was encrypted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    encrypted: bool
    login: str | None


@dataclass
class RecordingHandler:
    """Keeps every message; refuses the recipients in ``refuse`` with their reply; answers DATA after ``delay``."""

    refuse: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        encrypted = server.transport is not None and server.transport.get_extra_info("ssl_object") is not None
        # Kept before the delay: the server holds the message even when its answer comes too late for the client.
        self.received.append(
            ReceivedMail(envelope.mail_from or "", tuple(envelope.rcpt_tos), content, encrypted, login)
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Ok: queued as TEST1"


@dataclass(frozen=True)
class RunningSmtp:
    """A started SMTP server: where it listens and what it received."""

    host: str
    port: int
    handler: RecordingHandler


class _AnyPortController(Controller):
    """aiosmtpd's controller on port 0: it learns the port the system chose before its own readiness check."""

    def _trigger_server(self) -> None:
        sockets = getattr(self.server, "sockets", None) or ()
        if sockets:
            self.port = sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(
    certificate: SelfSignedCertificate,
    *,
    implicit_tls: bool,
    users: dict[str, str],
    handler: RecordingHandler | None = None,
    offer_starttls: bool = True,
) -> Iterator[RunningSmtp]:
    """An SMTP server on 127.0.0.1 requiring a login: TLS from the first byte, or STARTTLS before AUTH."""
    handler = handler or RecordingHandler()
    tls: dict[str, Any]
    if implicit_tls:
        tls = {"ssl_context": certificate.server_context()}
    elif offer_starttls:
        tls = {"tls_context": certificate.server_context(), "require_starttls": True}
    else:
        tls = {}
    controller = _AnyPortController(
        handler,
        hostname=HOST,
        port=0,
        authenticator=_authenticator(users),
        auth_required=True,
        # On an implicit-TLS socket aiosmtpd does not know the session is encrypted; STARTTLS servers insist on it.
        auth_require_tls=not implicit_tls,
        **tls,
    )
    controller.start()
    try:
        yield RunningSmtp(HOST, controller.port, handler)
    finally:
        controller.stop()


def _authenticator(users: dict[str, str]) -> Any:
    """Accepts the ``users`` passwords; a password "TEMPFAIL" gets a temporary failure (454)."""

    def check(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if users.get(login) == password:
                return AuthResult(success=True, auth_data=auth_data)
            if password == "TEMPFAIL":
                return AuthResult(success=False, handled=False, message="454 4.7.0 Temporary authentication failure")
        return AuthResult(success=False, handled=False)

    return check


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and then never says a word: every client must time out."""
    with socket.create_server((HOST, 0)) as listener:
        yield listener.getsockname()[1]


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens, so connecting is refused."""
    with socket.create_server((HOST, 0)) as probe:
        return int(probe.getsockname()[1])


# --- Dovecot IMAP ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mailbox:
    """One IMAP user of the test Dovecot and the maildir behind it."""

    username: str
    password: str
    maildir: Path
    owner: tuple[int, int]

    def deliver(self, raw: bytes) -> Path:
        """Put a message in the mailbox as a mail server would (tmp/ then new/, so it arrives unseen)."""
        name = f"{time.time_ns()}.{secrets.token_hex(4)}.test"
        staged = self.maildir / "tmp" / name
        staged.write_bytes(raw)
        os.chown(staged, *self.owner)
        return staged.rename(self.maildir / "new" / name)


@dataclass
class DovecotServer:
    """A running Dovecot: its address, the CA file clients trust, and a fresh mailbox per ``new_mailbox()``."""

    host: str
    port: int
    cafile: Path
    root: Path
    owner: tuple[int, int]
    passwords: list[str]
    _used: int = 0

    def new_mailbox(self) -> Mailbox:
        """The next unused user, with an empty INBOX (users are written before start: Dovecot re-reads its
        passwd-file by modification time, which misses a change within the same second)."""
        if self._used >= len(self.passwords):
            raise RuntimeError(f"the test Dovecot has only {len(self.passwords)} mailboxes")
        self._used += 1
        username = f"user{self._used}"
        maildir = self.root / "mail" / username / "Maildir"
        for folder in (maildir.parent, maildir, maildir / "tmp", maildir / "new", maildir / "cur"):
            folder.mkdir(exist_ok=True)
            os.chown(folder, *self.owner)
        return Mailbox(username, self.passwords[self._used - 1], maildir, self.owner)


@contextmanager
def dovecot_server(certificate: SelfSignedCertificate) -> Iterator[DovecotServer]:
    """Dovecot on 127.0.0.1 over IMAPS; skips the calling tests, saying why, when it cannot be started."""
    # /usr/sbin is not on every user's PATH.
    binary = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")
    if binary is None:
        pytest.skip("Dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="cd-dovecot-"))  # short: Dovecot's sockets live under it
    try:
        server = _prepare_dovecot(root, certificate)
        process = _start_dovecot(binary, server)
        try:
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _dovecot_user() -> tuple[str, str, int, int]:
    """Who Dovecot's processes and mail belong to: ourselves, or ``nobody`` when root (Dovecot refuses root)."""
    entry = pwd.getpwuid(os.geteuid()) if os.geteuid() != 0 else pwd.getpwnam("nobody")
    return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name, entry.pw_uid, entry.pw_gid


def _prepare_dovecot(root: Path, certificate: SelfSignedCertificate) -> DovecotServer:
    user, group, uid, gid = _dovecot_user()
    shutil.copy(certificate.cert, root / "cert.pem")
    shutil.copy(certificate.key, root / "key.pem")
    passwords = [secrets.token_urlsafe(12) for _ in range(MAILBOXES)]
    users = "".join(f"user{n}:{{PLAIN}}{password}\n" for n, password in enumerate(passwords, 1))
    (root / "users").write_text(users, encoding="utf-8")
    (root / "mail").mkdir()
    port = _free_port()
    (root / "dovecot.conf").write_text(_dovecot_config(root, user, group, uid, gid, port), encoding="utf-8")
    for path in [root, *root.rglob("*")]:
        os.chown(path, uid, gid)
    root.chmod(0o755)
    return DovecotServer(HOST, port, root / "cert.pem", root, (uid, gid), passwords)


def _dovecot_config(root: Path, user: str, group: str, uid: int, gid: int, port: int) -> str:
    # Every path under ``root`` (no /var/run, /var/lib or system log), no chroot (it needs root), and only IMAPS.
    return f"""protocols = imap
listen = {HOST}
base_dir = {root}/run
state_dir = {root}/state
instance_name = creditdesk-test-{root.name}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
first_valid_gid = 0
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.create_server((HOST, 0)) as probe:
        return int(probe.getsockname()[1])


def _start_dovecot(binary: str, server: DovecotServer) -> subprocess.Popen[bytes]:
    """The running Dovecot once its IMAPS port answers; a skip with the last lines of its log if it never does."""
    process = subprocess.Popen(
        [binary, "-F", "-c", str(server.root / "dovecot.conf")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection((server.host, server.port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    if process.poll() is None:
        process.kill()
    process.wait()
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    log = server.root / "dovecot.log"
    text = output + (log.read_text(errors="replace") if log.exists() else "")
    pytest.skip(f"Dovecot could not be started: {' | '.join(text.strip().splitlines()[-5:]) or 'no output'}")


# --- PEC receipts ---------------------------------------------------------------------------------------------------

PROVIDER_ADDRESS = "posta-certificata@pec.provider.example"


def daticert_xml(
    kind: str,
    *,
    msgid: str | None,
    error: str = "nessuno",
    delivered_to: str | None = None,
    takers: Sequence[str] = (),
    detail: str | None = None,
    identificativo: str = "opec21.20240601100000.1234.56.1.1@pec.provider.example",
    day: str = "01/06/2024",
    hour: str = "10:00:00",
    zone: str | None = "+0200",
    subject: str = "Sollecito di pagamento",
    addressees: Sequence[str] = ("debitore@pec.example.it",),
) -> bytes:
    """A daticert.xml laid out like the real sample's; ``msgid`` is escaped as providers escape it."""
    rows = [f'<postacert tipo="{kind}" errore="{error}">', "  <intestazione>"]
    rows += ["    <mittente>solleciti@pec.consorzio.example</mittente>"]
    rows += [f'    <destinatari tipo="certificato">{escape(a)}</destinatari>' for a in addressees]
    rows += ["    <risposte>solleciti@pec.consorzio.example</risposte>", f"    <oggetto>{escape(subject)}</oggetto>"]
    rows += ["  </intestazione>", "  <dati>", "    <gestore-emittente>PROVIDER PEC S.p.A.</gestore-emittente>"]
    zone_attribute = f' zona="{zone}"' if zone is not None else ""
    rows += [f"    <data{zone_attribute}>", f"      <giorno>{day}</giorno>", f"      <ora>{hour}</ora>", "    </data>"]
    rows += [f"    <identificativo>{escape(identificativo)}</identificativo>"]
    rows += [f"    <msgid>{escape(msgid)}</msgid>"] if msgid is not None else []
    rows += ['    <ricevuta tipo="completa" />'] if kind == "avvenuta-consegna" else []
    rows += [f"    <consegna>{escape(delivered_to)}</consegna>"] if delivered_to else []
    rows += [f"    <ricezione>{escape(t)}</ricezione>" for t in takers]
    rows += [f"    <errore-esteso>{escape(detail)}</errore-esteso>"] if detail else []
    rows += ["  </dati>", "</postacert>", ""]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(rows)).encode()


def receipt_eml(
    kind: str,
    *,
    msgid: str | None,
    daticert: bytes | None,
    headers: bool = True,
    original: bytes | None = None,
    subject: str = "Sollecito di pagamento",
) -> bytes:
    """A receipt .eml: multipart/signed → multipart/mixed {text + HTML, daticert.xml, postacert.eml?} + smime.p7s.

    ``headers=False`` leaves out X-Ricevuta/X-Trasporto and X-Riferimento-Message-ID.
    """
    mixed = MIMEMultipart("mixed")
    mixed.attach(_receipt_bodies(kind, subject))
    if daticert is not None:
        mixed.attach(_attachment(MIMEApplication(daticert, "xml"), "daticert.xml"))
    if original is not None:
        mixed.attach(_attachment(MIMEMessage(BytesParser().parsebytes(original)), "postacert.eml"))
    signed = MIMEMultipart("signed", protocol="application/x-pkcs7-signature", micalg="sha-256")
    signed.attach(mixed)
    signed.attach(_attachment(MIMEApplication(b"not a real signature", "x-pkcs7-signature"), "smime.p7s"))
    _receipt_headers(signed, kind, msgid, subject, x_headers=headers)
    return signed.as_bytes()


def pec_receipt(kind: str, *, msgid: str, **daticert: Any) -> bytes:
    """A complete, well-formed receipt of ``kind`` for our message ``msgid``."""
    return receipt_eml(kind, msgid=msgid, daticert=daticert_xml(kind, msgid=msgid, **daticert))


def _receipt_headers(signed: Message, kind: str, msgid: str | None, subject: str, *, x_headers: bool) -> None:
    # Real subjects vary by provider ("ACCETTAZIONE:", "AVVISO DI MANCATA CONSEGNA:"); the parser never reads them.
    signed["Subject"] = f"{kind.replace('-', ' ').upper()}: {subject}"
    on_behalf = f'"Per conto di: debitore@pec.example.it" <{PROVIDER_ADDRESS}>'
    signed["From"] = on_behalf if kind == "posta-certificata" else PROVIDER_ADDRESS
    signed["To"] = "solleciti@pec.consorzio.example"
    signed["Date"] = format_datetime(dt.datetime(2024, 6, 1, 10, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    signed["Message-ID"] = f"<opec21.{secrets.token_hex(6)}@pec.provider.example>"
    if x_headers:
        if kind == "posta-certificata":
            signed["X-Trasporto"] = "posta-certificata"
        else:
            signed["X-Ricevuta"] = kind
        if msgid is not None:
            signed["X-Riferimento-Message-ID"] = msgid


def _receipt_bodies(kind: str, subject: str) -> Message:
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(f'-- Ricevuta ({kind}) del messaggio "{subject}" --\n', "plain", "iso-8859-1"))
    alternative.attach(MIMEText(f"<html><body><h3>Ricevuta ({kind})</h3>{escape(subject)}</body></html>", "html"))
    return alternative


def _attachment(part: Message, filename: str) -> Message:
    part.set_param("name", filename)
    part.add_header("Content-Disposition", "inline", filename=filename)
    return part
