"""The public Python API: compose a scenario spec, build it, run it (a contract, like the commands).

```python
import missionfit as mf

spec = mf.scenario_spec("minusma_2015", interventions=["jcb_directive"])  # plain dict, editable
sc = mf.build(spec, fit={"cultural": 0.5}, mechanisms={"trust_gain": 0.1})  # validated and compiled
res = mf.run(sc, replicates=20, seed=0, days=180)  # the numbers of the `missionfit` command
res.metrics, res.replicates, res.timeseries, res.flows, res.units, res.fc_latency
```

The names are re-exported by `missionfit` itself; see docs/api.md.
"""

from missionfit.api.results import Results, run
from missionfit.api.spec import build, scenario_spec
from missionfit.scenario.compiler import CompiledScenario as Scenario
from missionfit.scenario.errors import ScenarioError

__all__ = ["Results", "Scenario", "ScenarioError", "build", "run", "scenario_spec"]
