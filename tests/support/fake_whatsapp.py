"""A WhatsApp Cloud API and Twilio look-alike served over real HTTP in the test process, with faults on demand.

Use it as a context manager; ``base_url`` serves both providers. It answers the documented endpoints and errors
(formats.md §5), records every request and every message it accepts (``accepted``: what a debtor would have
received, so duplicates can be counted), and ``fail_next`` makes the next calls fail, stall or hang up.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import hmac
import itertools
import json
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl

Reply = tuple[int, dict[str, Any]]

CLOUD_TITLES = {
    100: "Invalid parameter",
    190: "Invalid OAuth access token - Cannot parse access token",
    130429: "Rate limit hit",
    131026: "Message undeliverable",
    131030: "Recipient phone number not in allowed list",
    131047: "Re-engagement message",
    131050: "User has stopped marketing messages",
    131053: "Media upload error",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    132000: "Number of parameters does not match the expected number of params",
    132001: "Template name does not exist in the translation",
}
TWILIO_TITLES = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    21211: "Invalid 'To' Phone Number",
    21655: "The ContentSid is Invalid",
    21656: "The ContentVariables Parameter is invalid",
    63003: "Channel could not find To address",
    63007: "Twilio could not find a Channel with the specified From address",
    63016: "Failed to send freeform message because you are outside the allowed window.",
    63018: "Rate limit exceeded for Channel",
}
ROUTES = [
    ("cloud.messages", "POST", re.compile(r"/v\d+\.0/(?P<phone>[^/]+)/messages")),
    ("cloud.media", "POST", re.compile(r"/v\d+\.0/(?P<phone>[^/]+)/media")),
    ("cloud.phone", "GET", re.compile(r"/v\d+\.0/(?P<phone>[^/]+)")),
    ("twilio.messages", "POST", re.compile(r"/2010-04-01/Accounts/(?P<account>AC\w+)/Messages\.json")),
    ("twilio.message", "GET", re.compile(r"/2010-04-01/Accounts/(?P<account>AC\w+)/Messages/(?P<sid>\w+)\.json")),
    ("twilio.account", "GET", re.compile(r"/2010-04-01/Accounts/(?P<account>AC\w+)\.json")),
]


@dataclass
class Fault:
    """How the fake misbehaves on a call.

    kind: "error" answers the provider error ``code`` (with ``http_status`` when given) without processing;
    "http" answers ``http_status`` with ``body`` (a proxy's 502, an empty 200…); "delay" waits ``seconds`` before
    answering; "drop" reads the request and hangs up without a word. For "http", "delay" and "drop", ``accept``
    says whether the message is processed (and recorded as accepted) first, as a provider that got it would.
    ``route`` limits the fault to one endpoint (see ROUTES); ``retry_after`` and ``headers`` are added to the answer.
    """

    kind: Literal["error", "http", "delay", "drop"]
    code: int | None = None
    http_status: int | None = None
    body: bytes = b""
    seconds: float = 0.0
    accept: bool = True
    retry_after: str | None = None
    route: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Accepted:
    """A message the fake accepted: a real provider would have sent it on."""

    provider: Literal["cloud", "twilio"]
    message_id: str
    to: str
    payload: dict[str, Any]
    at: float


@dataclass(frozen=True)
class Seen:
    """One request as it arrived."""

    method: str
    path: str
    route: str | None
    headers: dict[str, str]
    body: bytes


@dataclass
class _TwilioMessage:
    resource: dict[str, Any]
    steps: list[str]
    polls: int = 0


@dataclass
class FakeWhatsApp:
    """Both providers on one local port; configure before sending, inspect after."""

    phone_number_id: str = "109876543210"
    token: str = "cloud-test-token"
    app_secret: str = "cloud-app-secret"
    account_sid: str = "AC0123456789abcdef0123456789abcdef"
    auth_token: str = "twilio-test-token"
    twilio_from: str = "whatsapp:+14155238886"
    twilio_account_status: str = "active"
    # (template name, language) → number of body parameters; ContentSid → number of variables.
    templates: dict[tuple[str, str], int] = field(default_factory=lambda: {("sollecito_pagamento", "it"): 2})
    contents: dict[str, int] = field(default_factory=lambda: {"HX0123456789abcdef0123456789abcdef": 2})
    allowed_recipients: set[str] | None = None  # a Cloud test account: only these numbers (131030 otherwise)
    not_on_whatsapp: set[str] = field(default_factory=set)  # digits; Cloud 131026 at once, Twilio 63003 later
    # Twilio: digits → the statuses successive polls return ("failed:63016" adds an error code); the last repeats.
    progressions: dict[str, list[str]] = field(default_factory=dict)
    default_progression: list[str] = field(default_factory=lambda: ["queued", "sent", "delivered", "read"])

    def __post_init__(self) -> None:
        self.accepted: list[Accepted] = []
        self.seen: list[Seen] = []
        self.media: dict[str, tuple[str, str, bytes]] = {}  # id → (filename, content type, bytes)
        self._faults: list[Fault] = []
        self._twilio: dict[str, _TwilioMessage] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FakeWhatsApp:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.block_on_close = False  # a handler still sleeping in a "delay" must not hold up the test
        server.fake = self  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        self._server = server
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "use the fake as a context manager"
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        """Misbehave on the next ``times`` calls that match the fault's route."""
        with self._lock:
            self._faults.extend([fault] * times)

    def duplicates(self) -> dict[tuple[str, str], int]:
        """(recipient, template) pairs accepted more than once, with their counts."""
        counts = Counter((a.to, _template_of(a)) for a in self.accepted)
        return {key: n for key, n in counts.items() if n > 1}

    def cloud_status_webhook(self, statuses: list[dict[str, Any]]) -> tuple[bytes, str]:
        """A Cloud API webhook delivery carrying ``statuses``, and its X-Hub-Signature-256 header."""
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "390212345678", "phone_number_id": self.phone_number_id},
            "statuses": statuses,
        }
        payload = {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA1", "changes": [{"value": value, "field": "messages"}]}],
        }
        body = json.dumps(payload).encode()
        return body, "sha256=" + hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()

    # -- dispatch (handler threads) --------------------------------------------------------------------------------

    def _take_fault(self, route: str | None) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.route in (None, route):
                    return self._faults.pop(index)
        return None

    def _record(self, provider: Literal["cloud", "twilio"], message_id: str, to: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self.accepted.append(Accepted(provider, message_id, to, payload, time.time()))

    def _process(self, route: str, groups: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        handler = getattr(self, "_" + route.replace(".", "_"))
        return handler(groups, headers, body)

    # -- Cloud API -------------------------------------------------------------------------------------------------

    def _cloud_guard(self, groups: dict[str, str], headers: dict[str, str]) -> Reply | None:
        if headers.get("authorization") != f"Bearer {self.token}":
            return cloud_error(190, http_status=401)
        if groups["phone"] != self.phone_number_id:
            return cloud_error(100, f"Unsupported request. Object with ID '{groups['phone']}' does not exist.")
        return None

    def _cloud_messages(self, groups: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        refused = self._cloud_guard(groups, headers)
        if refused:
            return refused
        try:
            payload = json.loads(body)
        except ValueError:
            return cloud_error(100, "Request body is not JSON")
        to = str(payload.get("to", ""))
        if payload.get("messaging_product") != "whatsapp" or not to.isdigit():
            return cloud_error(100, "Invalid parameter: messaging_product or to")
        if self.allowed_recipients is not None and to not in self.allowed_recipients:
            return cloud_error(131030)
        if to in self.not_on_whatsapp:
            return cloud_error(131026)
        if payload.get("type") == "template":
            problem = self._template_problem(payload.get("template") or {})
            if problem:
                return problem
        elif payload.get("type") == "text":
            return cloud_error(131047)  # no customer ever writes to the fake: every session window is closed
        wamid = "wamid." + base64.b64encode(f"fake-{next(self._ids):06d}".encode()).decode()
        self._record("cloud", wamid, to, payload)
        messages = [{"id": wamid, "message_status": "accepted"}]
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": messages}

    def _template_problem(self, template: dict[str, Any]) -> Reply | None:
        name, language = str(template.get("name")), str((template.get("language") or {}).get("code"))
        expected = self.templates.get((name, language))
        if expected is None:
            return cloud_error(132001, f"template name ({name}) does not exist in {language}")
        components = {c.get("type"): c.get("parameters", []) for c in template.get("components", [])}
        if len(components.get("body", [])) != expected:
            return cloud_error(132000, f"body: number of localizable_params does not match {expected}")
        for parameter in components.get("header", []):
            document = parameter.get("document") or {}
            if "id" in document and document["id"] not in self.media:
                return cloud_error(131053, f"Media id {document['id']} not found")
            if "link" in document and not str(document["link"]).startswith(("https://", "http://")):
                return cloud_error(131053, "Document link is not a URL")
        return None

    def _cloud_media(self, groups: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        refused = self._cloud_guard(groups, headers)
        if refused:
            return refused
        head = f"Content-Type: {headers.get('content-type', '')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        fields: dict[str, Any] = {}
        upload: tuple[str, str, bytes] | None = None
        for part in message.iter_parts() if message.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            content = part.get_payload(decode=True)
            content = content if isinstance(content, bytes) else b""
            if name == "file":
                upload = (part.get_filename() or "", part.get_content_type(), content)
            else:
                fields[str(name)] = content.decode()
        if fields.get("messaging_product") != "whatsapp" or upload is None:
            return cloud_error(100, "messaging_product and file are required")
        if upload[1] != "application/pdf" or not upload[2].startswith(b"%PDF-"):
            return cloud_error(131053, f"Unsupported media type {upload[1]}")
        media_id = f"{next(self._ids):015d}"
        with self._lock:
            self.media[media_id] = upload
        return 200, {"id": media_id}

    def _cloud_phone(self, groups: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        refused = self._cloud_guard(groups, headers)
        if refused:
            return refused
        return 200, {
            "verified_name": "Consorzio di prova",
            "display_phone_number": "+39 02 1234 5678",
            "quality_rating": "GREEN",
            "id": self.phone_number_id,
        }

    # -- Twilio ----------------------------------------------------------------------------------------------------

    def _twilio_guard(self, groups: dict[str, str], headers: dict[str, str]) -> Reply | None:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("authorization") != f"Basic {expected}" or groups["account"] != self.account_sid:
            return twilio_error(20003, http_status=401)
        return None

    def _twilio_messages(self, groups: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        refused = self._twilio_guard(groups, headers)
        if refused:
            return refused
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        if form.get("From") != self.twilio_from:
            return twilio_error(63007)
        to = form.get("To", "")
        if not re.fullmatch(r"whatsapp:\+[1-9]\d{7,14}", to):
            return twilio_error(21211)
        expected = self.contents.get(form.get("ContentSid", ""))
        if expected is None:
            return twilio_error(21655)
        try:
            variables = json.loads(form.get("ContentVariables", "{}"))
        except ValueError:
            return twilio_error(21656)
        if not isinstance(variables, dict) or len(variables) != expected:
            return twilio_error(21656)
        digits = to.removeprefix("whatsapp:+")
        sid = f"SM{next(self._ids):032x}"
        steps = ["queued", "failed:63003"] if digits in self.not_on_whatsapp else None
        steps = steps or self.progressions.get(digits) or self.default_progression
        resource = self._twilio_resource(sid, form, steps[0])
        with self._lock:
            self._twilio[sid] = _TwilioMessage(resource, list(steps))
        self._record("twilio", sid, digits, form)
        return 201, resource

    def _twilio_resource(self, sid: str, form: dict[str, str], status: str) -> dict[str, Any]:
        now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        return {
            "sid": sid,
            "account_sid": self.account_sid,
            "from": form["From"],
            "to": form["To"],
            "body": "",
            "status": status,
            "direction": "outbound-api",
            "num_media": "1" if form.get("MediaUrl") else "0",
            "error_code": None,
            "error_message": None,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }

    def _twilio_message(self, groups: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        refused = self._twilio_guard(groups, headers)
        if refused:
            return refused
        with self._lock:
            message = self._twilio.get(groups["sid"])
            if message is None:
                return twilio_error(20404, http_status=404)
            step = message.steps[min(message.polls, len(message.steps) - 1)]
            message.polls += 1
        status, _, code = step.partition(":")
        resource = dict(message.resource, status=status)
        resource["date_updated"] = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        if code:
            resource.update(error_code=int(code), error_message=TWILIO_TITLES.get(int(code), "Error"))
        return 200, resource

    def _twilio_account(self, groups: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        refused = self._twilio_guard(groups, headers)
        if refused:
            return refused
        return 200, {
            "sid": self.account_sid,
            "friendly_name": "Consorzio di prova",
            "status": self.twilio_account_status,
            "type": "Full",
        }


def cloud_error(code: int, details: str | None = None, http_status: int = 400) -> Reply:
    """A Graph API error body as Meta sends it."""
    title = CLOUD_TITLES.get(code, "Error")
    error: dict[str, Any] = {"message": f"(#{code}) {title}", "type": "OAuthException", "code": code}
    error["error_data"] = {"messaging_product": "whatsapp", "details": details or title}
    error["fbtrace_id"] = "AFakeTraceId"
    return http_status, {"error": error}


def twilio_error(code: int, http_status: int = 400) -> Reply:
    """A Twilio REST error body."""
    message = TWILIO_TITLES.get(code, "Error")
    return http_status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": http_status,
    }


def _template_of(accepted: Accepted) -> str:
    if accepted.provider == "twilio":
        return str(accepted.payload.get("ContentSid", ""))
    return str((accepted.payload.get("template") or {}).get("name", ""))


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # the test output stays quiet
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fake: FakeWhatsApp = self.server.fake  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = self.path.split("?", 1)[0]
        route, groups = _route(self.command, path)
        with fake._lock:
            fake.seen.append(Seen(self.command, path, route, headers, body))
        fault = fake._take_fault(route)
        if route is None:
            self._reply(404, {"error": {"message": f"Unknown path {path}", "code": 803}})
            return
        if fault is not None and fault.kind == "error":
            assert fault.code is not None
            http_status = fault.http_status or 400
            if route.startswith("cloud"):
                status, payload = cloud_error(fault.code, http_status=http_status)
            else:
                status, payload = twilio_error(fault.code, http_status=http_status)
            self._reply(status, payload, fault.retry_after)
            return
        reply = fake._process(route, groups, headers, body) if fault is None or fault.accept else None
        if fault is None:
            assert reply is not None
            self._reply(*reply)
        elif fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif fault.kind == "delay":
            time.sleep(fault.seconds)
            self._reply(*(reply or (200, {})), fault.retry_after)
        else:
            self._reply_raw(fault.http_status or 500, fault.body, "application/json", fault.retry_after, fault.headers)

    def _reply(self, status: int, payload: dict[str, Any], retry_after: str | None = None) -> None:
        self._reply_raw(status, json.dumps(payload).encode(), "application/json", retry_after)

    def _reply_raw(
        self,
        status: int,
        body: bytes,
        content_type: str,
        retry_after: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (its timeout): that is the point of a delay


def _route(method: str, path: str) -> tuple[str | None, dict[str, str]]:
    for name, verb, pattern in ROUTES:
        match = pattern.fullmatch(path)
        if match and verb == method:
            return name, match.groupdict()
    return None, {}
