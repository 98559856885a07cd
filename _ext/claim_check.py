"""The ``{claim-check}`` directive: a claim commonly made about a loss, and its verdict.

A chapter writes only the claim's label, at the top of the section whose cells test it::

    (claim-mse-outliers)=
    ### One bad value moves the mean without limit

    ```{claim-check} claim-mse-outliers
    ```

The box is rendered from the claim's entry in ``lossbook.catalog``: the claim as commonly
stated, the verdict under the rule of the summary page (``sec-summary-verdicts``), and the
one-sentence finding of the experiment that follows. The chapters, the summary page and the
tests read the same entry, so a box cannot disagree with the table. An unknown label is a
build error.
"""

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from lossbook.catalog import VERDICT_NAMES

def claims_by_label():
    """label -> (the loss's catalog entry, or None for a claim about practice; the claim)."""
    from lossbook.catalog import CATALOG, PRACTICE_CLAIMS

    found = {claim.label: (spec, claim) for spec in CATALOG for claim in spec.claims}
    found.update((claim.label, (None, claim)) for claim in PRACTICE_CLAIMS)
    return found


class ClaimCheck(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self):
        label = self.arguments[0]
        found = claims_by_label().get(label)
        if found is None:
            raise self.error(f"claim-check: no claim labelled {label!r} in lossbook.catalog")
        spec, claim = found
        verdict = VERDICT_NAMES[claim.verdict]
        box = nodes.admonition(classes=["claim-check", f"claim-{claim.verdict}"])
        box += nodes.title(text=f"Claim check: {verdict}")
        lines = [
            f"**Commonly said** ({spec.title if spec else 'training practice'}; "
            f"a {claim.kind}): "
            f"“{claim.guide}”.",
            "",
            f"**Verdict: {verdict}** (the rule: {{ref}}`sec-summary-verdicts`). "
            f"{claim.finding} The cells below test it.",
        ]
        if claim.at_work:
            links = ", ".join(f"{{ref}}`{label}`" for label in claim.at_work)
            lines += ["", f"**On real data**, in a trained network: {links}."]
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]),
                                self.content_offset, box)
        return [box]


def setup(app):
    app.add_directive("claim-check", ClaimCheck)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
