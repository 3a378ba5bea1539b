"""A hair salon's colour-result predictor: from a client's consultation card (natural level 1–10,
grey share, porosity 1–3, strand thickness, previous box dye, target level, target tone ash /
neutral / gold / copper as a one-hot, developer volume 10/20/30/40, processing minutes, heat
cap) predict what the colourimeter reads on the finished hair: achieved level, a* and b*. Data:
320 synthetic cards (240 train, 80 val) from a salon chemistry rule — lift from the developer
(10 vol deposits only, then about 1 / 2 / 3 levels) times a time and heat factor, capped by the
target, less on grey and on previous box dye, overshooting on porous hair; the tone sets a* and
b* and warm undertones come through when the hair is lifted over 2 levels; colourimeter noise
(0.8 level, 4 in a*/b*). All 13 inputs and 3 targets standardised on the training cards.
An MLP 13 → 384 → 384 → 384 → 3 (ReLU, no dropout, no weight decay), Adam 1e-3, batch 16,
150 epochs; JSON lines per epoch (mse, val_mse, val_level_mae in levels).
Bug: none in the code line by line — the recipe: 0.30 M parameters for 240 cards, no
regularisation and no early stopping, trained for 150 epochs, so the net learns the noise of
each card. Train MSE (standardised) 0.57 → 0.20 at epoch 6 → 0.006 at epoch 40 → 0.007 at 150
(down to 3e-5 in between, with spikes); val MSE 0.50 → 0.387 at epoch 6 (its minimum, level MAE
0.82), then up: 0.476 at epoch 10, 0.527 at 40, 0.548 at 80, 0.520 at 150 (level MAE 1.00).
The control (``EPOCHS = 6``, stopping at the val minimum) ends at val MSE 0.387, level MAE 0.82,
train MSE 0.198 (the colourimeter noise alone is ~0.07 of the level variance and ~0.3–0.5 of
a*/b*'s). First draft: width 512, 400 epochs, noise 0.35 / 1.5 — 24 s CPU and the val MSE rose
only from 0.099 to 0.12, so the readings got noisier and the run shorter."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

EPOCHS = 150
FEATURES = ["natural_level", "grey_pct", "porosity", "thickness", "box_dye", "target_level",
            "ash", "neutral", "gold", "copper", "developer_vol", "minutes", "heat_cap"]


def cards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    natural = 1 + torch.floor(9.99 * r(n))
    grey = r(n) * torch.where(r(n) < 0.4, 90.0, 10.0)
    porosity = 1 + torch.floor(2.99 * r(n))
    thick = r(n)
    box = (r(n) < 0.2).float()
    target = (natural + torch.floor(7 * r(n)) - 2).clamp(1, 10)
    tone = torch.randint(0, 4, (n,), generator=g)
    vol = torch.tensor([10.0, 20.0, 30.0, 40.0])[torch.randint(0, 4, (n,), generator=g)]
    minutes = 20 + 25 * r(n)
    heat = (r(n) < 0.3).float()
    power = (vol / 10 - 1) * torch.clamp(minutes / 35, max=1.2) * (1 + 0.2 * heat)
    power = power * (1 - 0.004 * grey) * (1 - 0.5 * box) * (1 + 0.15 * (porosity - 2))
    lift = torch.clamp(target - natural, min=0)
    got = natural + torch.minimum(lift, power) - 0.3 * thick
    got = torch.where(target < natural, target + 0.2 * (porosity - 1) - 0.2 * box, got)
    warm = torch.clamp(got - natural - 2, min=0)
    a = torch.tensor([-3.0, 1.0, 3.0, 9.0])[tone] + 2.0 * warm + 0.05 * grey * 0.1
    b = torch.tensor([4.0, 10.0, 17.0, 14.0])[tone] + 2.5 * warm + 1.2 * got
    y = torch.stack([got + 0.8 * torch.randn(n, generator=g),
                     a + 4.0 * torch.randn(n, generator=g),
                     b + 4.0 * torch.randn(n, generator=g)], 1)
    x = torch.stack([natural, grey, porosity, thick, box, target, *F.one_hot(tone, 4).float().T,
                     vol, minutes, heat], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(13, 384), nn.ReLU(), nn.Linear(384, 384), nn.ReLU(),
                         nn.Linear(384, 384), nn.ReLU(), nn.Linear(384, 3))


def main():
    from _hundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = cards(320, g)
    xm, xs = x[:240].mean(0), x[:240].std(0)
    ym, ys = y[:240].mean(0), y[:240].std(0)
    x, y = (x - xm) / xs, (y - ym) / ys
    xtr, ytr, xva, yva = x[:240], y[:240], x[240:], y[240:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    torch.manual_seed(1)
    with open(out / "colour_train.jsonl", "w") as f:
        for epoch in range(EPOCHS):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 16):
                idx = perm[i:i + 16]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                rec = {"epoch": epoch + 1, "mse": round(tot / len(xtr), 5),
                       "val_mse": round(F.mse_loss(pv, yva).item(), 5),
                       "val_level_mae": round(((pv[:, 0] - yva[:, 0]).abs().mean()
                                               * ys[0]).item(), 4)}
            f.write(json.dumps(rec) + "\n")
            if rec["epoch"] % 20 == 0 or rec["epoch"] <= 10:
                print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": EPOCHS,
                "features": FEATURES, "x_mean": xm, "x_std": xs, "y_mean": ym, "y_std": ys},
               out / "colour_mlp_final.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="colour_mlp_final.pt", log="colour_train.jsonl",
           what="hair-colour result MLP, 0.30 M parameters on 240 cards, 150 epochs, no "
                "regularisation",
           complaint="Our colour-result predictor for the salon gets worse the longer it trains. "
                     "After 150 epochs the training MSE is 0.007, but the validation MSE is "
                     "0.52 and the level error on new clients is about 1.0 level; at epoch 6 it "
                     "was 0.39 and 0.82 levels. Should I train for fewer epochs, or is something "
                     "wrong with the data?")


if __name__ == "__main__":
    main()
