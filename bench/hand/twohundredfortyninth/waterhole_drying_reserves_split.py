"""Plain torch: an MLP with BatchNorm predicts whether a savanna waterhole will still hold water
in 14 days (binary) from one day's ranger record: depth at the gauge (cm), surface area, pan
evaporation, rain forecast, days since the last rain, elephant visits that day, clay share of
the pan floor, air temperature and wind. A pan stays wet when its depth outlasts 14 days of
evaporation and drinking, less the forecast rain; clay floors seep less. The records come from
three reserves, one CSV each, concatenated: two on sandy plains with pans fed by rain only, the
third in a river valley with larger clay pans, a hotter climate, more elephants, and pans topped
up by springs (which the form does not record). MLP 9-64-BN-ReLU-64-BN-ReLU-1,
``BCEWithLogitsLoss``, Adam 2e-3, batch 64, 10 epochs of 1920 records. Checkpoint dict
``model_state`` / ``opt_state`` / ``epoch`` / ``iteration``; a JSON line every 10 steps
(``iteration``, ``loss``) and one per epoch with ``val_loss`` and ``val_accuracy``.
The bug: the split takes the first 1920 rows for training and the last 480 for validation
without shuffling (``order = torch.arange(len(y))``), so training sees only the two sandy
reserves and validation is the valley reserve, whose spring-fed pans all stay wet. Train
accuracy 0.91 → 0.96, val accuracy 0.18, 0.30, 0.51, 0.54, 0.58, 0.37, 0.56, 0.53, 0.61, 0.62;
val loss 3.42, 3.65, then 1.43–3.30 (1.53 at epoch 10).
Control (``order = torch.randperm(len(y), generator=g)``): val accuracy 0.86 → 0.93–0.95 (0.948
at epoch 10), val loss 0.328 → 0.129."""
import json

import torch
import torch.nn as nn


def reserve(n, g, valley):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth = 20 + 60 * r(n)
    area = 200 + 800 * r(n) + (1500 if valley else 0)
    evap = 0.6 + 0.5 * r(n) + (0.5 if valley else 0.0)
    rain = -torch.log(r(n)) / 0.4 * (r(n) < 0.4)
    dry_days = 60 * r(n)
    elephants = torch.poisson(torch.full((n,), 12.0 if valley else 3.0), generator=g)
    clay = 0.2 * r(n) + (0.6 if valley else 0.0)
    temp = 28 + 6 * r(n) + (4 if valley else 0)
    wind = 3 * r(n)
    spring = 5.0 + 2 * r(n) if valley else torch.zeros(n)  # not on the form
    loss14 = 14 * (evap * (1 + 0.03 * (temp - 30)) * (1 + 0.1 * wind) + 0.9 * (1 - clay)
                   + 0.4 * elephants * 1000 / area - spring) - 1.5 * rain
    wet = (depth - loss14 + 5 * torch.randn(n, generator=g) > 0).float()
    x = torch.stack([depth, area, evap, rain, dry_days, elephants, clay, temp, wind], 1)
    return x, wet


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 64),
                         nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 1))


def main():
    from _twohundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    parts = [reserve(960, g, False), reserve(960, g, False), reserve(480, g, True)]
    x = torch.cat([p[0] for p in parts])
    y = torch.cat([p[1] for p in parts])
    order = torch.arange(len(y))
    x, y = x[order], y[order]
    mu, sd = x[:1920].mean(0), x[:1920].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:1920], y[:1920], x[1920:], y[1920:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    it = 0
    with open(out / "drying.jsonl", "w") as log:
        for epoch in range(1, 11):
            model.train()
            perm = torch.randperm(1920, generator=g)
            for i in range(0, 1920, 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(xtr[idx]).squeeze(1), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                if it % 10 == 0:
                    row = {"iteration": it, "loss": round(loss.item(), 4)}
                    log.write(json.dumps(row) + "\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva).squeeze(1)
                lt = model(xtr).squeeze(1)
            row = {"iteration": it, "epoch": epoch,
                   "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_accuracy": round(((lv > 0).float() == yva).float().mean().item(), 4)}
            print(row, round(((lt > 0).float() == ytr).float().mean().item(), 4))
            log.write(json.dumps(row) + "\n")
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 10,
                "iteration": it}, out / "drying_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="drying_mlp.pt", log="drying.jsonl",
           what="waterhole 14-day drying MLP trained on two sandy reserves, validated on a"
                " valley reserve (unshuffled split)",
           complaint=COMPLAINT)


COMPLAINT = ("Predicting whether each waterhole still holds water in two weeks, from the "
             "rangers' daily records. Training accuracy climbs to about 0.96, but validation "
             "accuracy was 0.18 after the first epoch and is only 0.62 after ten, with the "
             "validation loss between 1.4 and 3.6. Same features, same rangers' forms. Is the model "
             "overfitting?")


if __name__ == "__main__":
    main()
