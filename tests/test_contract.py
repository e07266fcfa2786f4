"""The output contract (missionfit.contract) against a real run, the synthetic fixture, provenance and CHANGELOG.md.

A tiny real run (minusma_2015, 2 replicates, 30 days) is made once per module; its files must hold exactly the
contract's names, in the declared order and dtype families, and `tests/synthetic.py` must write the same shapes.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import OmegaConf

import synthetic
from missionfit import contract
from missionfit.contract import Kind
from missionfit.paths import config_dir
from missionfit.runner import provenance
from missionfit.runner.run import execute_run, flatten_metrics
from missionfit.scenario import schema

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> tuple[Path, dict]:
    """A real run directory and its composed config (as plain data)."""
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        cfg = compose(config_name="config", overrides=["sim.replicates=2", "sim.days=30", "sim.progress=false"])
    GlobalHydra.instance().clear()
    out = tmp_path_factory.mktemp("real") / "run"
    execute_run(cfg, out)
    return out, OmegaConf.to_container(cfg, resolve=True)


def dtype_family(series: pd.Series) -> str:
    """The contract's dtype family of a pandas column."""
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    if pd.api.types.is_string_dtype(series):
        return "str"
    return str(series.dtype)


def check_table(frame: pd.DataFrame, table: contract.Table) -> None:
    """`frame` has the declared columns, in order, with their dtype families (and nothing else unless open)."""
    names = list(frame.columns)
    if table.open:
        assert names[: len(table.names)] == list(table.names), table.file
    else:
        assert names == list(table.names), table.file
    for col in table.columns:
        assert dtype_family(frame[col.name]) == col.dtype, (table.file, col.name, frame[col.name].dtype)


# ----------------------------------------------------------------------------------------------------------------
# a real run holds exactly the contract's names


def test_a_replicate_produces_exactly_the_declared_metrics(real_run):
    run, _ = real_run
    rep = pd.read_parquet(run / contract.REPLICATES_FILE)
    assert [c for c in rep.columns if c not in ("replicate", "seed")] == list(contract.REPLICATE_METRICS)
    check_table(rep, contract.REPLICATES)


def test_metrics_json_has_exactly_the_contract_names(real_run):
    run, _ = real_run
    metrics = json.loads((run / contract.METRICS_FILE).read_text())
    assert list(metrics) == list(contract.METRICS_JSON_KEYS)
    run_level = {contract.CI_KEY, *(m.name for m in contract.METRICS if not m.per_replicate)}
    per_replicate = {k: v for k, v in metrics.items() if k not in run_level}
    assert list(flatten_metrics(per_replicate)) == list(contract.REPLICATE_METRICS)
    intervals = flatten_metrics(metrics[contract.CI_KEY])  # [low, high] leaves mirror the per-replicate metrics
    assert list(intervals) == list(contract.REPLICATE_METRICS)
    assert all(isinstance(v, list) and len(v) == 2 for v in intervals.values())
    assert metrics["replicates"] == 2 and metrics["wall_seconds"] > 0


def test_values_respect_their_kinds(real_run):
    run, _ = real_run
    rep = pd.read_parquet(run / contract.REPLICATES_FILE)
    for name in contract.REPLICATE_METRICS:
        kind = contract.metric(name).kind
        values = rep[name].to_numpy(dtype=float)
        if kind in contract.UNIT_INTERVAL_KINDS:
            assert all(math.isnan(v) or 0.0 <= v <= 1.0 for v in values), name
        elif kind is Kind.COUNT:
            assert (values >= 0).all() and pd.api.types.is_integer_dtype(rep[name]), name
    ts = pd.read_parquet(run / contract.TIMESERIES_FILE)
    for name in contract.columns_of_kind(contract.TIMESERIES_FILE, *contract.UNIT_INTERVAL_KINDS):
        assert ts[name].dropna().between(0.0, 1.0).all(), name


@pytest.mark.parametrize("file", sorted(contract.RUN_TABLE_SCHEMAS))
def test_run_tables_have_the_declared_columns_and_dtypes(real_run, file):
    run, _ = real_run
    check_table(pd.read_parquet(run / file), contract.RUN_TABLE_SCHEMAS[file])


