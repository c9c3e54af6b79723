"""Reading ISO 20022 bank statements: the two real samples, a hand-made CBI envelope, v08 shapes, the bank
reference rule, booked-only filtering, the statement's own totals and balances, every refusal (naming the file,
the statement and the entry), and a round trip of random entries through the synthetic writer."""

from __future__ import annotations

import gc
import string
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.bank.camt import (
    BankTransaction,
    BankTransactionCode,
    Direction,
    StatementFile,
    StatementFileRefused,
    StatementKind,
    read_statement_file,
)
from app.services.errors import UnreadableFile
from tests.support.camt_files import (
    NOTIFICATION,
    STATEMENT,
    DetailSpec,
    EntrySpec,
    StatementHeader,
    write_statement,
)
from tests.support.samples import samples_dir

SAMPLES = samples_dir() / "iso20022"  # third-party data: read, never copied
CAMT053 = SAMPLES / "camt053_001_02_oca.xml"
CAMT054 = SAMPLES / "camt054_001_04_oca.xml"
needs_samples = pytest.mark.skipif(not CAMT053.exists(), reason="the shared ISO 20022 samples are not on this machine")
DAY = date(2026, 3, 2)
SCT = BankTransactionCode("PMNT", "RCDT", "ESCT", None)


def credit(amount: str, reference: str | None = "E1", *details: DetailSpec, **entry: object) -> EntrySpec:
    """A booked SCT credit; one detail with that amount unless details are given."""
    given_details = details or (DetailSpec(Decimal(amount), end_to_end_id="E2E-1"),)
    values: dict[str, object] = {"account_servicer_reference": reference, "details": given_details, **entry}
    return EntrySpec("CRDT", DAY, DAY, **values)  # type: ignore[arg-type]


def write(folder: Path, *entries: EntrySpec, name: str = "estratto.xml", **header: object) -> Path:
    """A camt file of ``entries`` whose totals and balances agree."""
    write_statement(folder / name, entries, StatementHeader(**header))  # type: ignore[arg-type]
    return folder / name


