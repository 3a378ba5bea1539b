"""Real runs written by the training libraries, diagnosed from their folder alone.

For each library that is installed (Lightning, the Hugging Face Trainer, accelerate) this
trains a small MLP on a 4-class problem, healthy and with an injected bug, and leaves every
file the library writes. timm cannot be installed beside a CPU-only torch 2.13 (it needs
torchvision), so its run folder is written with plain torch in timm's layout (``last.pth.tar``
with ``args`` as an ``argparse.Namespace``, ``summary.csv``). Then ``diagnose --checkpoint
<what the library saved> --no-input --format json`` is scored: no diagnosis at or above
confidence 0.5 on the healthy runs, the injected fault first on the broken ones.

    python -m bench.library_runs [--only lightning,hf] [--cases healthy,lr_high] [--keep]

Install line (CPU only, keeps torch 2.13.0+cpu): see bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

__all__ = ["CASES", "LIBRARIES", "main"]

OUT = Path(__file__).resolve().parent / "out" / "library_runs"
ALARM = 0.5  # as bench/accuracy.py: a diagnosis this confident on a healthy run is an alarm


@dataclass(frozen=True)
class Case:
    """A run configuration and the cause it should be diagnosed with (None: healthy)."""

    id: str
    expected: str | None
    lr: float = 3e-3
    shuffle_labels: bool = False


CASES = {
    "healthy": Case("healthy", None),
    "lr_high": Case("lr_high", "lr_too_high", lr=3.0),
    "lr_low": Case("lr_low", "lr_too_low", lr=1e-7),
    "labels_shuffled": Case("labels_shuffled", "labels_wrong", shuffle_labels=True),
}
EPOCHS, BATCH, CLASSES = 8, 32, 4


def _data(case: Case) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    centres = torch.randn(CLASSES, 16, generator=gen) * 0.6

    def draw(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        y = torch.randint(0, CLASSES, (n,), generator=gen)
        return centres[y] + torch.randn(n, 16, generator=gen), y

    x, y = draw(1024)
    vx, vy = draw(256)
    if case.shuffle_labels:
        y = y[torch.randperm(y.numel(), generator=gen)]
    return x, y, vx, vy


def _net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, CLASSES))


# ------------------------------------------------------------------------------ Lightning


def run_lightning(folder: Path, case: Case) -> Path:
    """LightningModule + CSVLogger + LearningRateMonitor; returns the saved ``.ckpt``."""
    import lightning as L
    from lightning.pytorch.callbacks import LearningRateMonitor
    from lightning.pytorch.loggers import CSVLogger

    x, y, vx, vy = _data(case)

    class Module(L.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.net = _net()

        def training_step(self, batch, _):  # noqa: ANN001, ANN202
            loss = nn.functional.cross_entropy(self.net(batch[0]), batch[1])
            self.log("train_loss", loss, on_step=True, on_epoch=True)
            return loss

        def validation_step(self, batch, _):  # noqa: ANN001, ANN202
            out = self.net(batch[0])
            self.log("val_loss", nn.functional.cross_entropy(out, batch[1]))
            self.log("val_acc", (out.argmax(1) == batch[1]).float().mean())

        def configure_optimizers(self):  # noqa: ANN202
            return torch.optim.AdamW(self.parameters(), lr=case.lr)

    data = torch.utils.data.TensorDataset(x, y)
    train = torch.utils.data.DataLoader(data, batch_size=BATCH, shuffle=True)
    val = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(vx, vy), batch_size=256)
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(folder)), log_every_n_steps=1,
                        callbacks=[LearningRateMonitor()], enable_progress_bar=False,
                        enable_model_summary=False, accelerator="cpu", devices=1)
    trainer.fit(Module(), train, val)
    return next(folder.rglob("*.ckpt"))


# ------------------------------------------------------------------------------ HF Trainer


def run_hf(folder: Path, case: Case) -> Path:
    """``transformers.Trainer`` with its default AdamW and linear schedule to 0; returns the
    last ``checkpoint-N`` folder."""
    from transformers import Trainer, TrainingArguments

    x, y, vx, vy = _data(case)

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = _net()

        def forward(self, inputs, labels=None):  # noqa: ANN001, ANN201
            logits = self.net(inputs)
            return {"loss": nn.functional.cross_entropy(logits, labels), "logits": logits}

    def rows(a: torch.Tensor, b: torch.Tensor) -> list[dict]:
        return [{"inputs": a[i], "labels": b[i]} for i in range(len(a))]

    def accuracy(pred) -> dict[str, float]:  # noqa: ANN001
        return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}

    args = TrainingArguments(str(folder), num_train_epochs=EPOCHS, learning_rate=case.lr,
                             per_device_train_batch_size=BATCH, logging_steps=4,
                             eval_strategy="epoch", save_strategy="epoch", save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    Trainer(model=Model(), args=args, train_dataset=rows(x, y), eval_dataset=rows(vx, vy),
            compute_metrics=accuracy).train()
    return max(folder.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))


# ------------------------------------------------------------------------------ accelerate


def run_accelerate(folder: Path, case: Case) -> Path:
    """A plain loop under ``Accelerator`` with its TensorBoard tracker and ``save_state``;
    returns ``project/checkpoints/checkpoint_0``."""
    from accelerate import Accelerator
    from accelerate.utils import ProjectConfiguration

    x, y, vx, vy = _data(case)
    accelerator = Accelerator(cpu=True, log_with="tensorboard", project_config=ProjectConfiguration(
        project_dir=str(folder), automatic_checkpoint_naming=True))
    model = _net()
    optimizer = torch.optim.AdamW(model.parameters(), lr=case.lr)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=BATCH,
                                         shuffle=True)
    model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
    accelerator.init_trackers("run")
    step = 0
    for epoch in range(EPOCHS):
        model.train()
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            accelerator.backward(loss)
            optimizer.step()
            optimizer.zero_grad()
            accelerator.log({"train_loss": loss.item()}, step=step)
            step += 1
        model.eval()
        with torch.no_grad():
            out = model(vx)
        accelerator.log({"val_loss": float(nn.functional.cross_entropy(out, vy)),
                         "val_acc": float((out.argmax(1) == vy).float().mean()),
                         "epoch": epoch}, step=step)
    accelerator.save_state()
    accelerator.end_training()
    return folder / "checkpoints" / "checkpoint_0"


# ------------------------------------------------------------------------------ timm layout


def run_timm_layout(folder: Path, case: Case) -> Path:
    """timm's train.py output folder, written with plain torch (timm needs torchvision, which
    does not import beside torch 2.13 CPU): AdamW with decay 0.05 on weights only (timm's
    default grouping), cosine schedule, ``last.pth.tar`` + ``summary.csv``."""
    x, y, vx, vy = _data(case)
    model = _net()
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    optimizer = torch.optim.AdamW([{"params": no_decay, "weight_decay": 0.0},
                                   {"params": decay, "weight_decay": 0.05}], lr=case.lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, EPOCHS, eta_min=case.lr / 100)
    args = argparse.Namespace(model="mlp", opt="adamw", lr=case.lr, weight_decay=0.05,
                              batch_size=BATCH, sched="cosine", epochs=EPOCHS, amp=False)
    out = folder / "output" / "train" / "20260101-000000-mlp-16"
    out.mkdir(parents=True)
    generator = torch.Generator().manual_seed(0)
    with (out / "summary.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "train_loss", "eval_loss", "eval_top1", "eval_top5", "lr"])
        for epoch in range(EPOCHS):
            order = torch.randperm(len(x), generator=generator)
            losses = []
            for start in range(0, len(x), BATCH):
                idx = order[start:start + BATCH]
                loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(float(loss.detach()))
            lr = optimizer.param_groups[0]["lr"]
            scheduler.step()
            with torch.no_grad():
                logits = model(vx)
            top1 = 100 * float((logits.argmax(1) == vy).float().mean())
            eval_loss = float(nn.functional.cross_entropy(logits, vy))
            mean = sum(losses) / len(losses) if all(map(math.isfinite, losses)) else math.nan
            writer.writerow([epoch, mean, eval_loss, top1, 100.0, lr])
            state = {"epoch": epoch, "arch": "mlp", "state_dict": model.state_dict(),
                     "optimizer": optimizer.state_dict(), "version": 2, "args": args,
                     "metric": top1}
            torch.save(state, out / f"checkpoint-{epoch}.pth.tar")
    torch.save(state, out / "last.pth.tar")
    torch.save(state, out / "model_best.pth.tar")
    return out


LIBRARIES: dict[str, tuple[str | None, Callable[[Path, Case], Path]]] = {
    "lightning": ("lightning", run_lightning),
    "hf": ("transformers", run_hf),
    "accelerate": ("accelerate", run_accelerate),
    "timm_layout": (None, run_timm_layout),
}


def _diagnose(target: Path) -> tuple[int, list[tuple[str, float]], list[str], float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dldoctor", "diagnose", "--checkpoint",
                           str(target), "--no-input", "--format", "json"],
                          capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        return done.returncode, [], [done.stderr.strip()[-300:]], seconds
    report = json.loads(done.stdout)
    got = [(d["cause"], float(d["confidence"])) for d in report["diagnoses"]]
    return done.returncode, got, report["inputs"]["logs"], seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(LIBRARIES))
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--keep", action="store_true", help="reuse runs already in bench/out")
    options = parser.parse_args(argv)
    results = []
    for name in options.only.split(","):
        module, runner = LIBRARIES[name]
        if module is not None and importlib.util.find_spec(module) is None:
            print(f"{name}: {module} not installed, skipped", file=sys.stderr)
            continue
        for case_id in options.cases.split(","):
            case = CASES[case_id]
            folder = OUT / f"{name}_{case.id}"
            marker = folder / "target.txt"
            if not (options.keep and marker.is_file()):
                if folder.exists():
                    import shutil

                    shutil.rmtree(folder)
                folder.mkdir(parents=True)
                marker.write_text(str(runner(folder, case)))
            target = Path(marker.read_text())
            rc, got, logs, seconds = _diagnose(target)
            top = got[0][0] if got else None
            ok = (not any(c >= ALARM for _, c in got)) if case.expected is None \
                else top == case.expected
            results.append({"library": name, "case": case.id, "expected": case.expected,
                            "rc": rc, "got": got[:3], "logs_found": logs, "ok": ok,
                            "seconds": round(seconds, 1),
                            "target": str(target.relative_to(folder))})
            shown = ", ".join(f"{c} {p:.2f}" for c, p in got[:3]) or "nothing"
            print(f"| {name} | {case.id} | {case.expected or '—'} | {shown} | "
                  f"{'ok' if ok else 'MISS'} | {len(logs)} |", flush=True)
    healthy = [r for r in results if r["expected"] is None]
    broken = [r for r in results if r["expected"] is not None]
    summary = {"false_alarms": sum(not r["ok"] for r in healthy), "healthy": len(healthy),
               "right_first": sum(r["ok"] for r in broken), "broken": len(broken)}
    print(f"false alarms {summary['false_alarms']}/{summary['healthy']} healthy, right fault "
          f"first {summary['right_first']}/{summary['broken']} broken")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"summary": summary, "runs": results},
                                                 indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
