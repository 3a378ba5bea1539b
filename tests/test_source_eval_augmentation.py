"""Validation data built with the training augmentation, read from the model file's syntax
tree (the fourteenth, thirty-second, thirty-eighth and forty-third sets: ``augment=True``
copied onto the validation set, ``transform=spec_augment`` on the validation dataset, one
``make_loader(vx, vy, augment)`` helper for both); nothing in the file is run."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.probes.source_scan import eval_augmentation_findings

_HEAD = "import torch\nimport torchvision.transforms as T\n\ndef build():\n" \
        "    return torch.nn.Linear(4, 1)\n\n"


def _file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "model.py"
    path.write_text(_HEAD + body)
    return f"{path}:build"


@pytest.mark.parametrize(("body", "how"), [
    ("train = Holes(imgs[:1000], g, augment=True)\nval = Holes(imgs[1000:], g, augment=True)\n",
     "(val) with the training augmentation (augment=True)"),
    ("val = DataLoader(Clips(x[1200:], y[1200:], transform=spec_augment), batch_size=32)\n",
     "(val) with the training augmentation (transform=spec_augment)"),
    ("for xb, yb in make_loader(vx, vy, 128, g, augment):\n    pass\n",
     "(vx) with the training augmentation (augment)"),
    ("tf = T.Compose([T.RandomCrop(32, padding=4), T.ToTensor()])\n"
     "train_ds = Data(x_train, transform=tf)\nvalid_ds = Data(x_valid, transform=tf)\n",
     "(valid_ds) with the training augmentation (transform=tf)"),
])
def test_held_out_data_through_the_training_augmentation_is_found(
        tmp_path: Path, body: str, how: str) -> None:
    found = eval_augmentation_findings(_file(tmp_path, body))
    assert [(f.fact, f.value) for f in found] == [("data.eval_random_transforms", True)]
    assert how in str(found[0].evidence) and "model.py line" in str(found[0].evidence)


@pytest.mark.parametrize("body", [
    "train = Holes(imgs[:1000], g, augment=True)\nval = Holes(imgs[1000:], g, augment=False)\n",
    "train_tf = T.Compose([T.RandomHorizontalFlip(), T.ToTensor()])\n"
    "val_tf = T.Compose([T.CenterCrop(28), T.ToTensor()])\n"
    "train_ds = Data(x_train, transform=train_tf)\nval_ds = Data(x_val, transform=val_tf)\n",
    "val_loss = criterion(model(augment(x)), y)\n",
    "test_preds = predict(model, x_test, tta_augment)\n",
])
def test_a_deterministic_validation_pipeline_is_not(tmp_path: Path, body: str) -> None:
    assert eval_augmentation_findings(_file(tmp_path, body)) == []


def test_no_file_a_module_or_broken_source_says_nothing(tmp_path: Path) -> None:
    assert eval_augmentation_findings(None) == []
    assert eval_augmentation_findings("torch.nn:Linear") == []
    broken = tmp_path / "broken.py"
    broken.write_text("val = Holes(x, augment=True\n")
    assert eval_augmentation_findings(f"{broken}:build") == []
