"""What ``dldoctor.watch`` costs per training step on the CPU.

    python bench/watch_overhead.py [--steps 60] [--rounds 5] [--every 10] [--threads 1]

Two models: a mid-size CNN (ResNet-style, 0.6 M parameters, batch 64 of 3×32×32) and a small
transformer encoder (4 layers, d=256, 4 heads, batch 16 × 64 tokens, 3.7 M parameters).
Each round runs ``steps`` plain steps and ``steps`` watched steps (default sampling) in
alternating order, after warm-up; the overhead is the ratio of median per-round process CPU
time (robust when other jobs share the cores) and of wall time. Goal: ≤ 3 %.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

import dldoctor
from dldoctor.watcher import DEFAULT_EVERY


def _block(c_in: int, c_out: int, stride: int) -> nn.Module:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out),
                         nn.ReLU(), nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False),
                         nn.BatchNorm2d(c_out), nn.ReLU())


def cnn() -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    model = nn.Sequential(_block(3, 32, 1), _block(32, 64, 2), _block(64, 128, 2),
                          _block(128, 128, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Dropout(0.1), nn.Linear(128, 10))
    return model, torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))


class _Transformer(nn.Module):
    def __init__(self, vocab: int = 1000, d: int = 256) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 4, enable_nested_tensor=False)
        self.head = nn.Linear(d, vocab)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(self.embed(x)))


def transformer() -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    x = torch.randint(0, 1000, (16, 64))
    return _Transformer(), x, torch.roll(x, -1, dims=1)


def _steps(model: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
           n: int, watcher: object | None) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        opt.zero_grad()
        out = model(x)
        loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
        loss.backward()
        opt.step()
        if watcher is not None:
            watcher.log(loss=loss.item(), targets=y)  # type: ignore[attr-defined]
        else:
            loss.item()
    return time.process_time() - cpu, time.perf_counter() - wall


def measure(make: Callable[[], tuple[nn.Module, torch.Tensor, torch.Tensor]], steps: int,
            rounds: int, every: int, folder: Path) -> dict[str, float]:
    torch.manual_seed(0)
    model, x, y = make()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    _steps(model, opt, x, y, 5, None)  # warm-up
    plain: list[tuple[float, float]] = []
    watched: list[tuple[float, float]] = []
    for r in range(rounds):
        order = (False, True) if r % 2 == 0 else (True, False)
        for watch in order:
            if watch:
                with dldoctor.watch(model, opt, path=folder / f"r{r}.trace", every=every) as w:
                    watched.append(_steps(model, opt, x, y, steps, w))
            else:
                plain.append(_steps(model, opt, x, y, steps, None))
    out = {"params_m": sum(p.numel() for p in model.parameters()) / 1e6}
    for i, kind in enumerate(("cpu", "wall")):
        p = statistics.median(t[i] for t in plain) / steps
        w = statistics.median(t[i] for t in watched) / steps
        out[f"{kind}_plain_ms"], out[f"{kind}_watched_ms"] = p * 1e3, w * 1e3
        out[f"{kind}_overhead_pct"] = (w / p - 1) * 100
    out["trace_kb_per_100_steps"] = (folder / "r0.trace").stat().st_size / 1024 * 100 / steps
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--every", type=int, default=DEFAULT_EVERY)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} thread(s), {args.steps} steps × "
          f"{args.rounds} rounds, every={args.every}")
    print("| model | params | step (plain) | step (watched) | overhead CPU time | overhead wall "
          "| trace per 100 steps |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("CNN (ResNet-style)", cnn), ("transformer encoder", transformer)):
            r = measure(make, args.steps, args.rounds, args.every, Path(tmp))
            print(f"| {name} | {r['params_m']:.1f} M | {r['cpu_plain_ms']:.1f} ms | "
                  f"{r['cpu_watched_ms']:.1f} ms | {r['cpu_overhead_pct']:+.1f} % | "
                  f"{r['wall_overhead_pct']:+.1f} % | {r['trace_kb_per_100_steps']:.0f} KB |",
                  flush=True)


if __name__ == "__main__":
    main()
