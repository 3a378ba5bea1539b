"""Plain torch: a small transformer encoder marks, letter by letter, where a hand compositor
must pick a ligature sort from the case instead of single letters when setting a line of
text in a foundry roman: f-ligatures fi, fl, ff, ffi, ffl. Per-letter classes: 0 a letter
set on its own, 1 first letter of a 2-letter ligature, 2 first letter of a 3-letter ligature,
3 a letter already inside a ligature. The rule is the case's: read left to right, ffi / ffl
before ff, fi, fl, and never across a word space. The lines are 32-character fragments of
pseudo-English words with plenty of f, i and l, and spaces. Tokens: 0 space, 1-26 a-z.
Model: embedding 27→64 + learned position embedding 32→64, 2 nn.TransformerEncoder layers (4 heads, 128
feed-forward, dropout 0.1, pre-norm), Linear 64→4 per letter; NLL of the log-softmax, Adam
3e-3 with OneCycleLR over the run, batch 40, 8 epochs, 1200 lines, validation on 400.
The bug: ``logp = torch.log_softmax(logits, dim=1)  # (batch, letters, classes)`` normalises
each class over the 32 letters of the line instead of over the 4 classes of each letter:
the logged training NLL only goes 3.71 → 3.05, val letter accuracy 0.450 → 0.838 (the
all-plain share is 0.81), ligature F1 0.26 → 0.49, val NLL over the classes 1.51 → 0.615
(control, ``dim=-1``: training NLL 1.27 → 0.18, val accuracy 0.810 → 0.917, F1 → 0.71, val
NLL 0.568 → 0.186).
Log: JSON lines ``compose_log.jsonl``: ``{"type": "step", step, nll}`` every 10 steps and
``{"type": "val", epoch, val_nll, val_letter_acc, val_lig_f1}`` per epoch; checkpoint
``ligature_encoder.bin`` with keys ``encoder_state`` / ``adam_state`` / ``onecycle_state`` /
``epoch`` / ``alphabet``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 32
ALPHABET = " abcdefghijklmnopqrstuvwxyz"
SYLL = ["fi", "fl", "ff", "ffi", "ffl", "f", "of", "if", "ef", "li", "la", "ro", "ta", "ne", "su",
        "mi", "ca", "de", "ing", "ter", "al", "on", "st", "ch", "il", "if", "fe", "fa"]


def tag(line):
    lab = [0] * len(line)
    i = 0
    while i < len(line):
        if line[i:i + 3] in ("ffi", "ffl"):
            lab[i], lab[i + 1], lab[i + 2] = 2, 3, 3
            i += 3
        elif line[i:i + 2] in ("ff", "fi", "fl"):
            lab[i], lab[i + 1] = 1, 3
            i += 2
        else:
            i += 1
    return lab


def lines(n, g):
    pick = lambda seq: seq[int(torch.randint(0, len(seq), (1,), generator=g))]  # noqa: E731
    ids, labels = torch.zeros(n, T, dtype=torch.long), torch.zeros(n, T, dtype=torch.long)
    for k in range(n):
        s = ""
        while len(s) < T + 8:
            s += "".join(pick(SYLL) for _ in range(int(torch.randint(1, 4, (1,), generator=g))))
            s += " "
        start = int(torch.randint(0, 8, (1,), generator=g))
        line = s[start:start + T]
        ids[k] = torch.tensor([ALPHABET.index(c) for c in line])
        labels[k] = torch.tensor(tag(line))
    return ids, labels


class LigatureTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(27, 64)
        self.pos = nn.Embedding(T, 64)
        layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.1, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(64, 4)

    def forward(self, ids):
        return self.out(self.encoder(self.emb(ids) + self.pos.weight))


def build():
    torch.manual_seed(0)
    return LigatureTagger()


def main():
    from _threehundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = lines(1200, g)
    iva, yva = lines(400, g)
    print("classes", torch.bincount(ytr.flatten()).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(itr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=8 * len(dl))
    step = 0
    with open(out / "compose_log.jsonl", "w") as log:
        for epoch in range(8):
            model.train()
            for xb, yb in dl:
                logits = model(xb)
                logp = torch.log_softmax(logits, dim=1)  # (batch, letters, classes)
                loss = F.nll_loss(logp.reshape(-1, 4), yb.reshape(-1))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                if step % 10 == 0:
                    log.write(json.dumps({"type": "step", "step": step,
                                          "nll": round(loss.item(), 6)}) + "\n")
            model.eval()
            with torch.no_grad():
                logits = model(iva)
            pred = logits.argmax(-1)
            tp = ((pred > 0) & (yva > 0) & (pred == yva)).sum().item()
            f1 = 2 * tp / max((pred > 0).sum().item() + (yva > 0).sum().item(), 1)
            row = {"type": "val", "epoch": epoch,
                   "val_nll": round(F.cross_entropy(logits.reshape(-1, 4), yva.reshape(-1)).item(), 6),
                   "val_letter_acc": round((pred == yva).float().mean().item(), 6),
                   "val_lig_f1": round(f1, 6)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"encoder_state": model.state_dict(), "adam_state": opt.state_dict(),
                "onecycle_state": sched.state_dict(), "epoch": 8, "alphabet": ALPHABET},
               out / "ligature_encoder.bin")
    finish(out, __file__, (iva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="ligature_encoder.bin", log="compose_log.jsonl",
           what="transformer encoder tagging a compositor's f-ligatures letter by letter;"
                " log_softmax over the letters (dim=1) instead of the classes",
           complaint="Letter-by-letter ligature tagger for our composing room: the training NLL starts"
                     " at 3.7 and crawls down to 3.05 over 8 epochs, and on the validation lines"
                     " it ends at 0.84 per-letter accuracy, hardly better than calling every"
                     " letter a plain sort (0.81); ligature F1 stays under 0.5. The"
                     " cross-entropy we compute on the validation set is 0.62.")


if __name__ == "__main__":
    main()
