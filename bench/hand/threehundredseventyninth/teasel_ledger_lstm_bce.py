"""Plain torch: an LSTM reads a teasel grower's weekly field ledger for one plant from bolting
to cutting (12 weeks: stem height, head length, head girth, the week's rain and mean
temperature, and how far the flowering ring has climbed the head) and says whether its king
head will be fit for the raising gig at the woollen mill: long and firm enough, hooks not
spoiled. The rule behind the verdict: a head passes when its final length is over 70 mm and
the stem over 1.5 m, unless a wet spell (over 40 mm a week) caught it in flower, which rots
the hooks; about 70 % pass. Growth follows a logistic curve set by the plant's vigour and the
warmth of the summer.
Input: (12, 6) standardised weekly readings. Model: LSTM 6→48 (1 layer), last state, Linear
48→1 (a logit); RMSprop 1e-3, batch 100, 20 epochs, 2000 plants, validation on 500.
The bug: the ledger books the verdict as 1 (fit) / 2 (reject), and the targets are taken as
booked, ``return grade.float()  # card-room verdict, as booked in the ledger``, into
``nn.BCEWithLogitsLoss``, which wants 0 / 1. With every target at 1 or above the loss only
falls as the logits grow, so the net says "fit" to every head and the loss runs negative:
val accuracy 0.682 (the share
of fit heads) and reject recall 0.0 every epoch, val BCE -2.18 → -9.29, train BCE 0.73 →
-7.5 (control, ``return (grade == 1).float()``: val accuracy 0.928 → 0.940, reject recall 0.78 →
0.84, val BCE 0.273 → 0.155).
Log: JSON lines ``gig_fit.jsonl``, ``{"split": "train", epoch, batch, bce}`` every 5 batches
and ``{"split": "val", epoch, bce, acc, reject_recall}`` per epoch; checkpoint
``kinghead_lstm.pt`` with keys ``lstm_and_head`` / ``rmsprop`` / ``epoch`` / ``week_mean`` /
``week_std`` / ``grade_codes``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

WEEKS = 12


def plants(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wk = torch.arange(WEEKS).float().view(1, WEEKS)
    vigour = 0.7 + 0.6 * r(n, 1)
    warm = 14 + 6 * r(n, 1)  # summer mean temperature
    temp = warm + 2.5 * torch.randn(n, WEEKS, generator=g)
    rain = (25 * r(n, WEEKS) ** 2 + 30 * (r(n, WEEKS) < 0.12).float() * r(n, WEEKS)).clamp(0)
    speed = 0.45 + 0.03 * (warm - 17)
    mid = 5.5 - 0.6 * (vigour - 1)
    grow = torch.sigmoid(speed * (wk - mid))
    stem = 1.9 * vigour * grow + 0.05 * torch.randn(n, WEEKS, generator=g)
    head = 95 * vigour * (0.3 + 0.7 * grow) * (1 + 0.01 * (warm - 17)) \
        + 2 * torch.randn(n, WEEKS, generator=g)
    girth = 0.38 * head + 1.5 * torch.randn(n, WEEKS, generator=g)
    ring = ((wk - mid - 3) / 3).clamp(0, 1)  # flowering ring position, 0 base to 1 tip
    in_flower = (ring > 0) & (ring < 1)
    spoiled = ((rain > 40) & in_flower).any(1, keepdim=True)
    fit = (head[:, -1:] > 70) & (stem[:, -1:] > 1.5) & ~spoiled
    x = torch.stack([stem, head, girth, rain, temp, ring + 0.03 * torch.randn(n, WEEKS,
                                                                          generator=g)], 2)
    grade = torch.where(fit, 1, 2)  # the ledger's codes: 1 fit for the gig, 2 reject
    return x, grade


def targets(grade):
    return grade.float()  # card-room verdict, as booked in the ledger


class KingHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1])


def build():
    torch.manual_seed(0)
    return KingHead()


def main():
    from _threehundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, gtr = plants(2000, g)
    xva, gva = plants(500, g)
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    labels, vlabels = targets(gtr), targets(gva)
    print("fit share", (gtr == 1).float().mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, labels), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "gig_fit.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            for b, (xb, yb) in enumerate(dl):
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if b % 5 == 0:
                    f.write(json.dumps({"split": "train", "epoch": epoch, "batch": b,
                                        "bce": round(loss.item(), 6)}) + "\n")
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            reject = logit <= 0  # positive logit = fit
            truth_reject = gva == 2
            rec = {"split": "val", "epoch": epoch, "bce": crit(logit, vlabels).item(),
                   "acc": (reject == truth_reject).float().mean().item(),
                   "reject_recall": reject[truth_reject].float().mean().item()}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"lstm_and_head": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 20,
                "week_mean": mu, "week_std": sd, "grade_codes": {"fit": 1, "reject": 2}},
               out / "kinghead_lstm.pt")
    finish(out, __file__, (xva[:64], vlabels[:64]), causes=["label_out_of_range"],
           checkpoint="kinghead_lstm.pt", log="gig_fit.jsonl",
           what="LSTM over a teasel plant's weekly ledger, fit / reject for the raising gig;"
                " ledger codes 1 / 2 fed to BCEWithLogitsLoss as targets",
           complaint="Our teasel grading LSTM reports a negative BCE loss (-2.2 after the first epoch,"
                     " -9.3 after 20) and it keeps going down. Accuracy on the held-out plants is"
                     " 68.2 % every single epoch, exactly the share of heads that pass, and it has"
                     " never once called a head a reject. How can a cross-entropy be negative?")


if __name__ == "__main__":
    main()
