"""Read an ISO 20022 bank statement file (camt.053, camt.054, or camt.053 in the CBI envelope) whole or not at all.

``read_statement_file`` streams the XML through expat: each entry becomes compact frozen values and its element
is freed at once, so a 100,000-entry file costs memory for its transactions, not for its XML tree. It returns
only after every statement agrees with its declared totals and balances; the caller applies nothing before.

A defused parser (no DTD, no entities) reads the file's opening, up to the root's first child, before the fast
C parser is given the same bytes: an XML declaration of entities can only come before the root, so nothing the
C parser expands was left unchecked. Element names are matched without their namespace, so any camt version
(001.02 to 001.08 and later) and the CBI namespaces read alike.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from app.services.bank.camt_entries import Shared, Tags, clean, local_name, namespace_of, tags_for
from app.services.bank.camt_statement import StatementBuilder
from app.services.bank.camt_types import (
    Balance,
    BankTransaction,
    BankTransactionCode,
    DeclaredTotals,
    Direction,
    Statement,
    StatementFile,
    StatementFileRefused,
    StatementKind,
    refusal,
)

__all__ = [
    "Balance",
    "BankTransaction",
    "BankTransactionCode",
    "DeclaredTotals",
    "Direction",
    "Statement",
    "StatementFile",
    "StatementFileRefused",
    "StatementKind",
    "read_statement_file",
]

_CHUNK = 1 << 16
_MESSAGES = {"BkToCstmrStmt": StatementKind.STATEMENT, "BkToCstmrDbtCdtNtfctn": StatementKind.NOTIFICATION}
_CBI_ROOTS = frozenset(
    ("CBIBdyBkToCstmrStmtReq", "CBIBkToCstmrStmtReqLogMsg", "CBIDlyStmtReqLogMsg", "CBIPrdcStmtReqLogMsg")
)
_CONTAINERS = {"Stmt": StatementKind.STATEMENT, "Ntfctn": StatementKind.NOTIFICATION}
_OTHER, _ENTRY, _CONTAINER, _GROUP_HEADER = range(4)
_ROLES = {"Ntry": _ENTRY, "Stmt": _CONTAINER, "Ntfctn": _CONTAINER, "GrpHdr": _GROUP_HEADER}

_ASK_BANK = "scaricare dalla banca l'estratto conto in formato XML (camt.053, camt.054 o CBI) e riprovare"
_DECLARATIONS = (
    "contiene dichiarazioni XML (DOCTYPE o ENTITY) che un estratto conto ISO 20022 non usa e che possono bloccare "
    f"il programma, quindi non viene letto: {_ASK_BANK}"
)


def read_statement_file(path: Path) -> StatementFile:
    """Every statement of the camt.053 / camt.054 / CBI file at ``path``, each checked against its totals and
    balances, with its booked transactions (a batch split into one transaction per detail).

    Raises ``StatementFileRefused`` (an ``UnreadableFile``) with a message naming the file and, where it applies,
    the statement and the entry, when the file is not such a statement, is damaged or hostile, has an amount or
    sign missing or malformed, or disagrees with its own totals or balances. Nothing partial is ever returned.
    """
    try:
        stream = path.open("rb")
    except OSError as error:
        reason = f" ({error.strerror})" if error.strerror else ""
        raise refusal(path.name, f"non si riesce ad aprire{reason}: controllare che esista e riprovare") from None
    with stream, _collector_paused():
        return _Reader(path.name).read(stream)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while reading: the parse makes millions of elements that reference counting
    frees at once, and each collection would rescan the growing list of transactions (twice the parse time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _OpeningSeen(Exception):
    """Stops the defused parser once the root and its first child have been seen."""


class _Opening:
    """Target of the defused parser: notes the qualified names of the root and of its first child."""

    def __init__(self) -> None:
        self.tags: list[str] = []

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.tags.append(tag)
        if len(self.tags) == 2:
            raise _OpeningSeen


class _Roles(dict[str, int]):
    """What each qualified tag means to the reader, worked out once per distinct tag."""

    def __missing__(self, tag: str) -> int:
        role = self[tag] = _ROLES.get(local_name(tag), _OTHER)
        return role


class _Reader:
    """One pass over one file: structure checks, then statements built as their entries stream by."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.opening = _Opening()
        self.kind: StatementKind | None = None
        self.cbi = False
        self.roles = _Roles()
        self.entry_tags: dict[str, Tags] = {}  # entry tag → its namespace's names
        self.shared = Shared()
        self.statements: list[Statement] = []
        self.current: StatementBuilder | None = None
        self.message_id: str | None = None

    def read(self, stream: BinaryIO) -> StatementFile:
        """The whole file, read and checked."""
        parser: XMLPullParser[Element] = XMLPullParser(events=("end",))  # "start" events too: a quarter slower
        guard = DefusedXMLParser(target=self.opening, forbid_dtd=True)
        guarding, empty = True, True
        try:
            while chunk := stream.read(_CHUNK):
                empty = False
                guarding = guarding and self._guard(guard, chunk)
                parser.feed(chunk)
                self._consume(parser.read_events())
            if empty:
                raise refusal(self.file_name, f"è vuoto: {_ASK_BANK}")
            parser.close()
            self._consume(parser.read_events())
        except ParseError as error:
            raise self._damaged(error) from None
        except OSError as error:
            raise refusal(self.file_name, f"non si riesce a leggere ({error.strerror}): riprovare") from None
        return self._result()

    def _guard(self, guard: DefusedXMLParser, chunk: bytes) -> bool:
        """Feed the defused parser first; False once it has seen the opening (its ParseError goes up as it is:
        the C parser must not be given bytes the guard could not vouch for)."""
        try:
            guard.feed(chunk)
        except _OpeningSeen:
            self._check_opening()
            return False
        except DefusedXmlException:
            raise refusal(self.file_name, _DECLARATIONS) from None
        except (LookupError, ValueError):
            # expat asks Python for the codec the XML declaration names: an unknown or multi-byte one ends here,
            # on the first bytes, before the C parser meets the same declaration
            raise refusal(
                self.file_name, f"dichiara una codifica dei caratteri che non si può leggere; {_ASK_BANK}"
            ) from None
        return True

    def _check_opening(self) -> None:
        """Refuse at once a document that is neither a camt.053/054 nor a CBI statement."""
        tags = self.opening.tags
        if self.kind is not None or not tags:
            return
        root = local_name(tags[0])
        if root in _CBI_ROOTS:
            self.kind, self.cbi = StatementKind.STATEMENT, True
        elif root != "Document":
            raise refusal(
                self.file_name, f"non è un estratto conto: il suo elemento principale è «{root}»; {_ASK_BANK}"
            )
        elif len(tags) > 1:
            message = local_name(tags[1])
            self.kind = _MESSAGES.get(message)
            if self.kind is None:
                schema = namespace_of(tags[1]).strip("{}").rpartition(":")[2]
                kind = f" ({schema})" if schema else ""
                raise refusal(
                    self.file_name,
                    f"contiene un messaggio ISO 20022 «{message}»{kind}, non un estratto conto (camt.053) né una "
                    f"notifica di accrediti e addebiti (camt.054); {_ASK_BANK}",
                )

    def _consume(self, events: Iterable[tuple[Any, ...]]) -> None:
        roles = self.roles
        for event in events:
            element = event[1]
            role = roles[element.tag]
            if role == _ENTRY:
                self._entry(element)
            elif role:
                self._structure(role, element)

    def _entry(self, element: Element) -> None:
        builder = self.current or self._open()
        tags = self.entry_tags.get(element.tag)
        if tags is None:
            tags = self.entry_tags[element.tag] = tags_for(namespace_of(element.tag))
        builder.add(element, tags)
        element.clear()  # frees the entry's subtree; the empty element stays in its statement until that ends

    def _structure(self, role: int, element: Element) -> None:
        if role == _GROUP_HEADER:
            self.message_id = clean(element.findtext(tags_for(namespace_of(element.tag)).MsgId))
            return
        builder = self.current or self._open()
        if _CONTAINERS[local_name(element.tag)] is not builder.kind:
            raise refusal(self.file_name, f"ha una struttura non valida: «{local_name(element.tag)}» fuori posto")
        self.statements.append(builder.finish(element))
        element.clear()
        self.current = None

    def _open(self) -> StatementBuilder:
        self._check_opening()
        kind = self.kind or StatementKind.STATEMENT
        number = len(self.statements) + 1
        self.current = StatementBuilder(self.file_name, kind, number, self.message_id, self.shared)
        return self.current

    def _result(self) -> StatementFile:
        self._check_opening()  # a file too short to have shown the root's first child
        if self.current is not None:
            raise refusal(self.file_name, "ha una struttura non valida: movimenti (Ntry) fuori da un estratto conto")
        if not self.statements:
            none = "alcuna notifica (Ntfctn)" if self.kind is StatementKind.NOTIFICATION else "alcun estratto (Stmt)"
            raise refusal(self.file_name, f"non contiene {none}; {_ASK_BANK}")
        return StatementFile(self.file_name, self.cbi, tuple(self.statements))

    def _damaged(self, error: ParseError) -> StatementFileRefused:
        line, column = error.position[0], error.position[1] + 1  # expat counts columns from 0, editors from 1
        if not self.opening.tags:
            return refusal(self.file_name, f"non è un file XML (riga {line}, colonna {column}); {_ASK_BANK}")
        return refusal(
            self.file_name,
            f"è danneggiato o incompleto: l'XML si interrompe alla riga {line}, colonna {column}; scaricarlo di "
            "nuovo dalla banca e riprovare",
        )
