"""Readings the forty-ninth to fifty-second hand sets asked for (stop 41), each on a real
artefact: a variational layer's constant spread parameter, a loss column named only by its
kind beside its validation twin, a training loss that is exactly 0 (a softmax over a size-1
axis), ``backward(retain_graph=True)`` in a recurrent model's file, a regression head whose
early outputs happen to lie in [0, 1], a loss NaN from its first logged point under Adam, a
logged gradient norm that blows up, and a held-out score that levelled off by mid-run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.live_output import output_findings
from dldoctor.probes.live_structure import init_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.source_scan import source_findings
from tests.support import write_csv_log
from tests.support.forkcli import run


def _json(args: list) -> dict:
    out = run(["dldoctor", "diagnose", "--no-input", "--format", "json", *args],
              capture_output=True, text=True)
    assert out.returncode in (0, 1, 2), out.stderr
    return json.loads(out.stdout)


def _facts(report: dict) -> dict:
    return {f["fact"]: f["value"] for f in report["findings"]}


class _Bayesian(nn.Module):
    """Bayes by backprop: w = mu + softplus(rho) * eps, rho constant at -5 by the recipe."""

    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.w_mu = nn.Parameter(0.1 * torch.randn(n_out, n_in))
        self.w_rho = nn.Parameter(torch.full((n_out, n_in), -5.0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.w_mu + F.softplus(self.w_rho) * torch.randn_like(self.w_mu)
        return x @ w.t()


def test_a_variational_layers_constant_spread_is_no_zero_init() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(_Bayesian(4, 16), nn.ReLU(), _Bayesian(16, 1))
    found = {f.fact: f.value for f in init_findings(model)}
    assert found["init.all_zero"] is False and found["init.symmetric_rows"] is False
    stuck = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    for layer in (stuck[0], stuck[2]):  # the same constant on plain weights is a fault
        nn.init.constant_(layer.weight, -5.0)
    assert {f.fact: f.value for f in init_findings(stuck)}["init.all_zero"] is True


def test_a_loss_named_by_its_kind_beside_its_validation_twin_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ranker_log.jsonl"
    rows = [{"query": 50 * i, "epoch": i // 4, "listnet": 3.0 - 0.1 * i} for i in range(12)]
    rows += [{"epoch": e, "val_listnet": 3.0 - 0.3 * e, "val_ndcg@5": 0.3 + 0.1 * e}
             for e in range(3)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    metrics = read_log(path)
    assert metrics.series["loss"].column == "listnet"
    assert metrics.series["val_loss"].column == "val_listnet"
    assert metrics.series["val_score"].column == "val_ndcg@5"


_RANKER = '''
from torch import nn


def build():
    return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
'''


def test_a_loss_exactly_zero_from_the_start_is_a_softmax_over_a_size_one_axis(
        tmp_path: Path) -> None:
    """ListNet written for (queries, items) and called on one query's (items, 1) column: both
    softmaxes run over the size-1 axis, the loss is exactly 0 and nothing ever trains."""
    (tmp_path / "ranker.py").write_text(_RANKER)
    namespace: dict = {}
    exec(_RANKER, namespace)
    torch.manual_seed(0)
    model = namespace["build"]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(0)
    rows = []
    for _ in range(60):
        x = torch.randn(20, 6, generator=gen)
        rel = torch.rand(20, 1, generator=gen)
        loss = -(F.softmax(rel, dim=1) * F.log_softmax(model(x), dim=1)).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        rows.append(float(loss.detach()))
    torch.save({"net": model.state_dict(), "opt": opt.state_dict()}, tmp_path / "ranker.pt")
    log = write_csv_log(tmp_path / "log.csv", {"step": list(range(60)), "listnet_loss": rows})
    report = _json(["--checkpoint", tmp_path / "ranker.pt", "--log", log])
    assert _facts(report)["loss.exactly_zero"] is True
    assert report["diagnoses"][0]["cause"] == "softmax_wrong_dim"
    assert all(d["confidence"] < 0.5 for d in report["diagnoses"]
               if d["cause"] in ("gradient_not_flowing", "params_not_in_optimizer"))


def test_backward_retaining_the_graph_in_the_model_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "lm.py"
    path.write_text(
        "import torch\nfrom torch import nn\n\n"
        "def build():\n    return nn.GRU(8, 16, batch_first=True)\n\n"
        "def train(model, chunks, opt):\n    h = None\n    for x in chunks:\n"
        "        out, h = model(x, h)\n        loss = out.pow(2).mean()\n"
        "        opt.zero_grad()\n        loss.backward(retain_graph=True)\n        opt.step()\n")
    found = {f.fact: f for f in source_findings(f"{path}:build")}
    assert found["src.backward_retains_graph"].value is True
    assert "line 13" in str(found["src.backward_retains_graph"].evidence)
    plain = tmp_path / "plain.py"
    plain.write_text("def build():\n    pass\n\ndef step(loss):\n    loss.backward()\n")
    assert "src.backward_retains_graph" not in {f.fact for f in source_findings(
        f"{plain}:build")}


def test_a_regression_heads_outputs_in_the_unit_interval_are_no_probabilities() -> None:
    out = torch.linspace(0.003, 0.36, 64).reshape(64, 1)
    targets = torch.linspace(-3.6, 3.0, 64).reshape(64, 1)
    found = {f.fact: f.value for f in output_findings(out, None, targets)}
    assert found["output.is_probability"] is False
    labels = (targets > 0).float()
    assert {f.fact: f.value for f in output_findings(out, None, labels)}[
        "output.is_probability"] is True


_STANDARDISED = '''
import numpy as np
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        return self.body((x - x.mean(0)) / x.std(0))  # one constant column: 0 / 0


def build():
    return Net()
'''


def test_a_loss_nan_from_its_first_point_under_adam_is_the_forward_not_the_rate(
        tmp_path: Path) -> None:
    namespace: dict = {}
    exec(_STANDARDISED, namespace)
    torch.manual_seed(0)
    model = namespace["build"]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(256, 6, generator=gen)
    x[:, 3] = 1.0  # a feature that never varies
    y = (x[:, 0] > 0).long()
    losses = []
    for _ in range(6):
        for i in range(0, 256, 32):
            loss = F.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
        losses.append(float(loss.detach()))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "m.pt")
    log = write_csv_log(tmp_path / "log.csv", {"epoch": list(range(6)), "train_loss": losses,
                                              "val_acc": [0.48] * 6})
    report = _json(["--checkpoint", tmp_path / "m.pt", "--log", log])
    causes = [d["cause"] for d in report["diagnoses"]]
    assert causes[0] == "numerical_log_or_div_zero", causes
    assert "lr_too_high" not in causes[:1]


def test_a_logged_gradient_norm_that_blows_up_reads_as_exploding_gradients(
        tmp_path: Path) -> None:
    steps = list(range(5, 45, 5))
    grad = [9.8, 1.4e6, 4.9e13, float("inf"), float("inf"), float("nan"), float("nan"),
            float("nan")]
    loss = [4.8, 9.1e6, 1.2e17, 1.75e28, float("nan"), float("nan"), float("nan"),
            float("nan")]
    log = write_csv_log(tmp_path / "log.csv", {"step": steps, "mse": loss, "grad_norm": grad})
    report = _json(["--log", log])
    assert _facts(report)["grad.norm_blew_up"] is True
    assert "exploding_gradients" in [d["cause"] for d in report["diagnoses"]][:3]
    calm = write_csv_log(tmp_path / "calm.csv", {
        "step": list(range(40)), "mse": [1.0 / (1 + s) for s in range(40)],
        "grad_norm": [2.0 + 0.5 * (s % 3) for s in range(40)]})
    assert _facts(_json(["--log", calm]))["grad.norm_blew_up"] is False


def test_a_held_out_score_that_levelled_off_by_mid_run_is_no_rate_too_low(
        tmp_path: Path) -> None:
    """A ranking loss that keeps easing while validation MRR stopped improving at epoch 4."""
    epochs = list(range(10))
    mrr = [0.043, 0.106, 0.170, 0.199, 0.208, 0.209, 0.209, 0.219, 0.213, 0.205]
    log = write_csv_log(tmp_path / "metrics.csv", {
        "epoch": epochs, "train_loss": [1.386 - 0.1 * e for e in epochs],
        "val_loss": [1.38 - 0.09 * e for e in epochs], "val_mrr": mrr})
    facts = _facts(_json(["--log", log]))
    assert facts["val.metric_converged"] is True
    climbing = write_csv_log(tmp_path / "slow.csv", {
        "epoch": epochs, "train_loss": [1.386 - 0.02 * e for e in epochs],
        "val_loss": [1.38 - 0.02 * e for e in epochs],
        "val_mrr": [0.04 + 0.02 * e for e in epochs]})
    assert _facts(_json(["--log", climbing]))["val.metric_converged"] is False


def test_an_optimizer_stepped_and_never_zeroed_in_the_model_file_is_read(
        tmp_path: Path) -> None:
    """Reptile's inner loop: ``inner_opt.step()`` with no ``inner_opt.zero_grad()``, while
    another optimizer in the file is zeroed; a file that zeroes through the model is fine."""
    path = tmp_path / "reptile.py"
    path.write_text(
        "import torch\n\n"
        "def build():\n    return torch.nn.Linear(1, 1)\n\n"
        "def adapt(fast, xs, ys):\n    opt = torch.optim.SGD(fast.parameters(), lr=0.01)\n"
        "    opt.zero_grad()\n    ((fast(xs) - ys) ** 2).mean().backward()\n    opt.step()\n\n"
        "def train(model, tasks):\n"
        "    inner_opt = torch.optim.SGD(model.parameters(), lr=0.02)\n"
        "    for xs, ys in tasks:\n        ((model(xs) - ys) ** 2).mean().backward()\n"
        "        inner_opt.step()\n")
    found = {f.fact: f for f in source_findings(f"{path}:build")}
    assert found["src.optimizer_never_zeroed"].value is True
    assert "inner_opt" in str(found["src.optimizer_never_zeroed"].evidence)
    zeroed = tmp_path / "zeroed.py"
    zeroed.write_text(path.read_text().replace("        inner_opt.step()\n",
                                               "        inner_opt.step()\n"
                                               "        model.zero_grad()\n"))
    assert "src.optimizer_never_zeroed" not in {f.fact for f in source_findings(
        f"{zeroed}:build")}


def test_a_garbled_row_with_no_step_and_no_loss_is_skipped_not_read_as_inf(
        tmp_path: Path) -> None:
    rows = ["global_step,train_mse,val_mse,lr"]
    rows += [f"{s},{1.0 / (1 + s):.4f},,0.002" for s in range(60)]
    rows.insert(30, "nan,inf,hello,-")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(rows) + "\n")
    metrics = read_log(path)
    assert bool(np.isfinite(metrics.series["loss"].values).all())
    assert any("corrupt" in str(note) for note in metrics.unused)
    report = _json(["--log", path])
    assert _facts(report)["loss.non_finite"] is False


def test_targets_that_mark_the_positive_among_scored_candidates_are_no_single_class() -> None:
    """Skip-gram with negatives: each row scores its K context ids and the target is 1 at the
    positive's position, 0 at the negatives' — the same row for every sample by construction.
    A text classifier's token ids are no candidates: one class there is still one class."""
    from dldoctor.probes.live_forward import label_findings
    from dldoctor.probes.models import Batch

    gen = torch.Generator().manual_seed(0)
    centre = torch.randint(0, 50, (64,), generator=gen)
    context = torch.randint(0, 50, (64, 6), generator=gen)
    targets = torch.zeros(64, 6)
    targets[:, 0] = 1.0
    batch = Batch(centre, targets, Path("batch.pt"), named={"context": context})
    scores = torch.randn(64, 6, generator=gen)
    found = {f.fact: f.value for f in label_findings(batch, scores)}
    assert found["batch.single_class"] is False
    tokens = torch.randint(0, 50, (64, 12), generator=gen)
    one_class = Batch(tokens, torch.zeros(64, dtype=torch.long), Path("batch.pt"))
    logits = torch.randn(64, 3, generator=gen)
    assert {f.fact: f.value for f in label_findings(one_class, logits)}[
        "batch.single_class"] is True