def test_a_run_directory_holds_every_contract_file(real_run):
    run, _ = real_run
    # and the optional events and trust tables, which a single run writes by default (`sim.events_table`,
    # `sim.trust_table`)
    assert sorted(p.name for p in run.iterdir() if p.is_file()) == sorted(
        (*contract.RUN_FILES, contract.EVENTS_FILE, contract.TRUST_FILE)
    )


@pytest.mark.parametrize("file", sorted(contract.OPTIONAL_TABLE_SCHEMAS))
def test_optional_tables_have_the_declared_columns_and_dtypes(real_run, file):
    run, _ = real_run
    check_table(pd.read_parquet(run / file), contract.OPTIONAL_TABLE_SCHEMAS[file])


def test_mandate_lines_and_fit_dimensions_are_the_schemas():
    assert contract.MANDATE_LINES == tuple(schema.MANDATE_LINES)
    assert contract.FIT_DIMENSIONS == tuple(f.name for f in dataclasses.fields(schema.FitSpec))
    fit_index = [m.name.split(".", 1)[1] for m in contract.METRICS if m.group == "fit_index"]
    assert tuple(fit_index) == contract.FIT_DIMENSIONS


# ----------------------------------------------------------------------------------------------------------------
# the synthetic fixture cannot drift from the real outputs


def test_synthetic_run_has_the_shapes_of_a_real_run(real_run, tmp_path):
    run, _ = real_run
    fake = synthetic.write_run(tmp_path / "fake", n=3, days=12)
    for file, table in contract.RUN_TABLE_SCHEMAS.items():
        got, real = pd.read_parquet(fake / file), pd.read_parquet(run / file)
        check_table(got, table)
        if table.open:  # the units' attributes: a subset of the real ones, with the real dtypes
            assert set(got.columns) <= set(real.columns), set(got.columns) - set(real.columns)
        else:
            assert list(got.columns) == list(real.columns)
        assert {c: dtype_family(got[c]) for c in got} == {c: dtype_family(real[c]) for c in got}, file
    fake_metrics = json.loads((fake / contract.METRICS_FILE).read_text())
    real_metrics = json.loads((run / contract.METRICS_FILE).read_text())
    assert list(fake_metrics) == list(real_metrics)
    assert list(flatten_metrics(fake_metrics[contract.CI_KEY])) == list(flatten_metrics(real_metrics[contract.CI_KEY]))


# ----------------------------------------------------------------------------------------------------------------
# kinds: one definition of a share


def test_one_definition_of_a_share():
    # the three lists that once disagreed: the forest plot took this for a fraction, the tables for a share
    assert contract.is_unit_interval("u2_asifu_receipt_from_sf_isr")
    assert contract.kind_of("wall_seconds") is Kind.SECONDS and not contract.is_unit_interval("wall_seconds")
    assert contract.is_unit_interval("goal_realization_by_line.security")
    assert contract.kind_of("fit_index.cultural") is Kind.INDEX and contract.is_unit_interval("fit_index.cultural")
    assert contract.kind_of("events_total") is Kind.COUNT and not contract.is_unit_interval("hops")
    assert contract.kind_of("fit.cultural") is None  # a swept knob, not an output
    assert contract.kind_of("latency_days", contract.FC_LATENCY_FILE) is Kind.DAYS
    with pytest.raises(KeyError, match="not a metric of the output contract"):
        contract.metric("goal_realisation")


def test_every_metric_has_a_meaning_and_a_unique_name():
    names = [m.name for m in contract.METRICS]
    assert len(names) == len(set(names))
    assert all(m.meaning and "\n" not in m.meaning for m in contract.METRICS)
    for table in contract.RUN_TABLE_SCHEMAS.values():
        assert len(table.names) == len(set(table.names)) and all(c.meaning for c in table.columns)


