"""Plain torch: an MLP predicts the crust colour of soft pretzels (a browning index 0-100
from the line camera after the oven) from the lye bath and oven settings, so the bakery can
hold the colour when the lye ages or the oven drifts. 7 inputs: lye strength (% NaOH,
2.5-4.5), bath temperature (20-45 °C), dip time (5-25 s), drip time before salting (20-90 s),
oven temperature (200-240 °C), bake time (10-18 min), dough hydration (55-62 %). The colour
follows the alkali that reaches the crust (strength × dip time, more when the bath is warm,
less after a long drip) times a Maillard dose (doubles every 10 °C of oven, grows with bake
time, slower in wetter dough), saturating; camera noise 2 points.
Input: the 7 settings standardised with the training set's mean and std. Target: (index -
60) / 27.
The bug: the MLP is 30 hidden layers of 64 tanh units stacked in a plain
``nn.Sequential`` (``HIDDEN = [64] * 30``), no residual paths, no normalisation, default
init; SGD 0.02 momentum 0.9, batch 64, 1600 batches of pretzels, validation on 400, 20
epochs. The signal dies out through the stack and the net predicts the mean: train MSE 1.015
→ 1.021, val MSE 1.050 → 1.047 (R² -0.002, MAE 24.3 index points; numbers in the README).
The control (``HIDDEN = [64] * 3``) reaches val MSE 0.0111 (train 0.0109, R² 0.989, MAE 2.3).
Log: a CSV per epoch ``lye_line.csv`` (``epoch`` / ``mse_train`` / ``mse_val`` /
``val_mae_index`` / ``val_r2``); checkpoint ``crust_mlp.pt`` with keys ``model_state_dict`` /
``optimizer_state_dict`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``colour_shift``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

HIDDEN = [64] * 30  # deep stack: the browning chemistry is very nonlinear


def batches(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    lye = 2.5 + 2 * r()
    bath = 20 + 25 * r()
    dip = 5 + 20 * r()
    drip = 20 + 70 * r()
    oven = 200 + 40 * r()
    bake = 10 + 8 * r()
    hyd = 55 + 7 * r()
    alkali = lye * dip * 2 ** ((bath - 30) / 15) * torch.exp(-drip / 120)
    dose = 2 ** ((oven - 220) / 10) * bake / 14 * (1 - 0.05 * (hyd - 58))
    index = 100 * (1 - torch.exp(-0.03 * alkali * dose))
    index = index + 2 * torch.randn(n, generator=g)
    x = torch.stack([lye, bath, dip, drip, oven, bake, hyd], 1)
    return x, ((index - 60) / 27).unsqueeze(1)


def build():
    torch.manual_seed(0)
    layers, width = [], 7
    for h in HIDDEN:
        layers += [nn.Linear(width, h), nn.Tanh()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 1))


def main():
    from _threehundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = batches(1600, g)
    xva, yva = batches(400, g)
    print("target", ytr.mean().item(), ytr.var().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    with open(out / "lye_line.csv", "w") as log:
        log.write("epoch,mse_train,mse_val,val_mae_index,val_r2\n")
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vl = F.mse_loss(p, yva).item()
            mae = 27 * (p - yva).abs().mean().item()
            r2 = 1 - vl / yva.var(unbiased=False).item()
            row = f"{epoch},{tot / len(xtr):.5f},{vl:.5f},{mae:.3f},{r2:.4f}"
            log.write(row + "\n")
            print(row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 20, "x_mean": mu, "x_std": sd, "colour_shift": [60, 27]},
               out / "crust_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["network_too_deep"],
           checkpoint="crust_mlp.pt", log="lye_line.csv",
           what="MLP predicting soft pretzel crust colour from lye bath and oven settings;"
                " 30 plain tanh layers with no residual paths or normalisation",
           complaint="Our crust-colour model for the pretzel line just predicts the average."
                     " Training MSE sits at 1.0 on the standardised index from the first epoch"
                     " to the last, validation the same, R² is zero. The inputs are standardised"
                     " and the colour clearly depends on lye strength and dip time (we can see it"
                     " in a scatter plot). No errors, no NaNs. Should we train much longer or"
                     " collect more batches?")


if __name__ == "__main__":
    main()
