"""Italian names, towns, streets and fees the demo data is drawn from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    """A comune with what a codice fiscale, an address and a partita IVA need."""

    name: str
    province: str
    postal_code: str
    cadastral_code: str  # codice Belfiore, part of a person's codice fiscale
    tax_office: str  # three digits of the provincial office, part of a partita IVA


TOWNS = (
    Town("Milano", "MI", "20121", "F205", "015"),
    Town("Roma", "RM", "00185", "H501", "058"),
    Town("Torino", "TO", "10121", "L219", "001"),
    Town("Napoli", "NA", "80121", "F839", "063"),
    Town("Bologna", "BO", "40121", "A944", "037"),
    Town("Firenze", "FI", "50122", "D612", "048"),
    Town("Verona", "VR", "37121", "L781", "023"),
    Town("Padova", "PD", "35121", "G224", "028"),
    Town("Brescia", "BS", "25121", "B157", "017"),
    Town("Bergamo", "BG", "24121", "A794", "016"),
    Town("Modena", "MO", "41121", "F257", "036"),
    Town("Parma", "PR", "43121", "G337", "034"),
    Town("Reggio Emilia", "RE", "42121", "H223", "035"),
    Town("Ferrara", "FE", "44121", "D548", "038"),
    Town("Ravenna", "RA", "48121", "H199", "039"),
    Town("Mantova", "MN", "46100", "E897", "020"),
    Town("Cremona", "CR", "26100", "D150", "019"),
    Town("Pavia", "PV", "27100", "G388", "018"),
    Town("Lodi", "LO", "26900", "E648", "098"),
    Town("Piacenza", "PC", "29121", "G535", "033"),
    Town("Vicenza", "VI", "36100", "L840", "024"),
    Town("Treviso", "TV", "31100", "L407", "026"),
    Town("Venezia", "VE", "30121", "L736", "027"),
    Town("Trento", "TN", "38122", "L378", "022"),
    Town("Udine", "UD", "33100", "L483", "030"),
    Town("Genova", "GE", "16121", "D969", "010"),
    Town("Bari", "BA", "70121", "A662", "072"),
    Town("Palermo", "PA", "90133", "G273", "082"),
    Town("Catania", "CT", "95121", "C351", "087"),
    Town("Cagliari", "CA", "09124", "B354", "092"),
    Town("Perugia", "PG", "06121", "G478", "054"),
    Town("Ancona", "AN", "60121", "A271", "042"),
    Town("Pescara", "PE", "65121", "G482", "068"),
    Town("Lecce", "LE", "73100", "E506", "075"),
    Town("Salerno", "SA", "84121", "H703", "065"),
    Town("Rovigo", "RO", "45100", "H620", "029"),
    Town("Asti", "AT", "14100", "A479", "005"),
    Town("Novara", "NO", "28100", "F952", "003"),
    Town("Como", "CO", "22100", "C933", "013"),
    Town("Varese", "VA", "21100", "L682", "012"),
)

SURNAMES = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
    "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
    "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo",
    "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso",
    "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina",
    "Rizzi",
    "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino", "Carbone",
    "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra", "Palmieri", "Bernardi",
    "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras", "Vitali",
    "Battaglia", "Sartori", "Neri", "Costantini", "Milani", "Pagano", "Ruggiero", "Sorrentino", "D'Amico",
    "Orlando", "Negri", "Dell'Orto", "Lo Russo", "Zanetti", "Bertolini", "Pozzi", "Mazzoni",
)  # fmt: skip

MALE_NAMES = (
    "Marco", "Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco", "Paolo", "Roberto", "Stefano",
    "Andrea", "Alessandro", "Luca", "Massimo", "Fabio", "Claudio", "Sergio", "Maurizio", "Franco", "Bruno",
    "Carlo", "Giorgio", "Davide", "Matteo", "Simone", "Riccardo", "Enrico", "Alberto", "Daniele", "Vittorio",
    "Gianluca", "Pietro", "Nicola", "Emanuele", "Salvatore", "Domenico", "Lorenzo", "Federico", "Umberto",
)  # fmt: skip

FEMALE_NAMES = (
    "Maria", "Anna", "Giuseppina", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carmela", "Francesca",
    "Laura", "Paola", "Elena", "Chiara", "Sara", "Giulia", "Silvia", "Valentina", "Federica", "Alessandra",
    "Roberta", "Cristina", "Barbara", "Simona", "Monica", "Daniela", "Elisa", "Marta", "Ilaria", "Beatrice",
    "Caterina", "Gabriella", "Patrizia", "Antonella", "Luisa", "Marina", "Nicoletta", "Raffaella", "Rita",
)  # fmt: skip

STREETS = (
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Cavour", "Via Dante", "Via Verdi", "Corso Italia",
    "Via Vittorio Emanuele II", "Via Marconi", "Via Matteotti", "Via XX Settembre", "Via Manzoni",
    "Via Gramsci", "Viale della Repubblica", "Via Leopardi", "Via San Francesco", "Via Carducci",
    "Via Kennedy", "Via Pascoli", "Via IV Novembre", "Corso Vittorio Emanuele", "Via Puccini", "Via Milano",
    "Via Aldo Moro", "Piazza della Libertà", "Via dei Mille", "Via Galilei", "Via Fermi", "Via Volta",
    "Via Battisti", "Viale Europa", "Via Nazionale", "Via Trieste", "Via Trento", "Via del Lavoro",
    "Via Petrarca", "Via Foscolo", "Via Tasso", "Via Don Minzoni", "Via Montegrappa",
)  # fmt: skip

FARM_WORDS = (
    "Il Poggio", "La Quercia", "Ca' Bianca", "Le Vigne", "San Martino", "La Fornace", "Il Mulino",
    "Corte Nuova", "La Valle", "Il Casale", "Santa Lucia", "Le Colline", "La Palazzina", "Campo Verde",
)  # fmt: skip

COMPANY_WORDS = (
    "Edil", "Immobiliare", "Gestioni", "Servizi", "Costruzioni", "Commerciale", "Hotel", "Residence",
    "Logistica", "Trasporti", "Meccanica", "Alimentari",
)  # fmt: skip

COMPANY_FORMS = ("s.r.l.", "S.p.A.", "s.n.c.", "s.a.s.", "s.r.l.s.")
FARM_FORMS = ("s.s.", "Società Agricola s.s.", "s.r.l. agricola")

EMAIL_DOMAINS = ("gmail.com", "libero.it", "alice.it", "virgilio.it", "hotmail.it", "yahoo.it", "tiscali.it")
PEC_DOMAINS = ("pec.it", "legalmail.it", "arubapec.it", "postecert.it", "pec.studio.it")
MOBILE_PREFIXES = (
    "320", "328", "329", "330", "333", "334", "335", "338", "339", "340", "345", "347", "348", "349", "351",
    "366", "388", "392",
)  # fmt: skip

# Quarterly lift-maintenance fees, VAT included: contracts use a few list prices, so equal amounts abound.
LIFT_FEES_CENTS = (18000, 24550, 21960, 19520, 27450, 31240, 15680, 36600, 24400, 29890)

MONTHS_IT = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
    "novembre", "dicembre",
)  # fmt: skip
