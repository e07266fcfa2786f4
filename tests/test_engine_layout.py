"""The engine's layout agrees with the scenario vocabulary and with the arrays it packs.

The engine does not import the scenario layer (its codes are plain constants), so these tests are what keeps
the two in step: a new edge type, domain or mandate line in the schema must move the engine's constants too.
"""

from __future__ import annotations

import numpy as np

from missionfit import contract, engine
from missionfit.engine import layout
from missionfit.scenario.codes import DOMAIN_CODE, EDGE_TYPE_CODE, HORIZON_CODE, LINE_CODE


def test_codes_follow_the_schema_order():
    assert [layout.COMMAND, layout.INTEL, layout.COMMANDER_CHAIN, layout.LIAISON, layout.INFORMAL, layout.BOARD] == [
        EDGE_TYPE_CODE[t] for t in ("command", "intel", "commander_chain", "liaison", "informal", "board")
    ]
    assert [layout.IMMINENT, layout.MID, layout.LONG] == [HORIZON_CODE[h] for h in ("imminent", "mid", "long")]
    assert layout.SECURITY == LINE_CODE["security"]
    assert layout.N_DOMAINS == len(DOMAIN_CODE)
    assert layout.N_LINES == len(LINE_CODE)


def test_pack_net_puts_each_role_and_row_where_its_constant_says():
    n_units, n_edges = 3, 2
    # every row distinct, so a row packed in the wrong place shows
    unit_rows, edge_rows = layout.UNIT_INT_ROWS + layout.UNIT_FLOAT_ROWS, layout.EDGE_INT_ROWS + layout.EDGE_FLOAT_ROWS
    arrays = {name: np.arange(n_units) + 10 * k for k, name in enumerate(unit_rows)}
    arrays |= {name: np.arange(n_edges) + 100 * k for k, name in enumerate(edge_rows)}
    arrays |= {"adj_ptr": np.zeros((6, n_units + 1), np.int64), "fc": 7, "asifu": 8, "jmac": 9, "rotation_period": 180,
               "u2": 11, "n_facets": 4, "values_per_facet": 4, "facet_is_meta": np.array([0, 0, 1, 1]),
               "facets_needed": np.array([3, 2, 1]), "type_facet_mask": np.array([15, 3]),
               "trust_table": np.full((2, 1, 1), 0.5), "trust_pair_keys": np.array([1]),
               "trust_pair_values": np.array([0.3]), "unit_key": np.array([5, 6, 2**32]),
               "edge_key": np.array([2**63 + 1, 3], np.uint64)}
    mechanisms = {name: float(k) for k, name in enumerate(layout.PARAM_NAMES)}
    net = engine.pack_net(arrays, mechanisms)
    roles = net["roles"]
    assert (roles[layout.R_FC], roles[layout.R_ASIFU], roles[layout.R_JMAC]) == (7, 8, 9)
    assert (roles[layout.R_ROTATION], roles[layout.R_U2]) == (180, 11)
    np.testing.assert_array_equal(net["ui"][layout.U_SLOT], arrays["branch_slot"])
    np.testing.assert_array_equal(net["uf"][layout.U_LEAD], arrays["consumer_lead"])
    np.testing.assert_array_equal(net["ei"][layout.E_DIRECTIVE], arrays["edge_directive"])
    np.testing.assert_array_equal(net["ef"][layout.E_SHARE], arrays["edge_share"])
    assert net["params"][layout.P_FUSION_DELAY] == mechanisms["fusion_delay_days"]
    info = net["info"]
    assert (info[layout.IN_N_FACETS], info[layout.IN_VALUES], info[layout.IN_META_MASK]) == (4, 4, 0b1100)
    assert list(info[layout.IN_NEED_IMMINENT : layout.IN_NEED_LONG + 1]) == [3, 2, 1]
    np.testing.assert_array_equal(net["type_mask"], [15, 3])
    np.testing.assert_array_equal(net["ui"][layout.U_CONTRIBUTOR], arrays["trust_contributor"])
    np.testing.assert_array_equal(net["uf"][layout.U_TECH], arrays["tech"])
    np.testing.assert_array_equal(net["ei"][layout.E_DUTY], arrays["edge_duty"])
    assert net["params"][layout.P_DUTY] == mechanisms["reporting_duty"]
    assert (net["trust_pair_keys"].tolist(), net["trust_pair_values"].tolist()) == ([1], [0.3])
    assert net["unit_key"].dtype == net["edge_key"].dtype == np.uint64
    assert (net["unit_key"].tolist(), net["edge_key"].tolist()) == ([5, 6, 2**32], [2**63 + 1, 3])


