"""What the model file named on the command line says of its own training loop, read as text.

The file is the person's code (``--model FILE.py:FACTORY``); besides the factory it often
holds the loop, the loss or the Lightning module that builds the loaders. A ``DataLoader(...,
shuffle=True)`` in it says the training data is reshuffled every epoch — the loader a
validation split gets is not shuffled, so only the positive reading is taken. A division by a
variance, standard deviation or norm computed on the fly with no epsilon is a division that
one constant sample (or row, or task) turns into 0/0. Validation data built with the training
augmentation (``val = Holes(..., augment=True)``, ``Clips(x_val, transform=spec_augment)``,
``make_loader(vx, vy, augment)``) is random at every evaluation. Nothing is run: the file is
parsed.
"""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from collections.abc import Container
from functools import lru_cache
from pathlib import Path

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import say

__all__ = ["column_division_findings", "division_findings", "double_activation_findings",
           "eval_augmentation_findings", "joined_split_findings", "loader_shuffle_findings",
           "loss_kind_findings", "added_noise",
           "raw_output_loss_findings", "retained_graph_findings", "source_findings",
           "unguarded_log_findings", "unzeroed_optimizer_findings", "worker_rng_findings"]

#: Files larger than this are not parsed (a model file is a few hundred lines).
MAX_SOURCE_BYTES = 2_000_000


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else \
        func.id if isinstance(func, ast.Name) else ""


def _parsed(spec: str | None) -> tuple[Path, ast.Module] | None:
    """The model file of ``FILE.py:FACTORY`` and its syntax tree; None for no file, a package
    module, a file too large, or one that does not parse. Each reading below asks for it: the
    file is read and parsed once while it stays unchanged."""
    if not spec:
        return None
    target = Path(spec.rpartition(":")[0])
    try:
        if target.suffix != ".py" or not target.is_file():
            return None
        stat = target.stat()
        if stat.st_size > MAX_SOURCE_BYTES:
            return None
        tree = _parse(str(target.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None
    return None if tree is None else (target, tree)


@lru_cache(maxsize=8)
def _parse(path: str, mtime_ns: int, size: int) -> ast.Module | None:
    """The syntax tree of ``path`` as it is at ``mtime_ns``/``size`` (the cache's key; the
    trees are only read)."""
    try:
        return ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
        return None  # a file nested past what Python itself can compile reads as no file


def source_findings(spec: str | None) -> list[Finding]:
    """Every reading of the model file above, in one list."""
    return [*loader_shuffle_findings(spec), *division_findings(spec),
            *column_division_findings(spec),
            *eval_augmentation_findings(spec), *double_activation_findings(spec),
            *unguarded_log_findings(spec), *retained_graph_findings(spec),
            *raw_output_loss_findings(spec), *unzeroed_optimizer_findings(spec),
            *unscaled_accumulation_findings(spec), *loss_kind_findings(spec),
            *grad_clipping_findings(spec), *own_sampler_findings(spec),
            *replaced_after_optimizer_findings(spec), *batch_softmax_loss_findings(spec),
            *zero_grad_outside_loop_findings(spec), *cleared_before_step_findings(spec),
            *worker_rng_findings(spec), *sliced_batch_findings(spec),
            *leaf_loss_findings(spec), *joined_split_findings(spec),
            *eval_mode_left_findings(spec), *held_out_trained_on_findings(spec)]


#: Loss classes and functions of torch, by the kind ``setup.loss_kind`` names.
_LOSS_KINDS = {"CrossEntropyLoss": "cross_entropy", "cross_entropy": "cross_entropy",
               "NLLLoss": "nll", "nll_loss": "nll",
               "BCELoss": "bce", "binary_cross_entropy": "bce",
               "BCEWithLogitsLoss": "bce_logits",
               "binary_cross_entropy_with_logits": "bce_logits",
               "MSELoss": "mse", "mse_loss": "mse", "KLDivLoss": "kl", "kl_div": "kl"}


#: Calls that turn a tensor into a plain number or cut it from the graph.
_TO_NUMBER = frozenset({"item", "detach", "tolist", "numpy", "cpu"})
_NO_GRAD = frozenset({"no_grad", "inference_mode"})


def _metric_only_calls(tree: ast.Module) -> set[ast.Call]:
    """Calls whose value is only read as a number, never trained on: ``F.mse_loss(mu,
    y).item()``, ``float(F.l1_loss(...))``, or anything under ``with torch.no_grad():``."""
    found: set[ast.Call] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _TO_NUMBER and \
                isinstance(node.value, ast.Call):
            found.add(node.value)
        elif isinstance(node, ast.Call) and _called(node) == "float" and node.args and \
                isinstance(node.args[0], ast.Call):
            found.add(node.args[0])
        elif isinstance(node, ast.With | ast.AsyncWith) and any(
                isinstance(item.context_expr, ast.Call) and _called(item.context_expr) in _NO_GRAD
                for item in node.items):
            found.update(c for statement in node.body for c in ast.walk(statement)
                         if isinstance(c, ast.Call))
    return found


#: Robust regression losses of torch, by the name :func:`.losses.loss_for` takes.
_ROBUST_LOSSES = {"HuberLoss": "huber", "huber_loss": "huber", "SmoothL1Loss": "huber",
                  "smooth_l1_loss": "huber", "L1Loss": "l1", "l1_loss": "l1"}


def _trained_calls(tree: ast.Module, names: Container[str]) -> list[tuple[ast.Call, str]]:
    """The calls of ``names`` the file trains with: every one not only read as a number."""
    read_only = _metric_only_calls(tree)
    return [(node, name) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and (name := _called(node)) in names
            and node not in read_only]


def robust_regression_loss(spec: str | None) -> str | None:
    """``huber`` or ``l1`` when every torch loss the model file trains with (not one only read
    as a number) is that robust regression loss (Huber and smooth L1 are one at their
    default delta/beta of 1); None otherwise — no loss in the file, or another kind beside."""
    if (parsed := _parsed(spec)) is None:
        return None
    kinds = {_ROBUST_LOSSES.get(name, "other")
             for _, name in _trained_calls(parsed[1], {*_ROBUST_LOSSES, *_LOSS_KINDS})}
    return kinds.pop() if len(kinds) == 1 and kinds != {"other"} else None


def loss_kind_findings(spec: str | None) -> list[Finding]:
    """``setup.loss_kind`` when the model file builds or calls torch losses of one kind only
    (``nn.BCEWithLogitsLoss()``, ``F.cross_entropy(...)``), with the first place; nothing
    when it uses none (the loss lives in a library's trainer) or losses of several kinds. A
    loss only read as a number (a metric: ``.item()``, under ``no_grad``) is not trained on."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    places: dict[str, list[tuple[int, str]]] = {}
    for node, name in _trained_calls(tree, _LOSS_KINDS):
        places.setdefault(_LOSS_KINDS[name], []).append((node.lineno, name))
    if len(places) != 1:
        return []
    (kind, found), = places.items()
    line, name = min(found)
    return [Finding("setup.loss_kind", kind,
                    say("src.loss_kind", file=target.name, line=line, name=name,
                        n=len(found))),
            *_log_probabilities_findings(target, tree, kind, line)]


#: Calls that turn scores into log-probabilities.
_LOG_PROBABILITIES = frozenset({"log_softmax", "LogSoftmax"})


def _log_probabilities_findings(target: Path, tree: ast.Module, kind: str, line: int
                                ) -> list[Finding]:
    """``src.nll_without_log_softmax`` for a file whose one loss is NLLLoss: true when no
    ``log_softmax`` (function, method or ``nn.LogSoftmax``) is called anywhere in it, so
    whatever the NLLLoss reads is no log-probability made here; nothing for another loss."""
    if kind != "nll":
        return []
    made = sorted(node.lineno for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and _called(node) in _LOG_PROBABILITIES)
    return [Finding("src.nll_without_log_softmax", not made,
                    say("src.nll_raw_scores", file=target.name, line=line) if not made else
                    say("src.nll_log_softmax", file=target.name, line=made[0]))]


def _shuffles(loader: ast.Call) -> bool:
    """A ``DataLoader(...)`` call given ``shuffle=True`` (a training loader)."""
    return any(k.arg == "shuffle" and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in loader.keywords)


def _fresh_item_datasets(tree: ast.Module) -> set[str]:
    """The dataset classes of the file that make each item anew whatever the index asked
    for: a ``__getitem__`` that never reads its index (a simulator drawing a fresh sample),
    or an ``__iter__`` without a ``__getitem__``. Their loaders have no order to shuffle."""
    fresh = set()
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        methods = _methods(cls)
        item = methods.get("__getitem__")
        if item is None:
            if "__iter__" in methods:
                fresh.add(cls.name)
            continue
        params = [a.arg for a in item.args.args[1:]]
        if params and not any(isinstance(n, ast.Name) and n.id == params[0]
                              for n in ast.walk(item)):
            fresh.add(cls.name)
    return fresh


def _loader_dataset_class(loader: ast.Call, tree: ast.Module, among: Container[str]
                          ) -> str | None:
    """The class among ``among`` that a ``DataLoader(…)`` call's dataset is an instance of —
    made in the call (``DataLoader(Sim(), …)``) or bound to a name before (``ds = Sim()``,
    the last such binding) — or None."""
    keywords = {k.arg: k.value for k in loader.keywords}
    dataset = loader.args[0] if loader.args else keywords.get("dataset")
    if isinstance(dataset, ast.Call) and isinstance(dataset.func, ast.Name):
        return dataset.func.id if dataset.func.id in among else None
    if isinstance(dataset, ast.Name):
        bound = [value.func.id for name, value in _assigned(tree) if name == dataset.id
                 and isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                 and value.func.id in among]
        return bound[-1] if bound else None
    return None


def loader_shuffle_findings(spec: str | None) -> list[Finding]:
    """``data.shuffled`` true when the model file builds a ``DataLoader`` with
    ``shuffle=True``; false when it builds none so and the loader of the training data —
    bound to a name, or reading a dataset, called ``train…`` — is built with
    ``shuffle=False`` (or without the argument, whose default is False) and no sampler (the
    file's only loader, not named for evaluation, is the training data's too); nothing
    otherwise (no file, a package module, no such loader)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    loaders = [node for node in ast.walk(tree)
               if isinstance(node, ast.Call) and _called(node) == "DataLoader"]
    for node in loaders:
        if _shuffles(node):
            return [Finding("data.shuffled", True,
                            say("src.loader_shuffles", file=target.name, line=node.lineno))]
    names = _bound_names(tree)
    fresh = _fresh_item_datasets(tree)
    for node in sorted(loaders, key=lambda n: n.lineno):
        keywords = {k.arg: k.value for k in node.keywords}
        shuffle = keywords.get("shuffle")
        if _loader_dataset_class(node, tree, fresh) is not None:
            continue  # each item drawn anew whatever its index: no order to shuffle
        if any(k in keywords for k in ("sampler", "batch_sampler", None)) or \
                (shuffle is not None and not (isinstance(shuffle, ast.Constant)
                                              and shuffle.value is False)):
            continue
        first = ast.unparse(node.args[0]) if node.args else \
            ast.unparse(keywords["dataset"]) if "dataset" in keywords else ""
        name = names.get(id(node), "")
        only = len(loaders) == 1 and not _EVAL_NAME.search(name) and not _EVAL_NAME.search(first)
        if only or _TRAIN_NAME.search(name) or _TRAIN_NAME.search(first):
            return [Finding("data.shuffled", False,
                            say("src.loader_in_order", file=target.name, line=node.lineno))]
    if not loaders and (line := _reshuffled_by_hand(tree)) is not None:
        return [Finding("data.shuffled", True,
                        say("src.loop_reshuffles", file=target.name, line=line))]
    if not loaders and (line := _cut_in_stored_order(tree)) is not None:
        return [Finding("data.shuffled", False,
                        say("src.loop_in_order", file=target.name, line=line))]
    return []


def _ordered(value: ast.expr) -> bool:
    """``torch.arange(n)``, ``np.arange(n)``, ``range(n)``, ``list(range(n))``: the rows'
    stored order."""
    if isinstance(value, ast.Call) and _called(value) == "list" and value.args:
        value = value.args[0]
    return isinstance(value, ast.Call) and _called(value) in ("arange", "range")


def _cut_in_stored_order(tree: ast.Module) -> int | None:
    """The line of an index built in the rows' stored order (``order = torch.arange(n)``)
    that a training loop cuts its batches from by hand (``idx = order[i:i + B]`` in a loop
    that calls ``backward()``), when nothing in the file draws a permutation or shuffles in
    place: every epoch reads the rows as they are stored. None for any other file."""
    if any(isinstance(n, ast.Call) and (_draws(n) or _called(n) == "shuffle")
           for n in ast.walk(tree)):
        return None
    ordered = {t.id: node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assign)
               and _ordered(node.value) for t in node.targets if isinstance(t, ast.Name)}
    if not ordered:
        return None
    for loop in ast.walk(tree):
        if not isinstance(loop, ast.For) or _training_batch_step(loop) is None:
            continue
        cut = {n.value.id for n in ast.walk(loop) if isinstance(n, ast.Subscript)
               and isinstance(n.value, ast.Name) and isinstance(n.slice, ast.Slice)}
        if cut & ordered.keys():
            return min(ordered[name] for name in cut & ordered.keys())
    return None


def _reshuffled_by_hand(tree: ast.Module) -> int | None:
    """The line of a loop that draws a new order of its rows each time round
    (``perm = torch.randperm(n)``, ``rng.shuffle(idx)``, with no condition) and in the same
    pass cuts all its batches by hand from that order (``for i in range(0, n, B):`` around
    ``perm[i:i + B]`` — or ``x[i:i + B]`` after ``x = x[perm]`` — and a ``backward()``):
    every epoch reads the training data shuffled anew. None for any other file (a one-time
    shuffle before the epochs keeps one order for all of them; a draw under an ``if`` may
    not happen)."""
    for epoch in ast.walk(tree):
        if not isinstance(epoch, ast.For | ast.While):
            continue
        drawn: dict[str, int] = {}
        for node in _unconditional(epoch.body):
            if isinstance(node, ast.Assign) and _draws(node.value):
                drawn.update((t.id, node.lineno) for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                    _called(node.value) == "shuffle" and node.value.args and \
                    isinstance(node.value.args[0], ast.Name):
                drawn[node.value.args[0].id] = node.lineno
        for node in _unconditional(epoch.body):  # x, y = x[perm], y[perm]: x is in that order
            if isinstance(node, ast.Assign) and drawn:
                for target, value in _assigned_pairs(node):
                    if isinstance(target, ast.Name) and isinstance(value, ast.Subscript) and \
                            isinstance(value.slice, ast.Name) and value.slice.id in drawn:
                        drawn[target.id] = drawn[value.slice.id]
        for loop in ast.walk(epoch):
            if loop is epoch or not isinstance(loop, ast.For) or \
                    _training_batch_step(loop) is None:
                continue
            cut = {n.value.id for n in ast.walk(loop) if isinstance(n, ast.Subscript)
                   and isinstance(n.value, ast.Name) and isinstance(n.slice, ast.Slice)}
            if cut and cut <= drawn.keys():  # every row it cuts is in the new order
                return min(drawn[name] for name in cut)
    return None


def _assigned_pairs(node: ast.Assign) -> list[tuple[ast.expr, ast.expr]]:
    """Each target of an assignment with the value it gets: ``x, y = a, b`` (or ``[x, y] =
    [a, b]``) pairs ``x`` with ``a`` and ``y`` with ``b``; ``x = a`` pairs ``x`` with ``a`` (a
    chain ``x = y = a``: its first target only)."""
    values = node.value.elts if isinstance(node.value, ast.Tuple | ast.List) else [node.value]
    targets = node.targets[0].elts if isinstance(node.targets[0], ast.Tuple | ast.List) \
        else node.targets
    return list(zip(targets, values, strict=False))


def _unconditional(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements of a loop body that run every time round: its own, and those of the
    ``with`` blocks in it (not under an ``if``, nor inside a nested loop)."""
    out: list[ast.stmt] = []
    for statement in body:
        out.append(statement)
        if isinstance(statement, ast.With):
            out.extend(_unconditional(statement.body))
    return out


def _draws(value: ast.expr) -> bool:
    """``torch.randperm(n)``, ``np.random.permutation(n)``, ``rng.permutation(n)`` — also
    followed by ``.tolist()`` / ``.to(device)``; no conditional expression."""
    while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
            isinstance(value.func.value, ast.Call) and _called(value) in ("tolist", "to",
                                                                            "cuda", "numpy"):
        value = value.func.value
    return isinstance(value, ast.Call) and _called(value) in ("randperm", "permutation")


def _over_the_first_axis(call: ast.Call) -> bool:
    """``softmax``/``log_softmax`` taken over axis 0 (``F.softmax(x, dim=0)``,
    ``x.log_softmax(0)``, ``torch.softmax(x, 0)``)."""
    if _called(call) not in ("softmax", "log_softmax"):
        return False
    dim = next((k.value for k in call.keywords if k.arg == "dim"), None)
    if dim is None:  # positional: after the tensor for a function, first for a method
        method = isinstance(call.func, ast.Attribute) and not (
            isinstance(call.func.value, ast.Name) and call.func.value.id in ("F", "torch", "nn"))
        args = call.args if method else call.args[1:]
        dim = args[0] if args else None
    return isinstance(dim, ast.Constant) and dim.value == 0


#: Losses that read class (log-)probabilities per sample, as called or built.
_CLASS_LOSSES = frozenset({"nll_loss", "NLLLoss", "cross_entropy", "CrossEntropyLoss",
                           "kl_div", "KLDivLoss"})


def _class_loss_names(tree: ast.Module) -> set[str]:
    """The names the file binds to a class loss it builds (``criterion = nn.NLLLoss()``)."""
    return {name for name, value in _assigned(tree)
            if isinstance(value, ast.Call) and _called(value) in _CLASS_LOSSES}


def _class_loss_call(call: ast.Call, losses: set[str]) -> bool:
    """Whether ``call`` computes a class loss: called by name, or through a name bound to one."""
    return _called(call) in _CLASS_LOSSES or \
        isinstance(call.func, ast.Name) and call.func.id in losses


def batch_softmax_loss_findings(spec: str | None) -> list[Finding]:
    """``src.softmax_over_batch_into_loss`` true, with the place, when the model file feeds a
    softmax (or log-softmax) taken over axis 0 — the batch of a (samples, classes) output —
    into a class loss (``nll(torch.log(F.softmax(model(x), dim=0)), y)``), directly or through
    a name; nothing otherwise (a softmax over axis 0 of one sample's scores feeds no such
    loss)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    losses = _class_loss_names(tree)
    probs = {name for name, value in _assigned(tree)
             if any(isinstance(n, ast.Call) and _over_the_first_axis(n) for n in ast.walk(value))}
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)),
                       key=lambda n: n.lineno):
        if not _class_loss_call(node, losses):
            continue
        inner = [n for arg in node.args for n in ast.walk(arg)]
        if any(isinstance(n, ast.Call) and _over_the_first_axis(n) for n in inner) or \
                any(isinstance(n, ast.Name) and n.id in probs for n in inner):
            return [Finding("src.softmax_over_batch_into_loss", True,
                            say("src.softmax_over_batch_into_loss", file=target.name,
                                line=node.lineno, call=ast.unparse(node)[:80]))]
    return []


