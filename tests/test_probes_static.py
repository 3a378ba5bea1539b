"""The checkpoint probes on tiny trained models with planted bugs."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer, probe_weights
from tests.support import check_findings, train_tiny, values_of


def _weights(path: Path) -> dict[str, object]:
    return values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                    "checkpoint.weights"))


def _optimizer(path: Path) -> dict[str, object]:
    return values_of(check_findings(probe_optimizer(Inputs(checkpoint=path), ProbeContext()),
                                    "checkpoint.optimizer"))


def test_healthy_checkpoint(tmp_path: Path) -> None:
    art = train_tiny(tmp_path)
    weights, optimizer = _weights(art.checkpoint), _optimizer(art.checkpoint)
    for fact in ("weights.non_finite", "weights.all_zero", "weights.identical_rows",
                 "weights.missing_bias", "weights.has_batchnorm", "output.logit_scale_large"):
        assert weights[fact] is False, fact
    assert 0.2 < weights["weights.scale_ratio_min"] <= weights["weights.scale_ratio_max"] < 3
    assert optimizer["optimizer.kind"] == "adam"
    assert optimizer["optimizer.decay_on_bias"] is False
    assert optimizer["optimizer.frozen_params"] is False
    assert optimizer["lr.decays"] is True  # StepLR halved it
    assert optimizer["train.step"] == 60
    assert 1e-4 < optimizer["update.ratio"] < 1e-1


def test_zero_init_is_symmetric(tmp_path: Path) -> None:
    weights = _weights(train_tiny(tmp_path, "zero_init").checkpoint)
    assert weights["weights.all_zero"] is True
    assert weights["weights.identical_rows"] is True
    assert weights["weights.scale_ratio_min"] == 0.0


def test_nan_weights_after_lr_blow_up(tmp_path: Path) -> None:
    art = train_tiny(tmp_path, "lr_too_high")
    assert _weights(art.checkpoint)["weights.non_finite"] is True
    optimizer = _optimizer(art.checkpoint)
    assert optimizer["optimizer.kind"] == "sgd" and optimizer["optimizer.momentum"] == 0.9


def test_frozen_and_decay_on_bias(tmp_path: Path) -> None:
    assert _optimizer(train_tiny(tmp_path, "frozen").checkpoint)["optimizer.frozen_params"]
    decay = _optimizer(train_tiny(tmp_path, "decay_on_bias").checkpoint)
    assert decay["optimizer.decay_on_bias"] is True
    assert decay["optimizer.weight_decay"] == pytest.approx(0.1)


def _head_only_run(path: Path, pretrain_steps: int) -> Path:
    """A body of two 64-wide layers under a head; ``pretrain_steps`` Adam steps on the whole
    model first (a pretrained body), then the head alone is trained and saved with its
    optimizer, as a fine-tune that freezes its body does."""
    torch.manual_seed(0)
    x = torch.randn(256, 16)
    y = (x[:, :4].sum(1) > 0).long()
    model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 2))
    for params, steps in ((model.parameters(), pretrain_steps), (model[4].parameters(), 20)):
        optimizer = torch.optim.Adam(params, lr=1e-2)
        for _ in range(steps):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    return path


def test_a_frozen_body_still_at_its_random_init_is_told_from_a_pretrained_one(
        tmp_path: Path) -> None:
    random_body = _optimizer(_head_only_run(tmp_path / "random.pt", pretrain_steps=0))
    assert random_body["optimizer.frozen_params"] is True
    assert random_body["optimizer.frozen_untrained"] is True
    pretrained = _optimizer(_head_only_run(tmp_path / "pretrained.pt", pretrain_steps=30))
    assert pretrained["optimizer.frozen_params"] is True
    assert pretrained["optimizer.frozen_untrained"] is False


@pytest.mark.parametrize(("make", "kind"), [
    (lambda p: torch.optim.SGD(p, lr=0.1), "sgd"),
    (lambda p: torch.optim.RMSprop(p, lr=0.01), "rmsprop"),
    (lambda p: torch.optim.Adagrad(p, lr=0.01), "adagrad"),
    (lambda p: torch.optim.AdamW(p, lr=0.01), "adam"),
])
def test_optimizer_kinds(tmp_path: Path, make, kind: str) -> None:
    model = nn.Linear(4, 2)
    optimizer = make(model.parameters())
    model(torch.randn(3, 4)).sum().backward()
    optimizer.step()
    path = tmp_path / "ck.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    assert _optimizer(path)["optimizer.kind"] == kind


def test_missing_bias_scale_and_batchnorm(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                          nn.Flatten(), nn.Linear(8 * 4 * 4, 16, bias=False), nn.ReLU(),
                          nn.Linear(16, 10))
    with torch.no_grad():
        model[6].weight.mul_(200.0)
        model[1].running_var.fill_(1e6)
    path = tmp_path / "ck.pt"
    torch.save(model.state_dict(), path)
    weights = _weights(path)
    # the Linear(128, 16) has no bias, but BatchNorm's shift runs before it: a channel it
    # holds on gives the layer a constant input, so a bias of its own is not missing
    assert weights["weights.missing_bias"] is False
    assert weights["weights.has_batchnorm"] and weights["weights.bn_stats_bad"]
    assert weights["output.logit_scale_large"] is True
    assert weights["weights.scale_ratio_max"] > 50
    assert weights["weights.depth"] == 3


class _TinyGPT(nn.Module):
    """Token and position tables named without "embed", then a transformer layer."""

    def __init__(self) -> None:
        super().__init__()
        self.tok, self.pos = nn.Embedding(12, 16), nn.Embedding(8, 16)
        self.block = nn.TransformerEncoderLayer(16, 2, 32, batch_first=True)
        self.head = nn.Linear(16, 12)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.block(self.tok(x) + self.pos(torch.arange(x.shape[1]))))


def test_lookup_tables_are_no_layers_without_a_bias(tmp_path: Path) -> None:
    """Read from names and shapes alone: (12, 16) and (8, 16) tables feed their 16 columns
    on, so they are embeddings; a bias-free Linear(16, 32) feeding 32 features still counts."""
    torch.manual_seed(0)
    model = _TinyGPT()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randint(0, 12, (4, 8))
    for _ in range(3):
        loss = nn.functional.cross_entropy(model(x).flatten(0, 1), x.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    path = tmp_path / "gpt.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    assert _weights(path)["weights.missing_bias"] is False
    mlp = nn.Sequential(nn.Linear(16, 32, bias=False), nn.ReLU(), nn.Linear(32, 4))
    torch.save(mlp.state_dict(), tmp_path / "mlp.pt")
    assert _weights(tmp_path / "mlp.pt")["weights.missing_bias"] is True


class _MatrixFactorisation(nn.Module):
    """Ratings = user · item + user bias + item bias: four lookup tables and no Linear."""

    def __init__(self) -> None:
        super().__init__()
        self.user, self.item = nn.Embedding(30, 8), nn.Embedding(20, 8)
        self.user_bias, self.item_bias = nn.Embedding(30, 1), nn.Embedding(20, 1)

    def forward(self, u: torch.Tensor, i: torch.Tensor) -> torch.Tensor:
        dot = (self.user(u) * self.item(i)).sum(-1)
        return dot + self.user_bias(u).squeeze(-1) + self.item_bias(i).squeeze(-1)


def test_the_tables_of_a_matrix_factorisation_are_no_layers_without_a_bias(
        tmp_path: Path) -> None:
    """``item`` (20, 8) and ``item_bias`` (20, 1) feed nothing their row count fits, and each
    shares its width with a table found before it: lookup tables, not bias-free Linears (a
    Lightning recommender's checkpoint had read missing_bias at 0.82)."""
    torch.manual_seed(0)
    model = _MatrixFactorisation()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    u, i, r = torch.randint(0, 30, (64,)), torch.randint(0, 20, (64,)), torch.rand(64) * 4 + 1
    for _ in range(5):
        loss = nn.functional.mse_loss(model(u, i), r)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    path = tmp_path / "mf.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    assert _weights(path)["weights.missing_bias"] is False


class _TripModel(nn.Module):
    """A taxi-fare regressor: three categorical columns embedded side by side with two numeric
    features into an MLP (user 18's run, read from its checkpoint alone as three bias-free
    layers: missing_bias 0.82 first)."""

    def __init__(self) -> None:
        super().__init__()
        self.zone, self.hour, self.dow = nn.Embedding(50, 8), nn.Embedding(24, 4), \
            nn.Embedding(7, 3)
        self.mlp = nn.Sequential(nn.Linear(17, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, cats: torch.Tensor, nums: torch.Tensor) -> torch.Tensor:
        parts = [self.zone(cats[:, 0]), self.hour(cats[:, 1]), self.dow(cats[:, 2]), nums]
        return self.mlp(torch.cat(parts, 1))


def test_tables_embedded_side_by_side_are_no_layers_without_a_bias(tmp_path: Path) -> None:
    """``zone`` (50, 8), ``hour`` (24, 4), ``dow`` (7, 3) before ``mlp.0`` (64, 17): their
    rows feed nothing, and their 15 columns fit the next layer's 17 inputs side by side."""
    torch.manual_seed(0)
    model = _TripModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    cats = torch.stack([torch.randint(0, n, (64,)) for n in (50, 24, 7)], 1)
    nums, fare = torch.randn(64, 2), torch.randn(64, 1)
    for _ in range(5):
        loss = nn.functional.mse_loss(model(cats, nums), fare)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    path = tmp_path / "trip.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    weights = _weights(path)
    assert weights["weights.missing_bias"] is False and weights["weights.has_embedding"] is True
    chain = nn.Sequential(nn.Linear(4, 12, bias=False), nn.Linear(12, 30, bias=False),
                          nn.Linear(30, 2))  # widening bias-free layers are no tables
    torch.save(chain.state_dict(), tmp_path / "chain.pt")
    assert _weights(tmp_path / "chain.pt")["weights.missing_bias"] is True


def test_recurrent_layers_are_recognised(tmp_path: Path) -> None:
    model = nn.ModuleDict({"embed": nn.Embedding(20, 8), "rnn": nn.LSTM(8, 16, 2),
                           "head": nn.Linear(16, 4)})
    path = tmp_path / "rnn.pt"
    torch.save(model.state_dict(), path)
    weights = _weights(path)
    assert weights["weights.has_recurrent"] is True and weights["weights.has_conv"] is False
    assert weights["weights.narrowest_hidden"] == 16  # the LSTM's hidden size, not 4 × 16


def test_the_narrowest_hidden_layer_leaves_the_head_out(tmp_path: Path) -> None:
    narrow = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2), nn.ReLU(),
                           nn.Linear(2, 10))
    torch.save(narrow.state_dict(), tmp_path / "narrow.pt")
    assert _weights(tmp_path / "narrow.pt")["weights.narrowest_hidden"] == 2
    wide = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))  # a 1-wide head
    torch.save(wide.state_dict(), tmp_path / "wide.pt")
    assert _weights(tmp_path / "wide.pt")["weights.narrowest_hidden"] == 32
    assert _weights(tmp_path / "wide.pt")["weights.output_matches_input"] is False
    autoencoder = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 2), nn.ReLU(),
                                nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 20))
    torch.save(autoencoder.state_dict(), tmp_path / "ae.pt")
    assert _weights(tmp_path / "ae.pt")["weights.output_matches_input"] is True


