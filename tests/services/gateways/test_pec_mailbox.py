"""Reading receipts from a real IMAP server (Dovecot, IMAPS with a certificate made for the test), in two steps."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from app.services.gateways.pec_mailbox import (
    ImapServer,
    MailboxBatch,
    MailboxChanged,
    MailboxUnavailable,
    confirm_recorded,
    fetch_receipts,
)
from app.services.gateways.pec_receipts import ReceiptKind
from tests.support.mail_servers import (
    DovecotServer,
    Mailbox,
    SelfSignedCertificate,
    closed_port,
    dovecot_server,
    make_certificate,
    pec_receipt,
    silent_server,
)
from tests.support.samples import sample

ID_1 = "<1.creditdesk@pec.consorzio.example>"
ID_2 = "<2.creditdesk@pec.consorzio.example>"
ID_3 = "<3.creditdesk@pec.consorzio.example>"
NOT_A_RECEIPT = b"From: someone@example.it\r\nTo: solleciti@pec.consorzio.example\r\nSubject: ciao\r\n\r\nCiao!\r\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> SelfSignedCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def dovecot(certificate: SelfSignedCertificate) -> Iterator[DovecotServer]:
    with dovecot_server(certificate) as server:
        yield server


@pytest.fixture
def mailbox(dovecot: DovecotServer) -> Mailbox:
    return dovecot.new_mailbox()


def imap(dovecot: DovecotServer, mailbox: Mailbox) -> ImapServer:
    """The settings that reach ``mailbox`` on the test Dovecot."""
    return ImapServer(dovecot.host, mailbox.username, port=dovecot.port, cafile=str(dovecot.cafile), timeout=5)


def kinds_and_ids(batch: MailboxBatch) -> list[tuple[ReceiptKind, str | None]]:
    """Kind and our Message-ID of each receipt in ``batch``."""
    return [(m.receipt.kind, m.receipt.original_message_id) for m in batch.messages if m.receipt is not None]


def same_mail(fetched: bytes, delivered: bytes) -> bool:
    """IMAP serves lines ending CRLF whatever the maildir file holds."""
    return fetched.replace(b"\r\n", b"\n") == delivered.replace(b"\r\n", b"\n")


def test_receipts_are_read_and_only_marked_after_they_are_recorded(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    # GIVEN an acceptance and a delivery receipt waiting in the PEC mailbox
    accepted = pec_receipt("accettazione", msgid=ID_1)
    delivered = pec_receipt("avvenuta-consegna", msgid=ID_1, delivered_to="mario.rossi@pec.example.it")
    mailbox.deliver(accepted)
    mailbox.deliver(delivered)
    server = imap(dovecot, mailbox)

    # WHEN they are fetched
    first = fetch_receipts(server, mailbox.password)

    # THEN both come back, parsed, with the bytes to archive
    assert kinds_and_ids(first) == [(ReceiptKind.ACCEPTANCE, ID_1), (ReceiptKind.DELIVERY, ID_1)]
    assert same_mail(first.messages[0].raw, accepted) and same_mail(first.messages[1].raw, delivered)
    assert first.last_uid == first.messages[-1].uid and not first.more

    # AND a crash before confirming loses nothing: they come back again
    again = fetch_receipts(server, mailbox.password)
    assert [m.uid for m in again.messages] == [m.uid for m in first.messages]

    # WHEN the first is recorded and confirmed, only the other is still waiting
    confirm_recorded(server, mailbox.password, first.uid_validity, [first.messages[0].uid])
    assert kinds_and_ids(fetch_receipts(server, mailbox.password)) == [(ReceiptKind.DELIVERY, ID_1)]

    confirm_recorded(server, mailbox.password, first.uid_validity, [first.messages[1].uid])
    assert fetch_receipts(server, mailbox.password).messages == ()


def test_the_real_acceptance_receipt_travels_through_imap_intact(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    raw = sample("pec/ricevuta_accettazione.eml").read_bytes()
    mailbox.deliver(raw)

    (message,) = fetch_receipts(imap(dovecot, mailbox), mailbox.password).messages

    assert same_mail(message.raw, raw)
    assert message.receipt is not None and message.receipt.kind is ReceiptKind.ACCEPTANCE
    assert message.receipt.original_message_id == "<SN05IE$951DEC16C1CFD3E4FD8FF1B1D24A99AE@fakepec.it>"


def test_from_a_remembered_uid_only_newer_messages_come_even_if_read_elsewhere(
    dovecot: DovecotServer, mailbox: Mailbox
) -> None:
    server = imap(dovecot, mailbox)
    mailbox.deliver(pec_receipt("accettazione", msgid=ID_1))
    first = fetch_receipts(server, mailbox.password, since_uid=0)

    mailbox.deliver(pec_receipt("accettazione", msgid=ID_2))
    second = fetch_receipts(server, mailbox.password, since_uid=first.last_uid, uid_validity=first.uid_validity)
    nothing_new = fetch_receipts(server, mailbox.password, since_uid=second.last_uid, uid_validity=first.uid_validity)

    assert kinds_and_ids(first) == [(ReceiptKind.ACCEPTANCE, ID_1)]
    assert kinds_and_ids(second) == [(ReceiptKind.ACCEPTANCE, ID_2)]
    assert nothing_new.messages == () and nothing_new.last_uid == second.last_uid


def test_a_renumbered_mailbox_is_read_again_from_its_unread_messages(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    server = imap(dovecot, mailbox)
    mailbox.deliver(pec_receipt("accettazione", msgid=ID_1))
    batch = fetch_receipts(server, mailbox.password)

    stale = fetch_receipts(server, mailbox.password, since_uid=10_000, uid_validity=batch.uid_validity + 1)

    assert kinds_and_ids(stale) == [(ReceiptKind.ACCEPTANCE, ID_1)]
    with pytest.raises(MailboxChanged, match="nessun messaggio è stato segnato"):
        confirm_recorded(server, mailbox.password, batch.uid_validity + 1, [batch.messages[0].uid])
    assert len(fetch_receipts(server, mailbox.password).messages) == 1


def test_a_message_that_is_not_a_receipt_is_returned_with_its_problem(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    mailbox.deliver(NOT_A_RECEIPT)
    mailbox.deliver(pec_receipt("errore-consegna", msgid=ID_3, error="no-dest", detail="5.1.1 - indirizzo non valido"))

    batch = fetch_receipts(imap(dovecot, mailbox), mailbox.password)

    stranger, failure = batch.messages
    assert stranger.receipt is None and stranger.problem is not None and "X-Ricevuta" in stranger.problem
    assert failure.receipt is not None and failure.receipt.error_detail == "5.1.1 - indirizzo non valido"
    assert batch.receipts == (failure,)


def test_a_batch_stops_at_the_limit_and_says_more_are_waiting(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    for msgid in (ID_1, ID_2, ID_3):
        mailbox.deliver(pec_receipt("accettazione", msgid=msgid))
    server = imap(dovecot, mailbox)

    first = fetch_receipts(server, mailbox.password, since_uid=0, limit=2)
    rest = fetch_receipts(server, mailbox.password, since_uid=first.last_uid, uid_validity=first.uid_validity, limit=2)

    assert [m.receipt.original_message_id for m in first.messages if m.receipt] == [ID_1, ID_2] and first.more
    assert [m.receipt.original_message_id for m in rest.messages if m.receipt] == [ID_3] and not rest.more


def test_a_wrong_password_is_said_plainly_and_not_repeated(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    with pytest.raises(MailboxUnavailable, match="nome utente o password") as refused:
        fetch_receipts(imap(dovecot, mailbox), "wrong-password-123")

    assert "wrong-password-123" not in str(refused.value)


def test_an_untrusted_certificate_is_refused(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    server = ImapServer(dovecot.host, mailbox.username, port=dovecot.port, timeout=5)

    with pytest.raises(MailboxUnavailable, match="certificato"):
        fetch_receipts(server, mailbox.password)


def test_no_server_means_unavailable() -> None:
    with pytest.raises(MailboxUnavailable, match="Impossibile collegarsi"):
        fetch_receipts(ImapServer("127.0.0.1", "u", port=closed_port(), timeout=2), "x")


def test_a_silent_server_times_out() -> None:
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(MailboxUnavailable):
            fetch_receipts(ImapServer("127.0.0.1", "u", port=port, timeout=0.3), "x")

    assert time.monotonic() - started < 2
