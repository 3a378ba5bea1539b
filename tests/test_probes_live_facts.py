"""Live facts on tiny untrained models: probe losses for any task, gradient membership,
fresh-model init, activations judged from values, module structure, shapes, time steps."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import (
    probe_backward,
    probe_forward,
    probe_lr_sweep,
    probe_overfit,
)
from dldoctor.probes.losses import class_count, loss_for
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, values_of

_HEADER = "import torch\nfrom torch import nn\nimport torch.nn.functional as F\n\n"


def _inputs(tmp_path: Path, name: str, source: str, x: torch.Tensor,
            y: torch.Tensor | None) -> Inputs:
    """Write ``source`` (defining ``make()``) and the batch; return live-only inputs."""
    factory = tmp_path / f"{name}.py"
    factory.write_text(_HEADER + source)
    batch = tmp_path / f"{name}_batch.pt"
    torch.save((x, y) if y is not None else x, batch)
    return Inputs(model=f"{factory}:make", batch=batch, device="cpu")


def _facts(probe, inputs: Inputs, probe_id: str) -> tuple[dict[str, object], list[str]]:
    ctx = ProbeContext()
    return values_of(check_findings(probe(inputs, ctx), probe_id)), ctx.notes


_MLP = '''
class Net(nn.Module):
    def __init__(self, out=3, end=None):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(16, out)
        self.end = end

    def forward(self, x):
        h = self.act(self.fc1(x))
        out = self.fc2(h.detach() if self.end == "detach" else h)
        if self.end == "softmax":
            return torch.softmax(out, 1)
        return torch.sigmoid(out) if self.end == "sigmoid" else out
'''
X = torch.randn(24, 8, generator=torch.Generator().manual_seed(0))
Y3 = torch.arange(24) % 3


def test_probe_loss_follows_shapes_and_values() -> None:
    logits = torch.randn(6, 3)
    assert loss_for(logits, torch.tensor([0, 1, 2, 0, 1, 2]))[1] == "cross-entropy"
    probs = torch.rand(6, 1)
    assert "probabilities" in loss_for(probs, torch.tensor([0, 1, 1, 0, 1, 0]))[1]
    assert "logits" in loss_for(probs * 8 - 4, torch.tensor([0, 1, 1, 0, 1, 0]))[1]
    soft = torch.softmax(torch.randn(6, 3), 1)
    assert loss_for(logits, soft)[1] == "cross-entropy (soft labels)"
    assert loss_for(torch.randn(6, 1), torch.randn(6))[1] == "MSE (shapes aligned)"
    with pytest.raises(ValueError, match="range"):
        loss_for(logits, torch.tensor([0, 1, 2, 3, 4, 5]))
    assert class_count(torch.randn(6, 1), torch.tensor([0, 1, 1, 0, 1, 0])) == 2
    assert class_count(logits, torch.tensor([0, 1, 1, 0, 1, 0])) == 3


def test_binary_sigmoid_model_runs_every_live_probe(tmp_path: Path) -> None:
    y = (X[:, 0] > 0).long()
    inputs = _inputs(tmp_path, "binary", _MLP + "\ndef make():\n    torch.manual_seed(0)\n"
                     "    return Net(out=1, end='sigmoid')\n", X, y)
    forward, _ = _facts(probe_forward, inputs, "live.forward")
    assert forward["output.is_probability"] is True
    assert forward["output.is_softmax"] is False  # one sigmoid column
    assert forward["batch.single_class"] is False
    backward, notes = _facts(probe_backward, inputs, "live.backward")
    assert backward["grad.none_params"] is False and not notes
    overfit, _ = _facts(probe_overfit, inputs, "live.overfit_batch")
    assert overfit["overfit.outcome"] != UNKNOWN
    sweep, _ = _facts(probe_lr_sweep, inputs, "live.lr_sweep")
    assert sweep["lr_sweep.best_over_current"] > 0


def test_unpairable_targets_give_unknown_not_a_crash(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, "bad", _MLP + "\ndef make():\n    return Net()\n", X,
                     torch.full((24,), 7))
    backward, notes = _facts(probe_backward, inputs, "live.backward")
    assert backward["grad.none_params"] is UNKNOWN
    assert any("could not run" in n for n in notes)


@pytest.mark.parametrize(("setup", "none", "zero", "frozen"), [
    ("nn.init.constant_(model.fc1.bias, -20.0)", False, True, False),  # dead ReLUs
    ("model.fc1.requires_grad_(False)", False, False, True),
    ("model.end = 'detach'", True, False, False),
])
def test_gradient_membership(tmp_path: Path, setup: str, none: bool, zero: bool,
                             frozen: bool) -> None:
    source = _MLP + f"\ndef make():\n    model = Net()\n    {setup}\n    return model\n"
    backward, _ = _facts(probe_backward, _inputs(tmp_path, "grad", source, X, Y3),
                         "live.backward")
    assert (backward["grad.none_params"], backward["grad.zero_params"],
            backward["grad.frozen_params"]) == (none, zero, frozen)


def test_fresh_model_init_and_functional_sigmoid(tmp_path: Path) -> None:
    zero = _MLP + ("\ndef make():\n    model = Net(end='sigmoid')\n    for p in model.parameters():"
                   "\n        if p.dim() > 1:\n            nn.init.zeros_(p)\n    return model\n")
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "zero", zero, X, Y3), "live.forward")
    assert forward["init.all_zero"] is True and forward["init.symmetric_rows"] is True
    sigmoid = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net(end='sigmoid')\n"
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "sig", sigmoid, X, Y3), "live.forward")
    assert forward["output.activation_after_logits"] is True
    assert forward["output.is_softmax"] is False  # three sigmoids: rows do not sum to 1
    assert forward["init.all_zero"] is False and forward["init.symmetric_rows"] is False
    softmax = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net(end='softmax')\n"
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "soft", softmax, X, Y3), "live.forward")
    assert forward["output.is_softmax"] is True and forward["output.is_probability"] is True
    plain = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net()\n"
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "plain", plain, X, Y3), "live.forward")
    assert forward["output.activation_after_logits"] is False
    assert forward["output.is_probability"] is False
    assert forward["output.is_softmax"] is False
    assert forward["batch.size"] == 24 and forward["batch.shape_mismatch"] is False


def test_dropout_placement_and_rate(tmp_path: Path) -> None:
    cnn = ("def make():\n    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Dropout(0.3),"
           " nn.Flatten(), nn.Linear(64, 3))\n")
    images = torch.randn(4, 1, 6, 6)
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "cnn", cnn, images, Y3[:4]),
                        "live.forward")
    assert forward["arch.dropout_after_conv"] is True
    assert forward["arch.dropout_rate_max"] == pytest.approx(0.3)
    mlp = ("def make():\n    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.9), "
           "nn.Linear(16, 3))\n")
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "mlp", mlp, X, Y3), "live.forward")
    assert forward["arch.dropout_after_conv"] is False
    assert forward["arch.dropout_rate_max"] == pytest.approx(0.9)


def test_regression_shape_mismatch_and_prediction_spread(tmp_path: Path) -> None:
    source = "def make():\n    torch.manual_seed(0)\n    return nn.Linear(8, 1)\n"
    model = tmp_path / "reg.py"
    model.write_text(_HEADER + source)
    torch.manual_seed(0)
    net = torch.nn.Linear(8, 1)
    torch.nn.init.zeros_(net.weight)  # a trained model that predicts one value for all
    checkpoint = tmp_path / "reg.pt"
    torch.save(net.state_dict(), checkpoint)
    y = X[:, 0] * 3
    batch = tmp_path / "reg_batch.pt"
    torch.save((X, y), batch)
    inputs = Inputs(checkpoint=checkpoint, model=f"{model}:make", batch=batch, device="cpu")
    forward, _ = _facts(probe_forward, inputs, "live.forward")
    assert forward["batch.shape_mismatch"] is True
    assert forward["output.target_std_ratio"] < 0.01
    torch.save((X, y[:, None]), batch)
    forward, _ = _facts(probe_forward, Inputs(model=f"{model}:make", batch=batch,
                                              device="cpu"), "live.forward")
    assert forward["batch.shape_mismatch"] is False
    assert "output.target_std_ratio" not in forward  # the factory's weights: not measured


_RNN = '''
class Net(nn.Module):
    def __init__(self, mean):
        super().__init__()
        self.rnn = nn.RNN(3, 16, batch_first=True)
        self.head = nn.Linear(16, 3)
        self.mean = mean

    def forward(self, x):
        seq, _ = self.rnn(x)
        return self.head(seq.mean(1) if self.mean else seq[:, -1])


def make():
    torch.manual_seed(0)
    model = Net(MEAN)
    with torch.no_grad():
        model.rnn.weight_hh_l0.mul_(0.2)
    return model
'''


def test_gradient_through_time(tmp_path: Path) -> None:
    x = torch.randn(8, 40, 3)
    ratios = {}
    for mean in (False, True):
        inputs = _inputs(tmp_path, f"rnn{mean}", _RNN.replace("MEAN", str(mean)), x, Y3[:8])
        ratios[mean] = _facts(probe_backward, inputs, "live.backward")[0]["grad.time_ratio"]
    assert ratios[False] < 1e-6 < 0.1 < ratios[True]


def test_half_precision_weights(tmp_path: Path) -> None:
    net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    for dtype, half in ((torch.float16, True), (torch.float32, False)):
        path = tmp_path / f"w_{half}.pt"
        torch.save(net.to(dtype).state_dict(), path)
        found = values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                         "checkpoint.weights"))
        assert found["weights.dtype_half"] is half


def test_non_finite_forward_is_located(tmp_path: Path) -> None:
    source = _MLP + ("\ndef make():\n    model = Net()\n    nn.init.constant_(model.fc1.weight, "
                     "3e38)\n    return model\n")
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "inf", source, X.abs() + 1, Y3),
                        "live.forward")
    assert forward["forward.non_finite"] is True
    assert forward["forward.first_non_finite_layer"] == "fc1"


def test_dead_units_are_counted_in_the_fresh_model_and_only_on_enough_samples(
        tmp_path: Path) -> None:
    source = _MLP + ("\ndef make():\n    model = Net()\n"
                     "    nn.init.constant_(model.fc1.bias, -20.0)\n    return model\n")
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "dead", source, X, Y3), "live.forward")
    assert forward["init.dead_relu_fraction"] == 1.0
    assert forward["act.dead_relu_fraction"] == 1.0
    healthy = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net()\n"
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "alive", healthy, X, Y3), "live.forward")
    assert forward["init.dead_relu_fraction"] < 0.2
    one = _inputs(tmp_path, "one", healthy, X[:1], Y3[:1])  # one sample: half the units are off
    forward, _ = _facts(probe_forward, one, "live.forward")
    assert "act.dead_relu_fraction" not in forward and "init.dead_relu_fraction" not in forward


def test_a_second_head_the_probe_loss_does_not_score_is_not_cut_from_the_graph(
        tmp_path: Path) -> None:
    """A Gaussian regression net returns (mean, log_var): dldoctor's loss scores the first
    output only, and the variance head had read as 'gets no gradient at all'."""
    source = '''
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(8, 16)
        self.mean = nn.Linear(16, 1)
        self.log_var = nn.Linear(16, 1)
        self.unused = nn.Linear(16, 1)

    def forward(self, x):
        h = torch.relu(self.body(x))
        return self.mean(h).squeeze(1), self.log_var(h).squeeze(1)

def make():
    torch.manual_seed(0)
    return Net()
'''
    inputs = _inputs(tmp_path, "gauss", source, X, torch.randn(24))
    backward, _ = _facts(probe_backward, inputs, "live.backward")
    assert backward["grad.none_params"] is True  # the head no output uses is still found
    found = check_findings(probe_backward(inputs, ProbeContext()), "live.backward")
    none = next(f for f in found if f.fact == "grad.none_params").details["none"]
    assert none == ["unused.weight", "unused.bias"]


def test_raw_scores_that_happen_to_lie_in_the_unit_interval_are_logits(tmp_path: Path) -> None:
    """A collapsed classifier whose last Linear gives scores in [0.08, 0.2] (the fourth hand
    set's ECG net with shifted labels) had read as 'went through a sigmoid'."""
    source = _MLP + ("\ndef make():\n    torch.manual_seed(0)\n    model = Net()\n"
                     "    nn.init.normal_(model.fc2.weight, std=1e-3)\n"
                     "    nn.init.constant_(model.fc2.bias, 0.15)\n    return model\n")
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "flat", source, X, Y3), "live.forward")
    assert forward["output.activation_after_logits"] is False
    assert forward["output.is_probability"] is False
    squashed = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net(end='sigmoid')\n"
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "sq", squashed, X, Y3), "live.forward")
    assert forward["output.activation_after_logits"] is True  # a functional sigmoid after fc2


