"""Read CSV and JSON-lines logs column by column, in bulk and in bounded memory.

A log of a million rows is read in chunks: CSV cells are parsed by NumPy's C reader
(``np.loadtxt``), JSON-lines records one by one into compact ``array('d')`` columns. Only
the columns a metric name is known for are kept. What comes out per column is the 1-based
data rows that hold a number and those numbers (NaN and inf kept as values; empty or
non-numeric cells are missing, as the row-by-row reader treated them).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dldoctor.error_texts import err
from dldoctor.errors import InputError

from .metric_names import canonical_name

__all__ = ["Columns", "columns_from_records", "read_csv_columns", "read_jsonl_columns",
           "to_float", "CHUNK_ROWS"]

#: Rows parsed per chunk: bounds the memory of a huge log to a few MB per chunk.
CHUNK_ROWS = 65_536

Wanted = Callable[[str], bool]


#: A number written as the repr of a tensor or NumPy scalar — what ``str(loss)`` logs when
#: ``.item()`` was forgotten: ``tensor(0.53, grad_fn=<NllLossBackward0>)``,
#: ``tensor([0.53], device='cuda:0')``, ``np.float32(0.53)``, ``array(0.53)`` — or its first
#: cell only, ``tensor(0.53``, when the comma inside it split an unquoted CSV row.
_NUM = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|[-+]?nan|[-+]?inf)"
_WRAPPED = re.compile(r"^(?:tensor|np\.float(?:16|32|64)|numpy\.float(?:16|32|64)|array)\(\s*"
                      rf"(?:\[\s*{_NUM}\s*\]|{_NUM})\s*(?:[,)]|$)")


def to_float(value: Any, counter: bool = False) -> float | None:
    """A cell as a float; None for missing, boolean or non-numeric cells. A tensor's or a
    NumPy scalar's repr around one number (``tensor(0.53, grad_fn=…)``) is that number. A
    number too large for a float (``1e999``) is a corrupt cell: None, or in a ``counter``
    column (step, epoch) an infinity, which marks its whole row corrupt."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            if (wrapped := _WRAPPED.match(text)) is not None:
                return float(wrapped.group(1) or wrapped.group(2))
            return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(text)
        return None if math.isinf(number) and not counter and not _spelt_infinite(text) \
            else number
    return None


_INFINITE_WORDS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def _spelt_infinite(text: str) -> bool:
    """A cell that says infinity (``inf``, as loggers write it), not a number too large for a
    float (``1e999``: a corrupt cell, no measurement)."""
    return text.strip().lower() in _INFINITE_WORDS


