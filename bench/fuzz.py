"""A longer fuzz, run by hand: mutated checkpoints and logs, and the hostile CLI corpus.

    python -m bench.fuzz [--rounds 300] [--seed 0] [--seconds 20] [--examples 1000]

1. Mutation fuzz of the readers, in-process but each case in a forked child under an alarm:
   a valid ``torch.save`` zip, legacy pickle, TorchScript archive, safetensors file, sharded
   index and CSV / JSON-lines logs, each with random byte flips, truncations, inserted runs
   and header rewrites, read through ``load_checkpoint`` / ``read_log`` and the weight scan.
   Every outcome is counted: accepted, refused (dldoctor's one-line ``InputError``), other
   exception (a bug), killed (hang or crash), and whether a payload marker appeared.
2. With ``--examples N``: the hypothesis properties of tests/test_fuzz_loaders.py (rule YAML,
   answers, session JSON, logs) with N fresh examples each.
3. The generated hostile corpus of tests/support/hostile.py through the installed CLI.

Counts go to stdout as a Markdown table (copy into bench/README.md); the first message of
each bug class is listed below it.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import struct
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _seeds(folder: Path) -> dict[str, Path]:
    """Valid files of every format, to mutate."""
    import torch
    from safetensors.torch import save_file

    from tests.support.writers import write_csv_log, write_jsonl_log

    model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters())
    model(torch.randn(4, 6)).sum().backward()
    opt.step()
    seeds = {}
    seeds["zip.pt"] = folder / "zip.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": 5},
               seeds["zip.pt"])
    seeds["legacy.pt"] = folder / "legacy.pt"
    torch.save(model.state_dict(), seeds["legacy.pt"], _use_new_zipfile_serialization=False)
    seeds["ts.pt"] = folder / "ts.pt"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.script(model).save(str(seeds["ts.pt"]))
    seeds["w.safetensors"] = folder / "w.safetensors"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              str(seeds["w.safetensors"]))
    columns = {"step": list(range(40)), "loss": [2.0 / (i + 1) for i in range(40)],
               "val_loss": [2.1 / (i + 1) for i in range(40)], "lr": [1e-3] * 40}
    seeds["log.csv"] = write_csv_log(folder / "log.csv", columns)
    seeds["log.jsonl"] = write_jsonl_log(folder / "log.jsonl", columns)
    return seeds


def _mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 2)):
        how = rng.choice(["flip", "truncate", "insert", "header", "zero", "dup"])
        if not buf:
            break
        at = rng.randrange(len(buf))
        if how == "flip":
            for _ in range(rng.randint(1, 3)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif how == "truncate":
            del buf[at:]
        elif how == "insert":
            buf[at:at] = bytes([rng.randrange(256)]) * rng.randint(1, 4096)
        elif how == "header":
            struct.pack_into("<Q", buf, 0, rng.choice([0, 1, 2**63, len(buf), 0x80, 0x0280]))\
                if len(buf) >= 8 else None
        elif how == "zero":
            buf[at:at + rng.randint(1, 512)] = bytes(min(512, len(buf) - at))
        else:
            buf[at:at] = buf[max(0, at - 256):at]
    return bytes(buf)


def _mutate_member(data: bytes, rng: random.Random) -> bytes:
    """Mutate one member of a zip (a pickle, a storage record) and rebuild it with valid
    CRCs, so the readers behind the zip layer are reached."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        infos = zin.infolist()
        victim = rng.choice(infos).filename
        for info in infos:
            raw = zin.read(info)
            zout.writestr(zipfile.ZipInfo(info.filename),
                          _mutate(raw, rng) if info.filename == victim else raw)
    return out.getvalue()


