"""Plain torch: an MLP tells a slater the dead load a new natural-slate roof will put on the
rafters (kg per m² of roof slope, slates plus battens), from the slate and the roof, so the
structural engineer's check can be done before the slates are ordered. 6 inputs: slate
length (mm, 300-610), slate width (mm, about half the length, 0.45-0.62 of it), thickness
(mm, 4-9), roof pitch (degrees, 20-60), exposure to driving rain (0 sheltered to 1 severe)
and the slate's density (2.70-2.90 g/cm³). The rule behind the load is the slater's own
set-out (BS 5534 style): the headlap grows as the pitch falls and the exposure rises and is
larger for narrow slates; the batten gauge is (length - headlap) / 2; slates per m² is 1e6 /
(gauge × (width + 5 mm joint)); each slate weighs length × width × thickness × density;
battens (25 × 50 mm, 0.65 kg/m) run 1000 / gauge metres per m²; plus nail and weighing noise
± 0.4 kg/m². Loads run 28-93 kg/m² (thick, long slates are heavy).
Input: (6,) standardised with the train mean / std. Target: load / 10 (mean 5.0, not
centred). Model: 6→64→ReLU→64→ReLU→32→ReLU→1, every layer made by one ``dense`` helper; MSE,
Adam 1e-3, batch 48, 30 epochs, 1800 roofs, validation on 450.
The bug: ``dense`` builds every layer with ``bias=False`` ("the inputs are standardised");
with no offsets anywhere the net is a positively homogeneous function of the standardised
inputs (0 at the average roof, f(a·x) = a·f(x)), so it cannot put out the 50 kg/m² of an
average roof and bends everything around that: val MSE 6.15 → 0.861 (load / 10; target
variance 1.39), val MAE 21.1 → 7.1 kg/m² after 30 epochs, still creeping down (control,
``bias=True``: val MSE 4.22 → 0.0077, MAE 17.4 → 0.70 kg/m²).
Log: CSV per epoch ``roof_load.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_kg``); checkpoint ``slater_load.pth`` with keys ``weights`` / ``optim`` /
``epochs_done`` / ``feat_mean`` / ``feat_std`` / ``kg_per_unit``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def roofs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 300 + 310 * r(n)
    width = length * (0.45 + 0.17 * r(n))
    thick = 4 + 5 * r(n)
    pitch = 20 + 40 * r(n)
    expo = r(n)
    rho = 2.70 + 0.20 * r(n)
    headlap = (55 + 55 * (60 - pitch) / 40 * (0.6 + 0.4 * expo) + 25 * expo
               + 0.12 * (300 - width).clamp(min=0))
    gauge = (length - headlap) / 2
    per_m2 = 1e6 / (gauge * (width + 5))
    slate_kg = length * width * thick * rho / 1e6
    load = per_m2 * slate_kg + 1000 / gauge * 0.65 + 0.4 * torch.randn(n, generator=g)
    x = torch.stack([length, width, thick, pitch, expo, rho], 1)
    return x, load


def dense(i, o):
    return nn.Linear(i, o, bias=False)  # inputs are standardised, so no offsets needed


class LoadNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(dense(6, 64), nn.ReLU(), dense(64, 64), nn.ReLU(),
                                 dense(64, 32), nn.ReLU(), dense(32, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return LoadNet()


def main():
    from _threehundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ltr = roofs(1800, g)
    rva, lva = roofs(450, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = (ltr / 10).unsqueeze(1), (lva / 10).unsqueeze(1)
    print("load kg/m2", ltr.min().item(), ltr.max().item(), "target mean / var",
          ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "roof_load.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_mae_kg"])
        for epoch in range(30):
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
            row = [tot / len(xtr), F.mse_loss(p, yva).item(), 10 * (p - yva).abs().mean().item()]
            log.writerow([epoch] + [f"{v:.6f}" for v in row])
            print(epoch, [round(v, 5) for v in row])
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "epochs_done": 30,
                "feat_mean": mean, "feat_std": std, "kg_per_unit": 10.0}, out / "slater_load.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="slater_load.pth", log="roof_load.csv",
           what="MLP predicting a slate roof's dead load (kg/m²) from slate size, thickness,"
                " pitch and exposure; every Linear layer built with bias=False",
           complaint="My roof load model for slate roofs is way off. After 30 epochs it is still"
                     " out by about 7 kg per square metre on average (validation MSE 0.86 on"
                     " load/10), while a spreadsheet with the set-out formula gets within a"
                     " kilo. The training loss keeps creeping down very slowly but never gets"
                     " anywhere near where it should be.")


if __name__ == "__main__":
    main()
