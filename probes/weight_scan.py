"""Stream a checkpoint's tensors once and keep a few numbers per tensor.

Each tensor is read in chunks (on the GPU when there is one), reduced to count, mean, std,
min, max and the number of non-finite values, then its pages are released, so memory stays
near the largest tensor however big the checkpoint is. Results are cached per session.

NumPy arrays (checkpoints read without torch, :mod:`.numpy_checkpoint`) are reduced with
NumPy by the same steps in the same precision (float32 chunks, float64 for integers and for
finite values of a chunk holding NaN/inf), so the statistics agree with the torch path to
float rounding; torch is imported only for ``torch.Tensor`` inputs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .base import ProbeContext
from .evidence import say
from .tensor_store import ArrayDType, BFloat16Array, TensorMeta, TensorStore

if TYPE_CHECKING:
    import torch

__all__ = ["TensorStats", "scan_store", "scan_checkpoint_store", "CHUNK_ELEMENTS"]

#: Elements reduced at once; big enough to keep the reductions fast, small enough that the
#: float32 copy of a half-precision chunk stays a few tens of megabytes.
CHUNK_ELEMENTS = 1 << 22
#: Weight matrices above this many elements skip the min/max pass (see ``_reduce``);
#: vectors (biases, norm scales, running statistics) always get their range.
RANGE_LIMIT = 1 << 20
#: Without a range, a variance below this share of mean² counts as a constant tensor.
CONSTANT_RELATIVE_VAR = 1e-12
#: Integer tensors larger than this are not summarised (they are indices or counters).
_INT_LIMIT = 1 << 20


@dataclass(frozen=True)
class TensorStats:
    """One tensor, summarised."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    numel: int
    floating: bool
    mean: float = 0.0
    std: float = 0.0
    min: float = 0.0
    max: float = 0.0
    non_finite: int = 0
    identical_rows: bool = False
    #: zeros above the diagonal of each square (n, n) slice, values on or below it: a causal
    #: or decay mask registered as a buffer (a retention layer's γ^(i−j)), not a weight
    lower_triangular: bool = False
    #: a fixed sinusoidal position table (row p holds sin(p·w) and cos(p·w) per column): built
    #: by formula and frozen on purpose (RoFormer's, Marian's embed_positions), not a weight
    sinusoidal: bool = False

    @property
    def all_zero(self) -> bool:
        return self.floating and self.numel > 0 and self.non_finite == 0 \
            and self.min == 0.0 and self.max == 0.0

    @property
    def constant(self) -> bool:
        return self.floating and self.numel > 1 and self.non_finite == 0 and self.min == self.max


def _device() -> torch.device:
    import torch

    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def _reduce(flat: torch.Tensor, device: torch.device, need_range: bool
            ) -> tuple[int, float, float, float, float, int]:
    """(count of finite values, sum, sum of squares, min, max, non-finite), chunk by chunk.

    Without ``need_range`` a clean chunk costs two passes (sum, dot): a non-finite value
    shows in the dot product, and only then is the chunk examined value by value. The range
    is then NaN, except for all-zero data (0, 0).
    """
    import torch

    count, total, squares, nonfinite = 0, 0.0, 0.0, 0
    low, high = math.inf, -math.inf
    for start in range(0, flat.numel(), CHUNK_ELEMENTS):
        chunk = flat[start:start + CHUNK_ELEMENTS].to(device, non_blocking=True)
        if chunk.dtype not in (torch.float32, torch.float64):
            chunk = chunk.float()
        dot = float(torch.dot(chunk, chunk))
        if not math.isfinite(dot):
            finite = torch.isfinite(chunk)
            bad = int(chunk.numel() - finite.sum())
            nonfinite += bad
            chunk = chunk[finite].double()  # finite values can still overflow float32 squares
            if chunk.numel() == 0:
                continue
            dot = float(torch.dot(chunk, chunk))
            need_chunk_range = True
        else:
            need_chunk_range = need_range
        count += chunk.numel()
        total += float(chunk.sum(dtype=chunk.dtype))
        squares += dot
        if need_chunk_range:
            mn, mx = torch.aminmax(chunk)
            low, high = min(low, float(mn)), max(high, float(mx))
    if not need_range and count and squares == 0.0:
        low, high = 0.0, 0.0
    elif not need_range and nonfinite == 0:
        low, high = math.nan, math.nan
    return count, total, squares, low, high, nonfinite


