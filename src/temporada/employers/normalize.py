"""Normalising employer names and addresses as published in OFLC, SeasonalJobs and ESDC files.

Everything here is pure (no database) so the resolution rules, the precision benchmark and the tests
share one definition. Names are folded to unaccented upper-case ASCII, "&" becomes AND, punctuation
goes, a leading "THE" and trailing legal forms (LLC, Inc., Ltd./Ltée, S.A. de C.V., S.E.N.C. …) are
cut, and "X dba Y" / "X o/a Y" is split into the legal name X and the trade name Y. Addresses keep
country, state/province code, ZIP5 or Canadian postal code, city and a street line with the usual
USPS abbreviations (STREET → ST, NORTH → N, P.O. BOX → PO BOX).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

# --- text folding -------------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")


def fold(text) -> str:
    """Upper-case ASCII without accents; characters with no ASCII form are dropped."""
    if text is None:
        return ""
    text = str(text)
    if text.isascii():
        if text.lower() in ("nan", "none", "null"):
            return ""
        return text.upper()
    # NFKD splits "é" into "e" + a combining accent; the ASCII encoding then drops the accent.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


def _words(text: str) -> str:
    """Periods inside abbreviations vanish (L.L.C. → LLC); other punctuation becomes a space."""
    text = text.replace("&", " AND ").replace("+", " AND ")
    text = re.sub(r"(?<=[A-Z0-9])\.(?=[A-Z0-9]\b|[A-Z0-9]\.)", "", text)  # L.L.C. / S.A. → LLC / SA.
    text = text.replace(".", "").replace("'", "").replace("`", "")
    text = _NON_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# --- names ---------------------------------------------------------------------------------------------

# "X dba Y", "X d/b/a Y", "X o/a Y" (Canada: operating as), "X t/a Y", "X faisant affaire sous Y".
_DBA = re.compile(
    r"(?:^|[\s,;(])(?:D\s*/\s*B\s*/\s*A|D\s*\.\s*B\s*\.\s*A\.?|DBA|DOING\s+BUSINESS\s+AS|O\s*/\s*A|OPERATING\s+AS|"
    r"T\s*/\s*A|TRADING\s+AS|A\s*/\s*K\s*/\s*A|AKA|F\s*/\s*A|FAISANT\s+AFFAIRES?\s+SOUS(?:\s+LE\s+NOM\s+DE)?)"
    r"(?=[\s:,.\-]|$)[\s:,.\-]*"
)

# Legal forms cut from the end of a name (as word sequences after punctuation removal). Longest first.
LEGAL_FORMS = [
    "S DE RL DE CV", "S DE R L DE C V", "SA DE CV", "S A DE C V", "SAPI DE CV", "S DE RL", "SPR DE RL",
    "A GENERAL PARTNERSHIP", "A LIMITED PARTNERSHIP", "A PARTNERSHIP", "GENERAL PARTNERSHIP",
    "LIMITED LIABILITY COMPANY", "LIMITED LIABILITY CO", "LIMITED LIABILITY PARTNERSHIP", "LIMITED PARTNERSHIP",
    "LTD PARTNERSHIP", "PROFESSIONAL LIMITED LIABILITY COMPANY",
    "L L C", "L L P", "L P", "P L L C",
    "LLC", "LLP", "LLLP", "PLLC", "INCORPORATED", "INC", "CORPORATION", "CORP", "COMPANY", "CO", "LIMITED",
    "LTD", "LIMITEE", "LTEE", "LP", "ULC", "SENCRL", "SENC", "SEC", "SA", "SRL", "SAS", "CIE", "ET CIE", "AND CO",
]
# Legal forms that show a registered entity (its name is unique in the state or province registry).
REGISTERED_FORMS = {
    "LLC", "L L C", "LLP", "L L P", "LLLP", "PLLC", "P L L C", "INCORPORATED", "INC", "CORPORATION", "CORP",
    "LIMITED", "LTD", "LIMITEE", "LTEE", "LP", "L P", "ULC", "LIMITED LIABILITY COMPANY", "LIMITED LIABILITY CO",
    "LIMITED PARTNERSHIP", "LTD PARTNERSHIP", "LIMITED LIABILITY PARTNERSHIP", "PROFESSIONAL LIMITED LIABILITY COMPANY",
    "SA DE CV", "S A DE C V", "S DE RL DE CV", "S DE R L DE C V", "SAPI DE CV", "S DE RL",
}
_LEGAL_FORM_SET = frozenset(LEGAL_FORMS)
_LONGEST_FORM = max(len(form.split()) for form in LEGAL_FORMS)

# Words that say what a business does, not which one it is: ignored when comparing two names.
GENERIC_WORDS = frozenset(
    """AND OF THE FARM FARMS FARMING RANCH RANCHES ORCHARD ORCHARDS PRODUCE NURSERY NURSERIES GROWERS GROWER
    DAIRY ENTERPRISE ENTERPRISES HOLDINGS HOLDING GROUP SERVICES SERVICE INTERNATIONAL PARTNERS BROTHERS BROS
    SONS SON FAMILY AGRICULTURE AGRICULTURAL AG LABOR CONTRACTOR CONTRACTORS COMPANY CO INC LLC LTD
    LANDSCAPE LANDSCAPING CONSTRUCTION MANAGEMENT RESTAURANT HOTEL CANADA USA AMERICA TRUST""".split()
)


# What a business does, by root word. Two names at one address that both say what they do, and say
# different things ("Lowry Farms" / "Clay Lowry Forestry"), are two businesses of the same family.
ACTIVITY_ROOTS = {
    root: root for root in """FARM RANCH ORCHARD NURSERY DAIRY FORESTRY VETERINARY LANDSCAPE CONSTRUCTION TRUCKING TRANSPORT
    HARVESTING LIVESTOCK CATTLE SHEEP PRODUCE PACKING PROCESSOR CRAWFISH SEAFOOD FISHERY GREENHOUSE VINEYARD WINERY
    APIARY HONEY SOD TOBACCO CITRUS BERRY FRUIT VEGETABLE POTATO TREE LAWN GOLF RESORT HOTEL RESTAURANT CLEANING
    JANITORIAL ROOFING CONCRETE MASONRY PAINTING ELECTRIC PLUMBING FEEDLOT EQUIPMENT TIMBER LOGGING POULTRY EGG GRAIN
    SEED HAY PECAN SUGAR CANE MEAT CARNIVAL AMUSEMENT PALLET MULCH CATERING""".split()
}
ACTIVITY_ROOTS.update({
    "FARMS": "FARM", "FARMING": "FARM", "RANCHES": "RANCH", "RANCHING": "RANCH", "ORCHARDS": "ORCHARD",
    "NURSERIES": "NURSERY", "DAIRIES": "DAIRY", "LANDSCAPING": "LANDSCAPE", "LANDSCAPES": "LANDSCAPE",
    "TRANSPORTATION": "TRANSPORT", "PROCESSORS": "PROCESSOR", "PROCESSING": "PROCESSOR", "FISHERIES": "FISHERY",
    "GREENHOUSES": "GREENHOUSE", "VINEYARDS": "VINEYARD", "APIARIES": "APIARY", "BERRIES": "BERRY",
    "VEGETABLES": "VEGETABLE", "POTATOES": "POTATO", "TREES": "TREE", "HOTELS": "HOTEL", "RESORTS": "RESORT",
    "RESTAURANTS": "RESTAURANT", "ELECTRICAL": "ELECTRIC", "EGGS": "EGG", "SEEDS": "SEED", "PECANS": "PECAN",
    "AMUSEMENTS": "AMUSEMENT", "PALLETS": "PALLET",
})


def activities(normalized: str) -> frozenset[str]:
    return frozenset(ACTIVITY_ROOTS[t] for t in normalized.split() if t in ACTIVITY_ROOTS)


def split_dba(name) -> tuple[str, str]:
    """("X dba Y") → ("X", "Y") as published (unfolded); no marker → (name, "")."""
    text = "" if name is None else str(name).strip()
    folded = fold(text)
    if len(folded) != len(text):
        # Accents folded to a different length: split the folded text instead (positions must match).
        text = folded
    match = _DBA.search(folded)
    if not match or match.start() == 0 and not folded[: match.start()].strip():
        return text, ""
    legal, trade = text[: match.start()].strip(" ,;("), text[match.end():].strip(" ,;)")
    if not legal:
        return text, ""
    return legal, trade


@lru_cache(maxsize=200_000)
def name_parts(name: str) -> tuple[str, str]:
    """(normalised name, legal form found at its end or '')."""
    tokens = _words(fold(name)).split()
    if tokens[:1] == ["THE"] and len(tokens) > 1:
        tokens = tokens[1:]
    form_found = ""
    while len(tokens) > 1:
        # The longest legal form that ends the name (never the whole name).
        for size in range(min(_LONGEST_FORM, len(tokens) - 1), 0, -1):
            tail = " ".join(tokens[-size:])
            if tail in _LEGAL_FORM_SET:
                tokens = tokens[:-size]
                form_found = form_found or tail
                break
        else:
            if tokens[-1] == "AND":  # "Smith and Co" → "SMITH AND" → "SMITH"
                tokens = tokens[:-1]
                continue
            break
    if tokens[:1] == ["THE"] and len(tokens) > 1:
        tokens = tokens[1:]
    return " ".join(tokens), form_found


def normalize_name(name) -> str:
    return name_parts("" if name is None else str(name))[0]


def compact(normalized: str) -> str:
    """Spaces removed: "B K AND M FARMS" and "BK AND M FARMS" meet."""
    return normalized.replace(" ", "")


def distinctive_tokens(normalized: str) -> frozenset[str]:
    return frozenset(t for t in normalized.split() if t not in GENERIC_WORDS)


def similar_names(a: str, b: str) -> bool:
    """Two normalised names that plausibly spell the same business (used only at the same address).

    Same compact form; otherwise, if both say what they do (farm, forestry, crawfish processing…) they must
    share one such word; then the distinctive words (not FARMS, SONS, ENTERPRISES…) of one are all in the
    other and they share a distinctive word of 3+ letters; or a near-identical spelling (typo)."""
    if not a or not b:
        return False
    if compact(a) == compact(b):
        return True
    aa, ab = activities(a), activities(b)
    if aa and ab and not aa & ab:
        return False
    ta, tb = distinctive_tokens(a), distinctive_tokens(b)
    if ta and tb and (ta <= tb or tb <= ta) and any(len(t) >= 3 for t in ta & tb):
        return True
    ca, cb = compact(a), compact(b)
    if min(len(ca), len(cb)) < 8 or min(len(ca), len(cb)) / max(len(ca), len(cb)) < 0.85:
        return False  # a ratio of 0.92 needs lengths within about 15 %
    matcher = SequenceMatcher(None, ca, cb, autojunk=False)
    return matcher.real_quick_ratio() >= 0.92 and matcher.quick_ratio() >= 0.92 and matcher.ratio() >= 0.92


# --- addresses -----------------------------------------------------------------------------------------

STREET_WORDS = {
    "STREET": "ST", "STR": "ST", "ROAD": "RD", "AVENUE": "AVE", "AV": "AVE", "AVEN": "AVE", "DRIVE": "DR",
    "LANE": "LN", "BOULEVARD": "BLVD", "HIGHWAY": "HWY", "HIWAY": "HWY", "HIGHWY": "HWY", "COURT": "CT",
    "PLACE": "PL", "CIRCLE": "CIR", "PARKWAY": "PKWY", "TERRACE": "TER", "TRAIL": "TRL", "ROUTE": "RTE",
    "RT": "RTE", "SUITE": "STE", "APARTMENT": "APT", "BUILDING": "BLDG", "FLOOR": "FL", "NORTH": "N",
    "SOUTH": "S", "EAST": "E", "WEST": "W", "NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE",
    "SOUTHWEST": "SW", "MOUNT": "MT", "SAINT": "ST", "FORT": "FT", "CENTER": "CTR", "CENTRE": "CTR",
    "EXPRESSWAY": "EXPY", "FREEWAY": "FWY", "PIKE": "PIKE", "SQUARE": "SQ", "WAY": "WAY", "POINT": "PT",
    "CROSSING": "XING", "RUE": "RUE", "CHEMIN": "CH", "RANG": "RANG", "BOUL": "BLVD",
}
_PO_BOX = re.compile(r"\b(?:P\s*O|POST\s+OFFICE|POB|P\s*0|PO|POST)\s*(?:BOX|BX|DRAWER)\b|\bBOX\b|\bDRAWER\b|\bPOB\b")
_RURAL = [
    (re.compile(r"\bRURAL\s+ROUTE\b|\bR\s+R\b"), "RR"),
    (re.compile(r"\bCOUNTY\s+(?:ROAD|RD)\b|\bCO\s+RD\b|\bCNTY\s+RD\b"), "CR"),
    (re.compile(r"\bSTATE\s+(?:ROUTE|RTE|RT)\b"), "SR"),
    (re.compile(r"\bFARM\s+TO\s+MARKET(?:\s+ROAD)?\b|\bFM\s+RD\b"), "FM"),
]
_CA_POSTAL = re.compile(r"\b([A-Z]\d[A-Z])\s*-?\s*(\d[A-Z]\d)\b")

US_STATE_NAMES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA", "COLORADO": "CO",
    "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC", "FLORIDA": "FL", "GEORGIA": "GA",
    "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL", "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS",
    "KENTUCKY": "KY", "LOUISIANA": "LA", "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA",
    "MICHIGAN": "MI", "MINNESOTA": "MN", "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT",
    "NEBRASKA": "NE", "NEVADA": "NV", "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM",
    "NEW YORK": "NY", "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK",
    "OREGON": "OR", "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA", "WASHINGTON": "WA",
    "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY", "PUERTO RICO": "PR", "GUAM": "GU",
    "VIRGIN ISLANDS": "VI", "US VIRGIN ISLANDS": "VI", "AMERICAN SAMOA": "AS", "NORTHERN MARIANA ISLANDS": "MP",
    "FEDERATED STATES OF MICRONESIA": "FM", "MARSHALL ISLANDS": "MH", "PALAU": "PW",
}
CA_PROVINCE_NAMES = {
    "ALBERTA": "AB", "BRITISH COLUMBIA": "BC", "COLOMBIE BRITANNIQUE": "BC", "MANITOBA": "MB",
    "NEW BRUNSWICK": "NB", "NOUVEAU BRUNSWICK": "NB", "NEWFOUNDLAND AND LABRADOR": "NL", "NEWFOUNDLAND": "NL",
    "TERRE NEUVE ET LABRADOR": "NL", "NOVA SCOTIA": "NS", "NOUVELLE ECOSSE": "NS", "NORTHWEST TERRITORIES": "NT",
    "TERRITOIRES DU NORD OUEST": "NT", "NUNAVUT": "NU", "ONTARIO": "ON", "PRINCE EDWARD ISLAND": "PE",
    "ILE DU PRINCE EDOUARD": "PE", "QUEBEC": "QC", "SASKATCHEWAN": "SK", "YUKON": "YT",
}
STATE_NAMES = {"USA": US_STATE_NAMES, "CAN": CA_PROVINCE_NAMES}


def state_code(state, country: str) -> str:
    """Two-letter state/province code from a code or a full name ("GEORGIA" → GA)."""
    words = _words(fold(state))
    names = STATE_NAMES.get(country, {})
    if len(words) == 2 and words in names.values():
        return words
    return names.get(words, words.replace(" ", "")[:8])


def postal_code(code, country: str) -> str:
    """US: ZIP5 (ZIP+4 cut, a leading zero lost by a spreadsheet restored); Canada: A1A1A1."""
    text = fold(code).strip()
    if country == "USA":
        if re.fullmatch(r"\d+\.0+", text):
            text = text.split(".")[0]
        digits = re.sub(r"\D", "", text.split("-")[0]) if "-" in text else re.sub(r"\D", "", text)
        if len(digits) in (3, 4):
            return digits.zfill(5)
        if len(digits) == 9:
            return digits[:5]
        return digits[:5] if len(digits) >= 5 else ""
    if country == "CAN":
        match = _CA_POSTAL.search(text)
        return match.group(1) + match.group(2) if match else ""
    return re.sub(r"[^A-Z0-9]", "", text)[:10]


def normalize_street(address) -> str:
    """A street line with USPS-style abbreviations; PO boxes as "PO BOX n"."""
    text = fold(address)
    if not text:
        return ""
    text = text.replace("#", " ")
    text = re.sub(r"(?<![A-Z0-9])N\s*/\s*A(?![A-Z0-9])", " ", text)  # "N/A" filled into an address line
    text = _words(text)
    for pattern, repl in _RURAL:
        text = pattern.sub(repl, text)
    text = _PO_BOX.sub("PO BOX", text)
    text = re.sub(r"\bPO BOX\s+(?:PO BOX\s+)+", "PO BOX ", text)
    words = [STREET_WORDS.get(w, w) for w in text.split()]
    return " ".join(words)


def normalize_city(city) -> str:
    words = _words(fold(city))
    return " ".join(STREET_WORDS.get(w, w) if w in ("SAINT", "MOUNT", "FORT", "NORTH", "SOUTH", "EAST", "WEST")
                    else w for w in words.split())


def is_po_box(street: str) -> bool:
    return street.startswith("PO BOX") or street.startswith("RR ")


# --- variants ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Variant:
    """One published name + address of an employer, normalised once."""

    country: str
    name: str  # legal name as published (DBA part removed)
    trade_name: str  # DBA / trade name as published ("" if none)
    street_raw: str
    city_raw: str
    state_raw: str
    postal_raw: str
    synthetic: bool = False
    normalized_name: str = field(init=False)
    legal_form: str = field(init=False)
    normalized_trade: str = field(init=False)
    state: str = field(init=False)
    postal: str = field(init=False)
    city: str = field(init=False)
    street: str = field(init=False)

    def __hash__(self):
        # Hash the published fields only (the normalised ones follow from them), once.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.country, self.name, self.trade_name, self.street_raw, self.city_raw, self.state_raw,
                           self.postal_raw, self.synthetic))
            self.__dict__["_hash"] = cached
        return cached

    def __post_init__(self):
        set_ = object.__setattr__
        normalized, form = name_parts(self.name)
        set_(self, "normalized_name", normalized[:300])
        set_(self, "legal_form", form)
        set_(self, "normalized_trade", normalize_name(self.trade_name)[:300] if self.trade_name else "")
        street, city, postal = self.street_raw, self.city_raw, self.postal_raw
        if self.country == "CAN":
            street, city, postal = _split_canadian_address(street, city, postal)
        set_(self, "state", state_code(self.state_raw, self.country))
        set_(self, "postal", postal_code(postal, self.country))
        set_(self, "city", normalize_city(city))
        norm_street = normalize_street(street)
        if norm_street and (norm_street == self.city or norm_street == f"{self.city} {self.state}"):
            norm_street = ""
        set_(self, "street", norm_street)

    @property
    def address_key(self) -> str:
        prefix = "SYN|" if self.synthetic else ""
        key = f"{prefix}{self.country}|{self.state}|{self.postal}|{self.city}|{self.street}"
        return key[:200]

    @property
    def registered(self) -> bool:
        return self.legal_form in REGISTERED_FORMS

    @property
    def is_numbered_company(self) -> bool:
        """Canadian numbered companies ("1015514 B.C. Ltd."): the number is the registry's."""
        return bool(re.match(r"^\d{6,}\b", self.normalized_name))

    @property
    def display_address(self) -> str:
        parts = [p for p in (self.street_raw.strip(), self.city_raw.strip(), self.state_raw.strip(),
                             self.postal_raw.strip()) if p]
        return ", ".join(parts)