def _mutate_header(data: bytes, rng: random.Random) -> bytes:
    """Rewrite one field of a safetensors header with a hostile value, keeping it JSON."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    name = rng.choice([k for k in header if k != "__metadata__"])
    field = rng.choice(["dtype", "shape", "data_offsets"])
    header[name][field] = rng.choice([
        None, -1, "F32", "Q4", [], [-1], [2**62, 2**62], [0], ["0", "4"], [1.5, 2],
        [0, 2**64], {"a": 1}, [0, 0], header[name].get("shape"), [3, 3, 3, 3, 3, 3]])
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data[8 + length:]


def _read(path: Path, kind: str) -> str:
    """Read one mutated file the way diagnose would; return the outcome class."""
    from dldoctor.errors import InputError
    from dldoctor.probes.base import Inputs, ProbeContext

    try:
        if kind.startswith("log"):
            from dldoctor.probes.logs import read_log

            read_log(path)
        else:
            from dldoctor.probes.static_probes import probe_optimizer, probe_weights

            ctx = ProbeContext()
            probe_weights(Inputs(checkpoint=path), ctx)
            probe_optimizer(Inputs(checkpoint=path), ctx)
    except InputError as exc:
        return "refused" if "\n" not in exc.message else "bug: multi-line error"
    except Exception as exc:  # the finding: any other exception
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"bug: {type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
    return "accepted"


def _in_child(path: Path, kind: str, seconds: int) -> str:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        signal.alarm(seconds)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        outcome = _read(path, kind)
        os.write(write_end, outcome.encode()[:500])
        os._exit(0)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as f:
        said = f.read().decode()
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return said or "killed (no answer)"


def mutation_fuzz(rounds: int, seed: int, seconds: int) -> dict[str, collections.Counter]:
    import dldoctor.probes.static_probes  # noqa: F401 - import torch once, before forking

    rng = random.Random(seed)
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seeds = _seeds(folder)
        for i in range(rounds):
            name, source = rng.choice(sorted(seeds.items()))
            target = folder / f"m{i}{''.join(source.suffixes)}"
            data = source.read_bytes()
            if name in ("zip.pt", "ts.pt") and rng.random() < 0.6:
                data = _mutate_member(data, rng)
            elif name == "w.safetensors" and rng.random() < 0.5:
                data = _mutate_header(data, rng)
            else:
                data = _mutate(data, rng)
            target.write_bytes(data)
            kind = "log" if name.startswith("log") else "checkpoint"
            counts[name][_in_child(target, kind, seconds)] += 1
            target.unlink()
    return counts


def corpus_run(seconds: int) -> tuple[int, collections.Counter, list[str]]:
    import subprocess

    from tests.support.hostile import build_corpus, marker_dir

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cases = build_corpus(root)
        spec = root / "cases.json"
        spec.write_text(json.dumps({"workdir": str(root), "seconds": seconds,
                                    "cases": [{"argv": c.argv} for c in cases]}))
        subprocess.run([sys.executable, "-m", "tests.support.batchcli", str(spec),
                        str(root / "r.json")], cwd=ROOT, check=True)
        results = json.loads((root / "r.json").read_text())
        tally: collections.Counter = collections.Counter()
        for case, result in zip(cases, results, strict=True):
            lines = [x for x in result["stderr"].splitlines() if x.strip()]
            ok = (result["rc"] in case.codes and "Traceback" not in result["stderr"]
                  and (case.codes != (2,) or len(lines) == 1))
            tally["as expected" if ok else f"unexpected (exit {result['rc']})"] += 1
        markers = sorted(p.name for p in marker_dir(root).iterdir())
    return len(cases), tally, markers


def hypothesis_run(examples: int) -> str:
    """The loader properties of tests/test_fuzz_loaders.py with many fresh examples."""
    import subprocess

    env = {**os.environ, "DLDOCTOR_FUZZ_EXAMPLES": str(examples)}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/test_fuzz_loaders.py"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-300:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=20, help="alarm per case")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--examples", type=int, default=0,
                        help="also run the loader properties with this many examples each")
    args = parser.parse_args()
    start = time.perf_counter()
    counts = mutation_fuzz(args.rounds, args.seed, args.seconds)
    print(f"Mutation fuzz: {args.rounds} files, seed {args.seed}, "
          f"{time.perf_counter() - start:.0f} s\n")
    print("| seed file | accepted | refused (exit 2, one line) | other exception | killed |")
    print("|---|---|---|---|---|")
    bugs: dict[str, int] = collections.Counter()
    for name, tally in sorted(counts.items()):
        other = sum(n for k, n in tally.items() if k.startswith("bug"))
        killed = sum(n for k, n in tally.items() if k.startswith("killed"))
        print(f"| {name} | {tally['accepted']} | {tally['refused']} | {other} | {killed} |")
        for k, n in tally.items():
            if k.startswith(("bug", "killed")):
                bugs[f"{name}: {k}"] += n
    for line, n in sorted(bugs.items()):
        print(f"- {n}× {line}")
    if args.examples:
        print(f"\nLoader properties, {args.examples} examples each: "
              f"{hypothesis_run(args.examples)}")
    if not args.skip_corpus:
        total, tally, markers = corpus_run(max(args.seconds, 60))
        print(f"\nHostile CLI corpus: {total} cases: " +
              ", ".join(f"{k}: {n}" for k, n in sorted(tally.items())) +
              f"; payload markers written: {len(markers)} {markers or ''}")


if __name__ == "__main__":
    main()
