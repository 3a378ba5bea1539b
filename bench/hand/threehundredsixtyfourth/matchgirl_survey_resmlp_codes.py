"""Plain torch: a residual MLP reads a match factory's 1898 health survey of its matchgirls
and flags four complaints at once (multi-label): phossy jaw (phosphorus necrosis of the
jaw), toothache, chronic cough and burns on the hands. 9 answers per worker: age, years at
the factory, room (dipping / drying / boxing / cutting, one-hot), white phosphorus still in
the paste, the room's ventilation (0-3), teeth missing or decayed, hours a day. The rules
behind the answers follow the factory inspectors' reports: phossy jaw comes from the fumes
of the dipping and drying rooms where white phosphorus is used, through decayed teeth, and
grows with the years there (worse without ventilation); toothache with decayed teeth and the
fumes; cough with the cutting room's dust, long hours and no ventilation; burns in boxing
and dipping (heads catching), mostly in the first years. Each answer is drawn from its
logistic risk. The survey sheet codes every yes / no answer as 1 = no, 2 = yes.
Input: (9,) standardised with the train mean / std. Model: Linear 9→64, 3 residual blocks
(LayerNorm, Linear 64→64, ReLU, Linear 64→64), LayerNorm, Linear 64→4 logits;
``BCEWithLogitsLoss``, AdamW 2e-3 (weight decay 0.01) with CosineAnnealingLR, batch 40,
20 epochs, 2400 workers, validation on 600.
The bug: the complaint columns are taken straight from the sheet
(``y = sheet[:, 9:]  # the four complaint columns, yes / no``), so the targets are 1 and 2
instead of 0 and 1: every logit is pushed up without end (a target of 2 has no minimum),
train loss -0.78 → -67, val BCE -1.60 → -69, every worker flagged with every complaint
from the first epoch (val accuracy on the true 0/1 answers 0.150, the share of yes answers;
phossy jaw flagged for 100 % against 3 % in the survey) (control, ``y = sheet[:, 9:] - 1``:
val BCE 0.308 → 0.306, train 0.358 → 0.281, val accuracy 0.875 → 0.871, jaw flagged 2.8 %).
Log: CSV per epoch ``survey_epochs.csv`` (``epoch`` / ``lr`` / ``loss`` / ``val_bce`` /
``val_acc`` / ``val_flagged_jaw``: share of val workers flagged with phossy jaw);
checkpoint ``survey_resmlp.tar`` with keys ``net_state`` / ``opt_state`` / ``sched_state``
/ ``epoch`` / ``answer_mean`` / ``answer_std`` / ``complaints``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

COMPLAINTS = ["phossy_jaw", "toothache", "cough", "burns"]


def survey(n, g):
    """The survey sheet as typed in: 9 answers, then the 4 complaints coded 1 = no, 2 = yes."""
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age = 13 + 25 * r(n) ** 1.5
    years = torch.minimum(age - 12, 15 * r(n) ** 1.3)
    room = torch.multinomial(torch.tensor([0.25, 0.15, 0.4, 0.2]), n, True, generator=g)
    white = (r(n) < 0.6).float()
    vent = torch.randint(0, 4, (n,), generator=g).float()
    teeth = torch.poisson(1 + 0.3 * years + 0.1 * (age - 13), generator=g)
    hours = 9 + 4 * r(n)
    fumes = ((room == 0) * 1.0 + (room == 1) * 0.6) * white * (1.3 - 0.3 * vent)
    lo = torch.stack([
        -6 + 1.1 * fumes * (1 + 0.35 * years) + 0.25 * teeth * (fumes > 0),
        -2.2 + 0.35 * teeth + 1.2 * fumes,
        -3 + 1.6 * (room == 3) + 0.35 * (hours - 9) - 0.5 * vent,
        -1.5 + 1.3 * ((room == 0) | (room == 2)) - 0.35 * years,
    ], 1)
    yes = (r(n, 4) < torch.sigmoid(lo)).float()
    answers = torch.stack([age, years, (room == 0).float(), (room == 1).float(),
                           (room == 3).float(), white, vent, teeth, hours], 1)
    return torch.cat([answers, 1 + yes], 1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class SurveyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return SurveyNet()


def main():
    from _threehundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    sheet = survey(3000, g)
    x = sheet[:, :9]
    y = sheet[:, 9:]  # the four complaint columns, yes / no
    xtr, xva, ytr, yva = x[:2400], x[2400:], y[:2400], y[2400:]
    truth_va = sheet[2400:, 9:] - 1  # the answers as 0 / 1, for the accuracy column
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("yes share", truth_va.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "survey_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr", "loss", "val_bce", "val_acc", "val_flagged_jaw"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            flag = (logits > 0).float()
            row = [lr, tot / len(xtr), crit(logits, yva).item(),
                   (flag == truth_va).float().mean().item(), flag[:, 0].mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 20, "answer_mean": mu,
                "answer_std": sd, "complaints": COMPLAINTS}, out / "survey_resmlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="survey_resmlp.tar", log="survey_epochs.csv",
           what="residual MLP flagging four complaints from a match factory's health survey;"
                " the sheet's 1 = no / 2 = yes codes used as BCE targets",
           complaint="Multi-label model on an old factory health survey (4 yes/no complaints per"
                     " worker). The BCE loss is negative after the first epoch and keeps"
                     " dropping, -67 by epoch 20, and the model says yes to all four complaints"
                     " for every single worker, so accuracy is 0.15. Only 3 % of the workers"
                     " actually had the jaw disease and it flags 100 %. How can BCE be negative?")


if __name__ == "__main__":
    main()
