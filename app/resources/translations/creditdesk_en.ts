<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="it_IT">
<context>
    <name>ApplyPage</name>
    <message>
        <location filename="../../ui/import_wizard/apply_page.py" line="+25"/>
        <source>Importazione</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Le modifiche vengono scritte tutte insieme: se l&apos;importazione si interrompe, non cambia nulla.</source>
        <translation>All changes are written together: if the import stops, nothing changes.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Avanti</source>
        <translation>Next</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Interrompi</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Importazione di {0} in corso…</source>
        <translation>Importing {0}…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Interruzione in corso: annullo le modifiche…</source>
        <translation>Stopping: undoing the changes…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Importazione interrotta: nel database non è stato scritto nulla.</source>
        <translation>Import stopped: nothing was written to the database.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Importazione completata: {0} righe.</source>
        <translation>Import complete: {0} rows.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Questo file è già stato importato: nulla è cambiato.</source>
        <translation>This file has already been imported: nothing changed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Il file non è stato importato: nel frattempo sono comparsi errori ({0}). Tornare indietro per vederli.</source>
        <translation>The file was not imported: errors have appeared in the meantime ({0}). Go back to see them.</translation>
    </message>
</context>
<context>
    <name>BankOutcome</name>
    <message>
        <location filename="../../ui/formatting.py" line="+167"/>
        <source>Pagato</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insoluto</source>
        <translation>Unpaid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Richiamato</source>
        <translation>Recalled</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stornato</source>
        <translation>Reversed</translation>
    </message>
</context>
<context>
    <name>BatchPrintPreview</name>
    <message>
        <location filename="../../ui/print_preview.py" line="+165"/>
        <source>Anteprima di stampa — {0}</source>
        <translation>Print preview — {0}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Salva PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salva il PDF degli avvisi in una cartella a scelta</source>
        <translation>Save the notices&apos; PDF in a folder of your choice</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Anteprima delle prime {0} pagine su {1}: la stampa comprende tutte le pagine.</source>
        <translation>Preview of the first {0} pages of {1}: printing includes every page.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} pagine.</source>
        <translation>{0} pages.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Stampa degli avvisi…</source>
        <translation>Printing the notices…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stampa</source>
        <translation>Print</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+14"/>
        <source>Salva PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Documento PDF (*.pdf)</source>
        <translation>PDF document (*.pdf)</translation>
    </message>
</context>
<context>
    <name>CandidateTableModel</name>
    <message>
        <location filename="../../ui/widgets/payment_models.py" line="+49"/>
        <source>Numero</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intestatario</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagatore</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scadenza</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Perché proposto</source>
        <translation>Why proposed</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <location filename="../../ui/formatting.py" line="-80"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Posta</source>
        <translation>Post</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Raccomandata A/R</source>
        <translation>Registered letter</translation>
    </message>
</context>
<context>
    <name>Communication</name>
    <message>
        <location line="+8"/>
        <source>Bozza</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In coda</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In invio</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inviata</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Consegnata</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Letta</source>
        <translation>Read</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Non riuscita</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Esito sconosciuto</source>
        <translation>Outcome unknown</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annullata</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>CondominiumTableModel</name>
    <message>
        <location filename="../../ui/widgets/debtors_models.py" line="+238"/>
        <source>Condominio</source>
        <translation>Condominium</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indirizzo</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dal</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Al</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Attuale</source>
        <translation>Current</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Passato</source>
        <translation>Past</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti aperti</source>
        <translation>Open credits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
</context>
<context>
    <name>CreditDetailView</name>
    <message>
        <location filename="../../ui/credit_detail_view.py" line="+25"/>
        <source>Selezionare un credito per vederne il dettaglio.</source>
        <translation>Select a credit to see its details.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+23"/>
        <source>Importo</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagato</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emissione</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+20"/>
        <source>Scadenza</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Ruolo</source>
        <translation>Roll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Impianto / polizza</source>
        <translation>Installation / policy</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Intestatario</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pagatore</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avviso di pagamento</source>
        <translation>Payment notice</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nessun avviso emesso.</source>
        <translation>No notice issued.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+36"/>
        <source>Tipo</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Codice</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>non ancora assegnato</source>
        <translation>not assigned yet</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pagamenti</source>
        <translation>Payments</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Origine</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Attribuito</source>
        <translation>Allocated</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nessun pagamento registrato.</source>
        <translation>No payment recorded.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Comunicazioni</source>
        <translation>Communications</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Canale</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Inviata</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Indirizzo</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Nessuna comunicazione.</source>
        <translation>No communications.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Documenti</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Archiviato</source>
        <translation>Archived</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nessun documento in archivio.</source>
        <translation>No documents in the archive.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{0} di {1}</source>
        <translation>{0} of {1}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nome</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codice fiscale / P. IVA</source>
        <translation>Tax code / VAT number</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contatti</source>
        <translation>Contacts</translation>
    </message>
</context>
<context>
    <name>CreditsFilterBar</name>
    <message>
        <location filename="../../ui/credits_filters.py" line="+36"/>
        <source>Cerca per nome, codice fiscale, P. IVA o numero…</source>
        <translation>Search by name, tax code, VAT no. or number…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tutti gli stati</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>dal</source>
        <translation>from</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>al</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Azzera filtri</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Scadenza</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tutti i ruoli</source>
        <translation>All rolls</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tutti gli amministratori</source>
        <translation>All administrators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tutti gli incaricati</source>
        <translation>All collectors</translation>
    </message>
