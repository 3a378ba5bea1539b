"""Plain torch: a GRU reads a tallow-chandler's hour-long burn test of a dipped candle and
names how it burns, so the wick size for the next dipping can be set: good, tunnelling
(wick too small: the melt pool stays narrow and the flame sinks into a well), guttering (soft
tallow or too wide a pool: the pool reaches the wall, wax runs down, the burn rate jumps in
spells) and mushrooming (wick too big: carbon caps the wick, the flame grows tall and
smokes). One reading a minute for 60 minutes: flame height (mm), melt pool width (fraction
of the candle's width), burn rate (g/h) and the soot card's grey level; each candle has its
own width and draught, plus reading noise.
Input: (60, 4) readings scaled by fixed lab spans; classes drawn 60 / 15 / 15 / 10 %.
Model: GRU 4→32 (1 layer) over all 60 minutes, attention pooling (Linear 32→1 scores, softmax,
weighted sum of the states), Linear 32→4; cross-entropy, Adam 3e-3 with StepLR (×0.5 every 8
epochs), batch 25, 20 epochs, 1000 tests, validation on 250 (one batch).
The bug: the attention weights are ``torch.softmax(scores, dim=0)`` over a ``(batch,
minutes)`` score tensor, so they are normalised over the candles of the batch at each minute
instead of over the minutes of each candle; every candle's pooled state then depends on the
other candles and on the batch size (25 in training, 250 in validation, so about a tenth of
the weight): train CE 1.11 → 0.077 as in the control, but val CE 1.28 → 0.89, val accuracy
0.568 → 0.924, guttering caught 0.575 (control, ``dim=1``: train CE 1.13 → 0.077, val CE
1.14 → 0.084, val accuracy 0.568 → 0.976, guttering 0.90).
Log: TSV per epoch ``burn_fit.tsv`` (``epoch`` / ``lr`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_acc_gutter``); checkpoint ``burn_gru.ckpt`` with keys ``gru_head`` /
``adam`` / ``steplr`` / ``epoch`` / ``spans`` / ``classes``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["good", "tunnelling", "guttering", "mushrooming"]
SPANS = torch.tensor([40.0, 1.0, 12.0, 255.0])
T = 60


def burn_tests(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.multinomial(torch.tensor([0.6, 0.15, 0.15, 0.1]), n, replacement=True, generator=g)
    t = torch.arange(T).float().unsqueeze(0) / T
    c = [(cls == k).float().unsqueeze(1) for k in range(4)]
    width = 0.8 + 0.4 * r(n, 1)
    draught = r(n, 1)
    flame = 22 + 4 * r(n, 1) - 6 * c[1] * t + c[3] * (8 + 8 * r(n, 1)) * t \
        + 2 * draught * torch.sin(6.28 * (3 + 3 * r(n, 1)) * t + 6.28 * r(n, 1))
    pool_end = 0.85 + 0.1 * r(n, 1) - c[1] * (0.3 + 0.2 * r(n, 1)) + c[2] * 0.15
    pool = (pool_end * (1 - torch.exp(-t / (0.15 + 0.1 * r(n, 1))))).clamp(max=1.0) / width ** 0.3
    spell = (torch.sin(6.28 * (2 + 2 * r(n, 1)) * t + 6.28 * r(n, 1)) > 0.3).float()
    rate = 6 + 1.5 * r(n, 1) - 1.5 * c[1] * t + c[2] * spell * (2 + 2 * r(n, 1)) + c[3] * 1.5 * t
    soot = 40 + 20 * r(n, 1) + c[3] * (60 + 60 * r(n, 1)) * t ** 2 + 15 * draught * r(n, T)
    x = torch.stack([flame + 0.8 * torch.randn(n, T, generator=g),
                     pool + 0.03 * torch.randn(n, T, generator=g),
                     rate + 0.4 * torch.randn(n, T, generator=g),
                     soot + 4 * torch.randn(n, T, generator=g)], 2)
    return x / SPANS, cls


class BurnGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.att = nn.Linear(32, 1)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        h, _ = self.gru(x)  # (batch, minutes, 32)
        w = torch.softmax(self.att(h).squeeze(-1), dim=0)  # attention weights over the minutes
        return self.head((w.unsqueeze(-1) * h).sum(1))


def build():
    torch.manual_seed(0)
    return BurnGRU()


def main():
    from _threehundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = burn_tests(1000, g)
    xva, yva = burn_tests(250, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=25, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    with open(out / "burn_fit.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_ce\tval_ce\tval_acc\tval_acc_gutter\n")
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 2] == 2).float().mean().item()]
            log.write(f"{epoch}\t{lr:.6g}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"gru_head": model.state_dict(), "adam": opt.state_dict(),
                "steplr": sched.state_dict(), "epoch": 20, "spans": SPANS, "classes": CLASSES},
               out / "burn_gru.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="burn_gru.ckpt", log="burn_fit.tsv",
           what="GRU naming a dipped candle's burn (good / tunnelling / guttering /"
                " mushrooming) from its burn-test readings; softmax over the batch",
           complaint="Burn-test classifier for our dipped tallow candles (GRU with attention over"
                     " the 60 minute readings): training cross-entropy drops to 0.08 in 20"
                     " epochs, but on the validation tests, from the same dipping rooms, it"
                     " stays at 0.9, accuracy 92 % and only 57 % of the guttering candles are"
                     " caught. More epochs only widen the gap. How can it overfit that much on"
                     " a 4k-parameter model?")


if __name__ == "__main__":
    main()