def unmasked_loss_line(spec: str | None) -> tuple[str, int, str] | None:
    """(file, line, mask name) where the model file's training loop hands the model a mask
    from the batch (``for x, pad, tags in loader: logits = model(x, pad)``) and its class
    loss reads neither that mask nor an ``ignore_index`` (``F.cross_entropy(logits.reshape(-1,
    5), tags.reshape(-1))``): every position counts, the padded ones too. None otherwise —
    a loss that indexes with the mask, multiplies by it or skips a label, or no such loop.
    Whether the targets are per position (where that matters) is the batch's to say."""
    if (parsed := _parsed(spec)) is None:
        return None
    target, tree = parsed
    losses = _class_loss_names(tree)
    for loop in ast.walk(tree):
        if not isinstance(loop, ast.For) or not isinstance(loop.target, ast.Tuple) or \
                len(loop.target.elts) < 3 or \
                not all(isinstance(e, ast.Name) for e in loop.target.elts):
            continue
        names = [e.id for e in loop.target.elts if isinstance(e, ast.Name)]
        calls = [n for stmt in loop.body for n in ast.walk(stmt) if isinstance(n, ast.Call)]
        masks = {a.id for c in calls for a in c.args[1:]
                 if isinstance(a, ast.Name) and a.id in names[1:-1]
                 and not (c.args and isinstance(c.args[0], ast.Name) and c.args[0].id == a.id)}
        if not masks:
            continue
        for call in calls:
            if not _class_loss_call(call, losses):
                continue
            used = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)}
            skips = any(k.arg == "ignore_index" for k in call.keywords)
            if names[-1] in used and not used & masks and not skips:
                return target.name, call.lineno, sorted(masks)[0]
    return None


def _parameters_of(value: ast.expr) -> str | None:
    """The root name whose parameters an optimizer is built over (``model`` for
    ``Adam(model.parameters())``, ``model.body.parameters()`` or a filter over them)."""
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and _called(node) == "parameters" and \
                isinstance(node.func, ast.Attribute):
            root = node.func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                return root.id
    return None


def replaced_after_optimizer_findings(spec: str | None) -> list[Finding]:
    """``src.module_replaced_after_optimizer`` true, with both places, when the model file
    builds an optimizer over ``model.parameters()`` and later, before that optimizer's last
    ``step()`` (or the last call it is handed to, such as ``fit(model, opt)``), assigns a newly
    built module to an attribute of the same model
    (``model.head = nn.Linear(…)``): the new module's parameters are not the ones the
    optimizer holds, so it never trains. Nothing otherwise."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    built: list[tuple[int, str, str]] = []  # (line, optimizer name, model name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                _OPTIMIZERS.match(_called(node.value)) and \
                (root := _parameters_of(node.value)) is not None:
            built += [(node.lineno, t.id, root) for t in node.targets if isinstance(t, ast.Name)]
    steps: dict[str, int] = {}  # the last line that steps each optimizer, or hands it on
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        names = [a.id for a in [*node.args, *(k.value for k in node.keywords)]
                 if isinstance(a, ast.Name)]  # fit(model, opt, …) steps it inside
        if _called(node) == "step" and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name):
            names.append(node.func.value.id)
        for name in names:
            steps[name] = max(steps.get(name, 0), node.lineno)
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Assign)),
                       key=lambda n: n.lineno):
        if not (isinstance(node.value, ast.Call) and _called(node.value)[:1].isupper()):
            continue
        for t in node.targets:
            if not (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)):
                continue
            for line, optimizer, root in built:
                if t.value.id == root and line < node.lineno < steps.get(optimizer, 0):
                    return [Finding("src.module_replaced_after_optimizer", True,
                                    say("src.module_replaced_after_optimizer", file=target.name,
                                        line=node.lineno, name=ast.unparse(t),
                                        optimizer=optimizer, built=line))]
    return []


def own_sampler_findings(spec: str | None) -> list[Finding]:
    """``src.own_batch_sampler`` true, with the class and the place, when the model file
    defines a sampler class of its own (a subclass of ``Sampler``/``BatchSampler``) and hands
    it to a ``DataLoader`` as ``batch_sampler=`` or ``sampler=``: that class, not the
    loader's ``shuffle``, decides what each batch holds. Nothing otherwise."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    own = {node.name: node.lineno for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
           and any(ast.unparse(base).split(".")[-1].endswith("Sampler") for base in node.bases)}
    if not own:
        return []
    # a name bound to an instance of one of them: its class
    made = {name: _called(value) for name, value in _assigned(tree)
            if isinstance(value, ast.Call) and _called(value) in own}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called(node) == "DataLoader"):
            continue
        for keyword in node.keywords:
            value = keyword.value
            cls = _called(value) if isinstance(value, ast.Call) else \
                made.get(value.id) if isinstance(value, ast.Name) else None
            if keyword.arg in ("batch_sampler", "sampler") and cls in own:
                return [Finding("src.own_batch_sampler", True,
                                say("src.own_batch_sampler", file=target.name, cls=cls,
                                    defined=own.get(cls, 0), line=node.lineno,
                                    arg=keyword.arg))]
    return []


#: A name for the training data or its loader (``train``, ``train_loader``, ``trainset``).
_TRAIN_NAME = re.compile(r"(?<![a-z])train", re.IGNORECASE)
#: A loader or dataset named for evaluation (``val_loader``, ``test_ds``, ``x_eval``).
_EVAL_NAME = re.compile(r"(?<![a-z])(val|valid|validation|test|eval|dev|holdout)(?![a-z])",
                        re.IGNORECASE)


def _bound_names(tree: ast.Module) -> dict[int, str]:
    """For each call assigned to one name (``train_loader = DataLoader(...)``), that name."""
    out: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.value, ast.Call):
            target = node.targets[0]
            name = target.id if isinstance(target, ast.Name) else \
                target.attr if isinstance(target, ast.Attribute) else ""
            out[id(node.value)] = name
    return out