</context>
<context>
    <name>CreditsPage</name>
    <message>
        <location filename="../../ui/credits_page.py" line="+66"/>
        <source>Esporta in Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importa scadenziario…</source>
        <translation>Import schedule…</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Ricerca in corso…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>1 credito</source>
        <translation>1 credit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0} crediti</source>
        <translation>{0} credits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} · importo {1} · residuo {2}</source>
        <translation>{0} · amount {1} · outstanding {2}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Esporta crediti</source>
        <translation>Export credits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cartella Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Esportazione dei crediti…</source>
        <translation>Exporting credits…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Numero</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tipo</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intestatario</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codice fiscale / P. IVA</source>
        <translation>Tax code / VAT number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagatore</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ruolo</source>
        <translation>Roll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Impianto / polizza</source>
        <translation>Installation / policy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codice avviso</source>
        <translation>Notice code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data emissione</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scadenza</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importo</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incaricato</source>
        <translation>Collector</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Esportati {0} crediti in {1}</source>
        <translation>Exported {0} credits to {1}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Operazione non riuscita.</source>
        <translation>The operation failed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti</source>
        <translation>Credits</translation>
    </message>
</context>
<context>
    <name>CreditsTableModel</name>
    <message>
        <location filename="../../ui/credits_model.py" line="+45"/>
        <source>Numero</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intestatario</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagatore</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scadenza</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Importo</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tipo</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ruolo</source>
        <translation>Roll</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Emissione</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Incaricato</source>
        <translation>Collector</translation>
    </message>
</context>
<context>
    <name>DebtorDetail</name>
    <message>
        <location filename="../../ui/widgets/debtors_detail.py" line="+105"/>
        <source>Selezionare un soggetto nell&apos;elenco per vederne i dettagli.</source>
        <translation>Select a subject in the list to see its details.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Recapiti</source>
        <translation>Contact details</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Indirizzo</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cellulare</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+162"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="-161"/>
        <location line="+162"/>
        <source>PEC</source>
        <translation>PEC</translation>
    </message>
    <message>
        <location line="-161"/>
        <source>Consenso WhatsApp</source>
        <translation>WhatsApp consent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Canale preferito</source>
        <translation>Preferred channel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Nessun amministratore registrato per questo condominio.</source>
        <translation>No administrator recorded for this condominium.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Amministratori del condominio</source>
        <translation>Administrators of the condominium</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Mostra anche i condomini passati</source>
        <translation>Also show past condominiums</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Residuo dei crediti intestati ai condomini elencati, chiunque sia il pagatore.</source>
        <translation>Outstanding on the credits held by the condominiums listed, whoever the payer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Condomini amministrati</source>
        <translation>Condominiums administered</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>C.F. %1</source>
        <translation>Tax code %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>P.IVA %1</source>
        <translation>VAT no. %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Codice fiscale non valido: %1</source>
        <translation>Invalid tax code: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Partita IVA non valida: %1</source>
        <translation>Invalid VAT number: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sì, dal %1</source>
        <translation>Yes, since %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Questo amministratore non ha mai amministrato condomini.</source>
        <translation>This administrator has never administered a condominium.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nessun condominio amministrato oggi. Per vedere quelli passati spuntare la casella.</source>
        <translation>No condominium administered today. Tick the box to see past ones.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>1 condominio · residuo totale %2</source>
        <translation>1 condominium · total outstanding %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 condomini · residuo totale %2</source>
        <translation>%1 condominiums · total outstanding %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Persona</source>
        <translation>Person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Società</source>
        <translation>Company</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Condominio</source>
        <translation>Condominium</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amministratore di condominio</source>
        <translation>Condominium administrator</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Posta ordinaria</source>
        <translation>Ordinary mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Raccomandata A/R</source>
        <translation>Registered letter</translation>
    </message>