def tamper(path: Path, old: str, new: str) -> Path:
    """``path`` with the first ``old`` replaced by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def tamper_entry(path: Path, number: int, old: str, new: str) -> Path:
    """``path`` with the first ``old`` of its ``number``-th entry replaced by ``new``."""
    parts = path.read_text(encoding="utf-8").split("<Ntry>")
    assert old in parts[number], old
    parts[number] = parts[number].replace(old, new, 1)
    path.write_text("<Ntry>".join(parts), encoding="utf-8")
    return path


def refusal_of(path: Path) -> str:
    with pytest.raises(StatementFileRefused) as caught:
        read_statement_file(path)
    message = str(caught.value)
    assert message.startswith(f"Il file «{path.name}»")
    assert isinstance(caught.value, UnreadableFile)
    return message


# --- the real samples -------------------------------------------------------------------------------------------


@needs_samples
def test_real_camt053_is_read_with_a_warning_as_its_balances_do_not_add_up() -> None:
    # 15,568.27 + 1,405.31 - 754.25 - 664.05 = 15,555.28, yet the sample declares 15,121.12 as closing balance
    (statement,) = read_statement_file(CAMT053).statements
    (warning,) = statement.warnings
    assert "estratto «1234Test/1»" in warning
    assert "15.568,27" in warning and "15.555,28" in warning and "15.121,12" in warning
    assert len(statement.transactions) == 4


@pytest.fixture
def consistent_camt053(tmp_path: Path) -> StatementFile:
    """The real camt.053 sample, its closing balance made to agree with its entries, read."""
    fixed = tmp_path / "camt053.xml"
    fixed.write_text(CAMT053.read_text(encoding="utf-8").replace("15121.12", "15555.28"), encoding="utf-8")
    return read_statement_file(fixed)


@needs_samples
def test_real_camt053_statement_header(consistent_camt053: StatementFile) -> None:
    (statement,) = consistent_camt053.statements
    assert (statement.kind, statement.statement_id, statement.iban) == (
        StatementKind.STATEMENT, "1234Test/1", "NL77ABNA0574908765"
    )  # fmt: skip
    assert statement.message_id == "TESTBANK/NL/1420561226673"
    assert statement.namespace == "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
    assert statement.opening_balance is not None and statement.opening_balance.signed == Decimal("15568.27")
    assert statement.closing_balance is not None and statement.closing_balance.date == date(2014, 1, 5)
    assert (statement.declared_totals, statement.entry_count, statement.skipped_pending) == (None, 3, 0)
    assert not consistent_camt053.cbi_envelope
    assert list(consistent_camt053.transactions()) == list(statement.transactions)


@needs_samples
def test_real_camt053_direct_debit_and_transfer(consistent_camt053: StatementFile) -> None:
    direct_debit, _, _, transfer = consistent_camt053.transactions()
    assert (direct_debit.amount, direct_debit.direction, direct_debit.reversal) == (
        Decimal("754.25"), Direction.DEBIT, False
    )  # fmt: skip
    assert direct_debit.end_to_end_id == "435005714488-ABNO33052620"
    assert direct_debit.mandate_id == "1880000341866"
    assert direct_debit.instruction_id == "INNDNL2U20141231000142300002844"
    assert direct_debit.code == BankTransactionCode("PMNT", "RDDT", "ESDD", "EI")
    assert direct_debit.remittance == "Insurance policy 857239PERIOD 01.01.2014 - 31.12.2014"
    assert (direct_debit.booking_date, direct_debit.value_date) == (date(2014, 1, 5), date(2014, 1, 5))
    assert direct_debit.bank_reference == "1234Test/1/1"  # no AcctSvcrRef anywhere: statement id and position
    assert (transfer.amount, transfer.direction) == (Decimal("1405.31"), Direction.CREDIT)
    assert (transfer.end_to_end_id, transfer.bank_reference) == ("115", "1234Test/1/3")
    assert (transfer.debtor_name, transfer.debtor_iban) == ("3rd party Media", "NL69ABNA0522123643")
    assert (transfer.remittance, transfer.creditor_reference, transfer.return_reason) == (None, None, None)
    assert transfer.code == BankTransactionCode("PMNT", "RCDT", "ESCT", "ET")


@needs_samples
def test_real_camt053_reversed_batch_is_split_per_detail(consistent_camt053: StatementFile) -> None:
    _, first, second, _ = consistent_camt053.transactions()
    for number, item, amount in ((1, first, "564.05"), (2, second, "100.00")):
        assert (item.entry_number, item.detail_number, item.batch) == (2, number, True)
        assert (item.amount, item.entry_amount) == (Decimal(amount), Decimal("664.05"))
        assert (item.direction, item.reversal, item.return_reason) == (Direction.DEBIT, True, "AC06")
        assert item.end_to_end_id == f"TESTBANK/NL/20141229/0120640{9 - number}"
        assert item.mandate_id == f"NL22ZZZ524885430000-C0125.{number}"
        assert item.bank_reference == f"1234Test/1/2#{number}"
        assert item.signed_amount == -Decimal(amount)


@needs_samples
def test_real_camt054_gives_its_transaction_with_references() -> None:
    result = read_statement_file(CAMT054)
    (statement,) = result.statements
    assert (statement.kind, statement.statement_id) == (StatementKind.NOTIFICATION, "20220120000000000000000")
    assert (statement.opening_balance, statement.closing_balance, statement.declared_totals) == (None, None, None)
    (item,) = statement.transactions
    assert (item.amount, item.entry_amount, item.currency) == (Decimal("5.00"), Decimal("5.00"), "EUR")
    assert (item.direction, item.reversal, item.status) == (Direction.CREDIT, False, "BOOK")
    assert (item.entry_reference, item.account_servicer_reference) == ("98888208N8", "15180015077602405")
    assert item.bank_reference == "15180015077602405"  # the detail's own reference wins
    assert (item.end_to_end_id, item.instruction_id) == ("ENDTOENDID-01", "MIB InstrId305-312MM20211231v1")
    assert item.creditor_reference == "000000000000000000000000003"
    assert (item.debtor_name, item.debtor_iban) == ("Test Customer", "NL46ABNA0499998748")
    assert (item.batch, item.detail_number) == (True, 1)  # a Btch of one transaction
    assert item.code == BankTransactionCode("PMNT", "RCDT", "VCOM", None)  # the entry's code, not the detail's


# --- the CBI envelope -------------------------------------------------------------------------------------------

_CBI_ENTRY = """<{p}:Ntry><{p}:NtryRef>{n}</{p}:NtryRef><{p}:Amt Ccy="EUR">{amount}</{p}:Amt>
  <{p}:CdtDbtInd>{sign}</{p}:CdtDbtInd><{p}:Sts>BOOK</{p}:Sts><{p}:BookgDt><{p}:Dt>2026-03-02</{p}:Dt></{p}:BookgDt>
  <{p}:ValDt><{p}:Dt>2026-03-01+01:00</{p}:Dt></{p}:ValDt>{entry_ref}
  <{p}:BkTxCd><{p}:Prtry><{p}:Cd>{code}</{p}:Cd><{p}:Issr>CBI</{p}:Issr></{p}:Prtry></{p}:BkTxCd>{details}
</{p}:Ntry>"""
_CBI_DETAILS = """<{p}:NtryDtls><{p}:TxDtls>
  <{p}:Refs><{p}:AcctSvcrRef>{ref}</{p}:AcctSvcrRef><{p}:EndToEndId>{e2e}</{p}:EndToEndId></{p}:Refs>
  <{p}:AmtDtls><{p}:InstdAmt><{p}:Amt Ccy="EUR">{amount}</{p}:Amt></{p}:InstdAmt></{p}:AmtDtls>
  <{p}:RltdPties><{p}:Dbtr><{p}:Nm>{name}</{p}:Nm></{p}:Dbtr></{p}:RltdPties>
  <{p}:RmtInf><{p}:Ustrd>{text}</{p}:Ustrd></{p}:RmtInf>
