"""PEC receipts read from the certified mailbox over IMAP, in two steps so that a crash never loses one: fetch
(nothing changes on the server), then confirm what was recorded (only then is it marked as read)."""

from __future__ import annotations

import imaplib
import logging
import re
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from app.services.errors import CreditDeskError
from app.services.gateways.pec_receipts import PecReceipt, ReceiptUnreadable, parse_receipt

log = logging.getLogger(__name__)

IMAPS_PORT = 993
DEFAULT_TIMEOUT = 30.0
DEFAULT_LIMIT = 100  # messages per fetch: a full receipt carries our PDF, so a batch is kept to a few MB
_UID = re.compile(rb"\bUID (\d+)")
_UIDS_PER_COMMAND = 500  # keeps a STORE/FETCH line far below the servers' command length limits


class MailboxUnavailable(CreditDeskError):
    """The PEC mailbox could not be read or updated (connection, password, folder); nothing was changed."""


class MailboxChanged(CreditDeskError):
    """The mailbox's UIDs were renumbered (UIDVALIDITY changed) since the fetch: nothing was marked."""


@dataclass(frozen=True)
class ImapServer:
    """Where the PEC mailbox is; the password comes from the keyring at each call."""

    host: str
    username: str
    port: int = IMAPS_PORT
    folder: str = "INBOX"
    timeout: float = DEFAULT_TIMEOUT  # seconds, for the connection and for every command
    cafile: str | None = None  # a private certificate authority; None trusts the system's


@dataclass(frozen=True)
class MailboxMessage:
    """One fetched message: its raw .eml to archive, and the receipt read from it (or why none could be)."""

    uid: int
    raw: bytes
    receipt: PecReceipt | None
    problem: str | None = None


@dataclass(frozen=True)
class MailboxBatch:
    """What one fetch found: give ``uid_validity`` back to confirm_recorded, and with ``last_uid`` to the next fetch."""

    uid_validity: int
    messages: tuple[MailboxMessage, ...]
    last_uid: int | None  # the highest UID seen so far: this batch's, or the one given when nothing is new
    more: bool  # more messages wait beyond the limit: fetch again

    @property
    def receipts(self) -> tuple[MailboxMessage, ...]:
        """The messages that are readable PEC receipts."""
        return tuple(message for message in self.messages if message.receipt is not None)