def _first_place(fact: str, key: str, file: Path, places: list[tuple[int, str]]
                 ) -> list[Finding]:
    """``fact`` true at the first of ``places`` ((line, what) pairs), with how many there
    are; nothing when there are none."""
    if not places:
        return []
    line, what = min(places)
    return [Finding(fact, True, say(key, file=file.name, line=line, what=what,
                                    n=len(places)))]


#: Statistics of the data that are exactly 0 on a constant input — or, for a sum or count
#: of labels or a mask, on a batch without any: dividing by one of them with no epsilon is
#: 0/0 on a flat sample, row or task, or on a batch with no positive (``/ y.sum()``).
_STATISTICS = frozenset({"var", "std", "norm", "vector_norm", "sum", "count_nonzero"})


#: Calls whose every value is above 0: a sum or norm of them is never 0.
_POSITIVE = frozenset({"exp", "softmax", "sigmoid", "softplus"})
#: The statistics a positive tensor cannot make 0 (its spread still can).
_POSITIVE_SAFE = frozenset({"sum", "norm", "vector_norm"})


def _positive_names(tree: ast.Module) -> set[str]:
    """Names bound (every time) to a call of :data:`_POSITIVE` (``bell = torch.exp(…)``)."""
    bound: dict[str, bool] = {}
    for name, value in _assigned(tree):
        positive = isinstance(value, ast.Call) and _called(value) in _POSITIVE
        bound[name] = bound.get(name, True) and positive
    return {name for name, positive in bound.items() if positive}


def _statistic(node: ast.expr, positive: set[str]) -> str | None:
    """The statistic a denominator computes (``x.var(1)``, ``torch.std(x)``,
    ``torch.linalg.norm(x)``, ``mask.sum()``), or None for anything else — a sum with an
    epsilon, a clamp, a constant, or a sum or norm of values all above 0 (``bell.sum()`` of
    ``bell = torch.exp(…)``, a name in ``positive``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in _STATISTICS:
        receiver = node.func.value
        if node.func.attr in _POSITIVE_SAFE and (
                isinstance(receiver, ast.Name) and receiver.id in positive
                or isinstance(receiver, ast.Call) and _called(receiver) in _POSITIVE):
            return None
        return node.func.attr
    return None


def division_findings(spec: str | None) -> list[Finding]:
    """``src.divides_by_a_statistic`` true, with the first place, when the model file divides
    by a variance, standard deviation, norm or sum computed in place (``/ y.var(1)``,
    ``/ y.sum()``) with no
    epsilon added or clamp around it; nothing otherwise (the loss may live in another file,
    so no negative reading is taken)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    positive = _positive_names(tree)
    places = [(node.lineno, name) for node in ast.walk(tree)
              if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Div)
              and (name := _statistic(node.right if isinstance(node, ast.BinOp)
                                      else node.value, positive)) is not None]
    return _first_place("src.divides_by_a_statistic", "src.divides_by_a_statistic", target,
                        places)


#: Calls that cut a tensor into its columns (``energy, strokes = raw.unbind(1)``).
_COLUMN_CUTS = frozenset({"unbind", "split", "chunk", "tensor_split"})


def _column_slice(node: ast.expr) -> bool:
    """``x[:, k]`` or ``x[..., k]``: one column of every row (an integer index after a
    full slice or an ellipsis)."""
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Tuple):
        return False
    *lead, last = node.slice.elts
    return bool(lead) and isinstance(last, ast.Constant) and isinstance(last.value, int) and \
        all((isinstance(e, ast.Slice) and e.lower is e.upper is e.step is None) or
            (isinstance(e, ast.Constant) and e.value is Ellipsis) for e in lead)


def _data_columns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, int]:
    """Names a function binds, once and only so, to one column of a tensor (by ``unbind``,
    ``split``, ``chunk`` or a ``[:, k]`` index), with the line: a count, a duration or an
    amount read from the data, which some row may hold as exactly 0."""
    bound: dict[str, list[tuple[int, bool]]] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        cut = isinstance(value, ast.Call) and _called(value) in _COLUMN_CUTS
        names = [e.id for e in target.elts if isinstance(e, ast.Name)] \
            if isinstance(target, ast.Tuple) else [target.id] if isinstance(target, ast.Name) \
            else []
        column = cut and isinstance(target, ast.Tuple) or \
            _column_slice(value) and isinstance(target, ast.Name)
        for name in names:
            bound.setdefault(name, []).append((node.lineno, column))
    return {name: places[0][0] for name, places in bound.items()
            if len(places) == 1 and places[0][1]}


def column_division_findings(spec: str | None) -> list[Finding]:
    """``src.divides_by_a_data_column`` true, with the first place, when a function of the
    model file divides by a name it bound to one column of a tensor (``energy / strokes``
    after ``raw.unbind(1)``), with no epsilon added or clamp around it: a ratio feature or
    loss that is 0/0 on any row whose column is 0 (a rest window, an empty basket); nothing
    otherwise."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    places: list[tuple[int, str]] = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        columns = _data_columns(function)
        places += [(node.lineno, ast.unparse(node)) for node in ast.walk(function)
                   if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
                   and isinstance(node.right, ast.Name) and node.right.id in columns]
    # a nested function is walked inside its parent too: each place once
    return _first_place("src.divides_by_a_data_column", "src.divides_by_a_data_column",
                        target, sorted(set(places)))


#: A name that holds held-out data: ``val``, ``x_val``, ``valid_ds``, ``test_loader``,
#: ``vx``/``vy``, ``dev_set``.
_HELD_OUT = re.compile(r"^(v[xy]|[xy]v|[xy]_?(va|val|valid|te|tst|test))$|"
                       r"(^|_)(val|valid|validation|test|eval|dev|holdout)(_|$|\d)", re.IGNORECASE)
#: A name that holds a result computed on held-out data, not the data (``val_loss``).
_RESULT = re.compile(r"loss|acc|metric|score|pred|out|logit|err|mae|mse", re.IGNORECASE)
#: Deliberate test-time augmentation is not a bug.
_TTA = re.compile(r"tta|test_time", re.IGNORECASE)
#: torchvision-style random transforms (``RandomCrop``, ``ColorJitter``, ``RandAugment`` …).
_RANDOM_TRANSFORM = re.compile(r"^(Random[A-Z]\w*|ColorJitter|RandAugment|AutoAugment|"
                               r"TrivialAugmentWide|AugMix|GaussianNoise)$")
_TRANSFORM_KEYWORDS = frozenset({"transform", "transforms", "tfm", "tfms", "tf", "aug",
                                 "augment", "augmentation", "augmentations"})


def _identifier(node: ast.expr) -> str:
    """The name an expression reads: ``x`` of ``x``, ``x[1:]``, ``val.images`` → ``val``,
    ``f`` of a call ``f(...)``, the attribute of ``T.RandomCrop``."""
    while isinstance(node, ast.Subscript | ast.Starred):
        node = node.value
    if isinstance(node, ast.Call):
        return _called(node)
    if isinstance(node, ast.Attribute):
        base = node.value
        return base.id if isinstance(base, ast.Name) and _HELD_OUT.search(base.id) \
            else node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _augmenting(name: str, randomised: set[str]) -> bool:
    return bool(name) and not _TTA.search(name) and (
        "aug" in name.lower() or name.lower().startswith("train_t") or name in randomised
        or bool(_RANDOM_TRANSFORM.match(name)))


def _randomised_names(tree: ast.Module) -> set[str]:
    """Names bound to something that draws random transforms: ``tf = T.Compose([T.RandomCrop
    (32), ...])`` or a function whose body calls one."""
    names: set[str] = set()
    for node in ast.walk(tree):
        body = node.value if isinstance(node, ast.Assign) else \
            node if isinstance(node, ast.FunctionDef) else None
        if body is None or not any(isinstance(call, ast.Call) and
                                   _RANDOM_TRANSFORM.match(_called(call))
                                   for call in ast.walk(body)):
            continue
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _draws_at_random(function: ast.FunctionDef) -> bool:
    """Whether a function's body calls a random draw (``torch.rand``, ``randint`` …)."""
    return any(isinstance(call, ast.Call) and _called(call) in _RANDOM_DRAWS
               for call in ast.walk(function))


def _drawing_functions(tree: ast.Module) -> frozenset[str]:
    """Functions of the file that draw at random: as a loader's ``collate_fn`` such a
    function perturbs every batch it assembles (set 415's vellum CNN: flips, quarter turns,
    gain and a random resized crop, handed to the validation loader as well)."""
    return frozenset(node.name for node in ast.walk(tree)
                     if isinstance(node, ast.FunctionDef) and _draws_at_random(node))