</{p}:TxDtls></{p}:NtryDtls>"""


def _cbi_statement(p: str, statement_id: str, opening: str, closing: str, entries: str, summary: str) -> str:
    return f"""<{p}:GrpHdr><{p}:MsgId>MSG-{statement_id}</{p}:MsgId><{p}:CreDtTm>2026-03-03T02:44:18</{p}:CreDtTm>
  <{p}:MsgRcpt><{p}:Id><{p}:OrgId><{p}:Othr><{p}:Id>A1B2C</{p}:Id></{p}:Othr></{p}:OrgId></{p}:Id></{p}:MsgRcpt>
</{p}:GrpHdr>
<{p}:Stmt><{p}:Id>{statement_id}</{p}:Id><{p}:ElctrncSeqNb>1</{p}:ElctrncSeqNb>
  <{p}:Acct><{p}:Id><{p}:IBAN>IT60X0542811101000000123456</{p}:IBAN></{p}:Id><{p}:Ccy>EUR</{p}:Ccy></{p}:Acct>
  <{p}:Bal><{p}:Tp><{p}:CdOrPrtry><{p}:Cd>OPBD</{p}:Cd></{p}:CdOrPrtry></{p}:Tp><{p}:Amt Ccy="EUR">{opening}</{p}:Amt>
    <{p}:CdtDbtInd>CRDT</{p}:CdtDbtInd><{p}:Dt><{p}:Dt>2026-03-01</{p}:Dt></{p}:Dt></{p}:Bal>
  <{p}:Bal><{p}:Tp><{p}:CdOrPrtry><{p}:Cd>CLBD</{p}:Cd></{p}:CdOrPrtry></{p}:Tp><{p}:Amt Ccy="EUR">{closing}</{p}:Amt>
    <{p}:CdtDbtInd>CRDT</{p}:CdtDbtInd><{p}:Dt><{p}:Dt>2026-03-02</{p}:Dt></{p}:Dt></{p}:Bal>
  <{p}:Bal><{p}:Tp><{p}:CdOrPrtry><{p}:Cd>CLAV</{p}:Cd></{p}:CdOrPrtry></{p}:Tp><{p}:Amt Ccy="EUR">9.99</{p}:Amt>
    <{p}:CdtDbtInd>DBIT</{p}:CdtDbtInd></{p}:Bal>{summary}
  {entries}
</{p}:Stmt>"""


def cbi_file() -> str:
    """Two log messages in one CBI envelope: a daily statement (three entries) and a periodic one (one)."""
    d = "DLY"
    daily_entries = "".join(
        _CBI_ENTRY.format(p=d, n=n, amount=amount, sign=sign, entry_ref="", code=code, details=_CBI_DETAILS.format(
            p=d, ref=ref, e2e=e2e, amount=amount, name=name, text=text))
        for n, amount, sign, code, ref, e2e, name, text in (
            (1, "250.00", "CRDT", "48//", "002300059736330", "NOTPROVIDED", "CONDOMINIO\n    VIA ROMA 1",
             "Pagamento fattura\n   FT-2026-0042 RF18539007547034"),
            (2, "80.50", "CRDT", "48//", "002300059736326", "E2E-77", "Rossi &amp; Figli", "avviso 12345"),
            (3, "30.00", "DBIT", "Z1//", "09800010665567900231", "-", "Banca", "commissioni"),
        )
    )  # fmt: skip
    summary = f"<{d}:TxsSummry><{d}:TtlNtries><{d}:NbOfNtries>3</{d}:NbOfNtries><{d}:Sum>360.50</{d}:Sum>"
    summary += f"</{d}:TtlNtries></{d}:TxsSummry>"
    periodic_entry = _CBI_ENTRY.format(
        p="PRD", n=1, amount="15.00", sign="CRDT", code="78//", details="",
        entry_ref="<PRD:AcctSvcrRef>PRD-0001</PRD:AcctSvcrRef>",
    )  # fmt: skip
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<BDY:CBIBdyBkToCstmrStmtReq xmlns:BDY="urn:CBI:xsd:CBIBdyBkToCstmrStmtReq.00.01.02"
    xmlns:DATA="urn:CBI:xsd:CBIBkToCstmrStmtReqLogMsg.00.01.02" xmlns:DLY="urn:CBI:xsd:CBIDlyStmtReqLogMsg.00.01.02"
    xmlns:PRD="urn:CBI:xsd:CBIPrdcStmtReqLogMsg.00.01.02">
<BDY:PhyMsgInf><BDY:PhyMsgTpCd>INF-STMT-01</BDY:PhyMsgTpCd><BDY:NbOfLogMsg>2</BDY:NbOfLogMsg></BDY:PhyMsgInf>
<BDY:CBIEnvelBkToCstmrStmtReqLogMsg><BDY:CBIBkToCstmrStmtReqLogMsg><DATA:CBIDlyStmtReqLogMsg>
{_cbi_statement(d, "0000012345-1", "1000.00", "1300.50", daily_entries, summary)}
</DATA:CBIDlyStmtReqLogMsg></BDY:CBIBkToCstmrStmtReqLogMsg></BDY:CBIEnvelBkToCstmrStmtReqLogMsg>
<BDY:CBIEnvelBkToCstmrStmtReqLogMsg><BDY:CBIBkToCstmrStmtReqLogMsg><DATA:CBIPrdcStmtReqLogMsg>
{_cbi_statement("PRD", "0000012345-P1", "0.00", "15.00", periodic_entry, "")}
</DATA:CBIPrdcStmtReqLogMsg></BDY:CBIBkToCstmrStmtReqLogMsg></BDY:CBIEnvelBkToCstmrStmtReqLogMsg>
</BDY:CBIBdyBkToCstmrStmtReq>
"""