def test_attention_query_and_key_gradients_do_not_stand_for_the_first_layer() -> None:
    """In a freshly built BERT or RoBERTa the first query projection's gradient is ~1e-6
    while the value projection beside it gets 1e-2: attention near uniform, not a vanishing
    signal (the fourth hand set's HF runs had read as vanishing gradients 0.69)."""
    from dldoctor.probes.live_gradients import GradientReport, gradient_findings

    report = GradientReport(1.6, "cross-entropy", norms={
        "bert.encoder.layer.0.attention.self.query.weight": 2e-6,
        "bert.encoder.layer.0.attention.self.key.weight": 2e-6,
        "bert.encoder.layer.0.attention.self.value.weight": 0.01,
        "classifier.weight": 0.05})
    ratio = next(f for f in gradient_findings(report) if f.fact == "grad.first_last_ratio")
    assert ratio.value == pytest.approx(0.2)


def test_a_language_model_that_flattens_batch_and_time_pairs_with_its_targets(
        tmp_path: Path) -> None:
    """(4, 6) token ids in, (24, 50) scores out against 24 flattened next tokens: the rows
    pair through the model (a new user's LSTM LM had read as a shape bug at 77 %)."""
    source = '''
class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 8)
        self.rnn = nn.LSTM(8, 16, batch_first=True)
        self.head = nn.Linear(16, 50)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.head(h).reshape(-1, 50)

def make():
    torch.manual_seed(0)
    return LM()
'''
    tokens = torch.randint(0, 50, (4, 7), generator=torch.Generator().manual_seed(0))
    factory = tmp_path / "lm.py"
    factory.write_text(_HEADER + source)
    batch = tmp_path / "lm_batch.pt"
    torch.save((tokens[:, :-1], tokens[:, 1:].reshape(-1)), batch)
    inputs = Inputs(model=f"{factory}:make", batch=batch, device="cpu")
    forward, _ = _facts(probe_forward, inputs, "live.forward")
    assert forward["batch.lengths_differ"] is False
    assert forward["batch.shape_mismatch"] is False