def test_a_layer_that_widens_its_input_is_no_bottleneck(tmp_path: Path) -> None:
    # Caser: parallel banks of four horizontal filters over a one-channel sequence image,
    # concatenated into 116 features — each bank widens what it reads
    class Caser(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv_h = nn.ModuleList(nn.Conv2d(1, 4, (h, 16)) for h in range(1, 6))
            self.conv_v = nn.Conv2d(1, 6, (5, 1))
            self.fc1 = nn.Linear(20 + 96, 64)
            self.head = nn.Linear(64, 240)

    torch.save(Caser().state_dict(), tmp_path / "caser.pt")
    assert _weights(tmp_path / "caser.pt")["weights.narrowest_hidden"] == 64
    thin = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Conv2d(2, 2, 3), nn.ReLU(),
                         nn.Flatten(), nn.Linear(2 * 24 * 24, 10))
    torch.save(thin.state_dict(), tmp_path / "thin.pt")  # a thin CNN still reads 2 wide
    assert _weights(tmp_path / "thin.pt")["weights.narrowest_hidden"] == 2


def test_progress_and_cancel(tmp_path: Path) -> None:
    art = train_tiny(tmp_path)
    seen: list[float] = []
    ctx = ProbeContext(progress=lambda f, m: seen.append(f))
    probe_weights(Inputs(checkpoint=art.checkpoint), ctx)
    assert seen and seen[-1] == 1.0
    from dldoctor.probes.base import Cancelled

    cancelled = ProbeContext()
    cancelled.cancelled.set()
    with pytest.raises(Cancelled):
        probe_weights(Inputs(checkpoint=art.checkpoint), cancelled)