def _split_canadian_address(street: str, city: str, postal: str) -> tuple[str, str, str]:
    """ESDC lists give "City, PROV A1A 1A1" in one column: take the postal code and city out of it. When
    nothing but the city, the province and the postal code is there, there is no street line (even if an
    importer already copied the city and postal code into their own columns)."""
    text = street or ""
    folded = fold(text)
    match = _CA_POSTAL.search(folded)
    if not postal and match:
        postal = match.group(1) + match.group(2)
    if "," in text:
        first = text.split(",")[0]
        remainder = _words(_CA_POSTAL.sub(" ", fold(",".join(text.split(",")[1:]))))
        # What is left after the city is the province (code or name, perhaps "Canada"): no street line.
        if len(remainder.split()) <= 3 and (not city or _words(fold(first)) == _words(fold(city))):
            return "", city or first, postal
    return text, city, postal


def variant_from_fields(*, country, employer_name, trade_name="", address="", city="", state="",
                        postal_code="", synthetic=False) -> Variant:
    """The variant of a job order's employer columns; a DBA inside the name column is split off."""
    legal, dba = split_dba(employer_name)
    trade = (trade_name or "").strip()
    if trade.lower() in ("nan", "none", "n/a", "na"):
        trade = ""
    if not trade:
        trade = dba
    return Variant(
        country=country or "", name=legal, trade_name=trade, street_raw=str(address or ""),
        city_raw=str(city or ""), state_raw=str(state or ""), postal_raw=str(postal_code or ""),
        synthetic=bool(synthetic),
    )