def _drawn_transforms(tree: ast.Module) -> set[str]:
    """Functions written by hand that perturb the sample they are given with random draws
    (``def jitter(x): x = torch.roll(x, int(torch.randint(...))) ... return x + noise``):
    the first parameter comes back in what they return. A data generator (``def traces(n,
    g)``) draws new samples from a count and returns those instead. Read only where such a
    function is handed over as a dataset's transform, never where it is called to build
    data (noise added to synthesise the held-out set is part of that set)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        params = [a.arg for a in node.args.args if a.arg not in {"self", "cls"}]
        if not params or not _draws_at_random(node):
            continue
        returned = [r.value for r in ast.walk(node) if isinstance(r, ast.Return)
                    and r.value is not None]
        if any(isinstance(n, ast.Name) and n.id == params[0]
               for value in returned for n in ast.walk(value)):
            names.add(node.name)
    return names


#: A function named as the training augmentation itself (``augment``, ``train_tf``).
_AUGMENTING_FUNCTION = re.compile(r"aug|^train_?(tf|tfs|tfm|tfms|transforms?)$", re.IGNORECASE)


def _augmenting_aliases(tree: ast.Module, randomised: set[str]) -> dict[str, str]:
    """Names that call the training augmentation, each with the function it is: the
    augmentation's own names and their plain aliases (``val_tf = train_tf``)."""
    functions = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    aliases = {name: name for name in functions
               if not _TTA.search(name) and (name in randomised
                                             or _AUGMENTING_FUNCTION.search(name))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and \
                node.value.id in aliases:
            aliases.update((t.id, aliases[node.value.id]) for t in node.targets
                           if isinstance(t, ast.Name) and not _TTA.search(t.id))
    return aliases


def _augmenting_by_default(tree: ast.Module) -> dict[str, tuple[str, int]]:
    """The classes and functions of the file that augment unless told not to: a parameter
    named like ``augment`` whose default is ``True`` (``class PanFrames(Dataset): def
    __init__(self, x, y, augment=True)``), by name, with that parameter and its position
    among the arguments a call passes (``self`` left out; -1 for a keyword-only one)."""
    found: dict[str, tuple[str, int]] = {}
    for node, func, skip in _callables(tree):
        positional = [a.arg for a in func.args.posonlyargs + func.args.args]
        defaults = [*zip(positional[len(positional) - len(func.args.defaults):],
                         func.args.defaults, strict=True),
                    *((a.arg, d) for a, d in zip(func.args.kwonlyargs, func.args.kw_defaults,
                                                 strict=True) if d is not None)]
        for arg, default in defaults:
            if "aug" in arg.lower() and isinstance(default, ast.Constant) and \
                    default.value is True:
                found[node.name] = (arg, _position(func, arg, skip))
    return found


def _callables(tree: ast.Module) -> list[tuple[ast.ClassDef | ast.FunctionDef,
                                               ast.FunctionDef | ast.AsyncFunctionDef, int]]:
    """The classes (by their ``__init__``) and functions of a file a call can build data
    with: each with the function whose parameters a call fills, and how many leading
    parameters a call does not pass (``self``: 1)."""
    found: list[tuple[ast.ClassDef | ast.FunctionDef,
                      ast.FunctionDef | ast.AsyncFunctionDef, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            if (init := _methods(node).get("__init__")) is not None:
                found.append((node, init, 1))
        elif isinstance(node, ast.FunctionDef):
            found.append((node, node, 0))
    return found


def _position(func: ast.FunctionDef | ast.AsyncFunctionDef, param: str, skip: int) -> int:
    """Where a call passes ``param`` among its positional arguments (the first ``skip``
    parameters left out); -1 for a keyword-only one."""
    positional = [a.arg for a in func.args.posonlyargs + func.args.args]
    return positional.index(param) - skip if param in positional else -1


def _self_attributes(init: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """The attributes ``__init__`` sets from its parameters, attribute → parameter
    (``self.train = train``, ``self.x, self.train = x, train``)."""
    params = {a.arg for a in init.args.posonlyargs + init.args.args + init.args.kwonlyargs}
    found: dict[str, str] = {}
    for node in ast.walk(init):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = zip(target.elts, node.value.elts, strict=False) \
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple) \
                else [(target, node.value)]
            for left, right in pairs:
                if isinstance(left, ast.Attribute) and isinstance(left.value, ast.Name) and \
                        left.value.id == "self" and isinstance(right, ast.Name) and \
                        right.id in params:
                    found[left.attr] = right.id
    return found


def _augmenting_flags(tree: ast.Module, augmenting: set[str]) -> dict[str, tuple[str, int]]:
    """The classes and functions of the file whose training flag switches the augmentation
    on: a parameter (``train``, ``is_train``) that an ``if`` tests, directly or through the
    attribute ``__init__`` keeps it in, around a call of an augmenting function
    (``if self.train: xb = augment(xb, g)`` in a loader class built ``Loader(x, y, bs, train,
    g)``) or, under a flag named for training, a random draw (:data:`_RANDOM_DRAWS`: a flip
    on a coin, noise), by name, with
    that parameter and its position among the arguments a call passes
    (``self`` left out; -1 for a keyword-only one)."""
    found: dict[str, tuple[str, int]] = {}
    for node, func, skip in _callables(tree):
        gates = _self_attributes(func) if skip else {}
        params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
        for branch in ast.walk(node):
            if not isinstance(branch, ast.If | ast.IfExp):
                continue
            test = branch.test
            param = test.id if isinstance(test, ast.Name) and test.id in params else \
                gates.get(test.attr) if isinstance(test, ast.Attribute) and \
                isinstance(test.value, ast.Name) and test.value.id == "self" else None
            if param is None or "aug" in param.lower():
                continue  # a flag named for the augmentation has its own reading
            taken = branch.body if isinstance(branch, ast.If) else [branch.body]
            # a random draw counts under a flag named for training only: a data generator's
            # ``if faulty:`` draws the samples themselves
            draws = _RANDOM_DRAWS if "train" in param.lower() else frozenset()
            if any(isinstance(call, ast.Call) and (_called(call) in augmenting
                                                   or _called(call) in draws)
                   for part in taken for call in ast.walk(part)):
                found[node.name] = (param, _position(func, param, skip))
    return found


#: Random draws that, under a training flag, perturb a sample (a flip on a coin, a shift, a
#: jitter, noise): augmentation written inline. Orderings (randperm, shuffle, permutation)
#: and sampling (choice) are no augmentation.
_RANDOM_DRAWS = frozenset({"rand", "randn", "randint", "rand_like", "randn_like",
                           "randint_like", "normal", "uniform", "random", "bernoulli"})


def _augmented_call(call: ast.Call, randomised: set[str],
                    by_default: dict[str, tuple[str, int]],
                    flags: dict[str, tuple[str, int]] | None = None,
                    collates: frozenset[str] = frozenset()) -> str | None:
    """What makes a data-building call augment: ``augment=True``, ``transform=train_tf``,
    a positional ``augment``, a ``collate_fn`` of the file that draws at random
    (``collates``), a class of the file that augments by default called without turning it
    off, or one whose training flag switches the augmentation on called with that flag
    ``True``; None when nothing does."""
    if flags and (flag := flags.get(_called(call))) is not None:
        param, position = flag
        passed = next((k.value for k in call.keywords if k.arg == param), None) or \
            (call.args[position] if 0 <= position < len(call.args) else None)
        if isinstance(passed, ast.Constant) and passed.value is True:
            return f"{_called(call)}(…, {param}=True), whose {param} switches the augmentation on"
    if (default := by_default.get(_called(call))) is not None:
        param, position = default
        given = any(k.arg == param for k in call.keywords) or \
            0 <= position < len(call.args) or any(k.arg is None for k in call.keywords)
        if not given:
            return f"{_called(call)}(…) with {param}=True by default"
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        value = keyword.value
        if "aug" in keyword.arg.lower() and isinstance(value, ast.Constant) and \
                value.value is True:
            return f"{keyword.arg}=True"
        if keyword.arg.lower() in _TRANSFORM_KEYWORDS and \
                _augmenting(name := _identifier(value), randomised):
            return f"{keyword.arg}={name}"
        if keyword.arg == "collate_fn" and (name := _identifier(value)) in collates:
            return f"collate_fn={name}"
    for arg in call.args:
        if isinstance(arg, ast.Name) and _augmenting(arg.id, randomised):
            return arg.id
    return None


def _held_out_call(call: ast.Call, target: str) -> str | None:
    """The held-out name a data-building call is for: the name it is assigned to, or a
    held-out argument (``make_loader(vx, vy, ...)``); None for training data."""
    if _HELD_OUT.search(target) and not _TTA.search(target):
        return target
    for value in (*call.args, *(k.value for k in call.keywords)):
        name = _identifier(value) if not isinstance(value, ast.Call) else ""
        if name and _HELD_OUT.search(name) and not _TTA.search(name):
            return name
    return None


def eval_augmentation_findings(spec: str | None) -> list[Finding]:
    """``data.eval_random_transforms`` true, with the place, when the model file builds
    validation or test data through the training augmentation; nothing otherwise (the
    loaders may live in another file, so no negative reading is taken)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target_file, tree = parsed
    randomised = _randomised_names(tree)
    by_default = _augmenting_by_default(tree)
    aliases = _augmenting_aliases(tree, randomised)  # ``val_tf(xva)`` with val_tf = train_tf
    handed = randomised | _drawn_transforms(tree)  # passed as a transform, not called
    flags = _augmenting_flags(tree, set(aliases))
    collates = _drawing_functions(tree)
    assigned: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)
                     and not _RESULT.search(t.id)]
            for call in ast.walk(node.value):
                if isinstance(call, ast.Call):
                    assigned[id(call)] = names[0] if names else ""
    places = sorted((node.lineno, held, how) for node in ast.walk(tree)
                    if isinstance(node, ast.Call)
                    and not _RANDOM_TRANSFORM.match(_called(node))
                    and (how := _augmented_call(node, handed, by_default, flags,
                                                collates)) is not None
                    and (held := _held_out_call(node, assigned.get(id(node), ""))) is not None)
    places += sorted((node.lineno, held, f"{name} = {aliases[name]}" if aliases[name] != name
                      else name) for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                     and (name := node.func.id) in aliases
                     and (held := _held_out_call(node, "")) is not None)
    places.sort()
    if not places:
        return []
    line, held, how = places[0]
    return [Finding("data.eval_random_transforms", True,
                    say("src.eval_augmented", file=target_file.name, line=line, held=held,
                        how=how))]


#: Losses that apply their own (log-)softmax or sigmoid, by the call or class that makes them,
#: and the activation that must not come before them.
_SELF_ACTIVATING = {"cross_entropy": "softmax", "CrossEntropyLoss": "softmax",
                    "binary_cross_entropy_with_logits": "sigmoid",
                    "BCEWithLogitsLoss": "sigmoid"}
_ACTIVATIONS = {"softmax": "softmax", "Softmax": "softmax", "sigmoid": "sigmoid",
                "Sigmoid": "sigmoid"}


def _activated(node: ast.expr, names: dict[str, str]) -> str | None:
    """The activation an expression is the output of: ``x.softmax(-1)``,
    ``torch.softmax(x, 1)``, ``F.sigmoid(x)``, or a name bound to one; None otherwise."""
    if isinstance(node, ast.Call):
        return _ACTIVATIONS.get(_called(node))
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def double_activation_findings(spec: str | None) -> list[Finding]:
    """``src.activation_into_its_loss`` true, with the place, when the model file hands a
    softmax's output to a cross-entropy (``nn.CrossEntropyLoss()(probs, y)``,
    ``F.cross_entropy(x.softmax(-1), y)``) or a sigmoid's to ``BCEWithLogitsLoss`` — losses
    that apply that activation themselves; nothing otherwise (the loss may live elsewhere)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target_file, tree = parsed
    activated: dict[str, str] = {}
    losses: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            kind = _ACTIVATIONS.get(_called(node.value))
            loss = _SELF_ACTIVATING.get(_called(node.value))
            for target in node.targets:
                name = target.id if isinstance(target, ast.Name) else \
                    target.attr if isinstance(target, ast.Attribute) else None
                if name and kind:
                    activated[name] = kind
                if name and loss and _called(node.value)[0].isupper():
                    losses[name] = loss
    places = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        wants = _SELF_ACTIVATING.get(_called(node)) if _called(node)[:1].islower() else None
        if wants is None and isinstance(func, ast.Call):  # nn.CrossEntropyLoss(w)(probs, y)
            wants = _SELF_ACTIVATING.get(_called(func))
        if wants is None and isinstance(func, ast.Name | ast.Attribute):  # loss_fct(probs, y)
            wants = losses.get(func.id if isinstance(func, ast.Name) else func.attr)
        if wants is not None and _activated(node.args[0], activated) == wants:
            places.append((node.lineno, wants))
    return _first_place("src.activation_into_its_loss", "src.activation_into_loss",
                        target_file, places)


#: Calls that keep a log's argument away from 0 (or are a log that needs no floor).
_FLOORS = frozenset({"clamp", "clamp_min", "clamp_", "clip", "maximum", "max", "softplus",
                     "exp", "abs_", "relu"})


def _floored(node: ast.expr) -> bool:
    """Whether a log's argument is kept off 0: ``p + 1e-8``, ``p.clamp_min(1e-6)``,
    ``torch.clamp(p, min=eps)``, a constant, ``1 + x`` (log1p's form)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return True  # an epsilon (or 1) added
    return isinstance(node, ast.Call) and _called(node) in _FLOORS


def unguarded_log_findings(spec: str | None) -> list[Finding]:
    """``src.log_without_floor`` true, with the first place, when the model file takes
    ``torch.log(x)`` / ``x.log()`` / ``np.log(x)`` of a value it does not keep off 0 (no
    epsilon added, no clamp); nothing otherwise (the loss may live elsewhere)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    places = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called(node) not in ("log", "log2", "log10"):
            continue
        func = node.func
        if not isinstance(func, ast.Attribute):
            continue  # a bare log(...): math's, on a Python float
        module = func.value.id if isinstance(func.value, ast.Name) else ""
        if module in ("torch", "np", "numpy") and node.args:
            argument = node.args[0]  # torch.log(x)
        elif module != "math" and not node.args:
            argument = func.value  # x.log()
        else:
            continue  # math.log(...): a Python float's, a constant
        if not _floored(argument):
            places.append(node.lineno)
    if not places:
        return []
    return [Finding("src.log_without_floor", True,
                    say("src.log_without_floor", file=target.name, line=min(places),
                        n=len(places)))]


def retained_graph_findings(spec: str | None) -> list[Finding]:
    """``src.backward_retains_graph`` true, with the first place, when the model file calls
    ``.backward(retain_graph=True)``: the usual way to silence "Trying to backward through the
    graph a second time" when a hidden state carried from the last chunk still holds its
    graph; nothing otherwise (the loop may live elsewhere)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    places = [node.lineno for node in ast.walk(tree)
              if isinstance(node, ast.Call) and _called(node) == "backward"
              and any(k.arg == "retain_graph" and isinstance(k.value, ast.Constant)
                      and k.value.value is True for k in node.keywords)]
    if not places:
        return []
    return [Finding("src.backward_retains_graph", True,
                    say("src.backward_retains_graph", file=target.name, line=min(places),
                        n=len(places)))]


def _batch_step(loop: ast.For) -> ast.expr | None:
    """STEP of ``for i in range(a, b, STEP):`` whose body slices ``[i:i + STEP]`` (the rows of
    one batch of a loop that cuts its data by hand); None for any other loop."""
    if not (isinstance(loop.target, ast.Name) and isinstance(loop.iter, ast.Call)
            and _called(loop.iter) == "range" and len(loop.iter.args) == 3):
        return None
    step = loop.iter.args[2]
    shape = ast.dump(step)
    # the rows: a subscript's slice, or the first of its slices (``x[:, c:c + CHUNK]`` cuts
    # time steps, not a batch)
    rows = [n.slice.elts[0] if isinstance(n.slice, ast.Tuple) and n.slice.elts else n.slice
            for n in ast.walk(loop) if isinstance(n, ast.Subscript)]
    sliced = any(isinstance(n, ast.Slice) and isinstance(n.lower, ast.Name)
                 and n.lower.id == loop.target.id and isinstance(n.upper, ast.BinOp)
                 and isinstance(n.upper.op, ast.Add)
                 and ast.dump(n.upper.left) == ast.dump(n.lower)
                 and ast.dump(n.upper.right) == shape for n in rows)
    return step if sliced else None


def _training_batch_step(loop: ast.For) -> ast.expr | None:
    """:func:`_batch_step` of a loop that also back-propagates (``backward()`` in its body):
    the step of a loop that trains on batches it cuts by hand."""
    step = _batch_step(loop)
    return step if step is not None and _calls_in(loop.body, "backward") else None


def _rebuilt_leaf(value: ast.expr) -> bool:
    """``torch.tensor(…, requires_grad=True)`` (or ``torch.as_tensor``): a new leaf built
    from numbers, with no graph behind it."""
    return isinstance(value, ast.Call) and _called(value) in ("tensor", "as_tensor") and \
        any(k.arg == "requires_grad" and isinstance(k.value, ast.Constant) and
            k.value.value is True for k in value.keywords)


#: Calls that join their list argument end to end.
_JOINS = frozenset({"cat", "concatenate", "concat", "vstack", "row_stack"})


def _joined_names(tree: ast.Module) -> dict[str, int]:
    """Names bound to two or more pieces joined end to end (``x = torch.cat([xa, xb])``,
    ``x, y = np.concatenate(parts), …`` with the pieces a list or a comprehension), each with
    its line."""
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target, value in _assigned_pairs(node):
            if isinstance(target, ast.Name) and isinstance(value, ast.Call) and \
                    _called(value) in _JOINS and value.args and _along_rows(value) and (
                        isinstance(value.args[0], ast.List | ast.Tuple)
                        and len(value.args[0].elts) >= 2
                        or isinstance(value.args[0], ast.ListComp | ast.GeneratorExp)):
                found[target.id] = node.lineno
    return found


#: A held-out piece that validates (not a test split: a final fit on train + validation whose
#: test set stays apart is sound practice).
_VALIDATION_PIECE = re.compile(r"^(v[xy]|[xy]v|[xy]_?(va|val|valid))$|"
                               r"(^|_)(val|valid|validation|dev|holdout)(_|$|\d)", re.IGNORECASE)


def held_out_trained_on_findings(spec: str | None) -> list[Finding]:
    """``src.validation_trained_on`` true, with the places, when the model file joins its
    validation data into the data it trains on (``xtr = torch.cat([xtr, xva])``,
    ``ConcatDataset([train, TensorDataset(xva, yva)])``) and goes on
    evaluating on that validation data after the join: the validation score then measures
    rows the model was fitted on. Nothing otherwise (a join whose validation piece is never
    read again is a final fit on all the data)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Assign)),
                       key=lambda n: n.lineno):
        for name, value in _assigned_pairs(node):
            if not (isinstance(name, ast.Name) and isinstance(value, ast.Call)
                    and _called(value) in (*_JOINS, "ConcatDataset") and value.args
                    and _along_rows(value) and isinstance(value.args[0], ast.List | ast.Tuple)
                    and len(value.args[0].elts) >= 2):
                continue
            # a piece is a name, or the names a dataset is made of (``TensorDataset(xva, yva)``)
            pieces = [e.id for piece in value.args[0].elts
                      for e in ([piece] if isinstance(piece, ast.Name) else
                                piece.args if isinstance(piece, ast.Call) else [])
                      if isinstance(e, ast.Name)]
            held = next((p for p in pieces if _VALIDATION_PIECE.search(p)), None)
            if held is None or _VALIDATION_PIECE.search(name.id):
                continue
            read = sorted(n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name)
                          and n.id == held and isinstance(n.ctx, ast.Load)
                          and n.lineno > node.lineno)
            if read:
                return [Finding("src.validation_trained_on", True,
                                say("src.validation_trained_on", file=target.name,
                                    line=node.lineno, held=held, joined=name.id,
                                    read=read[0]))]
    return []


