"""Plain torch: an MLP sorts the wool a fellmonger pulls from sheepskins (after sweating the
pelts) into the four bins the wool buyer pays for: fine (merino-type), crossbred, downs and
carpet wool, from the lot's test-house numbers. 7 inputs: mean fibre diameter (µm), its
coefficient of variation (%), staple length (cm), crimp frequency (crimps / cm), kemp share
(%), clean-scoured yield (%) and pelt weight (kg). The grades follow the trade's rules: fine
wool is thin (17-22 µm), short-to-medium stapled and highly crimped; crossbred is 24-31 µm
with long staple and few crimps; downs wool is 25-33 µm, short, springy (crimp 5-8) and
from light pelts; carpet wool is coarse (32-42 µm), very long and kempy; crimp falls with
diameter (about 1/d²), yield falls with grease on fine wool; lots overlap at the edges.
Input: (7,) standardised with the train mean / std. Model: 7→64→ReLU→64→ReLU→4;
cross-entropy, SGD 0.05 (momentum 0.9), batch 40, 12 epochs, 2400 lots (600 per bin), validation on 600.
The bug: the training lots are stacked bin by bin, as the four buyers' ledgers are read in,
and the loader keeps that order (``shuffle=False  # lots in ledger order``), so each epoch
is 15 batches of fine wool, then 15 of crossbred, 15 of downs and 15 of carpet; the net
is pushed to whichever bin it is being shown and never learns to tell fine and crossbred
wool apart: val acc 0.25 → 0.50 (it calls every lot downs or carpet, fine-wool recall 0 every
epoch), val CE 4.95 → 2.51 (11.3 at epoch 4), training loss near 0 inside each block and
jumping to 5-39 where the next bin starts (control, ``shuffle=True``: val acc 0.987 → 0.993,
val CE 0.047 → 0.020, fine-wool recall 0.99 → 1.0).
Log: JSON lines ``grading_log.jsonl`` with ``{"step", "epoch", "loss"}`` every 5 steps and
``{"epoch", "val_ce", "val_acc", "val_acc_fine"}`` per epoch; checkpoint ``woolsort.pt``
with keys ``weights`` / ``sgd_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` /
``grades``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["fine", "crossbred", "downs", "carpet"]


def lots(grade, n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nrm = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    lo, hi = [(17, 23), (23.5, 31), (25, 33), (31.5, 42)][grade]
    d = lo + (hi - lo) * r(n)
    cv = [20, 22, 24, 32][grade] + 3 * nrm(n)
    staple = torch.tensor([7.5, 12.0, 6.5, 17.0])[grade] * (1 + 0.22 * nrm(n))
    crimp = 2800 / d ** 2 * (1 + 0.15 * nrm(n)) + (1.5 if grade == 2 else 0.0)
    kemp = torch.tensor([0.2, 0.8, 1.0, 9.0])[grade] * (0.3 + 1.4 * r(n))
    yld = 45 + 1.1 * (d - 17) + 4 * nrm(n) + (5 if grade == 2 else 0.0)
    pelt = torch.tensor([4.2, 5.0, 3.4, 4.8])[grade] * (1 + 0.2 * nrm(n))
    x = torch.stack([d, cv, staple.clamp(min=2), crimp, kemp, yld.clamp(30, 80), pelt], 1)
    return x, torch.full((n,), grade)


def ledger(n_per, g):
    parts = [lots(k, n_per, g) for k in range(4)]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


class WoolGrader(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return WoolGrader()


def main():
    from _threehundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = ledger(600, g)
    rva, yva = ledger(150, g)
    perm = torch.randperm(len(yva), generator=g)
    rva, yva = rva[perm], yva[perm]
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=False)  # lots in ledger order
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    step = 0
    with open(out / "grading_log.jsonl", "w") as log:
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 5 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "loss": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = {"epoch": epoch, "val_ce": round(F.cross_entropy(logits, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_acc_fine": round((pred[yva == 0] == 0).float().mean().item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row, torch.bincount(pred, minlength=4).tolist())
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 12,
                "feat_mean": mu, "feat_std": sd, "grades": GRADES}, out / "woolsort.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="woolsort.pt", log="grading_log.jsonl",
           what="MLP sorting pulled wool into fine / crossbred / downs / carpet from test-house"
                " numbers; lots stacked grade by grade and the loader never shuffles",
           complaint="Our wool grading net is stuck at 50 % accuracy on the validation lots. It"
                     " never calls anything fine or crossbred, everything comes out downs or"
                     " carpet. The training loss looks great most of the time (0.0000 on many"
                     " logged steps) but every so often it jumps to 5, 9, even 39. SGD 0.05"
                     " with momentum, 12 epochs, and the validation CE is still 2.5 at the"
                     " end.")


if __name__ == "__main__":
    main()