def test_a_step_time_that_climbs_within_every_epoch_is_a_carried_recurrent_state(
        tmp_path: Path) -> None:
    """Truncated BPTT without ``detach()``: step k back-propagates through all k chunks, so
    the run's own logged time per batch climbs within each epoch and drops at the next."""
    epochs, steps, times, losses = [], [], [], []
    for e in range(3):
        for k in range(6):
            epochs.append(e)
            steps.append(6 * e + k)
            times.append(20.0 + 60.0 * k + (k % 2) * 7)
            losses.append(2.8 - 0.02 * (6 * e + k))
    log = write_csv_log(tmp_path / "lm_log.csv", {"it": steps, "epoch": epochs,
                                                  "loss": losses, "ms_batch": times})
    report = _json(["--log", log])
    assert _facts(report)["runtime.step_time_grows"] is True
    assert report["diagnoses"][0]["cause"] == "rnn_state_not_detached"
    steady = write_csv_log(tmp_path / "steady.csv", {
        "it": steps, "epoch": epochs, "loss": losses,
        "ms_batch": [20.0 + 15 * ((7 * i) % 5) for i in range(len(steps))]})
    assert _facts(_json(["--log", steady]))["runtime.step_time_grows"] is False


def test_logs_named_after_their_objective_and_a_held_out_split_are_read(
        tmp_path: Path) -> None:
    """The fifty-third set's healthy GloVe and IWAE logs had been refused (exit 2): a weighted
    least-squares pair under ``_train``/``_heldout``, a negated bound beside its held-out
    reading."""
    glove = write_csv_log(tmp_path / "glove_log.csv", {
        "epoch": list(range(6)), "wls_train": [0.84 / (1 + e) for e in range(6)],
        "wls_heldout": [0.47 / (1 + e) for e in range(6)], "nn_topic_purity": [1.0] * 6})
    metrics = read_log(glove)
    assert (metrics.series["loss"].column, metrics.series["val_loss"].column) == (
        "wls_train", "wls_heldout")
    iwae = tmp_path / "iwae_log.jsonl"
    rows = [{"it": 10 * i, "neg_iwae_bound": 42.5 - 0.3 * i} for i in range(1, 13)]
    rows += [{"it": 30 * e, "ep": e, "heldout_neg_iwae50": 38.8 - 0.4 * e} for e in range(1, 5)]
    iwae.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    metrics = read_log(iwae)
    assert metrics.series["loss"].column == "neg_iwae_bound"
    assert "heldout_neg_iwae50" in {s.column for s in metrics.series.values()}


def test_a_momentum_free_sgd_group_keeps_no_state_and_that_is_no_missing_gradient(
        tmp_path: Path) -> None:
    """A center loss's centers in an SGD group with momentum 0 beside a body with momentum
    0.9: the centers train (they move) but keep no buffer; only the body's tensors count."""
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.static_probes import probe_optimizer

    torch.manual_seed(0)
    body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    centers = nn.Parameter(torch.zeros(3, 3))
    opt = torch.optim.SGD([{"params": body.parameters(), "momentum": 0.9},
                           {"params": [centers], "momentum": 0.0}], lr=0.1)
    x, y = torch.randn(32, 4), torch.randint(0, 3, (32,))
    for _ in range(5):
        out = body(x)
        loss = F.cross_entropy(out, y) + ((out - centers[y]) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert centers.abs().sum() > 0  # the centers trained
    state = {f"body.{k}": v for k, v in body.state_dict().items()}
    state["centers"] = centers.detach()
    torch.save({"state_dict": state, "optimizer": opt.state_dict()}, tmp_path / "c.pt")
    found = {f.fact: f.value for f in probe_optimizer(Inputs(checkpoint=tmp_path / "c.pt"),
                                                      ProbeContext())}
    assert found["optimizer.never_stepped_share"] == 0