@dataclass
class Columns:
    """Recognised columns of one log: name → (1-based rows, values), and the row count.

    ``rows`` is None for a column with a number in every row (it then shares nothing and
    costs nothing: a million-row log keeps one float array per column).
    """

    rows: int = 0
    data: dict[str, tuple[np.ndarray | None, np.ndarray]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # first appearance
    seen: list[str] = field(default_factory=list)  # every column or key, kept or not
    #: 1-based line numbers of lines skipped as unreadable (a line garbled mid-file)
    bad_lines: list[int] = field(default_factory=list)
    #: bytes that are no UTF-8, read as unknown characters (their fields as no number)
    bad_bytes: bool = False
    #: the 1-based line from which the file is no text (a crash-garbled end), not read
    garbled_from: int | None = None
    #: per column, the 1-based rows whose cell holds a word, not a number ("oops", "n/a"),
    #: and the first such cell's text
    words: dict[str, tuple[np.ndarray, str]] = field(default_factory=dict)
    #: a JSON-lines log read as printed output instead: its first line that is no JSON and
    #: why (too many such lines for the JSON reader to skip)
    not_json: tuple[int, str] | None = None


class _Sink:
    """Per-column growing buffers of (rows, values)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        self.words: dict[str, tuple[list[np.ndarray], str]] = {}

    def add(self, column: str, rows: np.ndarray, values: np.ndarray) -> None:
        self.parts.setdefault(column, []).append((rows, values))

    def add_words(self, column: str, rows: np.ndarray, first: str) -> None:
        """Rows whose cell in ``column`` is a word; ``first``: the text of the first."""
        self.words.setdefault(column, ([], first))[0].append(rows)

    def columns(self, total: int) -> Columns:
        out = Columns(total, order=list(self.parts))
        while self.parts:
            name = next(iter(self.parts))
            parts = self.parts.pop(name)  # freed before the next column is joined
            values = np.concatenate([p[1] for p in parts]).astype(float, copy=False)
            # one value per row at most, so as many values as rows means every row
            rows = None if values.size == total else \
                np.concatenate([p[0] for p in parts]).astype(np.int64, copy=False)
            out.data[name] = (rows, values)
        out.words = {name: (np.concatenate(parts).astype(np.int64, copy=False), first)
                     for name, (parts, first) in self.words.items()}
        return out


class _Plain(csv.excel):
    """A CSV dialect with the delimiter the header line uses most."""


def _header(path: Path, sample: str) -> tuple[Any, list[str]]:
    sample = sample.replace("\r\n", "\n")
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:  # e.g. blank lines in the sample: go by the header line
        line = sample.split("\n", 1)[0]
        dialect = type("_Sniffed", (_Plain,), {"delimiter": max(",;\t", key=line.count)})
    first = next(csv.reader(io.StringIO(sample), dialect=dialect), None)
    if not first:
        raise InputError(err("log.csv_no_header", path=path))
    return dialect, first


def _counter(name: str) -> bool:
    """A step or epoch column, whose corrupt cells mark their rows corrupt."""
    return (canonical_name(name) or ("",))[0] in ("step", "epoch")


def _parse_cells(cells: np.ndarray, counter: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(has a number, value) for an array of cell strings (a word's cell has none)."""
    stripped = np.char.strip(cells)
    present = stripped != ""
    values = np.full(cells.shape, np.nan)
    try:
        values[present] = stripped[present].astype(float)
        overflow = np.isinf(values) & present
        if overflow.any() and not counter:  # 1e999 overflows: garbage unless it says inf
            spelt = np.array([_spelt_infinite(c) for c in stripped[overflow].tolist()])
            present[np.flatnonzero(overflow)[~spelt]] = False
            values[~present] = np.nan
        return present, values
    except ValueError:  # a word in a metric column: judge cell by cell
        parsed = [to_float(c, counter) for c in cells.tolist()]
        present = np.array([v is not None for v in parsed], dtype=bool)
        values = np.array([math.nan if v is None else v for v in parsed], dtype=float)
        return present, values


def _csv_chunks(lines: Iterator[str]) -> Iterator[list[str]]:
    while chunk := list(itertools.islice(lines, CHUNK_ROWS)):
        yield [line if line.endswith("\n") else line + "\n" for line in chunk if line.strip()]


#: Stands for an empty cell so that NumPy's C parser reads a chunk as floats in one go; no
#: log holds this exact number (it is checked: a chunk that does is read as text).
_EMPTY = "-1.2345678901234567e308"
_EMPTY_VALUE = float(_EMPTY)


def _fill_empty(text: str, delimiter: str) -> str:
    """Put :data:`_EMPTY` into every empty cell of newline-terminated CSV lines."""
    double, filled = delimiter * 2, f"{delimiter}{_EMPTY}{delimiter}"
    text = text.replace(double, filled).replace(double, filled)  # runs of empty cells
    text = text.replace(f"{delimiter}\n", f"{delimiter}{_EMPTY}\n")
    text = text.replace(f"\n{delimiter}", f"\n{_EMPTY}{delimiter}")
    return f"{_EMPTY}{text}" if text.startswith(delimiter) else text


def _chunk_cells(chunk: list[str], dialect: Any, keep: list[int], counters: list[bool]
                 ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    """(has a number, value, the stripped cells or None when all parsed as numbers) per kept
    column of one chunk of lines."""
    options = {"delimiter": dialect.delimiter, "quotechar": dialect.quotechar or None,
               "usecols": keep, "ndmin": 2, "comments": None}
    text = "".join(chunk)
    if dialect.delimiter in ",;\t" and not any(m in text for m in ("e308", "E308", "e+308",
                                                                    "E+308")):
        try:
            values = np.loadtxt(io.StringIO(_fill_empty(text, dialect.delimiter)),
                                dtype=float, **options)
            if not np.isinf(values).any():  # an inf: spelt out, or a cell like 1e999?
                empty = values == _EMPTY_VALUE
                return [(~empty[:, i], values[:, i], None) for i in range(len(keep))]
        except ValueError:
            pass  # a word in a number column: the text path judges cell by cell
    cells = np.loadtxt(chunk, dtype=str, **options)
    return [(*_parse_cells(cells[:, i], counters[i]), np.char.strip(cells[:, i]))
            for i in range(len(keep))]


def _fast_csv(path: Path, dialect: Any, keep: list[int], names: list[str],
              encoding: str = "utf-8-sig", errors: str = "strict") -> Columns:
    sink = _Sink()
    total = 0
    counters = [_counter(name) for name in names]
    with path.open(encoding=encoding, errors=errors) as f:
        next(f)  # the header
        for chunk in _csv_chunks(iter(f)):
            if not chunk:
                continue
            rows = np.arange(total + 1, total + 1 + len(chunk), dtype=np.int64)
            for name, (present, values, said) in zip(names, _chunk_cells(chunk, dialect, keep,
                                                                         counters),
                                                     strict=True):
                if present.all():
                    sink.add(name, rows, values)
                elif present.any():
                    sink.add(name, rows[present], values[present])
                if said is not None and (worded := ~present & (said != "")).any():
                    sink.add_words(name, rows[worded], str(said[np.argmax(worded)]))
            total += len(chunk)
    return sink.columns(total)


def _slow_csv(path: Path, dialect: Any, keep: list[int], names: list[str],
              encoding: str = "utf-8-sig", errors: str = "strict") -> Columns:
    """Row by row (ragged rows, quoted line breaks): still streaming, still bounded. A file
    whose quotes do not pair up is read again line by line (a quote left open mid-log had
    swallowed every row after it); the quotes are counted in the one pass that reads it."""
    quote = getattr(dialect, "quotechar", '"') or '"'
    quotes = 0

    def counted(lines: Iterable[str]) -> Iterator[str]:
        nonlocal quotes
        for line in lines:
            quotes += line.count(quote)
            yield line

    with path.open(encoding=encoding, errors=errors, newline="") as f:
        try:
            columns = _rows_to_columns(csv.reader(counted(f), dialect=dialect), keep, names)
        except csv.Error:  # a cell past the size limit: whether a quote left open made it
            quotes += sum(line.count(quote) for line in f)
            if quotes % 2 == 0:
                raise
        else:
            if quotes % 2 == 0:
                return columns
    with path.open(encoding=encoding, errors=errors, newline="") as f:
        # a quote never closed took every line after it into one cell (a garbled line
        # mid-log): no cell spans lines then, and each line is read on its own
        return _rows_to_columns((next(csv.reader([line], dialect=dialect), []) for line in f),
                                keep, names)


def _rows_to_columns(reader: Iterator[list[str]], keep: list[int], names: list[str]
                     ) -> Columns:
    """The ``keep`` cells of every row after the header, as the ``names`` columns."""
    buffers = {name: (array("q"), array("d")) for name in names}
    words: dict[str, tuple[array[int], str]] = {}
    counters = [_counter(name) for name in names]
    total = 0
    next(reader, None)
    for row in reader:
        if not row:
            continue
        total += 1
        for index, name, counter in zip(keep, names, counters, strict=True):
            cell = row[index] if index < len(row) else ""
            value = to_float(cell, counter)
            if value is not None:
                buffers[name][0].append(total)
                buffers[name][1].append(value)
            elif cell.strip():
                words.setdefault(name, (array("q"), cell.strip()))[0].append(total)
    sink = _Sink()
    for name, (rows, values) in buffers.items():
        if rows:
            sink.add(name, np.frombuffer(rows, dtype=np.int64), np.frombuffer(values))
    for name, (rows, first) in words.items():
        sink.add_words(name, np.frombuffer(rows, dtype=np.int64), first)
    return sink.columns(total)


def _encoding(path: Path) -> str:
    """UTF-8 (with or without a BOM), or GB18030 for a CSV that Excel on a Chinese Windows
    saved (GBK column names such as 训练损失): the first 64 KiB decide."""
    with path.open("rb") as f:
        head = f.read(65_536)
    try:
        head.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the sample
            return "utf-8-sig"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        return "utf-8-sig"  # neither: the UTF-8 reader's error names the byte
    return "gb18030"


#: A log of at least this many lines keeps its readable records when at most this share of
#: its lines (one at least) are not JSON, or hold a byte that is no UTF-8 — a line garbled
#: mid-file, two writers interleaved, a flipped byte; more, or in a shorter log: refused.
BAD_LINE_SHARE = 0.05
BAD_LINES_MIN_LOG = 20
#: Lines that are not JSON before the first record that is: no JSON-lines log, stop reading.
GIVE_UP_AFTER = 3


def _bad_bytes(path: Path) -> tuple[int, int]:
    """How many bytes of the file are no UTF-8, and how many lines it has (read once)."""
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    # a U+FFFD the file itself spells is no bad byte
    return text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd"), \
        text.count("\n")


#: A file whose first bytes hold this share of bytes that no text log has (NUL and other
#: control bytes, bytes that are no UTF-8) is binary data, not a log in some encoding: a
#: compressed file, a database, random bytes …
BINARY_SHARE = 0.1
#: … read over this many bytes from its start (a log whose end a crash left binary starts as
#: text, and is read up to that end).
BINARY_HEAD = 4096
#: Bytes no text log holds: NUL and the control bytes but tab, newlines, form feed; DEL.
_CONTROL = bytes([*range(9), *range(14, 32), 127])


def _binary(path: Path) -> bool:
    """Whether the file starts with binary data rather than text (:data:`BINARY_SHARE` of its
    first :data:`BINARY_HEAD` bytes)."""
    with path.open("rb") as f:
        head = f.read(BINARY_HEAD)
    if not head:
        return False
    control = len(head) - len(head.translate(None, _CONTROL))
    undecodable = head.decode("utf-8", errors="replace").count("\ufffd")
    return (control + undecodable) / len(head) > BINARY_SHARE


def _few_bad_bytes(path: Path) -> bool:
    """Whether the bytes that are no UTF-8 are a few in a long log (a flipped byte), which the
    log survives — each reads as an unknown character, its field as no number; a short log,
    or a file in another encoding, is refused as before."""
    bad, lines = _bad_bytes(path)
    return 0 < bad <= max(1.0, BAD_LINE_SHARE * lines) and lines >= BAD_LINES_MIN_LOG


def read_csv_columns(path: Path, wanted: Wanted) -> Columns:
    """The ``wanted`` columns of a CSV log (header names decide; duplicates: the first); a long
    UTF-8 log with a few bytes that are no UTF-8 is read past them (``bad_bytes``), one whose
    end is no text up to there (``garbled_from``)."""
    try:
        return _read_csv(path, wanted, "strict")
    except UnicodeDecodeError as exc:
        if _binary(path):
            raise InputError(err("log.not_text", path=path)) from None
        if _encoding(path) != "utf-8-sig":
            raise InputError(err("log.csv_unreadable", path=path, reason=exc)) from None
        if not _few_bad_bytes(path):
            if (head := _text_head(path, wanted)) is None:
                raise InputError(err("log.csv_unreadable", path=path, reason=exc)) from None
            return head
    columns = _read_csv(path, wanted, "replace")
    columns.bad_bytes = True
    return columns


def _text_head(path: Path, wanted: Wanted) -> Columns | None:
    """The columns of a UTF-8 CSV log whose end is no text (a binary tail a crash or a disk
    error left): the lines before the first byte that is no UTF-8, when they are at least
    :data:`BAD_LINES_MIN_LOG` and half the file — read from a temporary copy, the rest noted
    (``garbled_from``); None otherwise (the log is refused as before)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        cut = data.rfind(b"\n", 0, exc.start) + 1
    if cut < len(data) / 2 or data[:cut].count(b"\n") < BAD_LINES_MIN_LOG:
        return None
    with tempfile.TemporaryDirectory() as folder:
        head = Path(folder) / path.name
        head.write_bytes(data[:cut])
        columns = _read_csv(head, wanted, "strict")
    columns.garbled_from = data[:cut].count(b"\n") + 1
    return columns


def _read_csv(path: Path, wanted: Wanted, errors: str) -> Columns:
    try:
        encoding = _encoding(path)
        with path.open(encoding=encoding, errors=errors, newline="") as f:
            sample = f.read(65_536)
        dialect, header = _header(path, sample)
        keep: list[int] = []
        names: list[str] = []
        for index, name in enumerate(header):
            if name not in names and wanted(name):
                keep.append(index)
                names.append(name)
        if not keep:
            return Columns(seen=list(dict.fromkeys(header)))
        try:
            columns = _fast_csv(path, dialect, keep, names, encoding, errors)
        except ValueError:  # ragged rows or quoted line breaks: the row-by-row reader
            columns = _slow_csv(path, dialect, keep, names, encoding, errors)
        columns.seen = list(dict.fromkeys(header))
        return columns
    except (OSError, csv.Error) as exc:
        raise InputError(err("log.csv_unreadable", path=path, reason=exc)) from None


def _jsonl_lines(path: Path) -> Iterable[tuple[int, str]]:
    with path.open(encoding="utf-8", errors="replace") as f:
        yield from enumerate(f, start=1)


def _one_document(path: Path) -> Any:
    """The file's one JSON document over several lines (a pretty-printed history, a list of
    records: JSON, but not JSON lines), or None when it is no such document."""
    try:
        if path.stat().st_size > 64 * 2**20:
            return None
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def history_records(document: Any) -> list[dict[str, Any]] | None:
    """The per-step records of a history saved as one JSON document: a list of records
    (``json.dump(history, f)``), a mapping whose one list holds them (``{"history": [...]}``),
    or a mapping of equal-length number lists (Keras' ``history.history``); None otherwise."""
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v]
        if len(lists) == 1 and all(isinstance(r, dict) for r in lists[0]):
            document = lists[0]
        elif lists and len(lists) == len(document) and len({len(v) for v in lists}) == 1 and \
                all(isinstance(x, int | float) or x is None for v in lists for x in v):
            return [dict(zip(document, row, strict=True)) for row in zip(*lists, strict=True)]
    if isinstance(document, list) and len(document) >= 2 and \
            all(isinstance(r, dict) for r in document):
        return document
    return None


def read_jsonl_columns(path: Path, wanted: Wanted) -> Columns:
    """The ``wanted`` keys of a JSON-lines log, streamed record by record."""
    buffers: dict[str, tuple[array[int], array[float]]] = {}
    known: dict[str, bool] = {}
    total = lines = last = 0
    bad: list[tuple[int, str]] = []
    cut: int | None = None
    try:
        for number, line in _jsonl_lines(path):
            if not line.strip():
                continue
            lines += 1
            last = number
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                if not line.endswith("\n"):  # the last line of a log still being written
                    cut = number
                    break
                if number == 1 and (document := _one_document(path)) is not None:
                    if (records := history_records(document)) is not None:
                        return columns_from_records(records, wanted)
                    raise InputError(err("log.json_array", path=path)) from None
                if total == 0 and len(bad) >= GIVE_UP_AFTER:
                    raise InputError(err("log.not_json_line", path=path, line=bad[0][0],
                                         reason=bad[0][1])) from None
                bad.append((number, exc.msg))
                continue
            if isinstance(record, list | dict) and total == 0 and lines == 1 and \
                    (records := history_records(record)) is not None:
                # json.dump(history) on one line: records, or Keras' lists by metric
                total += sum(_take(r, total + i, buffers, known, wanted)
                             for i, r in enumerate(records))
                continue
            if isinstance(record, list) and total == 0:  # a list that holds no records
                raise InputError(err("log.json_array", path=path))
            total += _take(record, total, buffers, known, wanted)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(err("log.jsonl_unreadable", path=path, reason=exc)) from None
    if cut is None and bad and total > 0 and bad[-1][0] == last:
        cut = bad.pop()[0]  # a half-written last record (killed mid-write, then a newline)
    allowed = max(1.0, BAD_LINE_SHARE * lines) if lines >= BAD_LINES_MIN_LOG else 0.0
    if bad and (total == 0 or len(bad) > allowed):
        raise InputError(err("log.not_json_line", path=path, line=bad[0][0], reason=bad[0][1]))
    columns = _collect(buffers, known, total)
    columns.bad_lines = [number for number, _ in bad] + ([cut] if cut is not None and bad else [])
    return columns


def columns_from_records(records: Iterable[Any], wanted: Wanted) -> Columns:
    """The ``wanted`` keys of records already parsed (e.g. a trainer_state.json history)."""
    buffers: dict[str, tuple[array[int], array[float]]] = {}
    known: dict[str, bool] = {}
    total = 0
    for record in records:
        total += _take(record, total, buffers, known, wanted)
    return _collect(buffers, known, total)


def _take(record: Any, total: int, buffers: dict[str, tuple[array[int], array[float]]],
          known: dict[str, bool], wanted: Wanted) -> int:
    """Add one record's wanted numbers as row ``total + 1``; return 1, or 0 for a non-record."""
    if not isinstance(record, dict):
        return 0
    row = total + 1
    for key, raw in record.items():
        use = known.get(key)
        if use is None:
            use = known[key] = wanted(str(key))
        if not use:
            continue
        kind = type(raw)
        value = float(raw) if kind is float or kind is int else to_float(raw)
        if value is not None:
            rows, values = buffers.setdefault(key, (array("q"), array("d")))
            rows.append(row)
            values.append(value)
    return 1


def _collect(buffers: dict[str, tuple[array[int], array[float]]], known: dict[str, bool],
             total: int) -> Columns:
    sink = _Sink()
    for name, (rows, values) in buffers.items():
        sink.add(name, np.frombuffer(rows, dtype=np.int64), np.frombuffer(values))
    columns = sink.columns(total)
    columns.seen = [str(k) for k in known]
    return columns