</context>
<context>
    <name>DebtorsPage</name>
    <message>
        <location filename="../../ui/debtors_page.py" line="+76"/>
        <source>Cerca per nome, codice fiscale o partita IVA</source>
        <translation>Search by name, tax code or VAT number</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tutti</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Persone</source>
        <translation>People</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Società</source>
        <translation>Companies</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Condomini</source>
        <translation>Condominiums</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amministratori</source>
        <translation>Administrators</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Cerca:</source>
        <translation>Search:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tipo:</source>
        <translation>Type:</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Ricerca in corso…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Mostrati i primi %1 soggetti: cercare per nome o codice per trovare gli altri.</source>
        <translation>Showing the first %1 subjects: search by name or code to find the others.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nessun soggetto trovato: controllare il testo cercato o scegliere «Tutti».</source>
        <translation>No subject found: check the search text or choose “All”.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anagrafica vuota: importare lo scadenziario o caricare i dati dimostrativi.</source>
        <translation>The registry is empty: import the due-date schedule or load the demo data.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 soggetto</source>
        <translation>1 subject</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 soggetti</source>
        <translation>%1 subjects</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+24"/>
        <source>Selezionare un soggetto nell&apos;elenco per vederne i dettagli.</source>
        <translation>Select a subject in the list to see its details.</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Ricerca non riuscita: %1</source>
        <translation>Search failed: %1</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Impossibile leggere il soggetto: %1</source>
        <translation>Could not read the subject: %1</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../../ui/formatting.py" line="+8"/>
        <source>Avviso PDF</source>
        <translation>PDF notice</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fattura</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lettera</source>
        <translation>Letter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ricevuta PEC</source>
        <translation>PEC receipt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cartolina di ritorno</source>
        <translation>Return receipt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flusso bancario</source>
        <translation>Bank file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Altro</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../ui/error_handling.py" line="+109"/>
        <source>CreditDesk – errore</source>
        <translation>CreditDesk – error</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Si è verificato un errore imprevisto. CreditDesk resta aperto; l&apos;ultima operazione potrebbe non essere stata completata.</source>
        <translation>An unexpected error occurred. CreditDesk stays open; the last operation may not have been completed.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Si è verificato anche un altro errore.</source>
        <translation>One more error occurred as well.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Si sono verificati altri {count} errori.</source>
        <translation>{count} more errors occurred.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Il dettaglio è stato scritto nel registro: {path}</source>
        <translation>The details were written to the log: {path}</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../ui/import_wizard/file_page.py" line="+43"/>
        <source>Scegli il file</source>
        <translation>Choose the file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lo scadenziario esportato dal gestionale: Excel (.xlsx, .xls), OpenDocument (.ods) o CSV. Il file viene solo letto: nulla cambia finché non si conferma l&apos;importazione.</source>
        <translation>The due-date schedule exported from the ERP: Excel (.xlsx, .xls), OpenDocument (.ods) or CSV. The file is only read: nothing changes until the import is confirmed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Percorso del file…</source>
        <translation>Path of the file…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sfoglia…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Il file contiene tutto lo scadenziario aperto: segnala i crediti che non ci sono più</source>
        <translation>The file holds the whole open schedule: report the credits no longer in it</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Nessuno: riconosci le colonne dai titoli</source>
        <translation>None: recognise the columns by their titles</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>File:</source>
        <translation>File:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profilo:</source>
        <translation>Profile:</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Scegli lo scadenziario</source>
        <translation>Choose the schedule</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fogli di calcolo (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;Tutti i file (*)</source>
        <translation>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Lettura del file…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>1 foglio</source>
        <translation>1 sheet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} fogli</source>
        <translation>{0} sheets</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}: {1}; intestazione trovata nel foglio «{2}» alla riga {3}.</source>
        <translation>{0}: {1}; header found in sheet “{2}” at row {3}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0}: {1}; intestazione non riconosciuta: indicarla al passo successivo.</source>
        <translation>{0}: {1}; no header recognised: point it out in the next step.</translation>
    </message>
</context>
<context>
    <name>HistoryTableModel</name>
    <message>
        <location filename="../../ui/widgets/debtors_models.py" line="-25"/>
        <source>Amministratore</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dal</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Al</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attuale</source>
        <translation>Current</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sì</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>ImportLabels</name>
    <message>
        <location filename="../../ui/import_wizard/labels.py" line="+15"/>
        <source>Numero documento</source>
        <translation>Document number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Numero rata</source>
        <translation>Instalment number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tipo documento</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data documento</source>
        <translation>Document date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scadenza</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importo</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagato</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Impianto / polizza</source>
        <translation>Installation / policy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intestatario (ragione sociale)</source>
        <translation>Holder (company name)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codice fiscale intestatario</source>
        <translation>Holder&apos;s tax code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partita IVA intestatario</source>
        <translation>Holder&apos;s VAT number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indirizzo</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CAP</source>
        <translation>Postal code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Provincia</source>
        <translation>Province</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amministratore</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codice fiscale amministratore</source>
        <translation>Administrator&apos;s tax code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partita IVA amministratore</source>
        <translation>Administrator&apos;s VAT number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEC</source>
        <translation>PEC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cellulare</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Errore</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Avviso</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Righe lette</source>
        <translation>Rows read</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti nuovi</source>
        <translation>New credits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti aggiornati</source>
        <translation>Credits updated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti invariati</source>
        <translation>Credits unchanged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Righe doppie (contate una volta)</source>
        <translation>Duplicate rows (counted once)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anagrafiche nuove</source>
        <translation>New registry entries</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anagrafiche aggiornate</source>
        <translation>Registry entries updated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cambi di amministratore</source>
        <translation>Administrator changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti aperti non più nel file</source>
        <translation>Open credits no longer in the file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errori</source>
        <translation>Errors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avvisi</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Segnalazioni</source>
        <translation>Issues</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gravità</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Foglio</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Riga</source>
        <translation>Row</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colonna</source>
        <translation>Column</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lettera</source>
        <translation>Letter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valore</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problema</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Non più nel file</source>
        <translation>No longer in the file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cliente</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Riepilogo</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voce</source>
        <translation>Item</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Numero</source>
        <translation>Number</translation>
    </message>
