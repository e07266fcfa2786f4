"""The code maps of the scenario vocabulary (edge types, horizons, lines, domains, procedures) and the roles.

Every compiled array stores these as integer codes in the order of the schema's tuples; the engine's
constants (`missionfit.engine`) follow the same order.
"""

from __future__ import annotations

from missionfit.scenario import schema

EDGE_TYPE_CODE = {t: i for i, t in enumerate(schema.EDGE_TYPES)}
HORIZON_CODE = {h: i for i, h in enumerate(schema.HORIZONS)}
LINE_CODE = {line: i for i, line in enumerate(schema.MANDATE_LINES)}
DOMAIN_CODE = {d: i for i, d in enumerate(schema.DOMAINS)}
PROCEDURE_CODE = {p: i for i, p in enumerate(schema.PROCEDURES)}

#: Mission-level analysis cells whose independent work on the same event counts as duplication
#: (p. 396: "great duplication of effort" between ASIFU, JMAC and the U2).
PEER_ANALYSIS_KINDS = ("u2", "asifu_hq", "jmac")
#: Units whose reports `jmac_receipt_from_sf_isr` follows (p. 396: "Little information came from the Special
#: Forces and the ISR Company").
SF_ISR_KINDS = ("special_forces", "isr_company", "isr_taskforce", "helicopter_detachment", "humint_team")


def mask(names: list[str], code: dict[str, int]) -> int:
    """A bit mask with the bit of each name's code set."""
    out = 0
    for n in names:
        out |= 1 << code[n]
    return out
