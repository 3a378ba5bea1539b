"""dldoctor.watch: the trace a watched loop writes, and that watching changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

import dldoctor
from dldoctor.errors import InputError
from dldoctor.watcher.format import SCHEMA, read_trace
from tests.support.loops import make_data, make_model, run_loop


def _train(path: Path | None, steps: int = 12) -> dict[str, torch.Tensor]:
    """A loop with BatchNorm and dropout (which draws random numbers), watched or not."""
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x, y = make_data()
    torch.manual_seed(3)
    watcher = dldoctor.watch(model, optimizer, path=path, every=2) if path else None
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        if watcher is not None:
            watcher.log(loss=loss, targets=y)
    if watcher is not None:
        watcher.close()
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_watching_leaves_the_weights_bit_identical(tmp_path: Path) -> None:
    plain, watched = _train(None), _train(tmp_path / "run.trace")
    assert plain.keys() == watched.keys()
    assert all(torch.equal(plain[k], watched[k]) for k in plain)


def test_a_healthy_loop_writes_every_record(tmp_path: Path) -> None:
    run_loop(tmp_path / "ok.trace", None, steps=10, every=5)
    trace = read_trace(tmp_path / "ok.trace")
    assert trace.start["schema"] == SCHEMA and trace.finished
    steps = trace.of("step")
    assert [s["step"] for s in steps] == list(range(1, 11))
    assert all(s["train_forwards"] == 1 and s["eval_forwards"] == 0 for s in steps)
    assert [s["stale_grad"] for s in steps[1:]] == [False] * 9
    assert all(s["bn_updates"] == 1 for s in steps)
    layers = trace.of("layers")
    assert [r["step"] for r in layers] == [1, 6]
    assert set(layers[0]["grad_norm"]) == {"body.0.weight", "body.0.bias", "body.1.weight",
                                           "body.1.bias", "head.weight", "head.bias"}
    assert 0 < layers[0]["update_ratio"]["head.weight"] < 1
    assert layers[0]["act"]["body.2"]["dead"] >= 0
    labels = trace.of("labels")[0]
    assert (labels["min"], labels["max"], labels["out_width"]) == (0, 3, 4)
    assert len(trace.of("log")) == 10 and trace.of("nonfinite") == []


@pytest.mark.parametrize(("bug", "check"), [
    ("missing_zero_grad", lambda s: all(r["stale_grad"] for r in s[1:])),
    ("train_in_eval_mode", lambda s: all(r["eval_forwards"] == 1 and r["bn_updates"] == 0
                                         for r in s)),
    ("grad_accum_unscaled", lambda s: all(r["backwards"] == 4 for r in s)),
    ("params_not_in_optimizer", lambda s: all(r["orphan_grads"] == 2 for r in s)),
    ("scheduler_step_per_batch", lambda s: s[-1]["lr"][0] < 2e-3 * s[0]["lr"][0]),
])
def test_loop_bugs_show_in_the_step_records(tmp_path: Path, bug: str, check) -> None:
    run_loop(tmp_path / "bug.trace", bug, steps=20)
    steps = read_trace(tmp_path / "bug.trace").of("step")
    assert len(steps) == 20 and check(steps)


def test_the_trace_names_what_crashed_runs_leave_behind(tmp_path: Path) -> None:
    run_loop(tmp_path / "labels.trace", "label_out_of_range")
    labels = read_trace(tmp_path / "labels.trace").of("labels")
    assert (labels[0]["max"], labels[0]["out_width"]) == (4, 4)
    run_loop(tmp_path / "rnn.trace", "rnn_state_not_detached")
    carried = read_trace(tmp_path / "rnn.trace").of("rnn_state_with_graph")
    assert carried and carried[0]["module"] == "rnn" and carried[0]["made_at_step"] == 1
    run_loop(tmp_path / "nan.trace", "nan_in_model", steps=3)
    assert read_trace(tmp_path / "nan.trace").of("nonfinite")[0]["module"] == "head"


def test_a_killed_run_keeps_its_trace(tmp_path: Path) -> None:
    path = tmp_path / "killed.trace"
    script = f"""
import os, sys
sys.path.append({str(Path(__file__).resolve().parents[1])!r})
import torch, torch.nn.functional as F, dldoctor
from tests.support.loops import make_data, make_model
model = make_model(); opt = torch.optim.Adam(model.parameters()); x, y = make_data()
w = dldoctor.watch(model, opt, path={str(path)!r})
for step in range(8):
    opt.zero_grad(); loss = F.cross_entropy(model(x), y); loss.backward(); opt.step()
    w.log(loss=loss.item())
    if step == 4:
        os._exit(9)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, timeout=120)
    assert done.returncode == 9
    trace = read_trace(path)
    assert not trace.finished and len(trace.of("step")) == 5
    with path.open("a") as f:
        f.write('{"type": "st')  # a line torn mid-write is skipped
    assert len(read_trace(path).of("step")) == 5