</context>
<context>
    <name>ImportTables</name>
    <message>
        <location filename="../../ui/import_wizard/models.py" line="+118"/>
        <location line="+23"/>
        <source>Riga</source>
        <translation>Row</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Esito</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problemi</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Gravità</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Colonna</source>
        <translation>Column</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valore</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problema</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Cliente</source>
        <translation>Customer</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../ui/import_wizard/common.py" line="+50"/>
        <source>Errore imprevisto: il dettaglio è stato scritto nel registro.</source>
        <translation>Unexpected error: the details were written to the log.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>{0} - rapporto di importazione.xlsx</source>
        <translation>{0} - import report.xlsx</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Esporta il rapporto</source>
        <translation>Export the report</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cartella Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/import_wizard/wizard.py" line="+27"/>
        <source>Importa scadenziario</source>
        <translation>Import schedule</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chiudi</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <location filename="../../ui/formatting.py" line="-55"/>
        <source>Fattura</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Polizza</source>
        <translation>Policy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rata</source>
        <translation>Instalment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Altro</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+85"/>
        <source>Ruoli</source>
        <translation>Rolls</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Debitori</source>
        <translation>Debtors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti</source>
        <translation>Credits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avvisi</source>
        <translation>Notices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incassi</source>
        <translation>Payments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comunicazioni</source>
        <translation>Communications</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archivio</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KPI</source>
        <translation>KPIs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Impostazioni</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Questa pagina non si è aperta per un errore; il dettaglio è nel registro.</source>
        <translation>This page did not open because of an error; the details are in the log.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Importa scadenziario…</source>
        <translation>&amp;Import schedule…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Importa i&amp;ncassi…</source>
        <translation>Import &amp;payments…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Esci</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Aiuto</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Informazioni su CreditDesk</source>
        <translation>&amp;About CreditDesk</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Database: {where}</source>
        <translation>Database: {where}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Utente: {login}</source>
        <translation>User: {login}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Informazioni su CreditDesk</source>
        <translation>About CreditDesk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;h3&gt;CreditDesk {version}&lt;/h3&gt;&lt;p&gt;Gestione e recupero dei crediti per i consorzi: ruoli, avvisi MAV, solleciti e incassi.&lt;/p&gt;&lt;p&gt;Python {python}, Qt {qt}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;CreditDesk {version}&lt;/h3&gt;&lt;p&gt;Credit management and collection for consortia: rolls, MAV notices, reminders and payments.&lt;/p&gt;&lt;p&gt;Python {python}, Qt {qt}&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Attendo la fine delle operazioni in corso…</source>
        <translation>Waiting for running operations to finish…</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <location filename="../../ui/import_wizard/mapping_page.py" line="+39"/>
        <source>Abbinamento delle colonne</source>
        <translation>Column mapping</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Per ogni dato, la colonna del file che lo contiene. Le colonne riconosciute sono già indicate. I dati in grassetto sono obbligatori; per l&apos;importo basta Importo o Residuo.</source>
        <translation>For each item, the column of the file that holds it. Recognised columns are already filled in. Items in bold are required; for the amount, Amount or Outstanding is enough.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Salva come profilo</source>
        <translation>Save as profile</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dato</source>
        <translation>Item</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Colonna del file</source>
        <translation>Column of the file</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Esempio (prima riga)</source>
        <translation>Example (first row)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Profilo</source>
        <translation>Profile</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nome:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ad esempio il nome del gestionale</source>
        <translation>for instance the name of the ERP</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>— non importare —</source>
        <translation>— do not import —</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Colonne del file non importate: {0}</source>
        <translation>Columns of the file not imported: {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Indicare la colonna per: {0}</source>
        <translation>Choose the column for: {0}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{0} o {1}</source>
        <translation>{0} or {1}</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Profilo «{0}» salvato.</source>
        <translation>Profile “{0}” saved.</translation>
    </message>
</context>
<context>
    <name>NewRollDialog</name>
    <message>
        <location filename="../../ui/widgets/roll_dialogs.py" line="+76"/>
        <source>Nuovo ruolo</source>
        <translation>New roll</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>es. Ruolo premi {0}</source>
        <translation>e.g. Premium roll {0}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>dal</source>
        <translation>from</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>al</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>uguale per tutti:</source>
        <translation>the same for all:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Crea ruolo</source>
        <translation>Create roll</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nome del ruolo:</source>
        <translation>Roll name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anno:</source>
        <translation>Year:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti negli stati:</source>
        <translation>Credits with status:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(nessuno scelto: tutti i tipi)</source>
        <translation>(none chosen: every kind)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tipi di credito:</source>
        <translation>Credit kinds:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scadenza dei crediti:</source>
        <translation>Credits due:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scadenza degli avvisi:</source>
        <translation>Notices due:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Senza una data comune, ogni avviso scade con il primo dei suoi crediti.</source>
        <translation>Without a common date, each notice falls due with the first of its credits.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Scegliere almeno uno stato dei crediti.</source>
        <translation>Choose at least one credit status.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Formazione del ruolo in corso…</source>
        <translation>Forming the roll…</translation>
    </message>
</context>
<context>
    <name>NoticeKind</name>
    <message>
        <location filename="../../ui/formatting.py" line="+88"/>
        <source>Bonifico con RF</source>
        <translation>Transfer with RF</translation>
    </message>
</context>
<context>
    <name>NoticeStatus</name>
    <message>
        <location line="-16"/>
        <source>Bozza</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Richiesto alla banca</source>
        <translation>Requested from the bank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emesso</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagato</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parzialmente pagato</source>
        <translation>Partially paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annullato</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scaduto</source>
        <translation>Expired</translation>
    </message>
</context>
<context>
    <name>NoticeTableModel</name>
    <message>
        <location filename="../../ui/widgets/roll_models.py" line="+132"/>
        <source>Destinatario</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intestatario</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CAP</source>
        <translation>Postal code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tipo</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codice</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importo</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scadenza</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Esito banca</source>
        <translation>Bank outcome</translation>
    </message>
</context>
<context>
    <name>OpeningWindow</name>
    <message>
        <location filename="../../ui/startup_dialogs.py" line="+143"/>
        <source>Apertura del database…</source>
        <translation>Opening the database…</translation>
    </message>
</context>
<context>
    <name>Operation</name>
    <message>
        <location filename="../../ui/ops.py" line="+113"/>
        <source>Annulla</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PaymentReasons</name>
    <message>
        <location filename="../../ui/widgets/payment_models.py" line="-39"/>
        <source>stesso importo</source>
        <translation>same amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nome simile</source>
        <translation>similar name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>riferimento nella causale</source>
        <translation>reference in the remittance</translation>
    </message>
</context>
<context>
    <name>PaymentStatus</name>
    <message>
        <location filename="../../ui/formatting.py" line="+29"/>
        <source>Da abbinare</source>
        <translation>To match</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abbinato in parte</source>
        <translation>Partly matched</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abbinato</source>
        <translation>Matched</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stornato</source>
        <translation>Reversed</translation>
    </message>
</context>
<context>
    <name>PaymentsPage</name>
    <message>
        <location filename="../../ui/payments_page.py" line="+60"/>
        <source>Importa incassi…</source>
        <translation>Import payments…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flusso CBI (.txt), estratto camt (.xml), elenco della contabilità</source>
        <translation>CBI flow (.txt), camt statement (.xml), accounting office&apos;s list</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cerca un credito per numero o nome dell&apos;intestatario o pagatore</source>
        <translation>Search a credit by number or by the holder&apos;s or payer&apos;s name</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Assegna</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Incassi da abbinare</source>
        <translation>Payments to match</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cerca:</source>
        <translation>Search:</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>{0} incassi da abbinare, {1} in attesa.</source>
        <translation>{0} payments to match, {1} waiting.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 incasso da abbinare, {1} in attesa.</source>
        <translation>1 payment to match, {1} waiting.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Nessun incasso da abbinare.</source>
        <translation>No payment to match.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Crediti per l&apos;incasso del {0}&lt;/b&gt; da {1}: {2} da assegnare</source>
        <translation>&lt;b&gt;Credits for the payment of {0}&lt;/b&gt; from {1}: {2} to assign</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pagatore sconosciuto</source>
        <translation>unknown payer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>nessun credito proposto: cercarlo per numero o per nome.</source>
        <translation>no credit proposed: search it by number or name.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>1 credito scelto, residuo {1}.</source>
        <translation>1 credit chosen, outstanding {1}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} crediti scelti, residuo {1}.</source>
        <translation>{0} credits chosen, outstanding {1}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scegliere uno o più crediti (Ctrl+clic per sceglierne più di uno).</source>
        <translation>Choose one or more credits (Ctrl+click to choose more than one).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Assegnati {0} dell&apos;incasso del {1}; restano {2} da abbinare.</source>
        <translation>Assigned {0} of the payment of {1}; {2} left to match.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Importa incassi</source>
        <translation>Import payments</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incassi: CBI, camt, contabilità ({0});;Tutti i file (*)</source>
        <translation>Payments: CBI, camt, accounting ({0});;All files (*)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Registrazione degli incassi…</source>
        <translation>Booking the payments…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Il file {0} era già stato importato il {1} da {2}: nessuna modifica.</source>
        <translation>The file {0} was already imported on {1} by {2}: nothing changed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Avviso: {0}</source>
        <translation>Warning: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File {0}: incassi registrati e abbinati dove possibile.</source>
        <translation>File {0}: payments booked and matched where possible.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incassi importati</source>
        <translation>Payments imported</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Operazione non riuscita.</source>
        <translation>The operation failed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incassi</source>
        <translation>Payments</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../ui/placeholder_pages.py" line="+49"/>
        <source>Questa sezione sarà disponibile in una prossima versione.</source>
        <translation>This section will be available in a future version.</translation>
    </message>
