"""Every quotation of the source paper that carries a page number is on that page of the paper.

The docstrings, configs and docs cite Rietjens & Ruffa (2019) by journal page (pp. 383-407) and quote it. This
checks each quotation that sits next to its page (`p. 394: "a trust sport"`, `"..." (p. 390)`) against the
paper's text: every fragment of the quotation (split at "..." and at editorial "[...]") must occur in the paper
on a cited page. The paper is not part of the repository; it lives next to it (``../shared/reference``, see
`conftest.SHARED_DIR`): these tests skip where it is not mounted, and fail in CI (MISSIONFIT_REQUIRE_SHARED=1).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import SHARED_DIR

REPO = Path(__file__).resolve().parents[1]
PAPER_FILE = "reference/000_1a2a17a144468052.txt"
PAPER = SHARED_DIR / PAPER_FILE

pytestmark = pytest.mark.needs_shared(PAPER_FILE)

#: The first words of each journal page in the paper's text (page 383 starts the text). The text has no page
#: numbers of its own beyond the first; these anchors were read off the page breaks (each page's footnotes,
#: then the next page's first line).
PAGE_STARTS = {
    384: "with undeniable advantages in terms of legitimacy",
    385: "and define it as the degree of match between what is required",
    386: "we contribute to existing scholarship in two ways",
    387: "an exception is campbell s call for bottom up coherence",
    388: "conceptual framework as a starting point",
    389: "borrow key concepts from the literature on strategic alliances",
    390: "2 cultural and human fit this second key area refers",
    391: "terms it is minusma s task to promote a stabilization",
    392: "coherence in minusma we present our empirical material",
    393: "figure 1 organisational structure of minusma",
    394: "headquarters and tactical sector headquarters level but asifu",
    395: "apart from asifu and the regular intelligence branches",
    396: "and influential people or key leaders use the different un intelligence",
    397: "in other words also the intelligence components were met with suspicion",
    398: "peacekeepers deployed lacked strong connections to the local culture",
    399: "in mali however this exercise remained limited to european peacekeepers",
    400: "asifu expended considerable effort into training the un battalions",
    401: "intelligence however there were many incidents in which isr personnel",
    402: "the call for improving coherence runs the risk",
    403: "when we turn to minusma in particular it becomes clear",
    404: "security infrastructure is crucial more in general",
}

_LIGATURES = {"ﬁ": "fi", "ﬀ": "ff", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"}
_PAGE = r"(3[89]\d|40[0-7])"
_CITE = rf"pp?\.\s?{_PAGE}(?:\s?[-–]\s?{_PAGE})?"
_QUOTE = r"[\"“]([^\"“”]{8,400}?)[\"”]"
#: `p. 394: ASIFU kept its "..."`: the page, up to a few words, then the quotation
_CITE_THEN_QUOTE = re.compile(_CITE + r"\s*:?\s*((?:[A-Za-z0-9\- ]|[’']s\b){0,60}?)" + _QUOTE)
#: `"..." (p. 390)` or `"...", p. 390`
_QUOTE_THEN_CITE = re.compile(_QUOTE + r"(?:\s*\(|,\s*|\s+)" + _CITE)
_SOURCES = ("src/**/*.py", "configs/**/*.yaml", "docs/**/*.md", "experiments/**/*.md", "README.md")


def normalize(text: str) -> str:
    """Lower case, ligatures spelled out, every run of non-alphanumerics one space."""
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def paper_pages() -> list[tuple[str, list[int], list[int]]]:
    """The paper as normalized text, with a page per character and the positions where pages start.

    Three versions: as printed; without footnote markers ("accredited.68"); and without those and the
    paper's own editorial [insertions], which a quotation may leave out.
    """
    raw = PAPER.read_text(encoding="utf-8")
    unmarked = re.sub(r"(?<=[a-z.,;:’”')])\d{1,2}(?=\s|$)", "", raw)
    versions = []
    for text in (raw, unmarked, re.sub(r"\[[^\]]*\]", " ", unmarked)):
        text = normalize(text)
        starts = sorted((text.index(anchor), page) for page, anchor in PAGE_STARTS.items())
        pages, page, cursor = [], 383, 0
        for position, next_page in starts + [(len(text), None)]:
            pages.extend([page] * (position - cursor))
            page, cursor = next_page, position
        versions.append((text, pages, [position for position, _ in starts]))
    return versions


def pages_of(fragment: str, versions: list[tuple[str, list[int], list[int]]]) -> set[int]:
    """The pages on which `fragment` (normalized) occurs.

    Words the text ran together ("re-establishment" printed as "reestablishment") are matched without spaces,
    and a passage that runs over a page break may have that page's footnotes between its two parts.
    """
    found = set()
    words = fragment.split()
    for text, pages, starts in versions:
        found |= {pages[m.start()] for m in re.finditer(re.escape(fragment), text)}
        if found:
            continue
        squeezed = fragment.replace(" ", "")
        positions = [i for i, ch in enumerate(text) if ch != " "]
        dense = "".join(text[i] for i in positions)
        found |= {pages[positions[m.start()]] for m in re.finditer(re.escape(squeezed), dense)}
        for start in starts:
            for cut in range(1, len(words)):
                before, after = " ".join(words[:cut]), " ".join(words[cut:])
                if text.startswith(after, start) and before in text[max(0, start - 1500) : start]:
                    found |= {pages[start - 1], pages[start]}
    return found


def flatten(path: Path) -> str:
    """A source file as running text: comment markers at line starts dropped, whitespace collapsed."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n[ \t]*#:?", "\n", text)
    return " ".join(text.split())


