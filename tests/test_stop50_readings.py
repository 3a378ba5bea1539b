"""Readings the eighty-eighth and earlier hand sets asked for at stop 50.

An UperNet land-cover run trained on masks its loader transposed: pixel loss still fell and
pixel accuracy rose to the share of the commonest class, and no probe compared the masks
with their images. A SegNet whose augmentation flipped the image but not its mask had half
its samples turned the same way. Each pixel's class follows from the colours around it; a
least-squares predictor of it from its 3×3 neighbourhood tells which orientation of the
masks belongs to the images."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from dldoctor.probes.target_orientation import orientation_findings
from tests.support import check_findings, values_of


def _tiles(n: int = 24, size: int = 16, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Land-cover tiles: blobs of three classes, each class its own colour, with noise."""
    gen = torch.Generator().manual_seed(seed)
    coarse = torch.randint(0, 3, (n, 1, size // 4, size // 4), generator=gen).float()
    masks = torch.nn.functional.interpolate(coarse, size=(size, size)).long()[:, 0]
    colours = torch.tensor([[0.2, 0.7, 0.2], [0.6, 0.5, 0.3], [0.2, 0.3, 0.8]])
    images = colours[masks].permute(0, 3, 1, 2) + 0.15 * torch.randn(n, 3, size, size,
                                                                        generator=gen)
    return images, masks


def _values(inputs: torch.Tensor, targets: torch.Tensor) -> dict[str, object]:
    return values_of(orientation_findings(inputs, targets))


def test_masks_that_belong_to_their_images_line_up() -> None:
    images, masks = _tiles()
    assert _values(images, masks) == {"data.targets_misoriented": False}


def test_transposed_masks_are_found_turned() -> None:
    images, masks = _tiles()
    found = _values(images, masks.transpose(1, 2))
    assert found == {"data.targets_misoriented": True, "data.target_orientation": "transpose"}


def test_masks_flipped_in_half_the_samples_are_found_per_sample() -> None:
    images, masks = _tiles()
    turned = masks.clone()
    turned[1::2] = turned[1::2].flip(-1)  # the image flipped, its mask not
    found = _values(images, turned)
    assert found["data.targets_misoriented"] is True
    assert found["data.target_orientation"] in ("per_sample", "hflip")


def test_a_clean_image_target_of_a_denoiser_lines_up() -> None:
    gen = torch.Generator().manual_seed(1)
    clean = torch.nn.functional.avg_pool2d(torch.rand(16, 1, 20, 20, generator=gen), 3, 1, 1)
    noisy = clean + 0.1 * torch.randn(clean.shape, generator=gen)
    assert _values(noisy, clean) == {"data.targets_misoriented": False}


def test_batches_with_no_per_pixel_target_are_not_read() -> None:
    images, masks = _tiles()
    assert orientation_findings(images, masks[:, 0, 0]) == []  # one class per image
    assert orientation_findings(images[:4], masks[:4]) == []  # too few to fit and score
    ignored = masks.clone()
    ignored[:, 0] = 255  # an ignore index: the pixels are not classes
    assert orientation_findings(images, ignored) == []


_FCN = """
import torch
from torch import nn


def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 3, 1))
"""


def test_the_forward_probe_reports_transposed_masks(tmp_path: Path) -> None:
    images, masks = _tiles()
    (tmp_path / "fcn.py").write_text(_FCN)
    torch.save((images, masks.transpose(1, 2).contiguous()), tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'fcn.py'}:make", batch=tmp_path / "batch.pt",
                    device="cpu")
    forward = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert forward["data.targets_misoriented"] is True
    assert forward["data.target_orientation"] == "transpose"


_GATED = """
import torch
from torch import nn


class Gate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Conv2d(c, 4, 1), nn.ReLU(), nn.Conv2d(4, c, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.fc(self.pool(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList(
            [nn.Sequential(nn.Conv2d(3 if i == 0 else 8, 8, 3, padding=1), nn.LeakyReLU(0.05),
                           Gate(8)) for i in range(3)])
        self.head = nn.Conv2d(8, 3, 1)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def make():
    torch.manual_seed(0)
    return Net()
"""


def test_channel_gates_are_not_read_as_hidden_activations(tmp_path: Path) -> None:
    """The ninetieth set's IMDN: three contrast-attention sigmoids over pooled channels were
    counted as the network's activation (saturating_activation 0.44 on a healthy run)."""
    images, _ = _tiles()
    (tmp_path / "gated.py").write_text(_GATED)
    torch.save((images, images.clone()), tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'gated.py'}:make", batch=tmp_path / "batch.pt",
                    device="cpu")
    forward = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert forward["arch.hidden_activation"] == "relu_variant"