</context>
<context>
    <name>PlaceholderPages</name>
    <message>
        <location line="-36"/>
        <source>Qui compariranno gli avvisi di pagamento (MAV, pagoPA, bonifico con RF) emessi per ciascun ruolo, con il loro stato e gli esiti restituiti dalla banca.</source>
        <translation>Payment notices (MAV, pagoPA, bank transfer with RF reference) issued for each roll will appear here, with their status and the outcomes returned by the bank.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Qui compariranno i solleciti e le altre comunicazioni ai debitori (PEC, e-mail, raccomandate), con le ricevute di accettazione e di consegna.</source>
        <translation>Reminders and other communications to debtors (PEC, e-mail, registered letters) will appear here, with their acceptance and delivery receipts.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Qui comparirà l&apos;archivio dei documenti: flussi scambiati con la banca, bollettini, ricevute PEC e lettere, collegati a debitori, crediti e ruoli.</source>
        <translation>The document archive will appear here: files exchanged with the bank, slips, PEC receipts and letters, linked to debtors, credits and rolls.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Qui compariranno gli indicatori dell&apos;incasso: riscosso e residuo per ruolo, per scadenza e per incaricato del recupero.</source>
        <translation>Collection indicators will appear here: collected and outstanding amounts by roll, by due date and by collector.</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <location filename="../../ui/import_wizard/preview_page.py" line="+40"/>
        <source>Controllo del file</source>
        <translation>Checking the file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ogni riga è stata letta e controllata senza scrivere nulla. Le righe in rosso hanno errori che impediscono l&apos;importazione; quelle in giallo hanno avvisi e vengono importate comunque.</source>
        <translation>Every row was read and checked without writing anything. Rows in red have errors that prevent the import; rows in yellow have warnings and are imported all the same.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Importa</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Esporta il rapporto completo…</source>
        <translation>Export the full report…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Controllo di {0} in corso…</source>
        <translation>Checking {0}…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Anteprima (prime 50 righe)</source>
        <translation>Preview (first 50 rows)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errori e avvisi</source>
        <translation>Errors and warnings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti non più nel file</source>
        <translation>Credits no longer in the file</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Controllo interrotto.</source>
        <translation>Check stopped.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Errori e avvisi ({0})</source>
        <translation>Errors and warnings ({0})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti non più nel file ({0})</source>
        <translation>Credits no longer in the file ({0})</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Questo file è già stato importato il {0} da {1}: non c&apos;è nulla da importare.</source>
        <translation>This file was already imported on {0} by {1}: there is nothing to import.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Errori: {0}. Il file non può essere importato: correggerlo nel gestionale (o cambiare l&apos;abbinamento delle colonne) e riprovare. L&apos;elenco completo si può esportare in Excel.</source>
        <translation>Errors: {0}. The file cannot be imported: correct it in the ERP (or change the column mapping) and try again. The full list can be exported to Excel.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nessun errore. Righe: {0} · crediti nuovi: {1} · aggiornati: {2} · invariati: {3} · avvisi: {4}.</source>
        <translation>No errors. Rows: {0} · new credits: {1} · updated: {2} · unchanged: {3} · warnings: {4}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Crediti aperti non più nel file: {0}.</source>
        <translation>Open credits no longer in the file: {0}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Premere «Importa» per scrivere le modifiche.</source>
        <translation>Press “Import” to write the changes.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Esportazione del rapporto…</source>
        <translation>Exporting the report…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rapporto salvato in {0}</source>
        <translation>Report saved to {0}</translation>
    </message>
