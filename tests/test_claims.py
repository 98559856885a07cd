"""Every claim the catalog lists is checked by asserts in the chapter it names.

A claim's ``label`` marks a section of a chapter notebook, ``(label)=`` followed by a
heading or a bold line. The section runs until the next heading of the same or a
higher level, or the next claim label. These tests hold the catalog and the chapters
to each other: the label exists once, in the loss's own chapter or one the book lists,
and its section has executed code cells with at least one ``assert``.
"""

import json
import pathlib
import re

import pytest

from lossbook.catalog import CATALOG, PRACTICE_CLAIMS, Claim
from scripts.book_toc import toc_entries

ROOT = pathlib.Path(__file__).resolve().parents[1]
LABEL = re.compile(r"^\((claim-[\w-]+)\)=\s*$", re.M)
#: A claim-check box (``_ext/claim_check.py``): the directive and the claim's label.
BOX = re.compile(r"^`{3,}\{claim-check\}\s+(claim-[\w-]+)\s*$", re.M)
HEADING = re.compile(r"^(#{1,6}) ", re.M)


def book_notebooks():
    return [ROOT / (e.file + ".ipynb") for e in toc_entries()
            if (ROOT / (e.file + ".ipynb")).is_file()]


def claim_sections(label_pattern=LABEL):
    """label -> (notebook path, list of cells in the labelled section)."""
    sections = {}
    for path in book_notebooks():
        cells = json.loads(path.read_text())["cells"]
        open_label, level = None, 7
        for cell in cells:
            text = "".join(cell["source"])
            label = label_pattern.search(text) if cell["cell_type"] == "markdown" else None
            heading = HEADING.search(text) if cell["cell_type"] == "markdown" else None
            if label:
                assert label.group(1) not in sections, f"{label.group(1)} labelled twice"
                open_label = label.group(1)
                level = len(heading.group(1)) if heading else 7
                sections[open_label] = (path, [])
            elif heading and len(heading.group(1)) <= level:
                open_label = None
            if open_label:
                sections[open_label][1].append(cell)
    return sections


SECTIONS = claim_sections()
#: Every claim with its loss's entry; claims about training practice (the tips chapter tests
#: them) have no loss, and ``None`` in its place.
CLAIMS = ([(spec, claim) for spec in CATALOG for claim in spec.claims]
          + [(None, claim) for claim in PRACTICE_CLAIMS])


def test_the_guide_summary_table_rows_all_have_claims():
    # The guide's table has a row for each of these; each row has a strength and a weakness.
    for name in ("mse", "mae", "cross_entropy", "bce", "hinge", "huber", "kl_divergence",
                 "cosine_similarity_loss"):
        kinds = {claim.kind for spec in CATALOG if spec.name == name for claim in spec.claims}
        assert {"strength", "weakness"} <= kinds, name


@pytest.mark.parametrize("spec, claim", CLAIMS, ids=[c.label for _, c in CLAIMS])
def test_claim_is_asserted_by_an_executed_cell(spec, claim):
    assert claim.label in SECTIONS, f"no section labelled ({claim.label})= in the book"
    path, cells = SECTIONS[claim.label]
    asserting = [c for c in cells if c["cell_type"] == "code"
                 and re.search(r"^\s*assert ", "".join(c["source"]), re.M)]
    assert asserting, f"{claim.label} in {path.name}: no cell asserts the claim"
    assert all(c["execution_count"] for c in asserting), f"{claim.label}: not executed"


@pytest.mark.parametrize("spec, claim", CLAIMS, ids=[c.label for _, c in CLAIMS])
def test_claim_section_opens_with_its_claim_check_box(spec, claim):
    assert claim.label in SECTIONS, f"no section labelled ({claim.label})= in the book"
    path, cells = SECTIONS[claim.label]
    boxes = [label for c in cells if c["cell_type"] == "markdown"
             for label in BOX.findall("".join(c["source"]))]
    assert boxes == [claim.label], f"{path.name}: ({claim.label}) has boxes {boxes}"


def test_every_claim_check_box_is_in_the_section_of_its_claim():
    listed = {claim.label for _, claim in CLAIMS}
    found = []
    for path in book_notebooks():
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                found += [(path.name, label) for label in BOX.findall("".join(cell["source"]))]
    assert sorted(label for _, label in found if label not in listed) == []
    assert len(found) == len({label for _, label in found}), "a claim has two boxes"


def test_every_claim_label_in_the_book_is_in_the_catalog():
    listed = {claim.label for _, claim in CLAIMS}
    assert len(listed) == len(CLAIMS), "a label is listed twice"
    assert set(SECTIONS) == listed, sorted(set(SECTIONS) ^ listed)


WORK_LABEL = re.compile(r"^\((work-[\w-]+)\)=\s*$", re.M)
WORK_SECTIONS = claim_sections(WORK_LABEL)
AT_WORK = [(claim, label) for _, claim in CLAIMS for label in claim.at_work]


@pytest.mark.parametrize("claim, label", AT_WORK, ids=[f"{c.label}:{w}" for c, w in AT_WORK])
def test_a_claim_at_work_links_an_asserting_section_of_losses_at_work(claim, label):
    assert label in WORK_SECTIONS, f"{claim.label}: no section labelled ({label})= in the book"
    path, cells = WORK_SECTIONS[label]
    assert path.parent.name == "at_work", f"({label}) is in {path}, not in Losses at work"
    assert any(c["cell_type"] == "code" and c["execution_count"]
               and re.search(r"^\s*assert ", "".join(c["source"]), re.M) for c in cells), (
        f"({label}): no executed cell asserts anything")


def test_claims_reject_unknown_kind_and_verdict():
    with pytest.raises(ValueError, match="kind must be one of"):
        Claim("advantage", "x", "holds", "y", "claim-x")
    with pytest.raises(ValueError, match="verdict must be one of"):
        Claim("strength", "x", "true", "y", "claim-x")