def _strings(data: object) -> list[str]:
    """Every string scalar of a loaded YAML document."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _strings(k) + _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def texts(path: Path) -> list[str]:
    """The running texts of a source file in which quotations are looked for.

    A YAML file is read as its string values one by one plus its comments, so that a quotation is never paired
    with the double quote that closes a YAML string (`source: "pp. 395-396: rivalry"` then the next line).
    """
    if path.suffix != ".yaml":
        return [flatten(path)]
    raw = path.read_text(encoding="utf-8")
    comments: list[list[str]] = [[]]  # blocks of consecutive comment lines; an inline comment is a block of its own
    for line in raw.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comments[-1].append(stripped.lstrip("#").strip())
            continue
        if comments[-1]:
            comments.append([])
        if " #" in line:
            comments.append([line.split(" #", 1)[1].strip()])
            comments.append([])
    blocks = [" ".join(" ".join(block).split()) for block in comments if block]
    return [" ".join(s.split()) for s in _strings(yaml.safe_load(raw))] + blocks


def quotations() -> list[tuple[str, int, int, str]]:
    """(file, first cited page, last cited page, quotation) for every quotation next to its page."""
    found = []
    for pattern in _SOURCES:
        for path in sorted(REPO.glob(pattern)):
            name = str(path.relative_to(REPO))
            for text in texts(path):
                for m in _CITE_THEN_QUOTE.finditer(text):
                    first = int(m.group(1))
                    found.append((name, first, int(m.group(2) or first), m.group(4)))
                for m in _QUOTE_THEN_CITE.finditer(text):
                    first = int(m.group(2))
                    found.append((name, first, int(m.group(3) or first), m.group(1)))
    return found


def test_every_page_anchor_occurs_once_and_in_order():
    # (in the text as printed; `paper_pages` relies on it)
    text = normalize(PAPER.read_text(encoding="utf-8"))
    positions = []
    for page, anchor in sorted(PAGE_STARTS.items()):
        assert text.count(anchor) == 1, f"page {page}: anchor {anchor!r} found {text.count(anchor)} times"
        positions.append(text.index(anchor))
    assert positions == sorted(positions)


def test_pages_of_known_passages():
    versions = paper_pages()
    assert pages_of(normalize("intelligence is a trust sport"), versions) == {394}
    assert pages_of(normalize("took the Dutch contingent almost half a year"), versions) == {401}
    assert pages_of(normalize("increase role clarity between ASIFU and JMAC"), versions) == {403}
    assert pages_of(normalize("reports went to the U2 and ASIFU, but not to the wider mission"), versions) == {396}
    assert pages_of(normalize("the re-establishment of state authority"), versions) == {392}
    # over a page break, with the footnotes of p. 403 between the two parts
    joint_database = "establishing a joint database, including underlying technical and security infrastructure"
    assert pages_of(normalize(joint_database), versions) == {403, 404}
    # a footnote marker inside the passage ("accredited.68")
    assert pages_of(normalize("to get the UAVs accredited. When the Scaneagle eventually"), versions) == {401}
    assert pages_of(normalize("a sentence the paper does not contain"), versions) == set()


def test_quotations_are_on_the_cited_pages():
    versions = paper_pages()
    checked, wrong = 0, []
    for name, first, last, quote in quotations():
        fragments = [normalize(f) for f in re.split(r"\.\.\.|…|\[[^\]]*\]", quote)]
        fragments = [f for f in fragments if len(f) >= 8]
        if not fragments:
            continue
        checked += 1
        for fragment in fragments:
            pages = pages_of(fragment, versions)
            if not pages:
                wrong.append(f"{name}: p. {first}-{last}: {quote!r} is not in the paper")
                break
            if not any(first <= p <= last for p in pages):
                wrong.append(f"{name}: p. {first}-{last}: {quote!r} is on p. {sorted(pages)}")
                break
    assert checked >= 150, f"only {checked} quotations found: has the citation style changed?"
    assert not wrong, "\n".join(wrong)
