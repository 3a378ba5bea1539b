"""A corpus of hostile, malformed and huge inputs, generated into a folder (never committed).

``build_corpus(root)`` writes the files and returns one :class:`Case` per command line: the
``diagnose`` arguments, the exit status expected, and words the one stderr line must hold.
Payloads that would run code write into ``root/MARKERS``; a test asserts it stays empty.
Shared by tests/test_hostile_cli.py and bench/fuzz.py.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch

__all__ = ["Case", "build_corpus", "marker_dir"]


@dataclass(frozen=True)
class Case:
    """One hostile command line and what it must give."""

    name: str
    argv: list[str]
    words: tuple[str, ...] = ()  # each must appear in the one stderr line
    codes: tuple[int, ...] = (2,)
    absent: tuple[str, ...] = ()  # must not appear anywhere in stderr (leaked content)
    extra: dict[str, str] = field(default_factory=dict)


def marker_dir(root: Path) -> Path:
    return root / "MARKERS"


class _Payload:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"open({str(self.marker)!r}, 'w').write('ran')",)


def _safetensors(path: Path, header: object, data: bytes, pad_to: int | None = None) -> Path:
    raw = json.dumps(header).encode()
    if pad_to is not None:
        raw = raw + b" " * (pad_to - len(raw))
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data)
    return path


def _patched_zip(src: Path, dst: Path, member_suffix: str, *, compress: bool = False,
                 declared: int | None = None) -> Path:
    """Copy a zip, compressing one member or lying about its uncompressed size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buffer, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            kind = zipfile.ZIP_DEFLATED if compress and info.filename.endswith(member_suffix) \
                else zipfile.ZIP_STORED
            zout.writestr(zipfile.ZipInfo(info.filename), data, compress_type=kind)
    raw = bytearray(buffer.getvalue())
    if declared is not None:  # patch the central directory's "uncompressed size"
        pos = 0
        while (pos := raw.find(b"PK\x01\x02", pos)) >= 0:
            name_len = struct.unpack_from("<H", raw, pos + 28)[0]
            name = bytes(raw[pos + 46: pos + 46 + name_len]).decode()
            if name.endswith(member_suffix):
                struct.pack_into("<I", raw, pos + 24, declared)
            pos += 4
    dst.write_bytes(bytes(raw))
    return dst