def test_an_optimizer_whose_loss_never_reached_the_model_keeps_no_state(tmp_path: Path) -> None:
    """The loss recomputed from NumPy and wrapped as a new leaf: backward() and step() run,
    but no parameter ever gets a gradient, so Adam creates no state for any of them."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(32, 4), torch.randn(32)
    for _ in range(12):
        value = float((model(x).squeeze(1).detach().numpy() - y.numpy()).__abs__().mean())
        loss = torch.tensor(value, requires_grad=True)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    path = tmp_path / "detached.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": 12},
               path)
    found = _optimizer(path)
    assert found["optimizer.never_stepped_share"] == 1.0
    assert found["train.step"] == 12


def test_bias_free_projections_inside_a_normalised_stack_are_by_design(tmp_path: Path) -> None:
    """T5 and LLaMA-style blocks: bias-free projections (``q``, ``wi``…) whose output a norm
    layer further down re-centres; a healthy T5 had read as missing biases at 0.70."""
    block = nn.ModuleDict({"q": nn.Linear(16, 16, bias=False), "o": nn.Linear(16, 16, bias=False),
                           "wi": nn.Linear(16, 32, bias=False), "wo": nn.Linear(32, 16, bias=False),
                           "final_layer_norm": nn.LayerNorm(16, bias=False)})
    torch.save(block.state_dict(), tmp_path / "block.pt")
    assert _weights(tmp_path / "block.pt")["weights.missing_bias"] is False
    # right after a LayerNorm with a shift β, W(γx̂ + β) = Wγx̂ + Wβ: Wβ is a bias
    head_after_norm = nn.Sequential(nn.LayerNorm(16), nn.Linear(16, 8, bias=False), nn.ReLU(),
                                    nn.Linear(8, 4))
    torch.save(head_after_norm.state_dict(), tmp_path / "head.pt")
    assert _weights(tmp_path / "head.pt")["weights.missing_bias"] is False
    # no shift anywhere before the first layer: its hyperplanes all pass through the origin
    first = nn.Sequential(nn.Linear(16, 8, bias=False), nn.ReLU(), nn.Linear(8, 4))
    torch.save(first.state_dict(), tmp_path / "first.pt")
    assert _weights(tmp_path / "first.pt")["weights.missing_bias"] is True


def test_a_bias_free_chain_stored_in_out_is_no_lookup_table(tmp_path: Path) -> None:
    """e3nn's radial MLPs store (in, out) weights without biases: ``layer1`` (64, 64) takes
    what ``layer0`` (8, 64) gives, so it stays a layer — a healthy SevenNet potential had lost
    it to the lookup-table rule and read lr_too_high 0.79 from the layers left."""
    torch.manual_seed(0)
    state = {f"{i}_conv.weight_nn.layer{j}.weight": torch.randn(*shape)
             for i in range(2) for j, shape in enumerate(((8, 64), (64, 64), (64, 96)))}
    torch.save(state, tmp_path / "e3nn.pt")
    assert _weights(tmp_path / "e3nn.pt")["weights.depth"] == 4  # layer1 and layer2 of both
