"""Each intervention moves the flow it acts on by construction (paired replicates, common random numbers).

These are construction-bound checks (docs/validation.md §1, §6.8 (a)): the patch acts on that flow by design, so a
failure is a bug. Whether goal realization follows is the held-out question of validation.md §6.8 (b); it is
evaluated and reported (§7.2), never asserted here, so that no test makes an outcome a target (validation.md
§8.0, amendment of 2026-12-01). `cross_cultural_training` has no check here: in the v2 core it moves only the
trust priors it sets (its declared flow, goodwill across the divide, comes with issue 16).
"""

from __future__ import annotations

import numpy as np
import pytest

from model_runs import outputs, paired_diff, runs, values

R = 10
#: Pairs for the claims: the flows below move by 4-40 paired standard errors at 30 pairs (seed 0).
R_CLAIMS = 30

# intervention, scenario, metric, expected direction, the flow it acts on (docs/scenarios.md)
CLAIMS = [
    ("jcb_directive", "minusma_2015", "reports_withheld", -1, "a directive board overrides reluctance to share"),
    ("liaison_officers", "minusma_2015", "fc_current_warning_rate", +1, "links to the main force warn the FC"),
    ("joint_database", "minusma_2015", "reports_sanitized", -1,
     "one security level: nothing is sanitized between members"),
    ("asifu_tasking_authority", "minusma_2015", "u2_asifu_receipt_from_sf_isr", +1,
     "ASIFU's tasks make SOLTG/ISR report to it"),
    # not `observations`: more sensor-days observe more by construction; the claim is what the imagery does
    ("uav_fast_accreditation", "minusma_2014", "asifu_current_warning_rate", +1,
     "UAV imagery from the first day lets ASIFU learn of threats in time"),
]


@pytest.mark.parametrize("intervention,scenario,metric,direction,claim", CLAIMS)
def test_intervention_moves_its_metric(intervention, scenario, metric, direction, claim):
    base = runs(scenario, replicates=R_CLAIMS)
    treated = runs(scenario, (intervention,), replicates=R_CLAIMS)
    diff, se = paired_diff(base, treated, metric)
    assert direction * diff > 2 * se and direction * diff > 0, (claim, diff, se)


def test_integrating_u2_and_asifu_ends_sanitization_between_them():
    """U2 at ASIFU's security level: what they exchange is no longer sanitized (the flows on their edges).

    The mission-wide count of sanitized reports is not the flow the patch acts on: more sharing elsewhere (living
    trust, requests for information) can sanitize more on other edges.
    """
    def sanitized_between(results):
        flows = results[0].flows
        for r in results[1:]:
            flows = flows.assign(sanitized=flows["sanitized"] + r.flows["sanitized"])
        ends = {"u2", "asifu_hq"}
        between = flows["source"].isin(ends) & flows["target"].isin(ends)
        return int(flows.loc[between, "sanitized"].sum()), int(between.sum())

    base, n_base = sanitized_between(outputs("minusma_2015", replicates=3))
    treated, n_treated = sanitized_between(outputs("minusma_2015", ("integrate_u2_asifu",), replicates=3))
    assert n_base > 0 and n_treated > 0 and base > 0 and treated == 0, (base, treated)


def test_aligned_procedures_cut_channel_losses():
    base = runs("minusma_2015", replicates=R)
    treated = runs("minusma_2015", ("aligned_procedures",), replicates=R)
    lost_share = values(base, "reports_lost") / values(base, "hops")
    lost_share_t = values(treated, "reports_lost") / values(treated, "hops")
    d = lost_share_t - lost_share
    assert d.mean() < -2 * d.std(ddof=1) / np.sqrt(R)
