"""Plain torch: a small MLP decides whether a carriage clock's balance wheel needs the
hairspring taken out and re-pinned (1) or just cleaning (0), from 14 readings the clock-repair
bench takes after cleaning: rate in 6 positions (s/day), amplitude dial up / dial down
(degrees), amplitude after 24 h, and five shop entries that carry no signal (bench number,
hours since oiling, case style code, owner postcode digit, ticket parity). Re-pinning is
needed when the positional rates spread wide while the amplitude is fine (spread > 18 s/day
and amplitude > 200°), or when the rate drops with the amplitude over the day; 12 % of the
labels are the repairer's own call and go the other way. 320 clocks to train on.
Training: 20 candidate nets (Linear 14→48-ReLU-48-ReLU→1, Adam 1e-2, batch 32, 25 epochs,
different seeds and hidden dropout 0 / 0.2 / 0.4), then the shop keeps the one that scores
best on the validation clocks; a separate batch of 600 clocks from the next quarter is the
test. Log: CSV per candidate (``cand,seed,dropout,train_acc,val_acc,test_acc``) plus
``pick.json``; checkpoint keys ``mlp`` / ``seed`` / ``dropout`` / ``val_acc`` /
``x_mean`` / ``x_std``.
The bug: ``VAL_CLOCKS = 16`` — 20 candidates are ranked on 16 validation clocks, so the pick's
val accuracy is luck on sixteen clocks: the pick (candidate 4) shows val acc 0.9375 and
scores 0.75 on the 600 test clocks. Control (``VAL_CLOCKS = 400``): pick candidate 14, val
acc 0.79, test acc 0.763. Batch: 64 test clocks (the run has only 16 validation clocks)."""
import csv
import json

import torch
import torch.nn as nn

VAL_CLOCKS = 16  # the rest of the quarter's clocks go to training / the test batch


def clocks(n, g):
    rates = 4 * torch.randn(n, 1, generator=g) + 7 * torch.randn(n, 6, generator=g) * \
        torch.rand(n, 1, generator=g)
    amp_up = 180 + 80 * torch.rand(n, generator=g)
    amp_dn = amp_up - 20 * torch.rand(n, generator=g)
    amp24 = amp_up - 60 * torch.rand(n, generator=g)
    junk = torch.randn(n, 5, generator=g)
    spread = rates.max(1).values - rates.min(1).values
    drop = (amp_up - amp24) * (rates[:, 0] - rates.mean(1)).abs()
    y = ((spread > 18) & (amp_up > 200)) | (drop > 250)
    flip = torch.rand(n, generator=g) < 0.12
    y = (y ^ flip).float()
    x = torch.cat([rates, torch.stack([amp_up, amp_dn, amp24], 1), junk], 1)
    return x, y


def build(dropout=0.0):
    return nn.Sequential(nn.Linear(14, 48), nn.ReLU(), nn.Dropout(dropout), nn.Linear(48, 48),
                         nn.ReLU(), nn.Dropout(dropout), nn.Linear(48, 1))


def acc(model, x, y):
    model.eval()
    with torch.no_grad():
        return ((model(x).squeeze(-1) > 0).float() == y).float().mean().item()


def main():
    from _twohundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clocks(320, g)
    xva, yva = clocks(VAL_CLOCKS, g)
    xte, yte = clocks(600, torch.Generator().manual_seed(5))
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva, xte = (xtr - mu) / sd, (xva - mu) / sd, (xte - mu) / sd
    best = None
    with open(out / "candidates.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cand", "seed", "dropout", "train_acc", "val_acc", "test_acc"])
        for cand in range(20):
            seed, dropout = 100 + cand, (0.0, 0.2, 0.4)[cand % 3]
            torch.manual_seed(seed)
            model = build(dropout)
            opt = torch.optim.Adam(model.parameters(), lr=1e-2)
            gb = torch.Generator().manual_seed(seed)
            for _ in range(25):
                model.train()
                for idx in torch.randperm(320, generator=gb).split(32):
                    loss = nn.functional.binary_cross_entropy_with_logits(
                        model(xtr[idx]).squeeze(-1), ytr[idx])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            row = [cand, seed, dropout, round(acc(model, xtr, ytr), 4),
                   round(acc(model, xva, yva), 4), round(acc(model, xte, yte), 4)]
            print(row)
            w.writerow(row)
            if best is None or row[4] > best[0][4]:
                best = (row, {k: v.clone() for k, v in model.state_dict().items()})
    row, state = best
    (out / "pick.json").write_text(json.dumps({"cand": row[0], "val_acc": row[4],
                                               "test_acc": row[5]}) + "\n")
    print("picked", row)
    torch.save({"mlp": state, "seed": row[1], "dropout": row[2], "val_acc": row[4],
                "x_mean": mu, "x_std": sd}, out / "picked_mlp.pt")
    finish(out, __file__, (xte[:64], yte[:64]), causes=["validation_overfit"],
           checkpoint="picked_mlp.pt", log="candidates.csv",
           what="carriage-clock re-pin MLP picked from 20 candidates on 16 validation clocks",
           complaint=("We trained twenty versions of the re-pin checker and kept the best one: it"
                      " got 94% right on our held-back clocks. Since we put it on the bench it is"
                      " right about three times in four on the next quarter's clocks, no better"
                      " than the others we threw away. Nothing changed in how we measure."
                      " Did the clocks change, or is the model broken?"))


if __name__ == "__main__":
    main()