def test_the_contract_imports_nothing_heavy():
    code = (
        "import sys; import missionfit.contract; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'pandas', 'numba', 'hydra', 'omegaconf')"
        " or (m.startswith('missionfit.') and not m.startswith('missionfit.contract'))); print(bad);"
        " sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr


# ----------------------------------------------------------------------------------------------------------------
# arms


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        (None, "[]"),
        ("", "[]"),
        ("baseline", "[]"),
        ("[]", "[]"),
        (float("nan"), "[]"),
        ("jcb_directive+integrate_u2_asifu", "[integrate_u2_asifu,jcb_directive]"),
        ("[jcb_directive, integrate_u2_asifu]", "[integrate_u2_asifu,jcb_directive]"),
        (["jcb_directive", "integrate_u2_asifu"], "[integrate_u2_asifu,jcb_directive]"),
        ('{"jcb_directive": {"description": "x"}}', "[jcb_directive]"),
        ({"liaison_officers": {}}, "[liaison_officers]"),
        ("all", "[all]"),
    ],
)
def test_arm_keys(spelling, key):
    assert contract.arm_key(spelling) == key


# ----------------------------------------------------------------------------------------------------------------
# provenance and the changelog


def test_provenance_carries_versions_and_the_scenario_hash(real_run):
    run, cfg = real_run
    prov = json.loads((run / contract.PROVENANCE_FILE).read_text())
    assert prov["contract_version"] == contract.CONTRACT_VERSION
    assert prov["package_version"] == provenance.package_version("missionfit")
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", prov["scenario_hash"])
    # the hash of the scenario as run: composed (`extends:` resolved), as the run's config.yaml records it
    recorded = yaml.safe_load((run / contract.CONFIG_FILE).read_text())
    assert prov["scenario_hash"] == provenance.scenario_hash(recorded["scenario"], recorded["interventions"])
    assert prov["scenario_hash"] != provenance.scenario_hash(cfg["scenario"], cfg["interventions"]) or not (
        cfg["scenario"].get("extends")
    )  # not the file's unresolved keys


def test_scenario_hash_follows_content_not_key_order():
    scenario = {"name": "s", "units": [{"id": "a", "kind": "x"}, {"id": "b", "kind": "y"}], "rotation_days": 90}
    h = provenance.scenario_hash(scenario)
    assert provenance.scenario_hash(dict(reversed(list(scenario.items())))) == h  # key order carries no meaning
    units_swapped = {**scenario, "units": scenario["units"][::-1]}
    assert provenance.scenario_hash(units_swapped) != h  # unit order drives the order of random draws
    assert provenance.scenario_hash({**scenario, "rotation_days": 91}) != h
    assert provenance.scenario_hash(scenario, {"jcb_directive": {"edges": []}}) != h


def test_contract_version_and_changelog_entry():
    assert re.fullmatch(r"\d+\.\d+", contract.CONTRACT_VERSION)
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(rf"^## \[{re.escape(contract.CONTRACT_VERSION)}\].*?(?=^## \[|\Z)", text, re.M | re.S)
    assert match, f"CHANGELOG.md has no section for contract {contract.CONTRACT_VERSION}"
    entry = match.group(0)
    for name in (*contract.RUN_FILES, *contract.SWEEP_FILES, *(m.name for m in contract.METRICS)):
        assert f"`{name}`" in entry, f"CHANGELOG.md's {contract.CONTRACT_VERSION} entry does not list {name}"


def test_tables_of_a_real_run_print_the_intervals_of_metrics_json(real_run, tmp_path):
    # one Student-t routine: missionfit-tables' CSV and the runner's metrics.json give the same interval
    run, _ = real_run
    res = subprocess.run(
        [sys.executable, "-m", "missionfit.cli.tables", "baseline", str(run), str(tmp_path / "t")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(tmp_path / "t" / "metrics.csv").set_index("metric")
    intervals = flatten_metrics(json.loads((run / contract.METRICS_FILE).read_text())[contract.CI_KEY])
    assert list(table.index) == list(contract.REPLICATE_METRICS)
    for name, (low, high) in intervals.items():
        if low is not None:  # null: no interval (a NaN share in every replicate)
            assert (table.loc[name, "ci_low"], table.loc[name, "ci_high"]) == pytest.approx((low, high), rel=1e-12)
    tex = (tmp_path / "t" / "metrics.tex").read_text()
    assert tex.startswith("% Written by missionfit-tables from run/replicates.parquet")