</context>
<context>
    <name>PrintOptionsDialog</name>
    <message>
        <location filename="../../ui/widgets/roll_dialogs.py" line="+35"/>
        <source>Stampa avvisi</source>
        <translation>Print notices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per CAP (per la spedizione postale)</source>
        <translation>by postal code (for posting)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per amministratore (gli avvisi di ciascuno insieme)</source>
        <translation>by administrator (each one&apos;s notices together)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Fronte/retro (ogni avviso inizia su un nuovo foglio)</source>
        <translation>Double-sided (each notice starts on a new sheet)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prepara la stampa</source>
        <translation>Prepare printing</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Avvisi del ruolo «{0}», in ordine:</source>
        <translation>Notices of roll “{0}”, in order:</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <location filename="../../ui/print_preview.py" line="-153"/>
        <source>Preparazione dell&apos;anteprima…</source>
        <translation>Preparing the preview…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Stampa della pagina {0} di {1}…</source>
        <translation>Printing page {0} of {1}…</translation>
    </message>
</context>
<context>
    <name>RollEventTableModel</name>
    <message>
        <location filename="../../ui/widgets/roll_models.py" line="+20"/>
        <source>Quando</source>
        <translation>When</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chi</source>
        <translation>Who</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Da</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nota</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>RollStatus</name>
    <message>
        <location filename="../../ui/formatting.py" line="-50"/>
        <source>Bozza</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inviato in banca</source>
        <translation>Sent to the bank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avvisi emessi</source>
        <translation>Notices issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In riscossione</source>
        <translation>In collection</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chiuso</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>RollTableModel</name>
    <message>
        <location filename="../../ui/widgets/roll_models.py" line="-65"/>
        <source>Ruolo</source>
        <translation>Roll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anno</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avvisi</source>
        <translation>Notices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti</source>
        <translation>Credits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importo</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incassato</source>
        <translation>Collected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scadenza avvisi</source>
        <translation>Notices due</translation>
    </message>
</context>
<context>
    <name>RollTotalsStrip</name>
    <message>
        <location filename="../../ui/widgets/roll_views.py" line="+41"/>
        <source>1 ruolo</source>
        <translation>1 roll</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0} ruoli</source>
        <translation>{0} rolls</translation>
    </message>
