"""Whether per-token targets label the padding of their sequences (``loss.counts_padding``).

Token inputs padded to one length carry a run of one id at the end (or the start) of the
shorter rows. Where those positions' targets are -100, ``CrossEntropyLoss`` (and every Hugging
Face model) skips them. Where they hold a class the real tokens also use ("O" in NER, the
padding token of a language model whose labels copy its inputs), the loss is averaged over
padding too: it mostly learns to predict padding. A dedicated padding label that no real
token has could still be skipped by the user's own ``ignore_index``: that stays unknown —
except for a Hugging Face model, whose built-in loss skips -100 and nothing else, or when the
trained model's cross-entropy on the batch, taken over every position and over the real tokens
only, tells which of the two the run logged (:func:`logged_padding`).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import Pct, say
from .losses import IGNORE_INDEX

__all__ = ["padding_findings", "padded_steps_findings", "padding_mask", "logged_padding",
           "MIN_PADDED_SHARE",
           "REAL_CLASS_SHARE", "APART", "NEAR"]

#: Padding must fill this share of the positions to be worth a verdict.
MIN_PADDED_SHARE = 0.1
#: A target value that labels this share of the real tokens is a real class, not a pad label.
REAL_CLASS_SHARE = 0.05
#: The two ways of averaging must differ by this factor for the log to tell them apart …
APART = 1.7
#: … and the logged loss must lie within this factor of one of them.
NEAR = 1.25


def padding_mask(x: torch.Tensor, pad_id: int | None = None
                 ) -> tuple[torch.Tensor, int | float] | None:
    """The mask of the padding positions and the padding id: the id ending (or starting)
    at least a third of the rows, over its run there; None when no such run is found. A run
    of one length opening every row is a start marker (a language model's BOS), not left
    padding, which comes with rows of several lengths (or fills many positions). ``pad_id``:
    the only id that can be padding (0 for feature vectors read as ids, whose real
    positions, 1, open every row and would otherwise read as left padding)."""
    best: tuple[torch.Tensor, int | float] | None = None
    for flip in (False, True):
        rows = torch.flip(x, [1]) if flip else x
        ids, counts = torch.unique(rows[:, -1], return_counts=True)
        pad = ids[counts.argmax()].item()  # an id, or a padded signal's constant
        if int(counts.max()) * 3 < rows.shape[0] or pad_id is not None and pad != pad_id:
            continue
        run = torch.cumprod((torch.flip(rows, [1]) == pad).long(), dim=1).bool()
        lengths = run.sum(1)
        if flip and bool((lengths == 1).all()):
            continue  # one token opening every row, one run long: a start marker (BOS, CLS)
        mask = torch.flip(run, [1])
        mask = torch.flip(mask, [1]) if flip else mask
        if best is None or int(mask.sum()) > int(best[0].sum()):
            best = (mask, pad)
    return best


def logged_padding(output: torch.Tensor | None, targets: torch.Tensor, mask: torch.Tensor,
                   logged: float | None) -> tuple[bool, float, float] | None:
    """Whether the logged loss is the trained model's cross-entropy over every position
    (True) or over the real tokens only (False), with the two values; None when the output
    is not per-position logits, the two lie too close together, or the log matches neither.

    Padding the model predicts well pulls an average over every position far below the
    real tokens' loss: the log shows which average the run took."""
    if output is None or logged is None or not math.isfinite(logged) or logged <= 0 or \
            not output.is_floating_point() or output.dim() != 3 or \
            output.shape[:2] != targets.shape or output.shape[2] < 2:
        return None
    logits = output.detach().float().cpu()
    keep = targets != IGNORE_INDEX
    if int(targets[keep].max()) >= logits.shape[2] or int(targets[keep].min()) < 0:
        return None
    per = F.cross_entropy(logits[keep], targets[keep].long(), reduction="none")
    real_keep = (~mask)[keep]
    if not bool(torch.isfinite(per).all()) or int(real_keep.sum()) == 0:
        return None
    every, real = float(per.mean()), float(per[real_keep].mean())
    low, high = sorted((every, real))
    if low <= 0 or high < APART * low:
        return None
    for value, level in ((True, every), (False, real)):
        if max(logged, level) <= NEAR * min(logged, level):
            return value, every, real
    return None


#: Share of the real next positions whose target is the next input, for next-token targets.
NEXT_TOKEN_SHARE = 0.95


def _next_tokens(inputs: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> bool:
    """Whether the targets are the inputs shifted by one (next-item or next-token prediction
    with its own shift): at (nearly) every position followed by a real input, the target is
    that input."""
    following = ~mask[:, 1:]
    if int(following.sum()) < 16:
        return False
    same = targets[:, :-1][following] == inputs[:, 1:][following]
    return float(same.float().mean()) >= NEXT_TOKEN_SHARE


def _padded_vectors(inputs: torch.Tensor) -> torch.Tensor | None:
    """(batch, positions, features) → (batch, positions) ids: 0 where a position's whole
    feature vector is the one a third of the rows or more end on (the padding vector, zeros
    as a rule), 1 elsewhere — a padded feature sequence read as padded ids; None when no
    vector ends that many rows (real measurements at every end)."""
    if 0 in inputs.shape:
        return None
    vectors, counts = torch.unique(inputs[:, -1, :], dim=0, return_counts=True)
    if int(counts.max()) * 3 < inputs.shape[0]:
        return None
    pad = vectors[counts.argmax()]
    return (inputs != pad).any(-1).long()


#: Exact repeats of a whole feature vector inside the real part of the rows, at most this
#: share of its steps: measurements that never repeat exactly, whose repeats at the end are
#: a reading held to fill the row.
HELD_INSIDE_SHARE = 0.01


def _held_last_vectors(inputs: torch.Tensor) -> torch.Tensor | None:
    """(batch, positions, features) → (batch, positions) ids: 0 at the steps that repeat a
    row's last reading exactly to its end (a logger holding its last value after the
    sequence ended: forward-fill padding), 1 elsewhere; None unless a third of the rows or
    more end in two such steps or more, with three run lengths or more (sequences of several
    lengths), and the real parts nearly never repeat a whole vector."""
    if inputs.shape[1] < 4 or not inputs.is_floating_point():
        return None
    same = (inputs[:, 1:] == inputs[:, :-1]).all(-1)  # step t + 1 repeats step t
    run = torch.cumprod(torch.flip(same, [1]).long(), 1).sum(1)
    held = run >= 2
    if int(held.sum()) * 3 < inputs.shape[0] or torch.unique(run[held]).numel() < 3:
        return None
    steps = torch.arange(inputs.shape[1])
    mask = steps[None, :] >= (inputs.shape[1] - run)[:, None]
    real_next = ~mask[:, 1:]
    if float((same & real_next).float().sum()) > HELD_INSIDE_SHARE * float(real_next.sum()):
        return None
    return (~mask).long()


def _marks(extra: torch.Tensor, mask: torch.Tensor) -> bool:
    """Whether a tensor beside the inputs is their padding mask (non-zero exactly on the real
    tokens, or exactly on the padding)."""
    if not isinstance(extra, torch.Tensor) or extra.shape != mask.shape:
        return False
    on = extra != 0
    return bool(torch.equal(on, ~mask)) or bool(torch.equal(on, mask))


def _read_inside(inputs: torch.Tensor, mask: torch.Tensor, pad: int | float) -> torch.Tensor:
    """Per row, whether the candidate padding id also stands in the row's own (real) part."""
    return ((inputs == pad) & ~mask).any(dim=1)


def _fixed_layout(inputs: torch.Tensor, mask: torch.Tensor, pad: int | float) -> bool:
    """Every row of the batch (eight or more) has the run at the same positions, and its
    token also stands inside every row's own part: a marker of a fixed format. Padding comes
    with sequences of several lengths, and its id is no token of theirs."""
    if mask.shape[0] < 8 or not bool((mask == mask[:1]).all()):
        return False
    return bool(_read_inside(inputs, mask, pad).all())


#: A candidate padding id found inside the real positions of more than this share of the
#: rows is a real token, not padding (padding is never read between real tokens).
INSIDE_ROWS = 0.25


def padding_findings(inputs: torch.Tensor, targets: torch.Tensor | None,
                     builtin_loss: bool = False, output: torch.Tensor | None = None,
                     logged: float | None = None,
                     logged_train: float | None = None,
                     extras: tuple[torch.Tensor, ...] = (),
                     declared: int | None = None,
                     unmasked: tuple[str, int, str] | None = None) -> list[Finding]:
    """``loss.counts_padding`` for (batch, positions) token ids — or one signal channel
    padded with a constant, (batch, positions, 1), or feature vectors (or several ids per
    position) padded with one vector, or with each row's last reading held to its end,
    (batch, positions, features) — with
    per-position class targets of the (batch, positions)
    shape; nothing for any other batch. ``builtin_loss``: the model
    computes its own loss (Hugging Face), which skips -100 only. ``output``/``logged``: the
    trained model's logits on the batch and the loss the log ends on, which can tell whether
    a padding label no real token has was skipped (:func:`logged_padding`); the training
    loss (``logged_train``) is asked first — it is the loss whose padding is in question (a
    validation loop may mask what training does not) — and the other when it matches
    neither average. ``extras``: the batch's other tensors; one that marks the real tokens
    (a ``mask`` the model's ``forward`` takes) lets the user's own loss skip the padding
    whatever its targets hold, so a padding label then says nothing. ``declared``: the
    padding id the model's config declares; a run of another id, while the declared one is
    nowhere in the batch, is a real token that often opens or closes a row (a cheese vat
    sheet's first readings, all "liquid"), not padding. ``unmasked``: (file, line, name)
    where the model file's training loop hands the model such a mask and its class loss reads
    neither the mask nor an ``ignore_index`` (:func:`.source_scan.unmasked_loss_line`)."""
    pad_id = None  # the only id that can be padding, where the ids are read from vectors
    if inputs.dim() == 3 and inputs.shape[-1] == 1 and inputs.is_floating_point():
        inputs = inputs[..., 0]  # one signal channel padded with a constant, as ids are
    elif inputs.dim() == 3 and targets is not None and targets.shape == inputs.shape[:2] and \
            (inputs.is_floating_point() or inputs.shape[-1] > 1):
        # feature vectors, or several ids per position (set 391's round book: a house id and
        # whether the door was answered, padded with (0, 0)); a held last reading is a
        # measurement's padding only
        ids = _padded_vectors(inputs)
        if ids is None and inputs.is_floating_point():
            ids = _held_last_vectors(inputs)
        if ids is None:
            return []
        inputs, pad_id = ids, 0
    if targets is None or inputs.dim() != 2 or inputs.shape != targets.shape or \
            targets.is_floating_point() or inputs.shape[1] < 4 or inputs.shape[0] == 0:
        return []
    found = padding_mask(inputs, pad_id)
    if found is None:
        return []
    mask, pad = found
    share = float(mask.float().mean())
    if share < MIN_PADDED_SHARE:
        return []
    if declared is not None and pad != declared and not bool((inputs == declared).any()):
        return []
    if _fixed_layout(inputs, mask, pad):
        # every row ends in the same run of a token its messages also use inside: one
        # length in a fixed format (a message closed by idle markers), not shorter
        # sequences padded to the longest
        return [Finding("loss.counts_padding", UNKNOWN,
                        say("pad.fixed_layout", pad=pad, n=int(mask[0].sum())))]
    if float(_read_inside(inputs, mask, pad).float().mean()) > INSIDE_ROWS:
        # the id is read inside many rows' real positions too: a real token that often ends
        # a row (a night's lowest temperature band closing three days of hourly readings)
        return []
    at_pad, real = targets[mask], targets[~mask]
    if _next_tokens(inputs, targets, mask):
        # each real input's target is the next input: the last real one's is the padding
        # after it, which says nothing of a real class — the real targets are the next inputs
        real = targets[:, :-1][~mask[:, 1:]]
    labelled = at_pad[at_pad != IGNORE_INDEX]
    fact = "loss.counts_padding"
    if labelled.numel() == 0:
        return [_ignored_here(output, targets, mask, logged_train, share, pad)]
    if labelled.numel() < at_pad.numel() * 0.99:
        return []
    values, counts = torch.unique(labelled, return_counts=True)
    value = int(values[counts.argmax()])
    label = Finding("labels.padding_value", value, say("pad.value", pad=pad, value=value))
    if value < 0:  # no class: a cross-entropy that did not skip it would have raised
        return [Finding(fact, False, say("pad.negative_label", share=Pct(share), pad=pad,
                                         value=value)), label]
    real_share = float((real == value).float().mean()) if real.numel() else 0.0
    words = say("pad.labelled", share=Pct(share), pad=pad, value=value,
                real=Pct(real_share))
    if builtin_loss:
        return [Finding(fact, True, words), label]
    if any(_marks(extra, mask) for extra in extras):
        # the model reads a mask, which the loss may or may not: the log tells, when it can
        told = logged_padding(output, targets, mask, logged_train)
        if told is not None and told[0]:
            return [Finding(fact, True, say("pad.logged_every", share=Pct(share), pad=pad,
                                            value=value, logged=logged_train, every=told[1],
                                            real=told[2])), label]
        if unmasked is not None:  # the loop's own loss line reads every position
            file, line, name = unmasked
            return [Finding(fact, True, say("pad.unmasked_loss", share=Pct(share), pad=pad,
                                            value=value, file=file, line=line, mask=name)),
                    label]
        return [Finding(fact, UNKNOWN, say("pad.masked_argument", share=Pct(share), pad=pad,
                                           value=value)), label]
    if real_share >= REAL_CLASS_SHARE:  # ignore_index=value would drop real tokens too
        told = logged_padding(output, targets, targets == value, logged)
        if told is None or told[0]:
            return [Finding(fact, True, words), label]
        return [Finding(fact, False, say("pad.logged_skips_class", share=Pct(share), pad=pad,
                                         value=value, real=Pct(real_share), logged=logged,
                                         every=told[1], without=told[2])), label]
    own = say("pad.own_label", share=Pct(share), pad=pad, value=value)
    told = logged_padding(output, targets, mask, logged_train)
    if told is None:
        told = logged_padding(output, targets, mask, logged)
    else:
        logged = logged_train
    if told is None:
        return [Finding(fact, UNKNOWN, own), label]
    counted, every, on_real = told
    return [Finding(fact, counted, say("pad.logged_every" if counted else "pad.logged_real",
                                       share=Pct(share), pad=pad, value=value, logged=logged,
                                       every=every, real=on_real)), label]


#: The trained model predicts one class at this share of the padded positions or more …
LEARNT_PAD_SHARE = 0.99


def _learnt_pad_label(output: torch.Tensor | None, mask: torch.Tensor) -> int | None:
    """The class the trained model gives the padded positions when it gives nearly all of
    them one class (:data:`LEARNT_PAD_SHARE`), more surely than it gives the real ones
    theirs: a class it was taught there. None otherwise."""
    if output is None or not output.is_floating_point() or output.dim() != 3 or \
            output.shape[:2] != mask.shape or output.shape[2] < 2 or not bool(mask.any()) or \
            bool(mask.all()):
        return None
    probs = output.detach().float().cpu().softmax(-1)
    top, label = probs.max(-1)
    values, counts = torch.unique(label[mask], return_counts=True)
    if int(counts.max()) < LEARNT_PAD_SHARE * int(mask.sum()) or \
            float(top[mask].mean()) <= float(top[~mask].mean()):
        return None
    return int(values[counts.argmax()])


def _ignored_here(output: torch.Tensor | None, targets: torch.Tensor, mask: torch.Tensor,
                  logged_train: float | None, share: float, pad: int | float) -> Finding:
    """``loss.counts_padding`` for a batch whose padded targets are all -100: skipped in this
    batch's loss — unless the training loss the log ends on is the trained model's average
    over every position with the padding labelled the class it learnt to give it, and not
    its average over the real tokens (a validation batch masks what the training loader
    labelled: tags padded with a real class, which the model then learnt)."""
    learnt = _learnt_pad_label(output, mask)
    if learnt is not None:
        told = logged_padding(output, targets.masked_fill(mask, learnt), mask, logged_train)
        if told is not None and told[0]:
            return Finding("loss.counts_padding", True, say(
                "pad.learnt_label", share=Pct(share), pad=pad, value=learnt,
                logged=logged_train, every=told[1], real=told[2]))
    return Finding("loss.counts_padding", False, say("pad.ignored", share=Pct(share), pad=pad))


#: Trained predictions at the padded steps this share of the way from the real targets' mean
#: to the padding's target were fitted to it …
FITTED_PULL = 0.5
#: … and at most this share of the way were left alone by the loss.
LEFT_PULL = 0.2


def _real_steps(extras: tuple[torch.Tensor, ...], targets: torch.Tensor
                ) -> torch.Tensor | None:
    """The real steps, from a 0/1 tensor beside the inputs shaped like the targets: the side
    whose targets are not all one value (the padded side holds one constant target)."""
    for extra in extras:
        if not isinstance(extra, torch.Tensor) or extra.shape != targets.shape:
            continue
        values = torch.unique(extra)
        if values.numel() != 2 or not bool(((values == 0) | (values == 1)).all()):
            continue
        on = extra != 0
        for real in (on, ~on):
            if _pads_one_target(real, targets):
                return real
    return None


def _pads_one_target(real: torch.Tensor, targets: torch.Tensor) -> bool:
    """The steps outside ``real`` hold one target value, those inside more than one."""
    padded = targets[~real]
    return bool(padded.numel()) and bool((padded == padded.reshape(-1)[0]).all()) and \
        torch.unique(targets[real]).numel() > 1


def _real_steps_from_inputs(inputs: torch.Tensor | None, targets: torch.Tensor
                            ) -> torch.Tensor | None:
    """The real steps of (batch, steps, features) inputs without a mask beside them: every
    position but those holding the padding vector the rows end on (:func:`_padded_vectors`),
    where the targets hold one value too."""
    if inputs is None or inputs.dim() != 3 or tuple(inputs.shape[:2]) != tuple(targets.shape):
        return None
    ids = _padded_vectors(inputs)
    if ids is None:
        return None
    real = ids.bool().to(targets.device)
    return real if _pads_one_target(real, targets) else None


def padded_steps_findings(targets: torch.Tensor | None, output: torch.Tensor | None,
                          extras: tuple[torch.Tensor, ...],
                          inputs: torch.Tensor | None = None) -> list[Finding]:
    """``loss.padded_steps_fitted`` for real-valued per-step targets (batch, steps) beside a
    mask of the real steps (a tensor of the batch shaped like them; without one, the steps
    whose input vector is the padding the rows end on): the padded steps hold one
    target value, and where the trained model's predictions there sit — pulled from the real
    targets' mean to that value (the loss averaged over the padding too and taught it), or
    left alone (the loss skipped them) — tells which loss the run trained with. Nothing for
    class targets, without trained output or a mask. Padding whose target lies at the real
    targets' mean (0 after standardising) is measured against where each sequence ends: a
    model left alone carries its last real reading on; one taught by the padding goes to 0."""
    if targets is None or output is None or not targets.is_floating_point() or \
            targets.dim() != 2 or output.numel() != targets.numel():
        return []
    real = _real_steps(extras, targets)
    if real is None:
        real = _real_steps_from_inputs(inputs, targets)
    if real is None:
        return []
    share = float((~real).float().mean())
    if share < MIN_PADDED_SHARE:
        return []
    y = targets.detach().float().cpu()
    out = output.detach().float().cpu().reshape(y.shape)
    pad_value, real_y = float(y[~real].reshape(-1)[0]), y[real]
    centre, spread = float(real_y.mean()), float(real_y.std())
    if not spread > 0 or not bool(torch.isfinite(out).all()):
        return []
    predicted = float(out[~real].mean())
    if abs(pad_value - centre) >= spread:
        pull = (centre - predicted) / (centre - pad_value)
        words = say("pad.steps_pull", share=Pct(share), pad=pad_value, predicted=predicted,
                    centre=centre, pull=Pct(pull))
    else:  # padding at the real targets' mean: measured from where each sequence ends
        rows = real.any(1)
        y, out, real = y[rows], out[rows], real[rows]
        nearest = _nearest_real(y, real)[~real]
        if not nearest.numel() or \
                abs(float(nearest.mean()) - pad_value) < NEAREST_APART * spread:
            return []
        pull = float((nearest - out[~real]).sum() / (nearest - pad_value).sum())
        words = say("pad.steps_pull_nearest", share=Pct(share), pad=pad_value,
                    predicted=predicted, nearest=float(nearest.mean()), pull=Pct(pull))
    value = True if pull >= FITTED_PULL else False if pull <= LEFT_PULL else UNKNOWN
    return [Finding("loss.padded_steps_fitted", value, words)]


#: Padding whose target lies at the real targets' mean is measured from each padded step's
#: nearest real target, when those lie this many of the real targets' spreads from it.
NEAREST_APART = 0.5


def _nearest_real(y: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Each step's target carried over from the last real step at or before it (from the
    first real step, for padding at a sequence's start); every row has a real step."""
    steps = torch.arange(y.shape[1]).expand_as(y)
    last = torch.where(real, steps, torch.full_like(steps, -1)).cummax(1).values
    first = real.int().argmax(1, keepdim=True).expand_as(last)
    return y.gather(1, torch.where(last >= 0, last, first))
