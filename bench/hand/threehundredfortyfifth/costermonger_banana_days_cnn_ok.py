"""Plain torch: a 1-D CNN with batch norm tells a costermonger how many days a hand of
bananas has left on the barrow before the sugar spots make it unsellable, from a handheld
reflectance spectrometer reading of the peel (48 bands, 400-700 nm). Ripening follows the
trade's colour stages 1-7 (all green → yellow with brown flecks): chlorophyll's red absorption
at 670 nm and the green peak at 550 nm fade as the stage rises, the carotenoid yellow (high
reflectance above 510 nm) is uncovered, and from stage 5.5 the sugar spots darken the whole
spectrum. Days left = 1.3 × (7.3 - stage) plus a day or so for a cool week (the reading's
spectrum does not show the weather, so there is noise the model cannot remove); the
spectrometer sees a peel angle / ambient light factor (0.8-1.2) and 1 % noise.
Input: (1, 48) reflectance. Target: (days - 4) / 2.5. Model: Conv1d 1→16 (k5) + BN + ReLU +
MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2, flatten 32×12, Linear 384→32 + ReLU,
Linear 32→1; MSE, SGD 0.02 (momentum 0.9, Nesterov) with CosineAnnealingLR over 15 epochs,
batch 40, 1200 hands, validation on 300.
Healthy; numbers in the README.
Log: JSON lines per epoch ``barrow_log.jsonl`` (``ep`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_mae_days``); checkpoint ``ripeness_cnn.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``ep`` / ``bands_nm`` / ``days_mean_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BANDS = torch.linspace(400, 700, 48)


def peel_readings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    stage = 1 + 6 * r(n, 1)
    green = ((7 - stage) / 6).clamp(0, 1)
    wl = BANDS.unsqueeze(0)
    yellow = 0.08 + 0.62 * torch.sigmoid((wl - 510) / 12)
    chl = 0.45 * green * torch.exp(-((wl - 670) / 18) ** 2)
    gpeak = 0.12 * green * torch.exp(-((wl - 550) / 25) ** 2)
    refl = yellow * (1 - 0.55 * green) + gpeak - chl * yellow
    spots = ((stage - 5.5) / 1.5).clamp(0, 1)
    refl = refl * (1 - 0.45 * spots * (1 - 0.3 * (wl - 400) / 300))
    refl = refl * (0.8 + 0.4 * r(n, 1)) + 0.01 * torch.randn(n, 48, generator=g)
    days = (1.3 * (7.3 - stage) + 1.2 * r(n, 1) * (r(n, 1) < 0.4).float()).clamp(min=0)
    return refl.unsqueeze(1), days


class RipenessCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(384, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return RipenessCNN()


def main():
    from _threehundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, dtr = peel_readings(1200, g)
    xva, dva = peel_readings(300, g)
    ytr, yva = (dtr - 4) / 2.5, (dva - 4) / 2.5
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=15)
    with open(out / "barrow_log.jsonl", "w") as f:
        for ep in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"ep": ep, "lr": round(lr, 6), "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.mse_loss(pv, yva).item(), 6),
                   "val_mae_days": round((2.5 * (pv - yva)).abs().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 15, "bands_nm": BANDS,
                "days_mean_scale": (4.0, 2.5)}, out / "ripeness_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="ripeness_cnn.pth",
           log="barrow_log.jsonl",
           what="1-D CNN with batch norm giving a costermonger's bananas their days left on"
                " the barrow from a peel reflectance spectrum (healthy)")


if __name__ == "__main__":
    main()
