"""Occupation coding for a household survey: assign one of the 9 ISCO-08 major groups from a
respondent's answers — age (years), gross annual income (dollars), years of schooling, usual
weekly hours, number of people supervised, commute (km) — and 40 keyword flags from the
free-text job title ("manager", "nurse", "clerk", "driver", "farm", …; each group owns 4–5
keywords, 20 % of the titles carry a keyword of another group and 25 % none). The numbers go in
raw: a ``BatchNorm1d`` on the 46 inputs is the net's normaliser (the tabular-net habit), then
two blocks Linear(·, 128) → BatchNorm1d → ReLU → Dropout(0.3) and a linear head. Adam 1e-3,
batch 64, 15 epochs of 4000 respondents; cross-entropy; JSON lines per epoch
``{"epoch", "loss", "val_loss", "val_accuracy"}``.
Bug: ``model.eval()`` for a sanity check of the untrained model before the loop, and the loop
never calls ``model.train()``: the whole run trains in eval mode. The BatchNorms use their
initial running statistics (mean 0, var 1, never updated), so the input BatchNorm normalises
nothing — incomes of 20 000–200 000 dollars go into the first Linear raw — and dropout is off.
Loss 217 in epoch 1 (chance is ln 9 = 2.20), still 8–16 at epochs 10–15 (11.1 at the end),
val loss 7.7, val accuracy 0.10–0.25 (0.22 at the end). Control (``model.train()`` at the top
of each epoch): loss 1.53 → 0.64, val loss 0.71, val accuracy 0.69 → 0.77."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

GROUPS = ["managers", "professionals", "technicians", "clerical", "service_sales",
          "agricultural", "craft", "operators", "elementary"]
# per group: mean income (k$), schooling (y), hours, supervised, age
PROFILE = torch.tensor([[95, 16, 46, 12, 47], [78, 18, 41, 2, 41], [58, 15, 40, 1, 39],
                        [41, 13, 37, 0, 38], [32, 12, 34, 0, 33], [30, 10, 50, 1, 49],
                        [47, 12, 42, 1, 42], [44, 11, 44, 0, 44], [26, 10, 35, 0, 36]],
                       dtype=torch.float)


def respondents(n, g):
    y = torch.randint(0, 9, (n,), generator=g)
    p = PROFILE[y]
    income = (p[:, 0] * 1000 * torch.exp(0.35 * torch.randn(n, generator=g))).round()
    school = (p[:, 1] + 1.8 * torch.randn(n, generator=g)).round().clamp(6, 22)
    hours = (p[:, 2] + 7 * torch.randn(n, generator=g)).round().clamp(5, 80)
    superv = torch.poisson(p[:, 3], generator=g)
    age = (p[:, 4] + 11 * torch.randn(n, generator=g)).round().clamp(17, 75)
    commute = torch.rand(n, generator=g) * 40
    words = torch.zeros(n, 40)
    u = torch.rand(n, generator=g)
    own = 4 * y + torch.randint(0, 5, (n,), generator=g).clamp(max=3)
    other = 4 * ((y + torch.randint(1, 9, (n,), generator=g)) % 9) + torch.randint(
        0, 4, (n,), generator=g)
    idx = torch.where(u < 0.2, other, own).clamp(max=35)
    has = u < 0.75
    words[has, idx[has]] = 1.0
    x = torch.cat([torch.stack([age, income, school, hours, superv, commute], 1), words], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.BatchNorm1d(46),
                         nn.Linear(46, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(128, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(128, 9))


def main():
    from _hundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = respondents(4000, g)
    xva, yva = respondents(1000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.eval()  # sanity check before training: chance level is ln 9 = 2.20
    with torch.no_grad():
        print("untrained val loss", F.cross_entropy(model(xva), yva).item())
    log = open(out / "isco_training.jsonl", "w")
    for epoch in range(1, 16):
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        with torch.no_grad():
            lo = model(xva)
            rec = {"epoch": epoch, "loss": round(tot / len(xtr), 4),
                   "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_accuracy": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "groups": GROUPS}, out / "isco_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="isco_mlp.pth", log="isco_training.jsonl",
           what="survey occupation-coding MLP (input BatchNorm as normaliser) trained entirely "
                "in eval mode: model.eval() for a sanity check before the loop, no model.train()",
           complaint="Our occupation coder for the survey is hopeless. The training loss was 217 in "
                     "the first epoch (chance would be ln 9 = 2.2) and is still 11 after 15 "
                     "epochs, validation loss jumps between 5.7 and 108 and validation accuracy "
                     "between 0.10 and 0.25. The inputs are the raw survey answers, but the "
                     "first layer is a BatchNorm so that should be taken care of.")


if __name__ == "__main__":
    main()
