"""The detail panel of the Credits page: one credit's holder, payer, notice, payments, messages, documents."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QTextBrowser, QWidget

from app.services.credits.detail import CreditDetail, Party, PaymentLine
from app.ui import formatting


class CreditDetailView(QTextBrowser):
    """Shows a :class:`CreditDetail` as a readable page; empty until a credit is chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        # Break lines between words only: a date or an amount split in two reads as two values.
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.show_empty()

    def show_empty(self) -> None:
        hint = self.tr("Selezionare un credito per vederne il dettaglio.")
        self.setHtml(f"<p style='color:#666'>{escape(hint)}</p>")

    def show_detail(self, detail: CreditDetail) -> None:
        parts = [
            f"<h3>{escape(detail.reference)} — {escape(formatting.status_label(detail.status))}</h3>",
            _table(
                [
                    (self.tr("Importo"), formatting.money(detail.amount)),
                    (self.tr("Residuo"), formatting.money(detail.outstanding)),
                    (self.tr("Pagato"), formatting.money(detail.amount - detail.outstanding)),
                    (self.tr("Emissione"), formatting.day(detail.issue_date)),
                    (self.tr("Scadenza"), formatting.day(detail.due_date)),
                    (self.tr("Ruolo"), detail.roll_name or "—"),
                    (self.tr("Impianto / polizza"), detail.installation_ref or "—"),
                ]
            ),
            self._party(self.tr("Intestatario"), detail.holder),
        ]
        if detail.payer.id != detail.holder.id:
            parts.append(self._party(self.tr("Pagatore"), detail.payer))
        parts.append("<h4>" + escape(self.tr("Avviso di pagamento")) + "</h4>")
        if detail.notice is None:
            parts.append(_muted(self.tr("Nessun avviso emesso.")))
        else:
            notice = detail.notice
            parts.append(
                _table(
                    [
                        (self.tr("Tipo"), notice.kind.value.upper()),
                        (self.tr("Codice"), notice.code or self.tr("non ancora assegnato")),
                        (self.tr("Importo"), formatting.money(notice.amount)),
                        (self.tr("Scadenza"), formatting.day(notice.due_date)),
                    ]
                )
            )
        parts.append("<h4>" + escape(self.tr("Pagamenti")) + "</h4>")
        parts.append(
            _rows(
                [self.tr("Data"), self.tr("Origine"), self.tr("Attribuito")],
                [
                    [formatting.day(p.received_on), formatting.source_label(p.source), self._allocated(p)]
                    for p in detail.payments
                ],
                self.tr("Nessun pagamento registrato."),
            )
        )
        parts.append("<h4>" + escape(self.tr("Comunicazioni")) + "</h4>")
        parts.append(
            _rows(
                [self.tr("Canale"), self.tr("Stato"), self.tr("Inviata")],
                [
                    [
                        formatting.channel_label(c.channel),
                        formatting.communication_status_label(c.status),
                        formatting.moment(c.sent_at),
                    ]
                    for c in detail.communications
                ],
                self.tr("Nessuna comunicazione."),
            )
        )
        parts.append("<h4>" + escape(self.tr("Documenti")) + "</h4>")
        parts.append(
            _rows(
                [self.tr("Tipo"), self.tr("File"), self.tr("Archiviato")],
                [
                    [formatting.document_kind_label(d.kind), d.relative_path, formatting.moment(d.created_at)]
                    for d in detail.documents
                ],
                self.tr("Nessun documento in archivio."),
            )
        )
        self.setHtml("".join(parts))

    def _allocated(self, payment: PaymentLine) -> str:
        """``10,00 €``, or ``10,00 € di 250,00 €`` when the payment also settled other credits."""
        allocated = formatting.money(payment.allocated)
        if payment.allocated == payment.payment_amount:
            return allocated
        return self.tr("{0} di {1}").format(allocated, formatting.money(payment.payment_amount))

    def _party(self, title: str, party: Party) -> str:
        identity = party.tax_code or party.vat_number or "—"
        if party.identity_problem:
            identity += f" ⚠ {party.identity_problem}"
        contacts = ", ".join(c for c in (party.mobile, party.email, party.pec) if c) or "—"
        return f"<h4>{escape(title)}</h4>" + _table(
            [
                (self.tr("Nome"), party.name),
                (self.tr("Codice fiscale / P. IVA"), identity),
                (self.tr("Indirizzo"), party.address or "—"),
                (self.tr("Contatti"), contacts),
            ]
        )


def _muted(text: str) -> str:
    return f"<p style='color:#666'>{escape(text)}</p>"


def _table(pairs: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td style='color:#555;padding-right:12px'>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in pairs
    )
    return f"<table cellspacing='0' cellpadding='2'>{body}</table>"


def _rows(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return _muted(empty)
    head = "".join(f"<th align='left' style='padding-right:10px'>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding-right:10px'>{escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table cellspacing='0' cellpadding='2'><tr>{head}</tr>{body}</table>"