def _along_rows(call: ast.Call) -> bool:
    """A join along the first axis: no axis given, or 0 (``torch.cat(parts)``,
    ``np.concatenate(parts, axis=0)``; not ``torch.cat([a, b], 1)``, features side by side)."""
    axis = call.args[1] if len(call.args) > 1 else \
        next((k.value for k in call.keywords if k.arg in ("dim", "axis")), None)
    return axis is None or isinstance(axis, ast.Constant) and axis.value == 0


def _in_order(value: ast.expr, joined: dict[str, int]) -> str | None:
    """The joined name an index in stored order counts the rows of: ``torch.arange(len(x))``,
    ``np.arange(x.shape[0])``, ``list(range(len(x)))``; None for anything else."""
    if not _ordered(value) or not isinstance(value, ast.Call):
        return None
    if _called(value) == "list" and isinstance(value.args[0], ast.Call):  # list(range(n))
        value = value.args[0]
    if len(value.args) != 1:
        return None
    names = {n.id for n in ast.walk(value.args[0]) if isinstance(n, ast.Name)}
    return next(iter(sorted(names & joined.keys())), None)


def _position_slice(node: ast.expr) -> str | None:
    """"head" for ``[:k]``, "tail" for ``[k:]`` (no step); None for other subscripts."""
    if not isinstance(node, ast.Slice) or node.step is not None:
        return None
    if node.lower is None and node.upper is not None:
        return "head"
    if node.upper is None and node.lower is not None:
        return "tail"
    return None


def joined_split_findings(spec: str | None) -> list[Finding]:
    """``src.split_along_joined_sources`` true, with the place, when the model file joins
    pieces end to end (two exports, one kennel after another, the classes one after another)
    and cuts its held-out data from that join by position — the first rows for training, the
    last for validation (``x[:n]`` / ``x[n:]``, or an index ``torch.arange(len(x))`` cut so) —
    with no shuffle between: the held-out rows come from the last pieces only. Nothing
    otherwise."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    joined = _joined_names(tree)
    if not joined:
        return []
    mixed = {a.args[0].id for a in ast.walk(tree) if isinstance(a, ast.Call)
             and _called(a) == "shuffle" and a.args and isinstance(a.args[0], ast.Name)}
    index: dict[str, str] = {}  # an index in stored order -> the joined name it counts
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if (counted := _in_order(node.value, joined)) is not None:
                index[name] = counted
            elif name in joined and isinstance(node.value, ast.Subscript) and \
                    not isinstance(node.value.slice, ast.Slice):
                mixed.add(name)  # x = x[perm]: joined, then reordered
    if any(isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and _draws(n.value)
           for n in ast.walk(tree)) and not index:
        # a permutation drawn somewhere: the rows may be cut through it, not by position
        return []
    cut: dict[str, set[str]] = {}
    held: tuple[int, str, str] | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for name_node, value in _assigned_pairs(node):
            for sub in ast.walk(value):
                if not isinstance(sub, ast.Subscript) or not isinstance(sub.value, ast.Name):
                    continue
                base = index.get(sub.value.id, sub.value.id)
                side = _position_slice(sub.slice)
                if base not in joined or base in mixed or side is None:
                    continue
                cut.setdefault(base, set()).add(side)
                if isinstance(name_node, ast.Name) and _HELD_OUT.search(name_node.id) and \
                        held is None:
                    held = (node.lineno, name_node.id, base)
    if held is None or cut.get(held[2]) != {"head", "tail"}:
        return []
    line, name, base = held
    return [Finding("src.split_along_joined_sources", True,
                    say("src.split_along_joined_sources", file=target.name, line=line,
                        held=name, joined=base, joined_line=joined[base]))]


def _leaf_names(scope: ast.AST) -> dict[str, int]:
    """Names ``scope`` binds to a rebuilt leaf (:func:`_rebuilt_leaf`), each with its line."""
    return {t.id: node.lineno for node in ast.walk(scope) if isinstance(node, ast.Assign)
            and _rebuilt_leaf(node.value) for t in node.targets if isinstance(t, ast.Name)}


def _leaf_returning_functions(tree: ast.Module) -> dict[str, int]:
    """Functions that return a rebuilt leaf (``return torch.tensor(…, requires_grad=True)``,
    or a local name bound to one), each with the line that builds the leaf:
    a loss written in NumPy and wrapped again inside a helper."""
    found: dict[str, int] = {}
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        local = _leaf_names(func)
        for node in ast.walk(func):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            if _rebuilt_leaf(node.value):
                found[func.name] = node.lineno
            elif isinstance(node.value, ast.Name) and node.value.id in local:
                found[func.name] = local[node.value.id]
    return found


def leaf_loss_findings(spec: str | None) -> list[Finding]:
    """``src.loss_rebuilt_as_leaf`` true when the model file calls ``backward()`` on a value
    it built as ``torch.tensor(…, requires_grad=True)`` (a loss computed in NumPy or from
    ``.item()`` and wrapped again) or switched to want a gradient after it was computed
    (``loss.requires_grad_(True)``): backward stops at that leaf and no gradient reaches the
    model — also through a helper that returns such a leaf (``loss = weighted_bce(…)``);
    nothing otherwise."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    leaves = _leaf_names(tree)
    helpers = _leaf_returning_functions(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                isinstance(node.value.func, ast.Name) and node.value.func.id in helpers:
            for t in node.targets:
                if isinstance(t, ast.Name):
                    leaves.setdefault(t.id, helpers[node.value.func.id])
    switched = _grad_switched_on(tree)
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _called(call) == "backward" and \
                isinstance(call.func, ast.Attribute) and \
                isinstance(call.func.value, ast.Name):
            name = call.func.value.id
            if name in leaves:
                words = say("src.loss_rebuilt_as_leaf", file=target.name, line=leaves[name],
                            name=name, backward=call.lineno)
            elif name in switched:
                words = say("src.loss_grad_switched_on", file=target.name, line=switched[name],
                            name=name, backward=call.lineno)
            else:
                continue
            return [Finding("src.loss_rebuilt_as_leaf", True, words)]
    return []


def _grad_switched_on(tree: ast.Module) -> dict[str, int]:
    """Names the file turns into leaves that want a gradient after the fact —
    ``loss.requires_grad_(True)`` or ``loss.requires_grad = True`` — and the line: done to a
    value about to be back-propagated, it silences "element 0 of tensors does not require
    grad" (a loss computed under ``torch.no_grad()`` or from detached outputs), and backward
    then stops there."""
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "requires_grad_" and \
                isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and (not node.args or (isinstance(node.args[0], ast.Constant)
                                       and node.args[0].value is True)):
            found.setdefault(node.func.value.id, node.lineno)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                node.value.value is True:
            for t in node.targets:
                if isinstance(t, ast.Attribute) and t.attr == "requires_grad" and \
                        isinstance(t.value, ast.Name):
                    found.setdefault(t.value.id, node.lineno)
    return found


def sliced_batch_findings(spec: str | None) -> list[Finding]:
    """``src.batch_size``: the batch size a loop that cuts its training data by hand trains
    on — the step of
    ``for i in range(0, n, BATCH):`` around ``x[i:i + BATCH]`` and a ``backward()``, where the
    file spells the step as a literal or a name it assigns once — or, without one, the
    ``batch_size`` of the training ``DataLoader`` (the one that shuffles, as a training loader
    does; the saved batch is often a validation batch of another size); "don't know" where a
    model is named whose source names neither, or cannot be read (a package module, a file
    that does not parse), so that the batch file's count may stand in; nothing for no model."""
    if (parsed := _parsed(spec)) is None:
        return [Finding("src.batch_size", UNKNOWN,
                        say("src.unread_batch_size", spec=spec))] if spec else []
    target, tree = parsed
    once = _assigned_once(tree)
    for loop in ast.walk(tree):
        if not isinstance(loop, ast.For) or (step := _training_batch_step(loop)) is None:
            continue
        size = _static(step, once)
        if isinstance(size, int) and not isinstance(size, bool) and size > 0:
            words = say("src.sliced_batch", file=target.name, line=loop.lineno, n=size,
                        step=ast.unparse(step))
            return [Finding("src.batch_size", float(size), words)]
    sizes: dict[int, int] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called(node) == "DataLoader"):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        if not _shuffles(node) or "batch_size" not in keywords:
            continue
        size = _static(keywords["batch_size"], once)
        if isinstance(size, int) and not isinstance(size, bool) and size > 0:
            sizes.setdefault(size, node.lineno)
    if len(sizes) == 1:  # one training batch size, however many loaders spell it
        (size, line), = sizes.items()
        return [Finding("src.batch_size", float(size),
                        say("src.loader_batch", file=target.name, line=line, n=size))]
    # read and found no size: "don't know", so that the batch file's own count may stand in
    # for the training batch size (a saved batch is often validation samples of another size)
    return [Finding("src.batch_size", UNKNOWN, say("src.no_batch_size", file=target.name))]


#: Calls that bound a gradient's norm or values (torch, Lightning's, Accelerate's, optax's).
_CLIP_CALLS = frozenset({"clip_grad_norm_", "clip_grad_norm", "clip_grad_value_",
                         "clip_gradients", "clip_by_global_norm"})
#: Keyword arguments of trainers that switch clipping on (Lightning, Hugging Face).
_CLIP_KEYWORDS = frozenset({"gradient_clip_val", "max_grad_norm"})


def _switched_off(value: ast.expr) -> bool:
    """``None``, ``0`` or ``0.0``: a clipping argument that clips nothing."""
    return isinstance(value, ast.Constant) and value.value in (None, 0, 0.0)


#: A bound this large clips no gradient a training run survives: the call only measures.
_NO_BOUND = 1e6