def test_cbi_envelope_with_a_daily_and_a_periodic_statement(tmp_path: Path) -> None:
    path = tmp_path / "estratto_cbi.xml"
    path.write_text(cbi_file(), encoding="utf-8")
    result = read_statement_file(path)
    assert result.cbi_envelope
    daily, periodic = result.statements
    assert (daily.number, daily.statement_id, daily.message_id) == (1, "0000012345-1", "MSG-0000012345-1")
    assert daily.namespace == "urn:CBI:xsd:CBIDlyStmtReqLogMsg.00.01.02"
    assert daily.iban == "IT60X0542811101000000123456"
    assert daily.declared_totals is not None and daily.declared_totals.entries_sum == Decimal("360.50")
    first, second, fee = daily.transactions
    assert (first.amount, first.bank_reference, first.end_to_end_id) == (
        Decimal("250.00"),
        "002300059736330",
        "NOTPROVIDED",
    )
    assert first.debtor_name == "CONDOMINIO VIA ROMA 1"  # the pretty-printer's line break is not part of the name
    assert first.remittance == "Pagamento fattura FT-2026-0042 RF18539007547034"
    assert first.value_date == date(2026, 3, 1)  # an xs:date with a time zone
    assert first.code == BankTransactionCode(None, None, None, "48//")
    assert (second.debtor_name, second.remittance) == ("Rossi & Figli", "avviso 12345")
    assert (fee.direction, fee.signed_amount) == (Direction.DEBIT, Decimal("-30.00"))
    (only,) = periodic.transactions
    assert (periodic.number, periodic.statement_id, periodic.message_id) == (2, "0000012345-P1", "MSG-0000012345-P1")
    assert (only.bank_reference, only.entry_reference, only.amount, only.batch) == (
        "PRD-0001",
        "PRD-0001",
        Decimal("15.00"),
        False,
    )


def test_cbi_envelope_from_the_writer_is_read_like_plain_camt(tmp_path: Path) -> None:
    entries = (credit("10.00", "A"), credit("20.00", "B"))
    plain = read_statement_file(write(tmp_path, *entries, name="plain.xml"))
    wrapped = read_statement_file(write(tmp_path, *entries, name="cbi.xml", cbi=True))
    assert wrapped.cbi_envelope and not plain.cbi_envelope
    assert wrapped.statements[0].transactions == plain.statements[0].transactions


def test_a_latin1_file_is_read_by_its_declaration(tmp_path: Path) -> None:
    text = cbi_file().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Rossi &amp; Figli", "Società Però")
    path = tmp_path / "latin1.xml"
    path.write_bytes(text.encode("iso-8859-1"))
    assert read_statement_file(path).statements[0].transactions[1].debtor_name == "Società Però"


# --- versions, statuses, references -----------------------------------------------------------------------------


def test_v08_status_code_party_name_and_detail_amount(tmp_path: Path) -> None:
    detail = DetailSpec(
        Decimal("42.00"), amount_tag="Amt", debtor_name="Anna Bruno", debtor_iban="IT02X0306909606100000000001"
    )
    path = write(tmp_path, credit("42.00", "R8", detail), credit("5.00", "R9", status="PDNG"), version="001.08")
    assert "camt.053.001.08" in path.read_text() and "<Sts><Cd>BOOK</Cd></Sts>" in path.read_text()
    (statement,) = read_statement_file(path).statements
    (item,) = statement.transactions
    assert (item.amount, item.debtor_name, item.debtor_iban) == (
        Decimal("42.00"),
        "Anna Bruno",
        "IT02X0306909606100000000001",
    )
    assert (statement.entry_count, statement.skipped_pending) == (2, 1)