def _bomb_zip(src: Path, dst: Path, size: int) -> Path:
    """A torch zip whose data.pkl honestly decompresses to ``size`` bytes of zeros."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename.endswith("data.pkl"):
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                with zout.open(member, "w", force_zip64=True) as f:
                    chunk = bytes(1 << 20)
                    for _ in range(size >> 20):
                        f.write(chunk)
            else:
                zout.writestr(zipfile.ZipInfo(info.filename), zin.read(info))
    return dst


def _checkpoints(root: Path, marks: Path) -> list[Case]:
    d = root / "ckpt"
    d.mkdir()
    good = d / "good.pt"
    torch.save({"model": {"w": torch.randn(4, 4)}, "step": 3}, good)
    cases = []

    def case(name: str, path: Path, *words: str, **kw: object) -> None:
        cases.append(Case(name, ["--checkpoint", str(path)], tuple(words), **kw))  # type: ignore[arg-type]

    (d / "garbage.pt").write_bytes(b"root:*:20000:0:99999:7:::\n" * 4)
    case("garbage", d / "garbage.pt", "not a checkpoint", absent=("root:",))
    (d / "empty.pt").write_bytes(b"")
    case("empty", d / "empty.pt", "empty")
    os.mkfifo(d / "fifo.pt")
    case("fifo", d / "fifo.pt", "not a regular file")
    (d / "zero.pt").symlink_to("/dev/zero")
    case("dev_zero", d / "zero.pt", "not a regular file")
    (d / "loop.pt").symlink_to(d / "loop.pt")
    case("symlink_loop", d / "loop.pt", "loop.pt")
    data = good.read_bytes()
    (d / "truncated.pt").write_bytes(data[: len(data) // 2])
    case("truncated_zip", d / "truncated.pt", "truncated.pt")
    case("zip_bomb_declared", _patched_zip(good, d / "bomb_declared.pt", "data.pkl",
                                           compress=True, declared=3_000_000_000), "bomb")
    case("zip_bomb_real", _bomb_zip(good, d / "bomb_real.pt", 300 << 20), "zip bomb")
    case("zip_size_lie", _patched_zip(good, d / "lie.pt", "data.pkl", compress=True,
                                      declared=5), "declares")
    case("compressed_storage", _patched_zip(good, d / "cstore.pt", "data/0", compress=True),
         "compressed")
    payload = _Payload(marks / "pickle")
    (d / "evil.pkl").write_bytes(pickle.dumps({"w": payload}, protocol=2))
    case("raw_pickle_payload", d / "evil.pkl", "refused", "--trust-checkpoint")
    torch.save({"model": {"w": torch.ones(2)}, "x": _Payload(marks / "zip")}, d / "evil.pt")
    # the tensors read as data, the payload an inert record
    case("torch_zip_payload", d / "evil.pt", codes=(0, 1))
    torch.save({"x": _Payload(marks / "zip_only")}, d / "evil_only.pt")
    case("torch_zip_only_payload", d / "evil_only.pt", "refused", "--trust-checkpoint")
    torch.save({"w": torch.eye(3).to_sparse()}, d / "sparse.pt")
    case("sparse_tensor", d / "sparse.pt", "sparse")
    torch.save({"w": torch.empty(3, 3, device="meta")}, d / "meta.pt")
    case("meta_tensor", d / "meta.pt", "meta")
    torch.save({"model": {"w": torch.randn(3)}, "optimizer": {"state": 5, "param_groups": "x"}},
               d / "badopt.pt")
    case("garbage_optimizer", d / "badopt.pt", "optimizer")
    torch.save({"model": {"w": torch.randn(3)},
                "optimizer": {"state": {}, "param_groups": [{"params": [0], "lr": "fast"}]}},
               d / "badlr.pt")
    case("optimizer_lr_text", d / "badlr.pt", "lr")
    f32 = bytes(16)
    st = [
        ("st_bad_shape", {"w": {"dtype": "F32", "shape": [3, 3], "data_offsets": [0, 16]}},
         "shape"),
        ("st_no_shape", {"w": {"dtype": "F32", "data_offsets": [0, 16]}}, "shape"),
        ("st_string_offsets", {"w": {"dtype": "F32", "shape": [4],
                                     "data_offsets": ["0", "16"]}}, "data_offsets"),
        ("st_overlap", {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                        "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}},
         "overlap"),
        ("st_bad_dtype", {"w": {"dtype": "Q4", "shape": [4], "data_offsets": [0, 16]}},
         "dtype"),
        ("st_past_end", {"w": {"dtype": "F32", "shape": [8], "data_offsets": [0, 32]}},
         "past the end"),
        ("st_header_list", [1, 2, 3], "not a checkpoint"),
        ("st_negative_dim", {"w": {"dtype": "F32", "shape": [-4, -1],
                                   "data_offsets": [0, 16]}}, "shape"),
    ]
    for name, header, word in st:
        case(name, _safetensors(d / f"{name}.safetensors", header, f32), word)
    deep = b"[" * 200_000 + b"]" * 200_000
    (d / "st_deep.safetensors").write_bytes(struct.pack("<Q", len(deep)) + deep)
    case("st_deep_header", d / "st_deep.safetensors", "st_deep")
    (d / "st_long.safetensors").write_bytes(struct.pack("<Q", 10**12) + b"{}")
    case("st_header_too_long", d / "st_long.safetensors", "st_long")
    # a valid file whose header length has 0x80 as low byte: safetensors, not a pickle
    ok = _safetensors(d / "lowbyte80.safetensors",
                      {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}},
                      struct.pack("<4f", 0.1, -0.2, 0.3, -0.4), pad_to=0x0280)
    cases.append(Case("st_header_0x80_is_valid", ["--checkpoint", str(ok)], codes=(0, 1)))
    escape = _safetensors(d / "escape.safetensors",
                          {"\x1b[2J\x1b]0;owned\x07w": {"dtype": "F32", "shape": [2],
                                                         "data_offsets": [0, 8]}},
                          struct.pack("<2f", float("nan"), 1.0))
    cases.append(Case("st_escape_in_tensor_name", ["--checkpoint", str(escape), "--format",
                                                   "text"], codes=(0, 1), absent=("\x1b",)))
    sh = d / "shards"
    sh.mkdir()
    (sh / "up.index.json").write_text(json.dumps({"weight_map": {"w": "../garbage.pt"}}))
    case("index_dotdot", sh / "up.index.json", "outside", absent=("root:",))
    (sh / "abs.index.json").write_text(json.dumps({"weight_map": {"w": "/etc/passwd"}}))
    case("index_absolute", sh / "abs.index.json", "outside", absent=("root:",))
    (sh / "link.safetensors").symlink_to(d / "garbage.pt")
    (sh / "link.index.json").write_text(json.dumps({"weight_map": {"w": "link.safetensors"}}))
    case("index_symlinked_garbage", sh / "link.index.json", "not a safetensors file",
         absent=("root:",))
    (sh / "notjson.index.json").write_text("{weight_map:")
    case("index_not_json", sh / "notjson.index.json", "index")
    (sh / "list.index.json").write_text(json.dumps({"weight_map": ["a", "b"]}))
    case("index_wrong_shape", sh / "list.index.json", "index")
    cases.extend(_dcp(d, marks))
    cases.extend(_torchscript(d, marks))
    return cases


def _dcp(d: Path, marks: Path) -> list[Case]:
    import torch.distributed.checkpoint as dcp

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dcp.save({"model": {"w": torch.randn(3, 3)}, "extra": _Payload(marks / "dcp_bytes")},
                 checkpoint_id=str(d / "dcp_bytes"))
        dcp.save({"model": {"w": torch.randn(3, 3)}}, checkpoint_id=str(d / "dcp_meta"))
    out.append(Case("dcp_pickled_bytes", ["--checkpoint", str(d / "dcp_bytes")],
                    ("refused", "--trust-checkpoint")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dcp.save({"w": torch.randn(2)}, checkpoint_id=str(d / "dcp_fifo"))
    os.mkfifo(d / "dcp_fifo" / "__1_0.distcp")
    out.append(Case("dcp_fifo_shard", ["--checkpoint", str(d / "dcp_fifo")], ("FIFO",)))
    (d / "dcp_meta" / ".metadata").write_bytes(pickle.dumps(_Payload(marks / "dcp_meta")))
    out.append(Case("dcp_metadata_payload", ["--checkpoint", str(d / "dcp_meta")],
                    ("refused",)))
    (d / "dcp_junk").mkdir()
    (d / "dcp_junk" / ".metadata").write_bytes(b"\x80\x04garbage")
    out.append(Case("dcp_metadata_garbage", ["--checkpoint", str(d / "dcp_junk")],
                    ("dcp_junk",)))
    return out


def _torchscript(d: Path, marks: Path) -> list[Case]:
    scripted = torch.jit.script(torch.nn.Linear(3, 2))
    good = d / "ts.pt"
    scripted.save(str(good))
    evil = d / "ts_evil.pt"
    payload = pickle.dumps(_Payload(marks / "torchscript"), protocol=2)
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(evil, "w") as zout:
        for info in zin.infolist():
            data = payload if info.filename.endswith("/data.pkl") else zin.read(info)
            zout.writestr(zipfile.ZipInfo(info.filename), data)
    return [
        Case("torchscript_payload", ["--checkpoint", str(evil)], ("TorchScript",)),
        Case("torchscript_bomb", ["--checkpoint", str(_patched_zip(
            good, d / "ts_bomb.pt", "data.pkl", compress=True, declared=4_000_000_000))],
            ("bomb",)),
        Case("torchscript_compressed_storage", ["--checkpoint", str(_patched_zip(
            good, d / "ts_cstore.pt", "data/0", compress=True))], ("compressed",)),
    ]


def _logs(root: Path) -> list[Case]:
    d = root / "logs"
    d.mkdir()
    (d / "run.tfevents.corrupt").write_bytes(b"\x18\x00\x00\x00\x00\x00\x00\x00" + bytes(200))
    (d / "binary.csv").write_bytes(bytes(range(256)) * 20)
    (d / "bigint.jsonl").write_text('{"step": 1, "loss": ' + "9" * 5000 + "}\n")
    (d / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    os.mkfifo(d / "fifo.csv")
    (d / "tb").mkdir()
    os.mkfifo(d / "tb" / "events.out.tfevents.1")
    return [Case(f"log_{p.name}", ["--log", str(d / p.name)], (p.name,)) for p in (
        d / "run.tfevents.corrupt", d / "binary.csv", d / "bigint.jsonl", d / "deep.jsonl",
        d / "fifo.csv")] + [Case("log_tb_folder_fifo", ["--log", str(d / "tb")], ("FIFO",))]


def _bomb_yaml(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        ref = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([ref] * 9)}]")
    return "\n".join(lines) + "\n"


def _yaml_files(root: Path, marks: Path) -> list[Case]:
    d = root / "yaml"
    d.mkdir()
    files = {
        "bomb.yaml": _bomb_yaml(),
        "deep.yaml": "a: " + "[" * 20_000 + "]" * 20_000 + "\n",
        "deep_map.yaml": "a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n",
        "bigint.yaml": "optimizer.lr: " + "1" * 5000 + "\n",
        "tag.yaml": f"x: !!python/object/apply:os.system ['touch {marks / 'yaml'}']\n",
        "nan_lr.yaml": "optimizer.lr: .nan\n",
        "inf_lr.yaml": "optimizer.lr: .inf\n",
        "zero_batch.yaml": "setup.batch_size: 0\n",
        "neg_batch.yaml": "batch.size: -8\n",
        "superscript.yaml": "optimizer.kind: ²\n",
        "list.yaml": "- a\n- b\n",
        "huge.yaml": "# padding\n" * 300_000,
    }
    for name, text in files.items():
        (d / name).write_text(text)
    os.mkfifo(d / "fifo.yaml")
    (d / "zero.yaml").symlink_to("/dev/zero")
    cases = [Case(f"answers_{n}", ["--answers", str(d / n)], (n,))
             for n in [*files, "fifo.yaml", "zero.yaml"]]
    for name in ("bomb.yaml", "deep.yaml", "bigint.yaml", "tag.yaml", "huge.yaml"):
        team = d / f"kb_{name.removesuffix('.yaml')}"
        team.mkdir()
        (team / name).write_text(files[name])
        cases.append(Case(f"kb_{name}", ["--kb", str(team), "--symptom", "loss is nan"],
                          (name,)))
    fifo_kb = d / "kb_fifo"
    fifo_kb.mkdir()
    os.mkfifo(fifo_kb / "rules.yaml")
    cases.append(Case("kb_fifo", ["--kb", str(fifo_kb), "--symptom", "nan"], ("rules.yaml",)))
    return cases


def _sets() -> list[Case]:
    values = {"nan": "optimizer.lr=nan", "inf": "optimizer.lr=inf", "digits": "optimizer.lr=" +
              "1" * 5000, "overflow": "optimizer.lr=1x10^99999", "zero_batch":
              "setup.batch_size=0", "fraction_batch": "setup.batch_size=2.5",
              "momentum": "optimizer.momentum=7", "superscript": "optimizer.kind=²"}
    return [Case(f"set_{k}", ["--set", v], (v.split("=")[0],)) for k, v in values.items()]


def _sessions(root: Path, evil_checkpoint: Path, marks: Path) -> list[Case]:
    d = root / "sessions"
    d.mkdir()
    base = {"schema": "dldoctor.session/1", "lang": "en",
            "inputs": {"checkpoint": None, "logs": [], "model": None, "batch": None,
                       "device": "cpu", "trust": False},
            "given": {}, "answers": [], "skipped": [], "probe_runs": []}

    def variant(**changes: object) -> dict[str, object]:
        data = json.loads(json.dumps(base))
        for key, value in changes.items():
            data[key] = value
        return data

    bad: dict[str, tuple[object, str]] = {
        "top_list": ([base], "top level"),
        "answers_not_list": (variant(answers={"a": 1}), "answers"),
        "skipped_int": (variant(skipped=[1, 2]), "skipped"),
        "deep": (variant(given={"x": json.loads("[" * 500 + "]" * 500)}), "nested"),
        "schema": (variant(schema="evil/9"), "not a dldoctor session"),
        "nan_lr": (variant(given={"optimizer.lr": "nan"}), "finite"),
        "huge_int": (variant(given={"setup.batch_size": 10**30}), "given"),
        "answer_garbage": (variant(answers=[{"kind": "fact", "key": "optimizer.lr",
                                              "raw": "fast"}]), "answers[0]"),
        "bad_kind": (variant(answers=[{"kind": "code", "key": "x"}]), "answers[0]"),
        "probe_runs_int": (variant(probe_runs=[5]), "probe_runs[0]"),
    }
    cases = []
    for name, (data, word) in bad.items():
        path = d / f"{name}.json"
        path.write_text(json.dumps(data))
        cases.append(Case(f"session_{name}", ["--resume", str(path)], (word,)))
    (d / "digits.json").write_text('{"schema": "dldoctor.session/1", "given": {"x": ' +
                                   "7" * 5000 + "}}")
    cases.append(Case("session_5000_digits", ["--resume", str(d / "digits.json")],
                      ("digits.json",)))
    trusted = variant(inputs={**base["inputs"], "checkpoint": str(evil_checkpoint),  # type: ignore[dict-item]
                              "trust": True})
    (d / "trust.json").write_text(json.dumps(trusted))
    cases.append(Case("session_restores_trust", ["--resume", str(d / "trust.json")],
                      ("refused",)))
    model_file = d / "evil_model.py"
    model_file.write_text(f"open({str(marks / 'session_model')!r}, 'w').write('ran')\n"
                          "import torch\n\ndef make():\n    return torch.nn.Linear(4, 2)\n")
    batch = d / "batch.pt"
    torch.save((torch.randn(4, 4), torch.tensor([0, 1, 0, 1])), batch)
    with_model = variant(inputs={**base["inputs"], "model": f"{model_file}:make",  # type: ignore[dict-item]
                                 "batch": str(batch)})
    (d / "model.json").write_text(json.dumps(with_model))
    cases.append(Case("session_imports_model", ["--resume", str(d / "model.json"),
                                                "--set", "optimizer.kind=adam"], codes=(0, 1)))
    return cases


def _live(root: Path) -> list[Case]:
    d = root / "live"
    d.mkdir()
    (d / "lin.py").write_text("import torch\n\ndef make():\n    return torch.nn.Linear(4, 2)\n")
    torch.save((torch.randn(6, 5), torch.randint(0, 2, (6,))), d / "batch.pt")
    torch.save({"w": torch.randn(3)}, d / "weights_not_batch.pt")
    return [
        Case("model_batch_mismatch", ["--model", f"{d / 'lin.py'}:make", "--batch",
                                      str(d / "batch.pt")], ("cannot run",)),
        Case("batch_no_inputs", ["--model", f"{d / 'lin.py'}:make", "--batch",
                                 str(d / "weights_not_batch.pt")], ("weights_not_batch.pt",)),
    ]


def build_corpus(root: Path) -> list[Case]:
    """Write every hostile file under ``root``; return the command lines to try."""
    marks = marker_dir(root)
    marks.mkdir(parents=True, exist_ok=True)
    cases = _checkpoints(root, marks)
    cases += _logs(root) + _yaml_files(root, marks) + _sets() + _live(root)
    cases += _sessions(root, root / "ckpt" / "evil.pkl", marks)
    return [Case(c.name, ["diagnose", *c.argv, "--no-input",
                          *([] if "--format" in c.argv else ["--format", "json"])],
                 c.words, c.codes, c.absent, c.extra) for c in cases]