def test_named_columns_and_rows_name_what_they_index():
    day = {
        layout.D_EVENTS: "events", layout.D_SEVERITY: "severity", layout.D_SEVERITY_MITIGATED: "severity_mitigated",
        layout.D_CREATED: "reports_created", layout.D_DELIVERED: "reports_delivered",
        layout.D_DROPPED: "reports_dropped", layout.D_HOPS: "hops", layout.D_FC_WARNED: "fc_warned",
        layout.D_IMMINENT_THREATS: "imminent_threats", layout.D_MEAN_TRUST: "mean_trust",
        layout.D_FUSION_QUEUE: "fusion_queue",
    }
    assert {k: layout.DAY_COLUMNS[k] for k in day} == day and len(day) == len(layout.DAY_COLUMNS)
    edge = {layout.EC_HOPS: "hops", layout.EC_DELIVERED: "delivered", layout.EC_WITHHELD: "withheld",
            layout.EC_SANITIZED: "sanitized", layout.EC_LOST: "lost"}
    assert {k: layout.EDGE_COUNT_COLUMNS[k] for k in edge} == edge and len(edge) == len(layout.EDGE_COUNT_COLUMNS)
    assert layout.COUNTER_NAMES[layout.C_ASSESS_LOG] == "assessment_log"
    assert layout.UNIT_INT_ROWS[layout.U_NSECTORS] == "unit_sector_count" and len(layout.UNIT_INT_ROWS) == 23
    assert layout.UNIT_INT_ROWS[layout.U_WEIGHS] == "consumer_weighs"
    assert layout.UNIT_INT_ROWS[layout.U_FUSION_ROLE] == "fusion_role"
    assert layout.UNIT_INT_ROWS[layout.U_CAP_START] == "capacity_start"
    assert layout.UNIT_FLOAT_ROWS[layout.U_LEAD] == "consumer_lead" and len(layout.UNIT_FLOAT_ROWS) == 12
    assert layout.UNIT_FLOAT_ROWS[layout.U_ACTION_THRESHOLD] == "consumer_action_threshold"
    assert layout.PATH_NAMES == contract.PATHS


def test_the_state_holds_nothing_per_branch_and_event_or_per_event_and_observer():
    """Per event the state keeps a few rows (its outcome, one word of observer bits), never a row per branch or
    per observer slot: those pairs live in the O(messages) hash tables (issue 15 §4). A large generated hierarchy
    (119 branches, 25 observer slots per sector) makes such a table obvious by its shape."""
    from missionfit.model.simulation import BatchSimulation
    from missionfit.scenario.loading import load

    sc = load("hierarchy", overrides={"n_units": 600})
    model = BatchSimulation(scenario=sc, seed=0, replicate=0, days=60)
    state, n_events = model.engine_state, model.engine_static.net.evf.shape[1]
    assert sc.arrays["n_branches"] > 100 and int(sc.arrays["cover_slot"].max()) >= 16
    arrays = {**state.flow._asdict(), **{k: v for k, v in state._asdict().items() if k != "flow"}}
    per_event = {name: a.shape for name, a in arrays.items() if n_events in a.shape}
    assert per_event, "the per-event state rows were not found"
    for name, shape in per_event.items():
        assert int(np.prod(shape)) // n_events <= layout.N_EVENT_STATE_FLOAT_ROWS, (name, shape)
    assert state.observed.shape == (n_events, 1) and state.observed.dtype == np.uint64
    assert not {"bi", "bf"} & set(arrays)