def test_only_booked_entries_become_transactions_and_move_the_balance(tmp_path: Path) -> None:
    # GIVEN a pending credit of 1,000 between two booked ones; the writer's closing balance counts booked only
    entries = (credit("10.00", "A"), credit("1000.00", "P", status="PDNG"), credit("20.00", "B", status="INFO"))
    path = write(tmp_path, *entries, credit("30.00", "C"), opening=Decimal("100.00"))
    assert '<Amt Ccy="EUR">140.00</Amt>' in path.read_text()  # CLBD = 100 + 10 + 30
    # WHEN it is read THEN the pending entries are counted, not returned, and the balance check passes
    result = read_statement_file(path)
    assert [t.bank_reference for t in result.transactions()] == ["A", "C"]
    assert [t.entry_number for t in result.transactions()] == [1, 4]
    assert (result.skipped_pending, result.statements[0].entry_count) == (2, 4)


def test_bank_reference_rule(tmp_path: Path) -> None:
    def detail(amount: str, own: str | None = None) -> DetailSpec:
        return DetailSpec(Decimal(amount), account_servicer_reference=own)

    path = write(
        tmp_path,
        credit("1.00", "ENTRY-1", detail("1.00", "OWN-1")),  # the detail's own reference
        credit("2.00", "ENTRY-2"),  # the entry's reference for its only detail
        credit("7.00", "ENTRY-3", detail("3.00"), detail("4.00", "OWN-3")),  # batch: entry#k unless its own
        credit("5.00", None, detail("2.00"), detail("3.00")),  # nothing at all: statement id/entry#k
        EntrySpec("CRDT", DAY, DAY, amount=Decimal("6.00")),  # nothing, no details: statement id/entry
        credit("8.00", "ENTRY-2"),  # a reference already taken in the statement
        credit("9.00", "X", detail("4.00", "DUP"), detail("5.00", "DUP")),  # the bank repeats a detail reference
        statement_id="S-1",
        opening=Decimal(0),
    )
    references = [t.bank_reference for t in read_statement_file(path).transactions()]
    assert references == [
        "OWN-1", "ENTRY-2", "ENTRY-3#1", "OWN-3", "S-1/4#1", "S-1/4#2", "S-1/5", "ENTRY-2@6.1", "DUP", "DUP@7.2"
    ]  # fmt: skip


def test_entry_without_details_is_one_transaction(tmp_path: Path) -> None:
    path = write(tmp_path, EntrySpec("DBIT", DAY, DAY, amount=Decimal("12.34"), account_servicer_reference="FEE"))
    (item,) = read_statement_file(path).transactions()
    assert (item.amount, item.entry_amount, item.direction, item.detail_number) == (
        Decimal("12.34"), Decimal("12.34"), Direction.DEBIT, 1
    )  # fmt: skip
    assert (item.end_to_end_id, item.debtor_name, item.remittance) == (None, None, None)


def test_multiple_statements_in_one_document_and_no_namespace(tmp_path: Path) -> None:
    one = write(tmp_path, credit("1.00", "A"), statement_id="S-1", opening=Decimal(0)).read_text()
    head, _, rest = one.partition("<Stmt>")
    statement = "<Stmt>" + rest.rpartition("</Stmt>")[0] + "</Stmt>"
    second = statement.replace("S-1", "S-2").replace(">A<", ">B<")
    document = (head + statement + second + "</BkToCstmrStmt></Document>").replace(' xmlns="', ' data-ns="')
    path = tmp_path / "due.xml"
    path.write_text(document, encoding="utf-8")
    result = read_statement_file(path)
    assert [(s.number, s.statement_id, s.namespace) for s in result.statements] == [(1, "S-1", ""), (2, "S-2", "")]
    assert [t.bank_reference for t in result.transactions()] == ["A", "B"]


def test_declared_totals_are_read_and_checked(tmp_path: Path) -> None:
    entries = (
        credit("10.00", "A"),
        credit("2.50", "P", status="PDNG"),
        EntrySpec("DBIT", DAY, DAY, amount=Decimal("4.00")),
    )
    for version in ("001.02", "001.08"):
        (statement,) = read_statement_file(write(tmp_path, *entries, version=version)).statements
        totals = statement.declared_totals
        assert totals is not None
        assert (totals.entries, totals.entries_sum, totals.net) == (3, Decimal("16.50"), Decimal("8.50"))
        assert (totals.credits, totals.credits_sum, totals.debits, totals.debits_sum) == (
            2,
            Decimal("12.50"),
            1,
            Decimal("4.00"),
        )


def test_camt054_notification_from_the_writer(tmp_path: Path) -> None:
    path = write(tmp_path, credit("3.00", "N1"), kind=NOTIFICATION, version="001.04")
    (statement,) = read_statement_file(path).statements
    assert statement.kind is StatementKind.NOTIFICATION and statement.opening_balance is None


def test_collector_state_is_restored(tmp_path: Path) -> None:
    read_statement_file(write(tmp_path, credit("1.00")))
    assert gc.isenabled()
    with pytest.raises(StatementFileRefused):
        read_statement_file(tamper(write(tmp_path, credit("1.00")), ">1.00<", ">1,00<"))
    assert gc.isenabled()


