"""Questions about structure the measurements showed absent are not asked (round 9): a
checkpoint of an MLP was asked about its first conv layer's filters and image augmentation,
one without embeddings or recurrent layers about sequence padding. A fact's ``asked_if``
(kb/facts_*.yaml) says when its question applies; unknown structure still asks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from torch import nn

from tests.support.forkcli import ForkCli

#: Questions that only apply to conv nets on images, to sequence models, to RNNs
STRUCTURE = {"arch.first_layer_filters", "arch.large_kernels", "arch.dropout_in_conv",
             "arch.receptive_field_covers_objects", "obs.feature_maps_look_like_input",
             "arch.conv_dropout_rate_max", "data.augmentation_strong",
             "data.eval_random_transforms", "data.long_sequences", "obs.long_range_not_learned",
             "loss.counts_padding", "loop.rnn_state_carried", "input.layout_via_view"}
COMPLAINTS = ["the model does not learn, loss stays flat", "val loss is noisy and jumps around"]


def _asked(cli: ForkCli, checkpoint: Path, complaint: str) -> set[str]:
    """The installed ``diagnose`` (through the warm fork server): its open questions."""
    out = cli(shutil.which("diagnose") or "diagnose", "--checkpoint", str(checkpoint),
              "--symptom", complaint, "--no-input", "--format", "json", cwd=checkpoint.parent)
    assert out.returncode in (0, 1), out.stderr
    return {q["fact"] for q in json.loads(out.stdout)["unanswered"]}


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("structure")
    torch.manual_seed(0)
    models = {"mlp": nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3)),
              "cnn": nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(),
                                   nn.Linear(8 * 30 * 30, 10))}
    out = {}
    for name, model in models.items():
        torch.save(model.state_dict(), folder / f"{name}.pt")
        out[name] = folder / f"{name}.pt"
    return out


@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_an_mlp_is_not_asked_about_convs_images_or_sequences(
        cli: ForkCli, checkpoints: dict[str, Path], complaint: str) -> None:
    assert not _asked(cli, checkpoints["mlp"], complaint) & STRUCTURE


def test_a_conv_net_is_still_asked_about_its_convs_and_images(
        cli: ForkCli, checkpoints: dict[str, Path]) -> None:
    """…but not the first layer's filters, which the checkpoint holds (stop 32: a new user
    was asked how many filters their first conv had)."""
    asked = set().union(*(_asked(cli, checkpoints["cnn"], c) for c in COMPLAINTS))
    assert "data.augmentation_strong" in asked, asked
    assert "arch.first_layer_filters" not in asked


def test_unknown_structure_still_asks() -> None:
    """Without a checkpoint nothing says what the model holds: the question stands."""
    from dldoctor.engine.strategy import Planner
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    session = Session(load_knowledge(), lang="en")
    session.complain(COMPLAINTS[0])
    applies = Planner(session.engine).applies
    assert applies("arch.first_layer_filters") and applies("loss.counts_padding")
    session.set_fact("weights.has_conv", "no")
    assert not Planner(session.engine).applies("arch.first_layer_filters")


def test_a_multi_class_head_is_not_asked_about_binary_labels(
        cli: ForkCli, checkpoints: dict[str, Path], tmp_path: Path) -> None:
    """User 17 was asked whether the "binary labels" were coded other than 0/1 of an 8-class
    student: a last layer with more than two outputs is no binary head; one output is."""
    complaint = "the training loss went negative, about -3"
    assert "batch.binary_labels_not_01" not in _asked(cli, checkpoints["mlp"], complaint)
    torch.manual_seed(0)
    one_logit = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    torch.save(one_logit.state_dict(), tmp_path / "binary.pt")
    assert "batch.binary_labels_not_01" in _asked(cli, tmp_path / "binary.pt", complaint)