def _bound(value: ast.expr, names: dict[str, ast.expr], depth: int = 0) -> float | None:
    """The number a clipping bound evaluates to where the file says it plainly: a literal,
    ``math.inf`` / ``float("inf")``, a module-level name, ``A or B``; None when unclear."""
    if depth > 4:
        return None
    if isinstance(value, ast.Constant):
        v = value.value
        return 0.0 if v is None or v is False else \
            float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
    if isinstance(value, ast.Attribute) and value.attr == "inf":
        return math.inf
    if isinstance(value, ast.Call) and _called(value) == "float" and value.args and \
            isinstance(value.args[0], ast.Constant) and \
            str(value.args[0].value).strip().lower().lstrip("+") in ("inf", "infinity"):
        return math.inf
    if isinstance(value, ast.Name):
        if value.id == "inf":
            return math.inf
        return _bound(names[value.id], names, depth + 1) if value.id in names else None
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        for part in value.values:  # ``CLIP or math.inf``: the first value that is not 0/None
            bound = _bound(part, names, depth + 1)
            if bound is None or bound != 0.0:
                return bound
        return 0.0
    return None


def _measures_only(call: ast.Call, names: dict[str, ast.expr]) -> bool:
    """A clipping call whose bound is infinite (``clip_grad_norm_(params, math.inf)``, the
    idiom for reading the total norm): it clips nothing."""
    keyword = {"clip_grad_norm_": "max_norm", "clip_grad_norm": "max_norm",
               "clip_grad_value_": "clip_value"}.get(_called(call))
    if keyword is None:
        return False
    given = [k.value for k in call.keywords if k.arg == keyword] or call.args[1:2]
    bound = _bound(given[0], names) if given else None
    return bound is not None and bound >= _NO_BOUND


_UNKNOWN = object()
_COMPARE = {ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
            ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
            ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
            ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b}


def _static(value: ast.expr, names: dict[str, ast.expr], depth: int = 0) -> object:
    """What a condition evaluates to where the file spells it out with literals and names it
    assigns once (``CLIP is not None`` with ``CLIP = None``); ``_UNKNOWN`` otherwise."""
    if depth > 4:
        return _UNKNOWN
    if isinstance(value, ast.Constant):
        return value.value
    if isinstance(value, ast.Name):
        return _static(names[value.id], names, depth + 1) if value.id in names else _UNKNOWN
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        inner = _static(value.operand, names, depth + 1)
        return _UNKNOWN if inner is _UNKNOWN else not inner
    if isinstance(value, ast.Compare) and len(value.ops) == 1 and type(value.ops[0]) in _COMPARE:
        left = _static(value.left, names, depth + 1)
        right = _static(value.comparators[0], names, depth + 1)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        try:
            return _COMPARE[type(value.ops[0])](left, right)
        except TypeError:
            return _UNKNOWN
    return _UNKNOWN


def _never_runs(call: ast.Call, tree: ast.Module, names: dict[str, ast.expr]) -> ast.If | None:
    """The ``if`` whose branch holds ``call`` and which the file's own constants never take
    (``if CLIP is not None:`` with ``CLIP = None``, ``if CLIP:`` with ``CLIP = 0``)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.If):
            continue
        taken = _static(node.test, names)
        if taken is _UNKNOWN:
            continue
        branch = node.orelse if taken else node.body
        if any(call in ast.walk(statement) for statement in branch):
            return node
    return None


def _every_nth_step(call: ast.Call, tree: ast.Module) -> ast.If | None:
    """The ``if`` on a remainder (``if step % LOG_EVERY == 0:``) whose body holds ``call``
    but no optimizer step: a clipping made on every n-th step only, while the updates in
    between go unclipped (an accumulation's ``if (i + 1) % k == 0:`` that clips and steps
    together clips every update)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or \
                not any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mod)
                        for n in ast.walk(node.test)):
            continue
        inside = [n for statement in node.body for n in ast.walk(statement)]
        if call in inside and not any(isinstance(n, ast.Call) and _steps_the_optimizer(n)
                                      for n in inside):
            return node
    return None


#: Calls that hand back a one-pass iterator (a generator of parameters, a filter over them).
_ONE_PASS = frozenset({"parameters", "named_parameters", "filter", "map", "iter"})


def _spent_generator(call: ast.Call, tree: ast.Module,
                     once: dict[str, ast.expr]) -> tuple[str, ast.Call] | None:
    """A clipping call handed a generator another call has already run through
    (``params = (p for p in model.parameters() ...)``; ``SGD(params)``; later
    ``clip_grad_norm_(params, 1.0)``): the name and the call that used it up."""
    if not call.args or not isinstance(call.args[0], ast.Name):
        return None
    name = call.args[0].id
    value = once.get(name)
    if not (isinstance(value, ast.GeneratorExp) or
            (isinstance(value, ast.Call) and _called(value) in _ONE_PASS)):
        return None
    earlier = [c for c in ast.walk(tree) if isinstance(c, ast.Call) and c is not call
               and c.lineno < call.lineno and _called(c) not in _CLIP_CALLS
               and any(isinstance(a, ast.Name) and a.id == name
                       for a in (*c.args, *(k.value for k in c.keywords)))]
    return (name, min(earlier, key=lambda c: c.lineno)) if earlier else None


def _imports(tree: ast.Module, package: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == package
                                                for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
            return True
    return False


def _steps_the_optimizer(call: ast.Call) -> bool:
    """``optimizer.step()`` / ``opt.step()`` / ``scaler.step(opt)``, not a scheduler's step."""
    if _called(call) != "step" or not isinstance(call.func, ast.Attribute):
        return False
    owner = ast.unparse(call.func.value).lower()
    return "sched" not in owner and ("opt" in owner or "scaler" in owner)


def _root_name(node: ast.expr) -> str | None:
    """``model`` of ``model.rnn.out`` (the name an attribute chain starts from)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _part_clipped(clip: ast.Call, tree: ast.Module) -> str | None:
    """The part of the model a clipping call is handed (``model.out`` of
    ``clip_grad_norm_(model.out.parameters(), 1.0)``, or of ``model.out.weight``) while an
    optimizer of the same file steps all of that model's parameters (``SGD(model.parameters()
    …)``): the rest of the network updates with its raw gradients. None otherwise."""
    if not clip.args:
        return None
    handed = clip.args[0]
    part = handed.func.value if isinstance(handed, ast.Call) and \
        _called(handed) == "parameters" and isinstance(handed.func, ast.Attribute) and \
        not handed.args else handed
    if not isinstance(part, ast.Attribute) or (root := _root_name(part)) is None:
        return None
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and call is not clip and call.args and \
                _called(call) not in _CLIP_CALLS and \
                isinstance(whole := call.args[0], ast.Call) and \
                _called(whole) == "parameters" and isinstance(whole.func, ast.Attribute) and \
                isinstance(whole.func.value, ast.Name) and whole.func.value.id == root and \
                ("optim" in ast.unparse(call.func) or _OPTIMIZERS.match(_called(call))):
            return ast.unparse(part)
    return None


def _misplaced(clip: ast.Call, tree: ast.Module) -> str | None:
    """Where a clipping call cannot bound the update: ``"before_backward"`` (it clips the
    gradients ``zero_grad()`` just cleared, or last step's, and ``backward()`` then writes
    raw ones) or ``"after_step"`` (the step has used the raw gradients); read in the
    innermost function that holds the call, a ``backward()`` and an optimizer step."""
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
              and n.lineno <= clip.lineno <= (n.end_lineno or n.lineno)]
    for scope in sorted(scopes, key=lambda n: -n.lineno) + [tree]:
        calls = [c for c in ast.walk(scope) if isinstance(c, ast.Call)]
        backward = [c.lineno for c in calls if _called(c) == "backward"]
        steps = [c.lineno for c in calls if _steps_the_optimizer(c)]
        if backward and steps:
            if clip.lineno < min(backward):
                return "before_backward"
            if clip.lineno > max(steps) and clip.lineno > max(backward):
                return "after_step"
            return None
    return None


def grad_clipping_findings(spec: str | None) -> list[Finding]:
    """``setup.grad_clipping`` as the model file's training code shows it: true with the place
    of a clipping call (``clip_grad_norm_``, ``clip_grad_value_``) or a trainer argument that
    clips (``gradient_clip_val=…``, ``max_grad_norm=…``; a Hugging Face ``TrainingArguments``
    clips at 1.0 unless told not to); false when the file runs its own loop
    (``loss.backward()``) or a Lightning ``Trainer`` and clips nowhere; nothing when the file
    trains nothing (the loop lives elsewhere)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    names, once = dict(_assigned(tree)), _assigned_once(tree)
    clip_calls = [c for c in calls if _called(c) in _CLIP_CALLS]
    # clips that never see a gradient: handed a used-up generator, or under a dead ``if``
    spent = {c: used for c in clip_calls if (used := _spent_generator(c, tree, once))}
    guarded = {c: guard for c in clip_calls
               if c not in spent and (guard := _never_runs(c, tree, once))}
    measuring = [c for c in clip_calls if c not in spent and c not in guarded
                 and _measures_only(c, names)]
    clipping = [c for c in clip_calls
                if c not in spent and c not in guarded and c not in measuring]
    misplaced = [(c, where) for c in clipping if (where := _misplaced(c, tree)) is not None]
    if clipping and len(misplaced) == len(clipping):
        call, where = misplaced[0]
        text = say(f"src.clip_{where}", file=target.name, line=call.lineno, name=_called(call))
        return [Finding("setup.grad_clipping", False, text),
                Finding("src.clip_misplaced", True, text)]
    partial = {c: part for c in clipping if (part := _part_clipped(c, tree))}
    if clipping and len(partial) == len(clipping):
        call, part = next(iter(partial.items()))
        text = say("src.clip_part", file=target.name, line=call.lineno, name=_called(call),
                   part=part)
        return [Finding("setup.grad_clipping", False, text),
                Finding("src.clip_misplaced", True, text)]
    sometimes = {c: guard for c in clipping if (guard := _every_nth_step(c, tree))}
    if clipping and len(sometimes) == len(clipping):
        call, guard = next(iter(sometimes.items()))
        text = say("src.clip_some_steps", file=target.name, line=call.lineno, name=_called(call),
                   test=ast.unparse(guard.test))
        return [Finding("setup.grad_clipping", False, text),
                Finding("src.clip_misplaced", True, text)]
    for call in calls:
        if call in clipping:
            return [Finding("setup.grad_clipping", True,
                            say("src.clips", file=target.name, line=call.lineno,
                                name=_called(call)))]
        for keyword in call.keywords:
            if keyword.arg in _CLIP_KEYWORDS and not _switched_off(keyword.value):
                return [Finding("setup.grad_clipping", True,
                                say("src.clips", file=target.name, line=call.lineno,
                                    name=keyword.arg))]
    arguments = [c for c in calls if _called(c) == "TrainingArguments"]
    if arguments and not any(k.arg == "max_grad_norm" for c in arguments for k in c.keywords):
        return [Finding("setup.grad_clipping", True,
                        say("src.clips_by_default", file=target.name,
                            line=arguments[0].lineno))]
    loops = [c.lineno for c in calls if _called(c) == "backward"] + \
        [c.lineno for c in arguments]  # max_grad_norm=0: the trainer's clipping switched off
    if not loops and (_imports(tree, "lightning") or _imports(tree, "pytorch_lightning")):
        loops = [c.lineno for c in calls if _called(c) == "Trainer"]
    if not loops:
        return []
    if spent:
        call, (name, consumer) = next(iter(spent.items()))
        text = say("src.clip_spent_generator", file=target.name, line=call.lineno,
                   name=_called(call), value=name, consumer=_called(consumer),
                   at=consumer.lineno)
        return [Finding("setup.grad_clipping", False, text),
                Finding("src.clip_misplaced", True, text)]
    if guarded:
        call, guard = next(iter(guarded.items()))
        return [Finding("setup.grad_clipping", False,
                        say("src.clip_never_runs", file=target.name, line=call.lineno,
                            name=_called(call), test=ast.unparse(guard.test)))]
    if measuring:
        return [Finding("setup.grad_clipping", False,
                        say("src.clip_measures_only", file=target.name,
                            line=measuring[0].lineno, name=_called(measuring[0])))]
    return [Finding("setup.grad_clipping", False,
                    say("src.never_clips", file=target.name, line=min(loops)))]


