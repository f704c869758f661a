"""The layouts Comtrade publishes: their column names, flow codes and what each column is read as.

nkru reads every layout into the names of Comtrade Plus (and of its API),
its canonical layout; a problem is reported under the file's own name for
the column.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from nkru.table.columns import EXTRAS

__all__ = ["CLASSIC", "CLASSIC_FLOWS", "KINDS", "PARSED", "PLUS_FLOWS", "READ", "REQUIRED", "SHORT", "TEXT", "WHOLE"]

#: Comtrade Plus flow codes nkru reads, and the table's flow codes for them.
PLUS_FLOWS: Final[Mapping[str, str]] = MappingProxyType({"X": "X", "M": "M", "RX": "RX", "RM": "RM"})
#: Comtrade Classic's numeric trade flow codes: 1 Import, 2 Export, 3 Re-Export, 4 Re-Import.
CLASSIC_FLOWS: Final[Mapping[str, str]] = MappingProxyType({"1": "M", "2": "X", "3": "RX", "4": "RM"})

#: How each Comtrade (Plus) column nkru reads is read: ``text`` (a category), ``number`` (a float), ``flag``.
KINDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "refYear": "number",
        "period": "number",
        "freqCode": "text",
        "reporterCode": "text",
        "reporterISO": "text",
        "reporterDesc": "text",
        "partnerCode": "text",
        "partnerISO": "text",
        "partnerDesc": "text",
        "flowCode": "text",
        "cmdCode": "text",
        "cmdDesc": "text",
        "primaryValue": "number",
        "netWgt": "number",
        "qty": "number",
        "qtyUnitCode": "number",
        **{
            extra.comtrade: {"text": "text", "flag": "flag"}.get(extra.kind, "number")
            for extra in EXTRAS
            if extra.comtrade is not None
        },
    }
)
#: The columns nkru reads, in Comtrade Plus's names; other columns are ignored.
READ: Final = tuple(KINDS)
#: The text columns (read as categories).
TEXT: Final = frozenset(name for name, kind in KINDS.items() if kind == "text")
#: The text columns of short codes (ISO codes, flow, frequency and commodity codes ...), all but the descriptions.
SHORT: Final = TEXT - {"reporterDesc", "partnerDesc", "cmdDesc"}
#: The number columns that hold whole numbers (years, periods and codes).
WHOLE: Final = frozenset(
    {
        "refYear",
        "period",
        "qtyUnitCode",
        *(extra.comtrade for extra in EXTRAS if extra.kind == "code" and extra.comtrade),
    }
)
#: How the fast way has Arrow parse each column: short text as bytes (``short``), whole numbers as integers
#: (``whole``, which Arrow parses faster than floats), the rest as :data:`KINDS` says. A cell that does not parse
#: so (``2005.0`` as a year) sends the file the general way, which reads it as before.
PARSED: Final[Mapping[str, str]] = MappingProxyType(
    {name: "short" if name in SHORT else "whole" if name in WHOLE else kind for name, kind in KINDS.items()}
)
#: The columns a file must have (besides a reporter and a partner column, ISO or numeric code).
REQUIRED: Final = ("refYear", "flowCode", "cmdCode", "primaryValue")

#: Comtrade Classic's column names for the Comtrade Plus columns nkru reads.
CLASSIC: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Classification": "classificationCode",
        "Year": "refYear",
        "Period": "period",
        "Aggregate Level": "aggrLevel",
        "Is Leaf Code": "isLeaf",
        "Trade Flow Code": "flowCode",
        "Reporter Code": "reporterCode",
        "Reporter": "reporterDesc",
        "Reporter ISO": "reporterISO",
        "Partner Code": "partnerCode",
        "Partner": "partnerDesc",
        "Partner ISO": "partnerISO",
        "2nd Partner Code": "partner2Code",
        "Customs Proc. Code": "customsCode",
        "Mode of Transport Code": "motCode",
        "Commodity Code": "cmdCode",
        "Commodity": "cmdDesc",
        "Qty Unit Code": "qtyUnitCode",
        "Qty": "qty",
        "Alt Qty Unit Code": "altQtyUnitCode",
        "Alt Qty": "altQty",
        "Netweight (kg)": "netWgt",
        "Gross weight (kg)": "grossWgt",
        "Trade Value (US$)": "primaryValue",
        "CIF Trade Value (US$)": "cifvalue",
        "FOB Trade Value (US$)": "fobvalue",
        "Flag": "legacyEstimationFlag",
    }
)
