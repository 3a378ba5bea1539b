"""Benchmark the static weight scan on ≥ 2 GB checkpoints against a NumPy single pass.

Writes a safetensors file and a ``torch.save`` file of the same tensors into a temporary
folder (deleted afterwards), then, each in a fresh subprocess so peak memory is its own:

* ``numpy``: read the file once in 64 MiB blocks and sum every block as float32 — the
  cheapest possible single pass over the same bytes;
* ``scan``: ``probe_weights`` — open the checkpoint, stream every tensor, compute all stats
  and every ``weights.*`` fact.

Both run with the file in the page cache (one warm-up read first), interleaved ``--repeat``
times; the table gives the min and the median of each. Peak memory is the child's VmHWM
(peak resident set, file pages of memory maps included) minus its resident size after
imports (torch itself is ~0.3 GB that any torch program pays). A child writes the files.

    python bench/scan.py [--gb 2.0] [--tensor-mb 256] [--repeat 5] [--dir /tmp]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BLOCK = 64 << 20


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """This process's peak resident size (VmHWM: unlike ru_maxrss it is not inherited from
    the parent across fork/exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(kind: str, path: Path) -> dict[str, float]:
    import numpy as np

    if kind == "scan":
        from dldoctor.probes.base import Inputs, ProbeContext
        from dldoctor.probes.static_probes import probe_weights
    start_rss = _rss_mb()
    start = time.perf_counter()
    if kind == "numpy":
        buffer = bytearray(BLOCK)
        total = 0.0
        with path.open("rb", buffering=0) as f:
            while (n := f.readinto(buffer)):
                usable = n - n % 4
                total += float(np.frombuffer(buffer, dtype=np.float32, count=usable // 4).sum())
        facts = 0
    else:
        findings = probe_weights(Inputs(checkpoint=path), ProbeContext())
        facts = len(findings)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "start_rss_mb": start_rss,
            "facts": facts}


def _child(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--measure", kind, str(path)],
                         check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _write(folder: Path, total_gb: float, tensor_mb: int) -> tuple[Path, Path, int]:
    import torch
    from safetensors.torch import save_file

    count = max(1, int(total_gb * 1024 / tensor_mb + 0.999))
    rows = tensor_mb * 2**20 // 4 // 4096
    generator = torch.Generator().manual_seed(0)
    tensors = {}
    for i in range(count):
        tensors[f"layers.{i}.weight"] = torch.randn(rows, 4096, generator=generator) * 0.02
        tensors[f"layers.{i}.bias"] = torch.zeros(rows)
    safetensors, pt = folder / "big.safetensors", folder / "big.pt"
    save_file(tensors, str(safetensors))
    torch.save({"model": tensors, "step": 1}, pt)
    largest = max(t.numel() * t.element_size() for t in tensors.values())
    return safetensors, pt, largest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=2.0)
    parser.add_argument("--tensor-mb", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"))
    args = parser.parse_args()
    if args.measure:
        if args.measure[0] == "write":
            paths = _write(Path(args.measure[1]), args.gb, args.tensor_mb)
            print(json.dumps([str(paths[0]), str(paths[1]), paths[2]]))
        else:
            print(json.dumps(_measure(args.measure[0], Path(args.measure[1]))))
        return
    free_gb = shutil.disk_usage(args.dir).free / 2**30
    if free_gb < 2.5 * args.gb + 1:
        sys.exit(f"bench/scan.py: only {free_gb:.1f} GB free in {args.dir}")
    folder = Path(tempfile.mkdtemp(prefix="dldoctor-scan-", dir=args.dir))
    try:
        out = subprocess.run([sys.executable, __file__, "--measure", "write", str(folder),
                              "--gb", str(args.gb), "--tensor-mb", str(args.tensor_mb)],
                             check=True, capture_output=True, text=True)
        st_name, pt_name, largest = json.loads(out.stdout.strip().splitlines()[-1])
        safetensors, pt = Path(st_name), Path(pt_name)
        print("| file | size | NumPy pass (min / median) | scan (min / median) | ratio of mins "
              "| ratio of medians | scan peak above start (absolute) | largest tensor + 300 MB |")
        print("|---|---|---|---|---|---|---|---|")
        for path in (safetensors, pt):
            _child("numpy", path)  # warm the page cache
            numpy, scans = [], []
            for _ in range(args.repeat):  # interleaved, so background load hits both alike
                numpy.append(_child("numpy", path)["seconds"])
                scans.append(_child("scan", path))
            times = [r["seconds"] for r in scans]
            above = max(r["peak_mb"] - r["start_rss_mb"] for r in scans)
            size = path.stat().st_size / 2**30
            budget = largest / 2**20 + 300
            print(f"| {path.suffix} | {size:.2f} GiB | {min(numpy):.2f} / "
                  f"{statistics.median(numpy):.2f} s | {min(times):.2f} / "
                  f"{statistics.median(times):.2f} s | {min(times) / min(numpy):.2f}× | "
                  f"{statistics.median(times) / statistics.median(numpy):.2f}× | {above:.0f} MB "
                  f"({max(r['peak_mb'] for r in scans):.0f} MB) | {budget:.0f} MB |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