def _assigned_once(tree: ast.Module) -> dict[str, ast.expr]:
    """The names the file assigns exactly once (``CLIP = None``), with their values: a name
    assigned again (or by ``+=``, a loop, a ``with``, a parameter) may hold something else."""
    assigned = _assigned(tree)
    counts = Counter(name for name, _ in assigned)
    targets: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AugAssign | ast.AnnAssign | ast.NamedExpr | ast.For
                      | ast.AsyncFor | ast.comprehension):
            targets.append(node.target)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets.append(node.optional_vars)
        elif isinstance(node, ast.Assign):  # "a, b = f()": each name holds what f gave
            targets.extend(t for t in node.targets if isinstance(t, ast.Tuple | ast.List)
                           and not _paired(t, node.value))
        elif isinstance(node, ast.arg):
            counts[node.arg] += 2  # a parameter of that name: the name may hold anything
    counts.update(t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name))
    return {name: value for name, value in assigned if counts[name] == 1}


def _assigned(tree: ast.Module) -> list[tuple[str, ast.expr]]:
    """Every ``name = value`` of the file (each target name of an assignment), a tuple
    assigned a tuple of as many values name by name (``MICRO_BATCH, ACCUM = 2, 16``)."""
    out: list[tuple[str, ast.expr]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        if _paired(node.targets[0], node.value):
            out.extend((t.id, v) for t, v in _assigned_pairs(node) if isinstance(t, ast.Name))
        else:
            out.extend((t.id, node.value) for t in node.targets if isinstance(t, ast.Name))
    return out


def _paired(target: ast.expr, value: ast.expr) -> bool:
    """Whether a tuple (or list) target is assigned as many values, one each."""
    return isinstance(target, ast.Tuple | ast.List) and \
        isinstance(value, ast.Tuple | ast.List) and len(target.elts) == len(value.elts)


#: Calls that draw standard-normal noise shaped like a tensor.
_NOISE = frozenset({"randn_like", "randn"})


def _noise_scale(node: ast.expr, constants: dict[str, ast.expr]) -> float | None:
    """The standard deviation of a noise term: ``c * torch.randn_like(x)`` or
    ``torch.randn_like(x) * c`` (``c`` a number), a bare ``torch.randn_like(x)`` (1); None
    for anything else (``std * torch.randn_like(mu)``: a scale the model computes)."""
    if isinstance(node, ast.Call) and _called(node) in _NOISE:
        return 1.0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for noise, factor in ((node.left, node.right), (node.right, node.left)):
            if isinstance(noise, ast.Call) and _called(noise) in _NOISE:
                value = _static(factor, constants)  # a literal, or a name assigned one once
                return float(value) if isinstance(value, int | float) and \
                    not isinstance(value, bool) and value > 0 else None
    return None


#: Words that name a function as the training augmentation.
_AUGMENT_WORDS = re.compile(r"augment|jitter|perturb|noise|corrupt", re.IGNORECASE)


def _augmenting_scopes(tree: ast.Module) -> list[ast.AST]:
    """Where noise added to a tensor is training augmentation, not how synthetic data were
    made: a loop that calls ``backward()``, a dataset's ``__getitem__``, a function named as
    an augmentation (``augment``, ``add_noise``)."""
    scopes: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.While) and any(
                isinstance(c, ast.Call) and _called(c) == "backward" for c in ast.walk(node)):
            scopes.append(node)
        elif isinstance(node, ast.FunctionDef) and (
                node.name == "__getitem__" or _AUGMENT_WORDS.search(node.name)):
            scopes.append(node)
    return scopes


def added_noise(spec: str | None) -> tuple[float, int, str] | None:
    """The largest Gaussian noise the model file adds to a tensor as training augmentation
    (:func:`_augmenting_scopes`, outside ``no_grad``) — ``xb = xb + 0.6 *
    torch.randn_like(xb)``, ``x += torch.randn_like(x) * NOISE`` — as (its standard deviation,
    line, the file's name); None when it adds none with a fixed scale (a reparameterised
    sample's scale is the model's, no augmentation)."""
    if (parsed := _parsed(spec)) is None:
        return None
    target, tree = parsed
    constants = _assigned_once(tree)
    quiet = {id(c) for c in _metric_only_calls(tree)}
    found: list[tuple[float, int]] = []
    # a loop inside a loop that calls backward() is in both: each node is read once
    nodes = {id(n): n for scope in _augmenting_scopes(tree) for n in ast.walk(scope)}
    for node in nodes.values():
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            terms, line = [node.left, node.right], node.lineno
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            terms, line = [node.value], node.lineno
        else:
            continue
        for term in terms:
            scale = _noise_scale(term, constants)
            calls = [c for c in ast.walk(term) if isinstance(c, ast.Call)]
            if scale is not None and not any(id(c) in quiet for c in calls):
                found.append((scale, line))
    if not found:
        return None
    scale, line = max(found, key=lambda f: (f[0], -f[1]))  # the largest, the first place
    return scale, line, target.name


#: Elementwise losses that broadcast an (N, 1) prediction against (N,) targets silently.
_ELEMENTWISE = ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss")
_ELEMENTWISE_MODULES = ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss")
#: Calls that reshape a prediction before its loss.
_RESHAPES = ("squeeze", "squeeze_", "view", "reshape", "flatten", "ravel", "view_as",
             "reshape_as", "expand_as", "unsqueeze")


def _model_call(node: ast.expr, outputs: set[str]) -> bool:
    """Whether an expression is a model's raw output: a call such as ``model(x)`` /
    ``self.net(x)`` (no tensor reshape), or a name bound to one."""
    if isinstance(node, ast.Name):
        return node.id in outputs
    return isinstance(node, ast.Call) and _called(node) not in _RESHAPES and \
        not _called(node).startswith(("torch", "F")) and \
        isinstance(node.func, ast.Name | ast.Attribute) and bool(node.args)


def raw_output_loss_findings(spec: str | None) -> list[Finding]:
    """``src.elementwise_loss_on_raw_output`` true, with the first place, when the model file
    hands a model's output straight to an elementwise loss (``F.mse_loss(model(x), y)``,
    ``criterion(pred, y)`` with ``criterion = nn.MSELoss()`` and ``pred = model(x)``), with
    no squeeze or view between: where the output is (N, 1) and the targets (N,), that loss
    broadcasts. Nothing otherwise (the loop may live elsewhere)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    bound = _assigned(tree)
    criteria = {name for name, value in bound
                if isinstance(value, ast.Call) and _called(value) in _ELEMENTWISE_MODULES}
    reshaped = {name for name, value in bound if not _model_call(value, set())}
    outputs = {name for name, value in bound
               if _model_call(value, set()) and name not in reshaped}
    places = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        name = _called(node)
        if name in _ELEMENTWISE or (isinstance(node.func, ast.Name) and name in criteria):
            if _model_call(node.args[0], outputs):
                places.append(node.lineno)
    if not places:
        return []
    return [Finding("src.elementwise_loss_on_raw_output", True,
                    say("src.elementwise_loss_on_raw_output", file=target.name,
                        line=min(places), n=len(places)))]


#: Optimizer classes (torch.optim's and the usual others) whose instances step.
_OPTIMIZERS = re.compile(r"^(SGD|ASGD|Adam|AdamW|Adamax|NAdam|RAdam|SparseAdam|Adagrad|Adadelta|"
                         r"RMSprop|Rprop|LBFGS|Lion|Adafactor|LAMB|Lamb|Muon|Sophia\w*)$")


def _optimizer_names(tree: ast.Module) -> set[str]:
    """The names the file binds to a torch optimizer it builds (``opt = torch.optim.SGD(…)``)."""
    return {name for name, value in _assigned(tree)
            if isinstance(value, ast.Call) and _OPTIMIZERS.match(_called(value))}


def _gradients_reset(tree: ast.Module, optimizers: set[str]) -> bool:
    """Whether the file clears gradients other than through one of ``optimizers``:
    ``model.zero_grad()``, ``p.grad = None``, ``p.grad.zero_()``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "zero_grad":
            owner = node.func.value if isinstance(node.func, ast.Attribute) else None
            if not (isinstance(owner, ast.Name) and owner.id in optimizers):
                return True
        if isinstance(node, ast.Call) and _called(node) in ("zero_", "detach_") and \
                isinstance(node.func, ast.Attribute) and "grad" in ast.unparse(node.func.value):
            return True
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "grad" for t in node.targets):
            return True
    return False


def unzeroed_optimizer_findings(spec: str | None) -> list[Finding]:
    """``src.optimizer_never_zeroed`` true, with the place, when the model file steps an
    optimizer (``inner_opt = torch.optim.SGD(...)`` … ``inner_opt.step()``) whose
    ``zero_grad()`` it never calls, and clears no gradients any other way (a model's
    ``zero_grad()``, ``p.grad = None``): each step then adds the new gradient to every one
    before it. Nothing otherwise (the loop may live elsewhere)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    optimizers = _optimizer_names(tree)
    if not optimizers:
        return []
    calls: dict[str, dict[str, int]] = {name: {} for name in optimizers}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id in optimizers:
            calls[node.func.value.id].setdefault(node.func.attr, node.lineno)
    stepped = sorted((c["step"], name) for name, c in calls.items()
                     if "step" in c and "zero_grad" not in c)
    if not stepped or _gradients_reset(tree, optimizers):
        return []
    line, name = stepped[0]
    return [Finding("src.optimizer_never_zeroed", True,
                    say("src.optimizer_never_zeroed", file=target.name, line=line, name=name))]


def zero_grad_outside_loop_findings(spec: str | None) -> list[Finding]:
    """``src.zero_grad_outside_step_loop`` true, with both places, when the model file's loop
    that back-propagates and steps an optimizer (``loss.backward()`` … ``opt.step()``) clears
    no gradients inside it, while the file clears them elsewhere — once an epoch, before the
    loop (a ``zero_grad()`` left behind when the batch loop moved into a function): each
    step then adds its gradient to every earlier one of the epoch. Nothing otherwise (a file
    that never clears is ``src.optimizer_never_zeroed``)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    optimizers = _optimizer_names(tree)
    clears = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _called(n) == "zero_grad"]
    if not clears:
        return []
    loops = [n for n in ast.walk(tree) if isinstance(n, ast.For | ast.While)]
    for loop in sorted(loops, key=lambda n: n.lineno):
        steps = [c for c in _calls_in(loop.body, "step") if not c.args and not c.keywords
                 and isinstance(c.func, ast.Attribute)
                 and (not optimizers or ast.unparse(c.func.value) in optimizers
                      or "opt" in ast.unparse(c.func.value).lower())]
        if not steps or not _calls_in(loop.body, "backward"):
            continue
        inside = any(isinstance(n, ast.Call) and _called(n) in ("zero_grad", "zero_") or
                     isinstance(n, ast.Assign) and any(isinstance(t, ast.Attribute) and
                                                       t.attr == "grad" for t in n.targets)
                     for n in ast.walk(loop))
        if inside:
            continue
        func = steps[0].func
        owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else "the optimizer"
        return [Finding("src.zero_grad_outside_step_loop", True,
                        say("src.zero_grad_outside_step_loop", file=target.name,
                            line=steps[0].lineno, name=owner,
                            cleared=min(c.lineno for c in clears)))]
    return []


def _mode_switches(statements: list[ast.stmt], functions: dict[str, ast.FunctionDef],
                   names: dict[str, str], seen: frozenset[str] = frozenset()
                   ) -> tuple[list[tuple[str, int]], list[str], bool]:
    """What ``statements`` do to a module's mode, functions of the file they call included
    (their parameters read as the arguments passed): the receivers switched to eval mode
    (``….eval()``, ``….train(False)``) with their lines, those switched to train mode
    (``….train()``, ``….train(True)``), and whether they back-propagate."""
    evals: list[tuple[str, int]] = []
    trains: list[str] = []
    backward = False
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = ast.unparse(func.value)
            receiver = names.get(receiver, receiver)
            flag = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "mode"), None)
            off = isinstance(flag, ast.Constant) and flag.value is False
            if func.attr == "eval" and not node.args and not node.keywords or \
                    func.attr == "train" and off:
                evals.append((receiver, node.lineno))
            elif func.attr == "train" and (flag is None or isinstance(flag, ast.Constant)):
                trains.append(receiver)
            backward = backward or func.attr == "backward"
        elif isinstance(func, ast.Name) and func.id in functions and func.id not in seen:
            called = functions[func.id]
            params = [a.arg for a in called.args.args]
            passed = {param: names.get(ast.unparse(arg), ast.unparse(arg))
                      for param, arg in zip(params, node.args, strict=False)}
            more = _mode_switches(called.body, functions, passed, seen | {func.id})
            evals += more[0]
            trains += more[1]
            backward = backward or more[2]
    return evals, trains, backward


