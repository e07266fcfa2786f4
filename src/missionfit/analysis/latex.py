"""Writing tables: booktabs LaTeX (numbers in math mode, special characters escaped) and CSV."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

#: First line of every .tex file: which program wrote it from what.
STAMP = "% Written by missionfit-tables from {source}; do not edit by hand (rerun the experiment's run.sh).\n"


def tex_escape(text: object) -> str:
    """Escape LaTeX's special characters in plain text."""
    out = str(text)
    for a, b in (
        ("\\", r"\textbackslash{}"),
        ("&", r"\&"),
        ("%", r"\%"),
        ("$", r"\$"),
        ("#", r"\#"),
        ("_", r"\_"),
        ("{", r"\{"),
        ("}", r"\}"),
        ("~", r"\textasciitilde{}"),
        ("^", r"\textasciicircum{}"),
    ):
        out = out.replace(a, b) if a != "\\" else out.replace(a, "\x00")
    return out.replace("\x00", r"\textbackslash{}")


def num(value: float, digits: int = 1, signed: bool = False) -> str:
    """A number in math mode (`$-1.2$`, `$+0.4$`); an en dash for NaN."""
    if value is None or not math.isfinite(float(value)):
        return "--"
    text = f"{float(value):+.{digits}f}" if signed else f"{float(value):.{digits}f}"
    if text.lstrip("+-").strip("0.") == "":  # -0.0 and +0.0 print as 0.0
        text = f"{0:.{digits}f}"
    return f"${text}$"


def interval(lo: float, hi: float, digits: int = 1, signed: bool = False) -> str:
    """`[lo, hi]` with both bounds in math mode (empty when undefined)."""
    if lo is None or hi is None or not (math.isfinite(float(lo)) and math.isfinite(float(hi))):
        return ""
    return f"[{num(lo, digits, signed)}, {num(hi, digits, signed)}]"


def header_cell(text: str, width: int = 16) -> str:
    """A column head broken over lines at word boundaries (plain LaTeX, no extra package)."""
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    if len(lines) == 1:
        return tex_escape(lines[0])
    return r"\begin{tabular}[b]{@{}c@{}}" + r"\\".join(tex_escape(x) for x in lines) + r"\end{tabular}"


def write_tex(
    path: Path,
    *,
    source: str,
    caption: str,
    tab_label: str,
    colspec: str,
    head: list[str],
    body: list[str],
    note: str | None = None,
) -> Path:
    r"""Write a booktabs table environment.

    Args:
        path: The .tex file.
        source: Input file(s), for the stamp line.
        caption: Caption (LaTeX).
        tab_label: `\label` key.
        colspec: Column specification of the tabular.
        head: Header rows (without the trailing `\\`).
        body: Body lines, complete (rows end with `\\`; `\midrule` lines allowed).
        note: A note under the table (LaTeX), optional.

    Returns:
        The path written.
    """
    lines = [
        STAMP.format(source=source).rstrip("\n"),
        "% Needs \\usepackage{booktabs}.",
        r"\begin{table}[htbp]",
        r"\centering",
        r"\small",
        rf"\caption{{{caption}}}",
        rf"\label{{{tab_label}}}",
        rf"\begin{{tabular}}{{{colspec}}}",
        r"\toprule",
        *[f"{h} \\\\" for h in head],
        r"\midrule",
        *body,
        r"\bottomrule",
        r"\end{tabular}",
    ]
    if note:
        lines += [r"\par\smallskip", rf"\parbox{{\linewidth}}{{\footnotesize {note}}}"]
    lines.append(r"\end{table}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a CSV (UTF-8, no index)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8")
    return path
