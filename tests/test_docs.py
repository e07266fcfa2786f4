"""The documentation stays true: the guide's commands run, every parameter is documented, the ODD is complete.

- `docs/guide.md`: every fenced ```bash block not preceded by `<!-- no-test -->` is run, in order, in one empty
  temporary directory (so later blocks see the files earlier ones wrote), with the virtual environment's `bin`
  first on PATH, and must exit 0.
- `docs/parameters.md`: every key of the composed default config, of the schema dataclasses, of the built-in
  unit defaults, of the experiment and Hydra config files, and of the launchers' resolved configs appears in it.
- `docs/ODD.md`: the ODD headings (Grimm et al. 2020) in order; every submodel names a passage of the paper.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from omegaconf import OmegaConf

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONFIGS = ROOT / "configs"
BIN = Path(sys.executable).parent

BLOCK = re.compile(r"(?P<skip><!--\s*no-test\s*-->[ \t]*\n)?```bash[ \t]*\n(?P<code>.*?)\n```", re.S)


def guide_blocks() -> list[tuple[bool, str]]:
    """(run it?, code) for every ```bash block of the guide, in order."""
    text = (DOCS / "guide.md").read_text(encoding="utf-8")
    return [(m.group("skip") is None, m.group("code")) for m in BLOCK.finditer(text)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["MPLBACKEND"] = "Agg"
    return env


# --------------------------------------------------------------------------------------------------
# guide


def test_guide_blocks_are_found_and_few_are_skipped():
    blocks = guide_blocks()
    skipped = [code for run, code in blocks if not run]
    assert len(blocks) - len(skipped) >= 10
    assert len(skipped) <= 4, skipped
    text = (DOCS / "guide.md").read_text(encoding="utf-8")
    # every no-test marker sits right before a bash block (a stray marker would silently do nothing)
    assert text.count("<!-- no-test -->") == len(skipped)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_guide_commands_run(tmp_path):
    for i, (run, code) in enumerate(guide_blocks()):
        if not run:
            continue
        proc = subprocess.run(
            ["bash", "-e", "-c", code], cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=900
        )
        assert proc.returncode == 0, f"guide block {i} failed:\n{code}\n--- stderr ---\n{proc.stderr[-4000:]}"


# --------------------------------------------------------------------------------------------------
# parameters

#: Subtrees of the composed scenario that are data (lists of units, maps keyed by group or kind), not keys;
#: their keys are covered by the schema dataclasses.
DATA_SUBTREES = (
    "scenario.units",
    "scenario.edges",
    "scenario.sectors",
    "scenario.event_types",
    "scenario.group_defaults",
    "scenario.kind_defaults",
    "scenario.trust.groups",
    "scenario.trust.pairs",
    "scenario.mandate_weights",
    "scenario.citation",
    "hydra.sweeper.params",
    "design.params",
)


def _keys(node, prefix: str = "") -> set[str]:
    """Dotted paths of every mapping key under `node`, skipping data subtrees and Hydra internals."""
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "defaults" or str(k).startswith("_"):
                continue
            path = f"{prefix}.{k}" if prefix else str(k)
            out.add(path)
            if path not in DATA_SUBTREES:
                out |= _keys(v, path)
    return out


def _documented_words() -> set[str]:
    text = (DOCS / "parameters.md").read_text(encoding="utf-8")
    words: set[str] = set()
    for span in re.findall(r"`([^`]+)`", text):
        words |= set(re.split(r"[^A-Za-z0-9_]+", span))
    return words


def _dataclass_fields() -> set[str]:
    from missionfit.runner import config as runner_config
    from missionfit.scenario import schema

    out: set[str] = set()
    for module in (schema, runner_config):
        for _, cls in inspect.getmembers(module, dataclasses.is_dataclass):
            if cls.__module__ == module.__name__:
                out |= {f"{cls.__name__}.{f.name}" for f in dataclasses.fields(cls)}
    return out


def _missing(paths: set[str], words: set[str]) -> list[str]:
    return sorted(p for p in paths if p.rsplit(".", 1)[-1] not in words)


def test_every_parameter_is_documented(compose_cfg):
    from missionfit.scenario import UNIT_DEFAULTS

    words = _documented_words()
    # the job config `missionfit --cfg job` prints, composed in-process (a fresh process costs seconds of imports)
    keys = _keys(OmegaConf.to_container(compose_cfg(), resolve=False))
    keys |= _dataclass_fields()
    keys |= _keys(UNIT_DEFAULTS, "UNIT_DEFAULTS")
    for path in sorted(CONFIGS.glob("experiment/*.yaml")) + sorted(CONFIGS.glob("hydra/**/*.yaml")):
        keys |= _keys(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, path.stem)
    assert not _missing(keys, words)


#: The plugin package behind each launcher config (the `slurm` config is the submitit plugin's).
LAUNCHER_PLUGINS = {"joblib": "hydra_joblib_launcher", "slurm": "hydra_submitit_launcher", "ray": "hydra_ray_launcher"}


# configs/hydra/launcher/ray.yaml deliberately shadows (and is validated against) the Ray plugin's node
@pytest.mark.filterwarnings(r"ignore:(?s).*validated against ConfigStore schema:UserWarning")
@pytest.mark.parametrize("launcher", sorted(LAUNCHER_PLUGINS))
def test_launcher_keys_are_documented(compose_cfg, launcher):
    import importlib.util

    if importlib.util.find_spec(f"hydra_plugins.{LAUNCHER_PLUGINS[launcher]}") is None:
        pytest.skip(f"the {launcher} launcher plugin is not installed")
    # what `missionfit hydra/launcher=<launcher> --cfg hydra -p hydra.launcher` prints, composed in-process
    cfg = compose_cfg(["scenario=hierarchy", f"hydra/launcher={launcher}"], return_hydra_config=True)
    keys = _keys(OmegaConf.to_container(cfg.hydra.launcher, resolve=False), "hydra.launcher")
    assert keys and not _missing(keys, _documented_words())


def test_parameters_page_states_defaults_and_honesty():
    from missionfit.scenario.schema import MechanismSpec

    text = (DOCS / "parameters.md").read_text(encoding="utf-8")
    assert "stylized, not measured" in text
    for f in dataclasses.fields(MechanismSpec):
        row = next((line for line in text.splitlines() if line.startswith(f"| `mechanisms.{f.name}`")), None)
        assert row is not None, f.name
        assert f"| {f.default} |" in row, (f.name, row)


# --------------------------------------------------------------------------------------------------
# ODD

ODD_HEADINGS = [
    "1 Purpose and patterns",
    "2 Entities, state variables, and scales",
    "3 Process overview and scheduling",
    "4 Design concepts",
    "4.1 Basic principles",
    "4.2 Emergence",
    "4.3 Adaptation",
    "4.4 Objectives",
    "4.5 Learning",
    "4.6 Prediction",
    "4.7 Sensing",
    "4.8 Interaction",
    "4.9 Stochasticity",
    "4.10 Collectives",
    "4.11 Observation",
    "5 Initialization",
    "6 Input data",
    "7 Submodels",
]


def test_odd_headings_in_order_and_submodels_cite_the_paper():
    text = (DOCS / "ODD.md").read_text(encoding="utf-8")
    headings = [h.strip() for h in re.findall(r"^#{2,3} (.+)$", text, re.M)]
    top = [h for h in headings if not re.match(r"7\.\d", h)]
    assert top == ODD_HEADINGS
    submodels = re.split(r"^### 7\.\d+ ", text.split("## 7 Submodels", 1)[1], flags=re.M)[1:]
    assert len(submodels) >= 10
    for body in submodels:
        assert re.search(r"\*Passages?\*:.*?pp?\. \d{3}", body, re.S), body.splitlines()[0]
    # the calibration patterns' tests (docs/validation.md §4) are named in the ODD's pattern table
    patterns = re.findall(r"^def (test_\w+)", (ROOT / "tests" / "test_patterns.py").read_text(encoding="utf-8"), re.M)
    assert len(patterns) >= 3
    for name in patterns:
        assert name in text, name


# --------------------------------------------------------------------------------------------------
# links


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("page", ["ODD.md", "parameters.md", "guide.md"])
def test_relative_links_resolve(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (DOCS / path).resolve() if path else DOCS / page
        assert file.exists(), (page, target)
        if anchor and file.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), re.M)
            assert anchor in {_slug(h) for h in headings}, (page, target)