def test_a_batch_without_targets_gives_the_training_checks_nothing_to_fit(
        tmp_path: Path) -> None:
    """Fitting the model's own squared output to 0 'reached zero' and read as a healthy
    one-batch test; without targets the checks' facts stay unknown."""
    plain = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net()\n"
    inputs = _inputs(tmp_path, "bare", plain, X, None)
    overfit, _ = _facts(probe_overfit, inputs, "live.overfit_batch")
    assert overfit["overfit.outcome"] is UNKNOWN
    sweep, _ = _facts(probe_lr_sweep, inputs, "live.lr_sweep")
    assert sweep["lr_sweep.best_over_current"] is UNKNOWN
    backward, _ = _facts(probe_backward, inputs, "live.backward")
    assert backward["grad.none_params"] is False  # membership still measured


def test_an_output_activation_that_cannot_produce_the_targets(tmp_path: Path) -> None:
    """Ratings of 1-5 under a sigmoid, temperatures below 0 under a ReLU: out of reach."""
    gen = torch.Generator().manual_seed(1)
    ratings = torch.randint(1, 6, (24,), generator=gen).float()
    sigmoid = _MLP + ("\ndef make():\n    torch.manual_seed(0)\n"
                      "    return Net(out=1, end='sigmoid')\n")
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "rate", sigmoid, X, ratings),
                        "live.forward")
    assert forward["output.range_excludes_targets"] is True
    plain = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net(out=1)\n"
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "lin", plain, X, ratings),
                        "live.forward")
    assert forward["output.range_excludes_targets"] is False
    unit = torch.rand(24, generator=gen)  # targets in [0, 1] under a sigmoid: reachable
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "unit", sigmoid, X, unit),
                        "live.forward")
    assert forward["output.range_excludes_targets"] is False


