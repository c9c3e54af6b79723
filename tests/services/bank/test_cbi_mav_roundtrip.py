"""Properties: what is written reads back as written (once transliterated and cut), and a damaged file is
either read or refused with UnreadableCbiFlow, never anything else."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.bank import cbi_records as rec
from app.services.bank.cbi_mav import DebtorCodeType, MavDisposition, SlipType, write_mav_flow
from app.services.bank.cbi_mav_parse import MavCausale, UnreadableCbiFlow, parse_mav_flow
from tests.services.bank.test_cbi_mav_write import CREDITOR, HEADER, PLAIN_CREDITOR, make_disposition

_TRICKY = "àèéìòùÀÈÉÌÒÙñÑßæœøłŁ’‘“”«»–—€°·×\u00a0\u0301\tabcxyzABC 0129-'.,&/😀中α"
texts = st.text(st.sampled_from(_TRICKY) | st.characters(codec="utf-8"), max_size=90)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
# A letter somewhere: the writer refuses, by design, a name or an address that transliterates to nothing.
required_texts = st.builds(lambda before, letter, after: before + letter + after, texts, st.sampled_from("aZè9"), texts)
codes = st.text(string.ascii_uppercase + string.digits + "-/. ", max_size=16)


@st.composite
def dispositions(draw: st.DrawFn) -> list[MavDisposition]:
    count = draw(st.integers(min_value=1, max_value=6))
    references = draw(st.lists(st.integers(1, 10**10 - 1), min_size=count, max_size=count, unique=True))
    drawn = []
    for progressive, reference in enumerate(references, start=1):
        name, address, town, reason = (draw(required_texts) for _ in range(4))
        disposition = make_disposition(progressive)
        drawn.append(
            replace(
                disposition, reference=str(reference), due_date=draw(days), amount=draw(amounts),
                creditor=draw(st.sampled_from([CREDITOR, PLAIN_CREDITOR])),
                debtor_code_type=draw(st.sampled_from(DebtorCodeType)), debtor_code=draw(codes),
                debtor_name=name, tax_code=draw(st.text(string.ascii_uppercase + string.digits, max_size=16)),
                address=address, town=town, province=draw(st.sampled_from(["", "BO", "mi"])),
                reason=(reason, draw(texts)), slip_text=tuple(draw(st.lists(texts, max_size=2))),
                slip_type=draw(st.sampled_from(SlipType)),
            )
        )  # fmt: skip
    return drawn


@settings(max_examples=150, deadline=None)
@given(dispositions())
def test_what_is_written_reads_back(written: list[MavDisposition]) -> None:
    data = write_mav_flow(HEADER, written)
    flow = parse_mav_flow(data, HEADER.support_name)
    assert len(flow.dispositions) == len(written)
    expected_records = 2 + sum(7 + bool(d.creditor.iban) + bool(d.slip_text) for d in written)
    assert flow.record_count == expected_records == data.count(b"\r\n")
    assert flow.negative_total == sum(d.amount for d in written) and flow.positive_total == 0
    for sent, read in zip(written, flow.dispositions, strict=True):
        assert (read.progressive, read.amount, read.due_date) == (sent.progressive, sent.amount, sent.due_date)
        assert read.causale is MavCausale.MAV
        assert read.reference == sent.reference and read.mav_code is None
        assert read.debtor_name == rec.fit_text(sent.debtor_name, 60)
        assert read.tax_code == sent.tax_code
        assert (read.debtor_code, read.debtor_code_type) == (sent.debtor_code.strip(), sent.debtor_code_type.value)
        assert (read.bank_abi, read.bank_cab, read.account) == ("05428", "11101", "000000123456")
        assert read.creditor_sia == "A1B2C"


_FLOW = write_mav_flow(HEADER, [make_disposition(1), make_disposition(2, creditor=CREDITOR, slip_text=("x",))])


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(_FLOW) - 1), st.integers(min_value=0, max_value=255))
def test_a_damaged_byte_is_read_or_refused_never_crashes(position: int, byte: int) -> None:
    damaged = _FLOW[:position] + bytes([byte]) + _FLOW[position + 1 :]
    try:
        parse_mav_flow(damaged, "damaged.txt")
    except UnreadableCbiFlow as error:
        assert "«damaged.txt»" in str(error) and error.line_number >= 1


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(_FLOW) - 3))  # without its last line end, a flow is still whole
def test_a_truncated_file_is_refused(length: int) -> None:
    try:
        parse_mav_flow(_FLOW[:length], "cut.txt")
    except UnreadableCbiFlow:
        return
    raise AssertionError("a cut flow was accepted")