def eval_mode_left_findings(spec: str | None) -> list[Finding]:
    """``src.eval_mode_left_on`` true, with both places, when a loop of the model file that
    back-propagates switches a module to eval mode (``model.eval()``, directly or in a
    function of the file it calls) and never back within it, while the file puts that same
    module in train mode only outside the loop (``model.train()`` once, before the epochs):
    from the loop's second pass on, that module trains in eval mode — BatchNorm on frozen
    running statistics, dropout off. The outermost such loop is read as a whole (a batch
    loop that validates at its last batch inside an epoch loop that calls ``model.train()``
    is fine). Nothing otherwise (a module never switched to train mode by name, such as a
    distillation teacher, is not read)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    loops = sorted((n for n in ast.walk(tree) if isinstance(n, ast.For | ast.While)),
                   key=lambda n: n.lineno)
    read: set[int] = set()  # nodes of an outer loop that back-propagates: read as a whole
    for loop in loops:
        if id(loop) in read:
            continue  # a batch loop inside the epoch loop, whose train() may reset the mode
        evals, trains, backward = _mode_switches(loop.body, functions, {})
        if not backward:
            continue
        inside = {id(n) for n in ast.walk(loop)}
        read |= inside
        if trains:
            continue
        outside = [(ast.unparse(n.func.value), n.lineno) for n in ast.walk(tree)
                   if isinstance(n, ast.Call) and id(n) not in inside
                   and isinstance(n.func, ast.Attribute) and n.func.attr == "train"
                   and not any(isinstance(a, ast.Constant) and a.value is False
                               for a in n.args)]
        for receiver, line in evals:
            before = [at for name, at in outside if name == receiver]
            if before:
                return [Finding("src.eval_mode_left_on", True,
                                say("src.eval_mode_left_on", file=target.name, line=line,
                                    name=receiver, loop=loop.lineno,
                                    train=before[0]))]
    return []


def _block_call(statement: ast.stmt, optimizers: set[str]) -> str | None:
    """What a statement of a block does to the gradients, when it is a bare call: "backward"
    (``loss.backward()``), "clear" (``….zero_grad()``) or "step" (an optimizer's
    ``step()`` — one the file builds, or named like one; a scheduler's is not)."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return None
    call = statement.value
    name = _called(call)
    if name == "backward":
        return "backward"
    if name == "zero_grad":
        return "clear"
    if name == "step" and isinstance(call.func, ast.Attribute) and not call.args:
        owner = ast.unparse(call.func.value)
        if owner in optimizers or ("opt" in owner.lower() and "sched" not in owner.lower()):
            return "step"
    return None


def cleared_before_step_findings(spec: str | None) -> list[Finding]:
    """``src.grads_cleared_before_step`` true, with the three places, when one block of the
    model file calls ``backward()``, then ``zero_grad()``, then the optimizer's ``step()``
    with no ``backward()`` between the last two: the step finds the gradients just cleared
    (``None`` since torch 2.0, so Adam skips every parameter) and the weights never move.
    Nothing otherwise."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    optimizers = _optimizer_names(tree)
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            backward = cleared = None
            for statement in block:
                kind = _block_call(statement, optimizers)
                if kind == "backward":
                    backward, cleared = statement.lineno, None
                elif kind == "clear" and backward is not None:
                    cleared = statement.lineno
                elif kind == "step" and cleared is not None:
                    return [Finding("src.grads_cleared_before_step", True,
                                    say("src.grads_cleared_before_step", file=target.name,
                                        backward=backward, cleared=cleared,
                                        line=statement.lineno))]
    return []


def _calls_in(statements: list[ast.stmt], name: str) -> list[ast.Call]:
    """The calls ``….name(…)`` in ``statements`` (nested blocks included, nested functions
    not: their code runs elsewhere)."""
    found: list[ast.Call] = []
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call) and _called(node) == name:
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _divided(name: str, loop: ast.For | ast.While) -> bool:
    """Whether the loop scales ``name`` before its backward: ``loss /= k``, or a division or
    a product (``loss * (1 / k)``) in an expression bound to it — a product is given the
    benefit of the doubt."""
    for node in ast.walk(loop):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and \
                node.target.id == name and isinstance(node.op, ast.Div | ast.FloorDiv):
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                for t in node.targets) and \
                any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div | ast.Mult)
                    for n in ast.walk(node.value)):
            return True
    return False


def _undivided_backward(loop: ast.For | ast.While) -> tuple[int, str] | None:
    """(line, name) of the loop's first ``name.backward()`` when ``name`` is never scaled in
    the loop."""
    backwards = _calls_in(loop.body, "backward")
    if not backwards:
        return None
    call = backwards[0]
    owner = call.func.value if isinstance(call.func, ast.Attribute) else None
    if not isinstance(owner, ast.Name) or _divided(owner.id, loop):
        return None  # (loss / k).backward(), or a loss scaled before it
    return call.lineno, owner.id


def _every_kth(test: ast.expr) -> bool:
    """Whether an ``if`` test counts iterations: ``(i + 1) % k == 0``, ``step % k``."""
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mod) for n in ast.walk(test))


def _stepped_every_kth(loop: ast.For | ast.While) -> bool:
    """Whether the loop steps an optimizer and clears its gradients only under an ``if`` that
    counts iterations (``if (i + 1) % accum == 0: opt.step(); opt.zero_grad()``), never
    unconditionally: the gradients of the iterations in between add up."""
    counted: list[ast.If] = [node for node in ast.walk(loop)
                             if isinstance(node, ast.If) and _every_kth(node.test)]
    if not counted:  # no step can sit under a counting ``if``
        return False
    inside = {id(call) for branch in counted for name in ("step", "zero_grad")
              for call in _calls_in(branch.body, name)}
    steps = _calls_in(loop.body, "step")
    clears = _calls_in(loop.body, "zero_grad")
    return bool(steps) and all(id(call) in inside for call in (*steps, *clears))


def _modulo_accumulation(tree: ast.Module) -> tuple[int, str, int | None] | None:
    """(line, name, clearing line) of the undivided ``backward()`` of a loop that steps only
    every k-th iteration; the clearing line is that of the ``zero_grad()`` the counting
    branch calls beside its step (None when it calls none)."""
    for loop in ast.walk(tree):
        if isinstance(loop, ast.For | ast.While) and _stepped_every_kth(loop) and \
                (found := _undivided_backward(loop)) is not None:
            clears = _calls_in(loop.body, "zero_grad")
            return (*found, clears[0].lineno if clears else None)
    return None


def unscaled_accumulation_findings(spec: str | None) -> list[Finding]:
    """``src.accumulation_unscaled`` true, with the place, when the model file accumulates
    gradients without dividing the loss it back-propagates (``loss.backward()`` with no
    ``loss / accum``): it calls ``backward()`` in an inner loop that steps no optimizer and
    steps one right after that loop, or it steps and clears the gradients only every k-th
    iteration (``if (i + 1) % accum == 0``). The micro-batches' gradients add up, so each
    step is as many times too large. With the counting branch's ``zero_grad()``,
    ``src.accumulation_cleared_each_step`` too: the gradients are cleared at every step.
    Nothing otherwise (the loop may live elsewhere)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    if (counted := _modulo_accumulation(tree)) is not None:
        line, name, cleared = counted
        found = [Finding("src.accumulation_unscaled", True,
                         say("src.accumulation_unscaled_every_kth", file=target.name,
                             line=line, name=name))]
        if cleared is not None:
            found.append(Finding("src.accumulation_cleared_each_step", True,
                                 say("src.accumulation_cleared_each_step",
                                     file=target.name, line=cleared)))
        return found
    for block in ast.walk(tree):
        body = getattr(block, "body", None)
        if not isinstance(body, list):
            continue
        for i, statement in enumerate(body):
            if not isinstance(statement, ast.For | ast.While) or \
                    _calls_in(statement.body, "step"):
                continue
            undivided = _undivided_backward(statement)
            if undivided is None or not _calls_in(body[i + 1:], "step"):
                continue
            line, name = undivided
            found = [Finding("src.accumulation_unscaled", True,
                             say("src.accumulation_unscaled", file=target.name,
                                 line=line, name=name))]
            outside = [call for part in (body[:i], body[i + 1:])
                       for call in _calls_in(part, "zero_grad")]
            if outside:  # cleared in the block that steps once per inner loop
                found.append(Finding("src.accumulation_cleared_each_step", True,
                                     say("src.accumulation_cleared_each_step_outer",
                                         file=target.name, line=outside[0].lineno)))
            return found
    return []


#: Generators a dataset may build for itself: ``np.random.default_rng``, ``RandomState``,
#: ``random.Random``, ``torch.Generator`` (a ``.manual_seed(…)`` chained on it included).
_OWN_GENERATORS = frozenset({"default_rng", "RandomState", "Generator", "Random"})


def _own_generator(value: ast.expr) -> bool:
    """Whether ``value`` builds a random generator of its own."""
    call = value
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
            call.func.attr == "manual_seed":
        call = call.func.value
    return isinstance(call, ast.Call) and _called(call) in _OWN_GENERATORS


def _methods(cls: ast.ClassDef) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {node.name: node for node in cls.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


#: Names in a seed that make it differ between workers or epochs.
_PER_WORKER_SEED = re.compile(r"worker|info|initial_seed|epoch|rank|randint|random|time",
                              re.IGNORECASE)


def _generator_seeded_alike(iterate: ast.FunctionDef | ast.AsyncFunctionDef
                            ) -> tuple[str, int] | None:
    """(name, line) of a generator an iterable dataset's ``__iter__`` builds afresh from a
    seed that names nothing of the worker or the epoch (``g = torch.Generator().manual_seed(
    self.seed)``): every worker, every epoch, draws the same stream."""
    for node in ast.walk(iterate):
        if not isinstance(node, ast.Assign) or not _own_generator(node.value) or \
                len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            continue
        seeds = [arg for call in ast.walk(node.value) if isinstance(call, ast.Call)
                 for arg in (*call.args, *(k.value for k in call.keywords))]
        if seeds and not any(_PER_WORKER_SEED.search(ast.unparse(seed)) for seed in seeds):
            return node.targets[0].id, node.lineno
    return None


def _generator_drawn_per_item(cls: ast.ClassDef) -> tuple[str, int, str] | None:
    """(attribute, line, evidence key) of a generator the dataset class builds in
    ``__init__`` (``self.rng = np.random.default_rng(0)``) and draws from in ``__getitem__``
    or ``__iter__`` (``src.worker_rng_shared``), or builds in ``__iter__`` from a seed the
    same in every worker (``src.worker_rng_reseeded``)."""
    methods = _methods(cls)
    init = methods.get("__init__")
    items = [methods[name] for name in ("__getitem__", "__iter__") if name in methods]
    if "__iter__" in methods and \
            (alike := _generator_seeded_alike(methods["__iter__"])) is not None:
        return (*alike, "src.worker_rng_reseeded")
    if init is None or not items:
        return None
    for node in ast.walk(init):
        if not isinstance(node, ast.Assign) or not _own_generator(node.value):
            continue
        for target in node.targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and \
                    target.value.id == "self" and any(
                        isinstance(use, ast.Attribute) and use.attr == target.attr and
                        isinstance(use.value, ast.Name) and use.value.id == "self"
                        for item in items for use in ast.walk(item)):
                return target.attr, node.lineno, "src.worker_rng_shared"
    return None


def _in_worker_processes(call: ast.Call) -> bool:
    """Whether a ``DataLoader(…)`` call loads in worker processes without a
    ``worker_init_fn``: ``num_workers`` given and not a literal 0."""
    keywords = {k.arg: k.value for k in call.keywords}
    workers = keywords.get("num_workers")
    if workers is None and len(call.args) >= 6:
        workers = call.args[5]  # DataLoader(dataset, batch_size, shuffle, sampler,
        #                         batch_sampler, num_workers, …)
    if workers is None or (isinstance(workers, ast.Constant) and not workers.value):
        return False
    init = keywords.get("worker_init_fn")
    return init is None or (isinstance(init, ast.Constant) and init.value is None)


def worker_rng_findings(spec: str | None) -> list[Finding]:
    """``data.worker_rng_shared`` true, with the places, when a dataset class of the model
    file builds its own random generator in ``__init__``, draws from it per item, and a
    ``DataLoader`` over an instance of it loads in worker processes with no
    ``worker_init_fn``: every worker starts from a copy of the dataset, the generator's state
    included, so the workers draw the same numbers — and again each epoch, as the workers are
    forked anew (PyTorch seeds the global generators per worker, not a dataset's own).
    Nothing otherwise."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    drawn = {cls.name: found for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef)
             and (found := _generator_drawn_per_item(cls)) is not None}
    if not drawn:
        return []
    for call in sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)
                        and _called(node) == "DataLoader"), key=lambda n: n.lineno):
        cls = _loader_dataset_class(call, tree, drawn)
        if cls is None or not _in_worker_processes(call):
            continue
        attr, line, words = drawn[cls]
        return [Finding("data.worker_rng_shared", True,
                        say(words, file=target.name, cls=cls, attr=attr, made=line,
                            line=call.lineno))]
    return []