def test_one_output_against_integer_class_ids(tmp_path: Path) -> None:
    """Six classes regressed as one number: a single output, int64 targets 0..5."""
    one = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net(out=1)\n"
    ids = torch.arange(24) % 6
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "ids", one, X, ids), "live.forward")
    assert forward["batch.one_output_for_classes"] is True
    three = _MLP + "\ndef make():\n    torch.manual_seed(0)\n    return Net()\n"
    forward, _ = _facts(probe_forward, _inputs(tmp_path, "cls", three, X, Y3), "live.forward")
    assert forward["batch.one_output_for_classes"] is False


def test_a_time_first_batch_whose_output_happens_to_match_the_targets_is_still_unpaired(
        tmp_path: Path) -> None:
    """(time 40, batch 50, 3) fed to a batch_first LSTM whose out[-1] gives 50 rows: the
    rows match the 50 targets by accident, not by flattening batch and time."""
    source = '''
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(3, 8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[-1]).squeeze(-1)

def make():
    torch.manual_seed(0)
    return Net()
'''
    factory = tmp_path / "tf.py"
    factory.write_text(_HEADER + source)
    batch = tmp_path / "tf_batch.pt"
    torch.save((torch.randn(40, 50, 3), torch.randn(50)), batch)
    inputs = Inputs(model=f"{factory}:make", batch=batch, device="cpu")
    forward, _ = _facts(probe_forward, inputs, "live.forward")
    assert forward["batch.lengths_differ"] is True


def test_norm_layers_are_read_from_the_modules_that_ran(tmp_path: Path) -> None:
    """Without a checkpoint the weights' names cannot say a model normalises: the forward
    pass can (a fresh GPT-2, whose residual projections start at std 0.0025 by design, had
    read as a wrong initialisation at 0.64)."""
    plain = _inputs(tmp_path, "plain", _MLP + "\ndef make():\n    return Net()\n", X, Y3)
    assert _facts(probe_forward, plain, "live.forward")[0]["arch.has_norm_layers"] is False
    source = _MLP + '''
class RMSNorm(nn.Module):  # a library's own norm, known by its name
    def __init__(self, n):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))

    def forward(self, x):
        return self.weight * x / x.pow(2).mean(-1, keepdim=True).add(1e-6).sqrt()

def make():
    return nn.Sequential(nn.Linear(8, 16), RMSNorm(16), nn.Linear(16, 3))
'''
    normed = _inputs(tmp_path, "normed", source, X, Y3)
    assert _facts(probe_forward, normed, "live.forward")[0]["arch.has_norm_layers"] is True