# --- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (">12.50<", ">12,50<", "l'importo «12,50» non è un importo valido"),
        (">12.50<", ">-12.50<", "«-12.50» non è un importo"),
        (">12.50<", ">1E3<", "«1E3» non è un importo"),
        (">12.50<", "><", "l'importo vuoto non è"),
        ('<Amt Ccy="EUR">12.50</Amt>', "", "manca l'importo (Amt)"),
        ('<Amt Ccy="EUR">12.50</Amt>', "<Amt>12.50</Amt>", "non indica la valuta"),
        ("<CdtDbtInd>CRDT</CdtDbtInd><Sts>", "<Sts>", "manca il segno del movimento (CdtDbtInd"),
        ("<CdtDbtInd>CRDT</CdtDbtInd><Sts>", "<CdtDbtInd>CRED</CdtDbtInd><Sts>", "«CRED» non è CRDT"),
        ("<Sts>BOOK</Sts>", "", "manca lo stato (Sts)"),
        ("<Dt>2026-03-02</Dt></BookgDt>", "<Dt>2026-02-30</Dt></BookgDt>", "la data «2026-02-30» non è valida"),
        ("<Sts>BOOK</Sts>", "<RvslInd>forse</RvslInd><Sts>BOOK</Sts>", "l'indicatore di storno (RvslInd) «forse»"),
        (">7.50</Amt></TxAmt>", ">7.5O</Amt></TxAmt>", "dettaglio n. 2: l'importo «7.5O» non è un importo valido"),
        ('<AmtDtls><TxAmt><Amt Ccy="EUR">7.50</Amt></TxAmt></AmtDtls>', "", "dettaglio n. 2: manca l'importo"),
    ],
)
def test_a_bad_entry_refuses_the_file_naming_the_entry(tmp_path: Path, old: str, new: str, expected: str) -> None:
    batch = (DetailSpec(Decimal("5.00")), DetailSpec(Decimal("7.50")))
    path = write(tmp_path, credit("1.00", "OK"), credit("12.50", "REF-2", *batch), credit("3.00", "OK-3"))
    message = refusal_of(tamper_entry(path, 2, old, new))
    assert "estratto n. 1, movimento n. 2 (rif. banca REF-2)" in message
    assert expected in message
    assert message.endswith("non rispetta lo standard ISO 20022: chiedere alla banca di inviarne uno corretto.")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "<NbOfNtries>3</NbOfNtries><Sum>",
            "<NbOfNtries>4</NbOfNtries><Sum>",
            "dichiara 4 movimenti, ma il file ne contiene 3",
        ),
        ("<Sum>16.00</Sum>", "<Sum>16.01</Sum>", "dichiara movimenti per 16,01, ma quelli del file sommano 16,00"),
        (
            "</TtlNetNtryAmt><CdtDbtInd>CRDT",
            "</TtlNetNtryAmt><CdtDbtInd>DBIT",
            "(accrediti meno addebiti) di -4,00, ma i movimenti",
        ),
        (
            "<TtlCdtNtries><NbOfNtries>2<",
            "<TtlCdtNtries><NbOfNtries>1<",
            "dichiara 1 accrediti, ma il file ne contiene 2",
        ),
        (
            "<Sum>6.00</Sum></TtlDbtNtries>",
            "<Sum>6.10</Sum></TtlDbtNtries>",
            "dichiara addebiti per 6,10, ma quelli del file",
        ),
        ("<NbOfNtries>3</NbOfNtries>", "<NbOfNtries>tre</NbOfNtries>", "numero di movimenti non valido: «tre»"),
        (">100.00</Amt>", ">1OO</Amt>", "l'importo del saldo OPBD «1OO» non è"),
        ("<Id>STMT-2026-0001</Id>", "", "estratto n. 1: manca l'identificativo (Id)"),
    ],
)
def test_a_statement_disagreeing_with_itself_is_refused(tmp_path: Path, old: str, new: str, expected: str) -> None:
    entries = (credit("5.00", "A"), credit("5.00", "B"), EntrySpec("DBIT", DAY, DAY, amount=Decimal("6.00")))
    message = refusal_of(tamper(write(tmp_path, *entries, opening=Decimal("100.00")), old, new))
    assert expected in message
    assert message.endswith(
        "chiedere alla banca di inviarlo di nuovo."
        if "dichiara" in message or " fa " in message
        else "chiedere alla banca di inviarne uno corretto."
    )
    if "manca l'identificativo" not in expected:
        assert "estratto «STMT-2026-0001»" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (">104.00</Amt>", ">104.01</Amt>", "fa 104,00, ma il saldo finale dichiarato è 104,01"),
        (">100.00</Amt><CdtDbtInd>CRDT", ">100.00</Amt><CdtDbtInd>DBIT", "saldo iniziale -100,00"),
    ],
)
def test_balances_that_do_not_add_up_are_a_warning(tmp_path: Path, old: str, new: str, expected: str) -> None:
    entries = (credit("5.00", "A"), credit("5.00", "B"), EntrySpec("DBIT", DAY, DAY, amount=Decimal("6.00")))
    (statement,) = read_statement_file(
        tamper(write(tmp_path, *entries, opening=Decimal("100.00")), old, new)
    ).statements
    (warning,) = statement.warnings
    assert expected in warning and warning.startswith("estratto «STMT-2026-0001»")
    assert len(statement.transactions) == 3


