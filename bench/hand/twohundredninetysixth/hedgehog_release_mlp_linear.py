"""Plain torch: a hedgehog rescue wants to tell finders, on the day a hedgehog comes in, how
many days it will likely stay in care before it reaches its release weight (600 g, or 550 g
for an autumn juvenile that will be soft-released in spring). From the intake sheet: weight
(g), estimated age (days, from the spines and teeth), lungworm score from the faecal smear
(0-3), ringworm (0/1), injury score (0-3), the intake month, daily food taken in the first
48 h (g of meaty food) and whether it needed fluids.
Care model: the daily gain is 14 g × appetite (saturating in the food taken) × a lungworm
penalty that only lifts after the 5-day wormer course (so heavy lungworm adds a fixed week
plus a slower gain), minus 25 % for a skin case, plus a week on the ward per injury point;
small hoglets under 250 g are hand-reared first (10 extra days). Days = days on the ward +
(release weight - weight) / gain, with a 12 % log-normal spread per animal.
Input: the 8 numbers standardised with the training mean / std; target: days / 30.
Model: ``HIDDEN`` sizes of Linear-ReLU stages → Linear to 1; MSE, Adam 3e-3, batch 128, 40
epochs, 4000 animals, validation on 800.
Bug: ``HIDDEN = []`` (``# no hidden layer: a score the vets can read straight off the
weights``), so the net is one Linear layer, a straight line through a curve (the days go as
1 / gain, the lungworm week comes on a threshold, hand-rearing below 250 g).
Control (``HIDDEN = [64, 64]``, one-line sed): train MSE 0.344 → 0.0180, val MSE 0.107 →
0.0293 (lowest 0.0268 at epoch 22), val MAE 6.8 → 3.3 days. With the bug: train MSE 1.42 →
0.158, val MSE 1.16 → 0.138 (0.137-0.138 from epoch 20 on), val MAE 23.9 → 7.9 days;
the target variance is 0.567 (23 ± 23 days), so the line explains 76 % of it against the
control's 95 %, and train and val sit side by side.
Log: CSV per epoch ``care_log.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_days``); checkpoint ``release_days.pt`` with keys ``model_state`` /
``optim_state`` / ``epoch`` / ``hidden`` / ``x_mean`` / ``x_std`` / ``days_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

HIDDEN = []  # no hidden layer: a score the vets can read straight off the weights
DAYS = 30.0


def intakes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    month = torch.randint(4, 12, (n,), generator=g).float()
    autumn = month >= 9
    age = torch.where(autumn, 40 + 80 * r(n), 20 + 400 * r(n))
    weight = (120 + 4.5 * age.clamp(max=110) + 80 * torch.randn(n, generator=g)).clamp(60, 1100)
    lung = torch.randint(0, 4, (n,), generator=g).float() * (age > 60).float()
    ring = (r(n) < 0.15).float()
    injury = torch.where(r(n) < 0.3, torch.randint(1, 4, (n,), generator=g),
                         torch.zeros(n, dtype=torch.long)).float()
    food = 10 + 70 * r(n)
    fluids = (r(n) < 0.25).float()
    target = torch.where(autumn, torch.full_like(weight, 550.0), torch.full_like(weight, 600.0))
    appetite = food / (food + 25)
    gain = 14 * appetite * (1 - 0.22 * lung) * (1 - 0.25 * ring) * (1 - 0.2 * fluids)
    ward = 7 * injury + 7 * (lung >= 2).float() + 10 * (weight < 250).float() + 2
    days = ward + (target - weight).clamp(min=0) / gain
    days = days * torch.exp(0.12 * torch.randn(n, generator=g))
    x = torch.stack([weight, age, lung, ring, injury, month, food, fluids], 1)
    return x, (days / DAYS).unsqueeze(1)


def build():
    torch.manual_seed(0)
    sizes = [8, *HIDDEN]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(sizes[-1], 1))


def main():
    from _twohundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = intakes(4000, g)
    xva, yva = intakes(800, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("days", (ytr * DAYS).mean().item(), (ytr * DAYS).std().item(), "var", ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "care_log.csv", "w")
    log.write("epoch,train_mse,val_mse,val_mae_days\n")
    for epoch in range(40):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            mse = F.mse_loss(p, yva).item()
            mae = ((p - yva).abs().mean() * DAYS).item()
        log.write(f"{epoch},{tot / len(xtr):.6f},{mse:.6f},{mae:.4f}\n")
        print(epoch, round(tot / len(xtr), 5), round(mse, 5), round(mae, 3))
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 40,
                "hidden": HIDDEN, "x_mean": mu, "x_std": sd, "days_scale": DAYS},
               out / "release_days.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="release_days.pt", log="care_log.csv",
           what="hedgehog rescue: days in care until release weight from the intake sheet;"
                " the model is a single Linear layer (HIDDEN = [])",
           complaint="Our release-day estimate for the hedgehogs will not get better. Train "
                    "and validation loss both flatten out around 0.14-0.16 after a few "
                    "epochs and stay there, and the average miss is still about 8 days. "
                    "Running it for more epochs changes nothing. The worst misses are the "
                    "tiny hoglets and the animals with heavy lungworm, where it says a "
                    "couple of weeks and they stay five or six.")


if __name__ == "__main__":
    main()