def test_import_dldoctor_does_not_import_torch() -> None:
    code = ("import sys, dldoctor; assert 'torch' not in sys.modules; "
            "print(callable(dldoctor.watch))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "True"


def test_a_file_that_is_no_trace_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.trace"
    bad.write_text('{"type": "start", "schema": "dldoctor.trace/1"}\nnot json\n{"type": "end"}\n')
    with pytest.raises(InputError, match=r"bad.trace:2: not a JSON line"):
        read_trace(bad)
    (tmp_path / "csv.trace").write_text("step,loss\n1,2\n")
    with pytest.raises(InputError, match=r"csv.trace:1"):
        read_trace(tmp_path / "csv.trace")


def test_a_loader_whose_dataset_holds_a_generator_is_flagged(tmp_path: Path) -> None:
    import numpy as np

    from dldoctor.probes.trace_probe import trace_findings

    class Noisy(torch.utils.data.Dataset):
        def __init__(self) -> None:
            self.rng = np.random.default_rng(0)  # copied as is into every worker

        def __len__(self) -> int:
            return 8

        def __getitem__(self, i: int) -> torch.Tensor:
            return torch.tensor(self.rng.normal(size=8), dtype=torch.float32)

    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for workers, shared in ((2, True), (0, False)):
        loader = torch.utils.data.DataLoader(Noisy(), batch_size=4, num_workers=workers)
        with dldoctor.watch(model, optimizer, path=tmp_path / "l.trace", loader=loader):
            pass
        trace = read_trace(tmp_path / "l.trace")
        assert trace.start["loader"]["dataset_rngs"] == ["rng"]
        facts = {f.fact: f.value for f in trace_findings(trace)}
        assert facts["data.worker_rng_shared"] is shared


def test_float16_autocast_is_recorded(tmp_path: Path) -> None:
    from dldoctor.probes.trace_probe import trace_findings

    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = make_data()
    for dtype, fp16 in ((torch.float16, True), (None, False)):
        with dldoctor.watch(model, optimizer, path=tmp_path / "amp.trace") as w:
            for _ in range(2):
                optimizer.zero_grad()
                with torch.autocast("cpu", dtype=dtype or torch.bfloat16, enabled=bool(dtype)):
                    loss = F.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()
                w.log(loss=loss)
        trace = read_trace(tmp_path / "amp.trace")
        assert trace.of("step")[0]["autocast"] == ("float16" if fp16 else None)
        facts = {f.fact: f.value for f in trace_findings(trace)}
        assert facts["setup.uses_fp16"] is fp16


def test_a_trace_exports_to_tensorboard_and_reads_back_as_a_log(tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    from dldoctor.probes.logs import read_logs
    from dldoctor.watcher.tensorboard import export

    run_loop(tmp_path / "run.trace", None, steps=10)
    assert export(tmp_path / "run.trace", tmp_path / "tb") > 10
    metrics = read_logs([tmp_path / "tb"])
    assert len(metrics.get("loss").values) == 10


def test_random_augmentation_of_the_validation_data_is_seen(tmp_path: Path) -> None:
    from dldoctor.probes.trace_probe import trace_findings

    class Compose:  # the shape of torchvision's, without needing torchvision
        def __init__(self, transforms: list[object]) -> None:
            self.transforms = transforms

    class RandomHorizontalFlip:
        pass

    class Normalize:
        pass

    class Images(torch.utils.data.Dataset):
        def __init__(self, transform: object) -> None:
            self.transform = transform

        def __len__(self) -> int:
            return 4

        def __getitem__(self, i: int) -> torch.Tensor:
            return torch.zeros(8)

    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for transform, augmented in ((Compose([RandomHorizontalFlip(), Normalize()]), True),
                                 (Compose([Normalize()]), False)):
        val = torch.utils.data.DataLoader(Images(transform), batch_size=2)
        with dldoctor.watch(model, optimizer, path=tmp_path / "v.trace", val_loader=val):
            pass
        facts = {f.fact: f.value for f in trace_findings(read_trace(tmp_path / "v.trace"))}
        assert facts["data.eval_random_transforms"] is augmented


def test_watching_without_an_optimizer_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="optimizer must be a torch.optim.Optimizer"):
        dldoctor.watch(torch.nn.Linear(2, 2), None, path=tmp_path / "run.trace")
    assert not (tmp_path / "run.trace").exists()  # nothing half-written