</context>
<context>
    <name>RollWorkflow</name>
    <message>
        <location filename="../../ui/widgets/roll_workflow.py" line="+70"/>
        <source>Ruolo «{0}» creato in bozza: {1} avvisi, {2} crediti, {3}.</source>
        <translation>Roll “{0}” created as a draft: {1} notices, {2} credits, {3}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+12"/>
        <source>Invia in banca</source>
        <translation>Send to the bank</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Flusso CBI (*.txt);;Tutti i file (*)</source>
        <translation>CBI flow (*.txt);;All files (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Scrittura del flusso MAV…</source>
        <translation>Writing the MAV flow…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Flusso MAV scritto in {0}: {1} disposizioni, {2}. Consegnarlo alla banca.</source>
        <translation>MAV flow written to {0}: {1} dispositions, {2}. Hand it to the bank.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+14"/>
        <source>Importa codici MAV</source>
        <translation>Import MAV codes</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Ritorno CBI o tabella dei codici (*.txt *.csv *.xlsx *.xls *.ods);;Tutti i file (*)</source>
        <translation>CBI return flow or table of codes (*.txt *.csv *.xlsx *.xls *.ods);;All files (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Lettura dei codici MAV…</source>
        <translation>Reading the MAV codes…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Il file {0} è stato rifiutato: nessun codice applicato. Correggere e riprovare.</source>
        <translation>The file {0} was refused: no code applied. Correct it and try again.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codici MAV rifiutati</source>
        <translation>MAV codes refused</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codici MAV rifiutati: {0} errori.</source>
        <translation>MAV codes refused: {0} errors.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Il file {0} era già stato applicato il {1}: nessuna modifica.</source>
        <translation>The file {0} was already applied on {1}: nothing changed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Codici MAV applicati: {0}.</source>
        <translation>MAV codes applied: {0}.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Portare il ruolo «{0}» da «{1}» a «{2}»?</source>
        <translation>Move roll “{0}” from “{1}” to “{2}”?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Il flusso già inviato non vale più: la banca va avvisata.</source>
        <translation>The flow already sent no longer holds: tell the bank.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+11"/>
        <source>Cambia stato</source>
        <translation>Change status</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Ruolo «{0}»: ora «{1}».</source>
        <translation>Roll “{0}”: now “{1}”.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Eliminare la bozza «{0}»? I suoi {1} crediti tornano disponibili per un altro ruolo.</source>
        <translation>Delete the draft “{0}”? Its {1} credits become free for another roll.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>Elimina bozza</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Bozza «{0}» eliminata.</source>
        <translation>Draft “{0}” deleted.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Archivia avvisi PDF</source>
        <translation>Archive notice PDFs</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Archiviazione degli avvisi PDF…</source>
        <translation>Archiving the notice PDFs…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Archiviati {0} avvisi PDF ({1} erano già in archivio).</source>
        <translation>Archived {0} notice PDFs ({1} were already in the archive).</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stampa avvisi</source>
        <translation>Print notices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preparazione degli avvisi da stampare…</source>
        <translation>Preparing the notices to print…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Avvisi del ruolo «{0}»: {1} avvisi, {2} pagine, {3}.</source>
        <translation>Notices of roll “{0}”: {1} notices, {2} pages, {3}.</translation>
    </message>
</context>
<context>
    <name>RollsPage</name>
    <message>
        <location filename="../../ui/rolls_page.py" line="+79"/>
        <source>Nuovo ruolo…</source>
        <translation>New roll…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Invia in banca…</source>
        <translation>Send to the bank…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importa codici MAV…</source>
        <translation>Import MAV codes…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avanza stato</source>
        <translation>Move on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Riporta in bozza</source>
        <translation>Back to draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stampa avvisi…</source>
        <translation>Print notices…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archivia avvisi PDF</source>
        <translation>Archive notice PDFs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Elimina bozza</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Avvisi</source>
        <translation>Notices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storico</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Nessun ruolo: crearne uno con «Nuovo ruolo…» dai crediti da riscuotere.</source>
        <translation>No roll yet: create one with “New roll…” from the credits to collect.</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Avvisi ({0})</source>
        <translation>Notices ({0})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storico ({0})</source>
        <translation>History ({0})</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Porta il ruolo a «{0}»</source>
        <translation>Move the roll to “{0}”</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Operazione non riuscita.</source>
        <translation>The operation failed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ruoli</source>
        <translation>Rolls</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/settings_page.py" line="+49"/>
        <location line="+82"/>
        <source>Impostazioni</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>Dati e cartelle</source>
        <translation>Data and folders</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Database in uso:</source>
        <translation>Database in use:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Utente:</source>
        <translation>User:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>File delle impostazioni:</source>
        <translation>Settings file:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cartella dei dati:</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cartella dei registri:</source>
        <translation>Log folder:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cartella dell&apos;archivio:</source>
        <translation>Archive folder:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lingua</source>
        <translation>Language</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lingua dell&apos;interfaccia:</source>
        <translation>Interface language:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>La lingua scelta viene usata dal prossimo avvio di CreditDesk.</source>
        <translation>The chosen language takes effect the next time CreditDesk starts.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Apri</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apre la cartella nel gestore dei file</source>
        <translation>Opens the folder in the file manager</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Lingua salvata: sarà usata dal prossimo avvio di CreditDesk.</source>
        <translation>Language saved: it will be used the next time CreditDesk starts.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Lingua non salvata: {error}</source>
        <translation>Language not saved: {error}</translation>
    </message>
</context>
<context>
    <name>SheetPage</name>
    <message>
        <location filename="../../ui/import_wizard/sheet_page.py" line="+20"/>
        <source>Foglio e riga di intestazione</source>
        <translation>Sheet and header row</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La riga evidenziata contiene i titoli delle colonne; le righe sopra (titoli, filtri) non vengono importate. Se non è quella giusta, fare clic sulla riga corretta.</source>
        <translation>The highlighted row holds the column titles; the rows above it (titles, filters) are not imported. If it is not the right one, click the correct row.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Foglio:</source>
        <translation>Sheet:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Riga di intestazione:</source>
        <translation>Header row:</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Nessuna intestazione riconosciuta: fare clic sulla riga con i titoli delle colonne.</source>
        <translation>No header recognised: click the row with the column titles.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La riga {0} è vuota: sceglierne un&apos;altra.</source>
        <translation>Row {0} is empty: choose another one.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Intestazione riconosciuta alla riga {0}.</source>
        <translation>Header recognised at row {0}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Intestazione alla riga {0}, scelta a mano.</source>
        <translation>Header at row {0}, chosen by hand.</translation>
    </message>
</context>
<context>
    <name>Source</name>
    <message>
        <location filename="../../ui/formatting.py" line="-56"/>
        <source>Banca</source>
        <translation>Bank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contabilità</source>
        <translation>Accounting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manuale</source>
        <translation>Manual</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../ui/application.py" line="+105"/>
        <source>Database più recente di CreditDesk</source>
        <translation>Database newer than CreditDesk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Questa versione di CreditDesk non può usare questo database.</source>
        <translation>This version of CreditDesk cannot use this database.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Database su una cartella di rete</source>
        <translation>Database on a network folder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Il database SQLite non può stare su una cartella di rete: per condividerlo fra più postazioni si usa PostgreSQL.</source>
        <translation>A SQLite database cannot be kept on a network folder: to share data between workstations, use PostgreSQL.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Il database non si è aperto.</source>
        <translation>The database did not open.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Database non disponibile</source>
        <translation>Database unavailable</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Il database non si è aperto per un errore imprevisto.</source>
        <translation>The database did not open because of an unexpected error.</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Apertura del database…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Database aperto.</source>
        <translation>Database open.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Password del database</source>
        <translation>Database password</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Caricamento dei dati dimostrativi ({count} crediti)…</source>
        <translation>Loading the demo data ({count} credits)…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Caricamento dei dati dimostrativi annullato.</source>
        <translation>Loading of the demo data was cancelled.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dati dimostrativi caricati.</source>
        <translation>Demo data loaded.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Dati dimostrativi</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I dati dimostrativi non sono stati caricati: {error}</source>
        <translation>The demo data were not loaded: {error}</translation>
    </message>
</context>
<context>
    <name>StartupDialogs</name>
    <message>
        <location filename="../../ui/startup_dialogs.py" line="-94"/>
        <source>Riprova</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apri il database locale</source>
        <translation>Open the local database</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Esci</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Password dell&apos;utente {user} per il database {where}:</source>
        <translation>Password of user {user} for the database {where}:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>La password non è stata accettata.</source>
        <translation>The password was not accepted.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+10"/>
        <source>Password del database</source>
        <translation>Database password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salvare la password nel portachiavi del sistema, così da non doverla scrivere al prossimo avvio?</source>
        <translation>Save the password in the system keyring, so that you need not type it at the next start?</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Dati dimostrativi</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Il database è vuoto. Caricare i dati dimostrativi?</source>
        <translation>The database is empty. Load the demo data?</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../ui/formatting.py" line="-27"/>
        <source>Emesso</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In attesa di pagamento</source>
        <translation>Awaiting payment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagato</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parzialmente pagato</source>
        <translation>Partially paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scaduto</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stralciato</source>
        <translation>Written off</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In gestione legale</source>
        <translation>In legal</translation>
    </message>
</context>
<context>
    <name>SubjectTableModel</name>
    <message>
        <location filename="../../ui/widgets/debtors_models.py" line="-69"/>
        <source>Tipo</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nominativo</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Codice fiscale</source>
        <translation>Tax code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partita IVA</source>
        <translation>VAT number</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Comune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cellulare</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail / PEC</source>
        <translation>E-mail / PEC</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Debitore come</source>
        <translation>Debtor as</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crediti aperti</source>
        <translation>Open credits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Residuo</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Persona</source>
        <translation>Person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Società</source>
        <translation>Company</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Condominio</source>
        <translation>Condominium</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amministratore</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Intestatario</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagatore</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intestatario e pagatore</source>
        <translation>Holder and payer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Codice fiscale non valido: %1</source>
        <translation>Invalid tax code: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Partita IVA non valida: %1</source>
        <translation>Invalid VAT number: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PEC: %1</source>
        <translation>PEC: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E-mail: %1</source>
        <translation>E-mail: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Come intestatario: %1 crediti aperti, %2</source>
        <translation>As holder: %1 open credits, %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Come pagatore per conto di altri: %1 crediti aperti, %2</source>
        <translation>As payer on behalf of others: %1 open credits, %2</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../ui/import_wizard/summary_page.py" line="+49"/>
        <source>Riepilogo</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le modifiche sono state scritte nel database e il file è stato archiviato.</source>
        <translation>The changes were written to the database and the file was archived.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Esporta il rapporto completo…</source>
        <translation>Export the full report…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{0} è stato importato.</source>
        <translation>{0} has been imported.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Crediti aperti che il file non elenca più (non sono stati toccati: verificare se sono stati pagati o annullati):</source>
        <translation>Open credits the file no longer lists (they were left untouched: check whether they were paid or cancelled):</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Esportazione del rapporto…</source>
        <translation>Exporting the report…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rapporto salvato in {0}</source>
        <translation>Report saved to {0}</translation>
    </message>
</context>
<context>
    <name>UnmatchedTableModel</name>
    <message>
        <location filename="../../ui/widgets/payment_models.py" line="+10"/>
        <source>Data</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importo</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Da abbinare</source>
        <translation>To match</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stato</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pagatore</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>IBAN</source>
        <translation>IBAN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Causale</source>
        <translation>Remittance</translation>
    </message>
</context>
</TS>