def fetch_receipts(
    server: ImapServer,
    password: str,
    *,
    since_uid: int | None = None,
    uid_validity: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> MailboxBatch:
    """The unread messages (or, given ``since_uid``, those after it), oldest first, each parsed as a receipt.

    Nothing is marked as read: a message not confirmed comes back at the next fetch. A message that is not a
    readable receipt is returned with its problem, never raised, so that one bad message cannot stop the others.
    ``since_uid`` is ignored when ``uid_validity`` shows the server has renumbered its messages.
    """
    with _session(server, password, readonly=True) as (imap, validity):
        if since_uid is not None and uid_validity is not None and uid_validity != validity:
            log.warning("Casella PEC %s rinumerata (UIDVALIDITY %s → %s)", server.folder, uid_validity, validity)
            since_uid = None
        uids = _wanted_uids(imap, since_uid)
        chosen = uids[:limit]
        messages = tuple(_read(uid, raw) for uid, raw in _fetch(imap, chosen))
    last_uid = max(chosen, default=since_uid)
    log.info("Casella PEC %s: %d messaggi letti, %d in attesa", server.folder, len(messages), len(uids) - len(chosen))
    return MailboxBatch(validity, messages, last_uid, len(uids) > limit)


def confirm_recorded(server: ImapServer, password: str, uid_validity: int, uids: Iterable[int]) -> None:
    """Mark as read the messages the caller has recorded and archived, so that the next fetch skips them.

    Raises MailboxChanged, marking nothing, when the mailbox has renumbered its messages since the fetch.
    """
    wanted = sorted(set(uids))
    if not wanted:
        return
    with _session(server, password, readonly=False) as (imap, validity):
        if validity != uid_validity:
            raise MailboxChanged(
                f"La casella PEC {server.folder} è stata riorganizzata dal gestore dopo la lettura: nessun messaggio "
                "è stato segnato come letto. Le ricevute verranno rilette al prossimo controllo."
            )
        for chunk in _chunks(wanted):
            status, _ = imap.uid("STORE", _uid_set(chunk), "+FLAGS.SILENT", r"(\Seen)")
            if status != "OK":
                raise MailboxUnavailable(f"La casella PEC non ha segnato come letti i messaggi {_uid_set(chunk)}.")


def _read(uid: int, raw: bytes) -> MailboxMessage:
    try:
        return MailboxMessage(uid, raw, parse_receipt(raw))
    except ReceiptUnreadable as exc:
        return MailboxMessage(uid, raw, None, str(exc))


@contextmanager
def _session(server: ImapServer, password: str, *, readonly: bool) -> Iterator[tuple[imaplib.IMAP4_SSL, int]]:
    """A logged-in connection with the folder selected (read-only for fetching) and its UIDVALIDITY."""
    imap = _connect(server)
    try:
        _login(imap, server, password)
        yield imap, _select(imap, server.folder, readonly=readonly)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailboxUnavailable(
            f"Errore nel dialogo con la casella PEC {server.host} ({exc}). Nessun messaggio è stato modificato; "
            "si riproverà al prossimo controllo."
        ) from exc
    finally:
        with suppress(imaplib.IMAP4.error, OSError):
            imap.logout()


def _connect(server: ImapServer) -> imaplib.IMAP4_SSL:
    where = f"{server.host}:{server.port}"
    try:
        context = ssl.create_default_context(cafile=server.cafile)
        return imaplib.IMAP4_SSL(server.host, server.port, ssl_context=context, timeout=server.timeout)
    except ssl.SSLCertVerificationError as exc:
        raise MailboxUnavailable(
            f"Il certificato della casella PEC {where} non è valido ({exc.verify_message}): controllare il nome "
            "del server nelle impostazioni."
        ) from exc
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailboxUnavailable(
            f"Impossibile collegarsi alla casella PEC {where} ({exc or type(exc).__name__}): si riproverà al "
            "prossimo controllo."
        ) from exc


def _login(imap: imaplib.IMAP4_SSL, server: ImapServer, password: str) -> None:
    try:
        imap.login(server.username, password)
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as exc:
        raise MailboxUnavailable(
            f"La casella PEC {server.host} ha rifiutato nome utente o password ({server.username}): correggere le "
            "credenziali nelle impostazioni."
        ) from exc


def _select(imap: imaplib.IMAP4_SSL, folder: str, *, readonly: bool) -> int:
    status, detail = imap.select(_quoted(folder), readonly=readonly)
    if status != "OK":
        raise MailboxUnavailable(f"La cartella {folder!r} della casella PEC non si apre ({_text(detail)}).")
    _, values = imap.response("UIDVALIDITY")
    try:
        return int(values[0])
    except (TypeError, ValueError, IndexError):
        raise MailboxUnavailable(f"La casella PEC non ha indicato l'UIDVALIDITY della cartella {folder!r}.") from None


def _wanted_uids(imap: imaplib.IMAP4_SSL, since_uid: int | None) -> list[int]:
    criteria = "UNSEEN" if since_uid is None else f"UID {since_uid + 1}:*"
    status, data = imap.uid("SEARCH", criteria)
    if status != "OK":
        raise MailboxUnavailable(f"La casella PEC non ha eseguito la ricerca dei messaggi ({_text(data)}).")
    uids = sorted(int(token) for token in (data[0] or b"").split()) if data else []
    # "n:*" always matches the newest message, even when its UID is below n (RFC 3501 §6.4.8).
    return [uid for uid in uids if since_uid is None or uid > since_uid]


def _fetch(imap: imaplib.IMAP4_SSL, uids: list[int]) -> list[tuple[int, bytes]]:
    """The raw bytes of each message, by UID; BODY.PEEK leaves the \\Seen flag alone."""
    found: dict[int, bytes] = {}
    for chunk in _chunks(uids):
        status, data = imap.uid("FETCH", _uid_set(chunk), "(UID BODY.PEEK[])")
        if status != "OK":
            raise MailboxUnavailable(f"La casella PEC non ha restituito i messaggi ({_text(data)}).")
        for entry in data:
            if isinstance(entry, tuple) and (match := _UID.search(entry[0])):
                found[int(match[1])] = entry[1]
    # A message expunged between SEARCH and FETCH is simply absent.
    return [(uid, found[uid]) for uid in uids if uid in found]


def _chunks(uids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(uids), _UIDS_PER_COMMAND):
        yield uids[start : start + _UIDS_PER_COMMAND]


def _uid_set(uids: list[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def _quoted(folder: str) -> str:
    """The folder as an IMAP string: imaplib sends names as they are, which breaks on spaces and quotes."""
    if not folder.isascii():
        raise MailboxUnavailable(f"Il nome di cartella {folder!r} non è supportato: usare un nome senza accenti.")
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data: object) -> str:
    if isinstance(data, list) and data and isinstance(data[0], bytes):
        return data[0].decode("utf-8", "replace")
    return str(data)
