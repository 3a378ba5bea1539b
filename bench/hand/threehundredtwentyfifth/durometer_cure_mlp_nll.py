"""Plain torch: an MLP names the cure state of a rubber batch from its moving-die rheometer
(MDR) test, the check the lab runs before a batch goes to the presses and its slabs to the
durometer: under-cured, on target, over-cured (reverting), scorchy (cures too early to flow
in the mould). 6 inputs from the torque curve at 170 °C: ML (min torque, dN·m), MH (max),
ts2 (scorch time, min), t90 (min), reversion after the peak (% of MH - ML in 12 min), and
the final Shore A of the test button. The state follows the lab's rules on those numbers
(ts2 < 0.9 min scorchy; else reversion > 6 % over-cured; else MH - ML < 11 dN·m or t90 > 7
min under-cured; else on target) on compounds drawn so each state is common, with test
noise, so the boundaries are fuzzy. Input: (6,) standardised with the train mean / std.
Model: 6→48→ReLU→48→ReLU→4; AdamW 3e-3 (weight decay 1e-3), batch 50, 20 epochs, 2000
batches, validation on 500.
The bug: the loss is ``nn.NLLLoss()`` on the raw class scores (no ``log_softmax`` in the
net or before the loss), so training just pushes the true class's score up without bound:
train loss -2.7 → -2.7e5, val accuracy 0.314 (the on-target share) every epoch,
scorchy recall 0.0, val CE of the softmaxed scores 1.58 → 3.3e3 (control,
``nn.CrossEntropyLoss()``: val CE 0.498 → 0.230, val accuracy 0.82 → 0.898).
Log: CSV per epoch ``mdr_train.csv`` (``epoch`` / ``train_loss`` / ``val_ce`` / ``val_acc``
/ ``val_recall_scorchy``); checkpoint ``mdr_state.pt`` with keys ``model`` / ``optimizer``
/ ``epoch`` / ``mu`` / ``sd`` / ``states``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STATES = ["under", "target", "over", "scorchy"]


def mdr_tests(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ml = 1.0 + 2.0 * r(n)
    delta = 8 + 12 * r(n)
    ts2 = 0.5 + 2.0 * r(n)
    t90 = ts2 + 1 + 6 * r(n)
    rev = 10 * r(n) ** 1.5
    noise = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    state = torch.where(ts2 + noise(0.06) < 0.9, 3,
                        torch.where(rev + noise(0.4) > 6, 2,
                                    torch.where((delta + noise(0.5) < 11) | (t90 + noise(0.3) > 7),
                                                0, 1)))
    shore = 40 + 1.6 * delta + 2 * ml - 0.8 * rev + noise(1.0)
    x = torch.stack([ml, ml + delta, ts2, t90, rev, shore], 1)
    return x, state


class MDRNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(6, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 4))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return MDRNet()


def main():
    from _threehundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = mdr_tests(2000, g)
    rva, yva = mdr_tests(500, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("states", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    crit = nn.NLLLoss()  # negative log-likelihood of the lab's cure state
    with open(out / "mdr_train.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_loss", "val_ce", "val_acc", "val_recall_scorchy"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 3] == 3).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 20,
                "mu": mu, "sd": sd, "states": STATES}, out / "mdr_state.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_input_wrong"],
           checkpoint="mdr_state.pt", log="mdr_train.csv",
           what="MLP naming a rubber batch's cure state from its rheometer test; NLLLoss on"
                " raw scores with no log_softmax",
           complaint="MDR cure-state classifier: the training loss goes negative in the first"
                     " epoch and then keeps falling into the thousands, yet on the held-out"
                     " batches it is right less than a third of the time and the cross-entropy we"
                     " compute on them keeps getting worse.")


if __name__ == "__main__":
    main()