def _identical_rows(tensor: torch.Tensor, device: torch.device) -> bool:
    """Whether every row (output unit) of a weight equals the first, checked cheaply first."""
    import torch

    if tensor.dim() < 2 or tensor.shape[0] < 2 or tensor.numel() == 0:
        return False
    rows = tensor.reshape(tensor.shape[0], -1)
    first = rows[0].to(device)
    if not (torch.equal(rows[1].to(device), first) and torch.equal(rows[-1].to(device), first)):
        return False
    step = max(1, CHUNK_ELEMENTS // max(1, rows.shape[1]))
    for start in range(0, rows.shape[0], step):
        block = rows[start:start + step].to(device)
        if not torch.equal(block, first.expand_as(block)):
            return False
    return True


def _reduce_array(flat: np.ndarray, need_range: bool
                  ) -> tuple[int, float, float, float, float, int]:
    """:func:`_reduce` for a NumPy array, step by step the same."""
    count, total, squares, nonfinite = 0, 0.0, 0.0, 0
    low, high = math.inf, -math.inf
    with np.errstate(all="ignore"):
        for start in range(0, flat.size, CHUNK_ELEMENTS):
            chunk = flat[start:start + CHUNK_ELEMENTS]
            if isinstance(chunk, BFloat16Array):
                chunk = chunk.floats()
            elif chunk.dtype not in (np.float32, np.float64):
                chunk = chunk.astype(np.float32)
            dot = float(np.dot(chunk, chunk))
            if not math.isfinite(dot):
                finite = np.isfinite(chunk)
                nonfinite += int(chunk.size - np.count_nonzero(finite))
                chunk = chunk[finite].astype(np.float64)
                if chunk.size == 0:
                    continue
                dot = float(np.dot(chunk, chunk))
                need_chunk_range = True
            else:
                need_chunk_range = need_range
            count += chunk.size
            total += float(chunk.sum(dtype=chunk.dtype))
            squares += dot
            if need_chunk_range:
                low, high = min(low, float(chunk.min())), max(high, float(chunk.max()))
    if not need_range and count and squares == 0.0:
        low, high = 0.0, 0.0
    elif not need_range and nonfinite == 0:
        low, high = math.nan, math.nan
    return count, total, squares, low, high, nonfinite


def _identical_rows_array(array: np.ndarray) -> bool:
    """:func:`_identical_rows` for a NumPy array."""
    if array.ndim < 2 or array.shape[0] < 2 or array.size == 0:
        return False
    rows = array.reshape(array.shape[0], -1)

    def values(part: np.ndarray) -> np.ndarray:  # compared as values, as torch.equal does
        return part.floats() if isinstance(part, BFloat16Array) else part

    first = values(rows[0])
    if not (np.array_equal(values(rows[1]), first) and np.array_equal(values(rows[-1]), first)):
        return False
    step = max(1, CHUNK_ELEMENTS // max(1, rows.shape[1]))
    return all(np.array_equal(block, np.broadcast_to(first, block.shape))
               for block in (values(rows[start:start + step])
                             for start in range(0, rows.shape[0], step)))


def _array_parts(tensor: Any, device: torch.device | None
                 ) -> tuple[str, bool, tuple[int, float, float, float, float, int] | None,
                            Any]:
    """(dtype name, floating, reduction or None when not summarised, identical-rows test)."""
    numel = int(np.prod(tensor.shape)) if isinstance(tensor, np.ndarray) else tensor.numel()
    if isinstance(tensor, np.ndarray):
        kind = ArrayDType.of_array(tensor)
        dtype, floating = kind.name, kind.is_floating_point
        skip = numel == 0 or (not floating and (numel > _INT_LIMIT or tensor.dtype == bool))
        if skip:
            return dtype, floating, None, None
        flat = tensor.reshape(-1)
        flat = flat if floating else flat.astype(np.float64)
        need_range = numel <= RANGE_LIMIT or tensor.ndim <= 1
        return dtype, floating, _reduce_array(flat, need_range), \
            lambda: _identical_rows_array(tensor)
    import torch

    device = device or _device()
    dtype, floating = str(tensor.dtype).replace("torch.", ""), tensor.is_floating_point()
    if numel == 0 or (not floating and (numel > _INT_LIMIT or tensor.dtype == torch.bool)):
        return dtype, floating, None, None
    flat = tensor.reshape(-1)
    if not floating:
        flat = flat.double()
    need_range = numel <= RANGE_LIMIT or tensor.dim() <= 1
    return dtype, floating, _reduce(flat, device, need_range), \
        lambda: _identical_rows(tensor, device)


#: Square slices checked for a triangle up to this many values (masks are small).
TRIANGLE_LIMIT = 1 << 22


def _lower_triangular(tensor: Any) -> bool:
    """Whether every square (n ≥ 4) slice of ``tensor`` is 0 above its diagonal and not 0
    on or below it."""
    shape = tuple(int(d) for d in tensor.shape)
    if len(shape) < 2 or shape[-1] != shape[-2] or shape[-1] < 4 or \
            math.prod(shape) > TRIANGLE_LIMIT:
        return False
    n = shape[-1]
    try:
        if isinstance(tensor, np.ndarray):
            if tensor.dtype not in (np.float16, np.float32, np.float64):
                return False
            square = tensor.reshape(-1, n, n)
            upper = np.triu(np.ones((n, n), dtype=bool), 1)
            return bool(not square[:, upper].any() and square[:, ~upper].any())
        import torch

        cube = tensor.detach().reshape(-1, n, n).float()
        above = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
        return bool(not cube[:, above].any() and cube[:, ~above].any())
    except (TypeError, ValueError, RuntimeError):
        return False


#: Rows of a position table checked against the formula, and the tolerance.
SINUSOID_ROWS = 16
SINUSOID_TOLERANCE = 1e-3


def sinusoid_table(tensor: Any) -> bool:
    """Whether a 2-D table (positions × features, at least 4 × 4) is a sinusoidal position
    encoding: row 0 is sin(0) = 0 or cos(0) = 1 in every column (both present), and each
    column's next rows follow sin(p·w) or cos(p·w) with the frequency ``w`` its row 1 gives,
    whatever order the halves come in."""
    shape = tuple(int(d) for d in tensor.shape)
    if len(shape) != 2 or shape[0] < 4 or shape[1] < 4:
        return False
    try:
        if not isinstance(tensor, np.ndarray):
            if not tensor.is_floating_point():
                return False
            tensor = tensor.detach()[:SINUSOID_ROWS].float().cpu().numpy()
        elif tensor.dtype not in (np.float16, np.float32, np.float64):
            return False
    except (TypeError, ValueError, RuntimeError):
        return False
    rows = np.asarray(tensor[:SINUSOID_ROWS], dtype=np.float64)
    if not np.isfinite(rows).all() or np.abs(rows).max() > 1 + SINUSOID_TOLERANCE:
        return False
    first = rows[0]
    sines, cosines = np.abs(first) <= SINUSOID_TOLERANCE, np.abs(first - 1) <= SINUSOID_TOLERANCE
    if not (sines | cosines).all() or not sines.any() or not cosines.any():
        return False
    w = np.where(sines, np.arcsin(np.clip(rows[1], -1, 1)), np.arccos(np.clip(rows[1], -1, 1)))
    p = np.arange(rows.shape[0], dtype=np.float64)[:, None]
    expected = np.where(sines, np.sin(p * w), np.cos(p * w))
    return bool(np.abs(rows - expected).max() <= SINUSOID_TOLERANCE)


def summarise(name: str, tensor: Any, device: torch.device | None = None) -> TensorStats:
    """Reduce one tensor (``torch.Tensor`` or NumPy array) to its :class:`TensorStats`."""
    shape = tuple(int(d) for d in tensor.shape)
    numel = math.prod(shape)
    dtype, floating, reduced, rows_equal = _array_parts(tensor, device)
    if reduced is None:
        return TensorStats(name, shape, dtype, numel, floating)
    count, total, squares, low, high, nonfinite = reduced
    mean = total / count if count else math.nan
    var = max(squares / count - mean * mean, 0.0) if count else math.nan
    if count and low == high:
        var = 0.0
    if count and math.isnan(low) and var <= CONSTANT_RELATIVE_VAR * mean * mean:
        # no range was taken: a variance this small against the mean means one constant
        var, low, high = 0.0, mean, mean
    return TensorStats(
        name, shape, dtype, numel, floating,
        mean=mean, std=math.sqrt(var) if count else math.nan,
        min=low if count else math.nan, max=high if count else math.nan,
        non_finite=nonfinite,
        identical_rows=floating and nonfinite == 0 and rows_equal(),
        lower_triangular=floating and nonfinite == 0 and _lower_triangular(tensor),
        sinusoidal=floating and nonfinite == 0 and low >= -1 - SINUSOID_TOLERANCE
        and high <= 1 + SINUSOID_TOLERANCE and sinusoid_table(tensor),
    )


def scan_store(store: TensorStore, ctx: ProbeContext, label: str = "weights") -> list[TensorStats]:
    """Summarise every tensor of ``store``, reporting progress by bytes and honouring cancel."""
    metas: list[TensorMeta] = store.metas()
    total = sum(m.nbytes for m in metas) or 1
    done, last = 0, 0.0
    device = None  # chosen on the first torch tensor: NumPy arrays need no torch
    out: list[TensorStats] = []
    for meta in metas:
        ctx.check()
        tensor = store.get(meta.name)
        try:
            if device is None and not isinstance(tensor, np.ndarray):
                device = _device()
            out.append(summarise(meta.name, tensor, device))
        finally:
            del tensor
            store.release(meta.name)
        done += meta.nbytes
        now = time.monotonic()
        if now - last > 0.1 or done == total:
            ctx.progress(done / total, say("progress.scanning", name=meta.name,
                                           what=say("what.weights") if label == "weights"
                                           else label))
            last = now
    return out


def scan_checkpoint_store(key: str, store: TensorStore, ctx: ProbeContext) -> list[TensorStats]:
    """:func:`scan_store`, cached in ``ctx.cache`` under ``key``."""
    cache_key = f"scan:{key}"
    if cache_key not in ctx.cache:
        ctx.cache[cache_key] = scan_store(store, ctx)
    stats: list[TensorStats] = ctx.cache[cache_key]
    return stats