def test_pending_entries_count_in_the_declared_totals(tmp_path: Path) -> None:
    path = write(tmp_path, credit("5.00", "A"), credit("9.00", "P", status="PDNG"))
    assert "<NbOfNtries>2</NbOfNtries><Sum>14.00</Sum>" in path.read_text()
    assert read_statement_file(path).statements[0].entry_count == 2


_BOMB = """<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>&d;</MsgId></GrpHdr>
</BkToCstmrStmt></Document>"""
_EXTERNAL = """<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://example.invalid/camt.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>"""
_PAIN = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn><GrpHdr/>
</CstmrCdtTrfInitn></Document>"""
_CAMT052 = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"><BkToCstmrAcctRpt><Rpt><Ntry/></Rpt>
</BkToCstmrAcctRpt></Document>"""
_LOOSE_ENTRY = """<Document><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Ntry><Amt Ccy="EUR">1.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry></BkToCstmrStmt></Document>"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (_BOMB, "contiene dichiarazioni XML (DOCTYPE o ENTITY)"),
        (_EXTERNAL, "contiene dichiarazioni XML (DOCTYPE o ENTITY)"),
        (_PAIN, "contiene un messaggio ISO 20022 «CstmrCdtTrfInitn» (pain.001.001.03), non un estratto conto"),
        (_CAMT052, "«BkToCstmrAcctRpt» (camt.052.001.02)"),
        ("<html><body>Estratto conto</body></html>", "non è un estratto conto: il suo elemento principale è «html»"),
        ("Data;Importo\n02/03/2026;12,50\n", "non è un file XML (riga 1, colonna 5)"),
        ("", "è vuoto"),
        ('<?xml version="1.0" encoding="TF-8"?><Document/>', "dichiara una codifica dei caratteri che non si può"),
        ('<?xml version="1.0" encoding="Shift_JIS"?><Document/>', "dichiara una codifica dei caratteri che non si"),
        ("<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>", "non contiene alcun estratto (Stmt)"),
        ("<Document/>", "non contiene alcun estratto (Stmt)"),
        (_LOOSE_ENTRY, "movimenti (Ntry) fuori da un estratto conto"),
    ],
)
def test_a_file_that_is_not_a_statement_is_refused(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "banca.xml"
    path.write_text(content, encoding="utf-8")
    assert expected in refusal_of(path)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_damaged_file_is_read_or_refused_never_crashes(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        original = write(Path(folder), credit("1.00", "A"), credit("2.00", "B"), name="base.xml").read_bytes()
        start = data.draw(st.integers(0, len(original) - 1))
        end = data.draw(st.integers(start, min(len(original), start + 40)))
        patch = data.draw(st.sampled_from([b"", b"<", b"&", b"\xff", b"<Ntry>", b"</Stmt>", b"9"]))
        path = Path(folder) / "danneggiato.xml"
        path.write_bytes(original[:start] + patch + original[end:])
        try:
            read_statement_file(path)
        except StatementFileRefused as refused:
            assert str(refused).startswith("Il file «danneggiato.xml»")


def test_a_truncated_file_is_refused_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, credit("1.00"), credit("2.00", "B"))
    path.write_bytes(path.read_bytes()[:-40])
    assert "è danneggiato o incompleto: l'XML si interrompe alla riga 1" in refusal_of(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "non si riesce ad aprire" in refusal_of(tmp_path / "manca.xml")


# --- round trip -------------------------------------------------------------------------------------------------

_REF = st.text(alphabet=string.ascii_letters + string.digits + "/-?:().,'+", min_size=1, max_size=35)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=60)
_AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@st.composite
def details(draw: st.DrawFn, tags: tuple[str, ...]) -> DetailSpec:
    return DetailSpec(
        amount=draw(_AMOUNTS),
        amount_tag=draw(st.sampled_from(tags)),
        account_servicer_reference=draw(st.none() | st.just("D-") | _REF.map(lambda r: f"D-{r}")),
        end_to_end_id=draw(st.none() | _REF),
        mandate_id=draw(st.none() | _REF),
        transaction_id=draw(st.none() | _REF),
        instruction_id=draw(st.none() | _REF),
        debtor_name=draw(st.none() | _TEXT),
        debtor_iban=draw(st.none() | st.just("IT60X0542811101000000123456")),
        remittance_lines=tuple(draw(st.lists(_TEXT, max_size=3))),
        creditor_reference=draw(st.none() | st.just("RF18539007547034") | _REF),
        return_reason=draw(st.none() | st.sampled_from(["AC06", "AC04", "MD06"])),
    )


@st.composite
def entries(draw: st.DrawFn, v08: bool) -> EntrySpec:
    tags = ("TxAmt", "Amt") if v08 else ("TxAmt",)
    several = draw(st.lists(details(tags), min_size=2, max_size=4))
    single = draw(details((*tags, "")))
    chosen = draw(st.sampled_from([(), (single,), tuple(several)]))
    booked_on = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    return EntrySpec(
        direction=draw(st.sampled_from(["CRDT", "DBIT"])),
        booking_date=booked_on,
        value_date=draw(st.dates(date(2020, 1, 1), date(2030, 12, 31))),
        details=chosen,
        amount=draw(_AMOUNTS) if not chosen else None,
        status=draw(st.sampled_from(["BOOK", "BOOK", "BOOK", "PDNG"])),
        reversal=draw(st.booleans()),
        account_servicer_reference=draw(st.none() | _REF.map(lambda r: f"N-{r}")),
        batch=len(chosen) > 1 or (draw(st.booleans()) and bool(chosen)),
        domain=draw(st.none() | st.just(("PMNT", "RDDT", "ESDD"))),
        proprietary_code=draw(st.none() | st.just("48")),
    )


def expected_transactions(specs: list[EntrySpec], statement_id: str) -> list[BankTransaction]:
    """What the reader must give for ``specs``, the bank reference rule included."""
    planned: list[tuple[EntrySpec, DetailSpec | None, int, int, str, bool]] = []
    for number, spec in enumerate(specs, 1):
        if spec.status != "BOOK":
            continue
        several = len(spec.details) > 1
        for k, detail in enumerate(spec.details or (None,), 1):
            own = detail.account_servicer_reference if detail else None
            base = spec.account_servicer_reference or f"{statement_id}/{number}"
            made_up = not own and not spec.account_servicer_reference
            planned.append((spec, detail, number, k, own or (f"{base}#{k}" if several else base), made_up))
    claimed: set[str] = set()
    references: dict[int, str] = {}
    # the file's own references are taken first, then those made up from the statement id
    for index in sorted(range(len(planned)), key=lambda i: planned[i][5]):
        _, _, number, k, reference, _ = planned[index]
        if reference in claimed:
            reference = f"{reference}@{number}.{k}"
        claimed.add(reference)
        references[index] = reference
    return [_expected(spec, detail, n, k, references[i]) for i, (spec, detail, n, k, _, _) in enumerate(planned)]


def _tidy(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text is not None else None


def _expected(spec: EntrySpec, detail: DetailSpec | None, number: int, k: int, reference: str) -> BankTransaction:
    domain, family, subfamily = spec.domain or (None, None, None)
    code = BankTransactionCode(domain, family, subfamily, spec.proprietary_code)
    item = BankTransaction(
        reference, number, k, spec.batch or len(spec.details) > 1, spec.total, spec.total, spec.currency,
        Direction(spec.direction), spec.reversal, "BOOK", spec.booking_date, spec.value_date,
        spec.account_servicer_reference, None, None, None, None, None, code, None, None, None, None, None,
    )  # fmt: skip
    if detail is None:
        return item
    lines = [line for line in (_tidy(text) for text in detail.remittance_lines) if line]
    return replace(
        item, amount=detail.amount if detail.amount_tag else spec.total,
        account_servicer_reference=detail.account_servicer_reference, end_to_end_id=detail.end_to_end_id,
        mandate_id=detail.mandate_id, transaction_id=detail.transaction_id, instruction_id=detail.instruction_id,
        debtor_name=_tidy(detail.debtor_name), debtor_iban=detail.debtor_iban, remittance="\n".join(lines) or None,
        creditor_reference=detail.creditor_reference, return_reason=detail.return_reason,
    )  # fmt: skip


@st.composite
def statements(draw: st.DrawFn) -> tuple[StatementHeader, list[EntrySpec]]:
    kind, version, cbi = draw(
        st.sampled_from([(STATEMENT, "001.02", False), (STATEMENT, "001.02", True), (STATEMENT, "001.04", False),
                         (STATEMENT, "001.08", False), (NOTIFICATION, "001.08", False)])
    )  # fmt: skip
    header = StatementHeader(
        kind=kind, version=version, cbi=cbi, statement_id=draw(_REF), opening=draw(_AMOUNTS),
        balances=draw(st.booleans()), summary=draw(st.booleans()), pretty=draw(st.booleans()),
    )  # fmt: skip
    return header, draw(st.lists(entries(version >= "001.08"), max_size=6))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_random_entries_round_trip_through_the_writer(case: tuple[StatementHeader, list[EntrySpec]]) -> None:
    header, specs = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "estratto.xml"
        written = write_statement(path, specs, header)
        result = read_statement_file(path)
    (statement,) = result.statements
    assert list(statement.transactions) == expected_transactions(specs, header.statement_id)
    assert (statement.entry_count, statement.skipped_pending) == (written.entries, written.pending_entries)
    assert (statement.statement_id, statement.iban, result.cbi_envelope) == (
        header.statement_id,
        header.iban,
        header.cbi,
    )
    if header.balances and header.kind == STATEMENT:
        assert statement.closing_balance is not None and statement.closing_balance.signed == written.closing
