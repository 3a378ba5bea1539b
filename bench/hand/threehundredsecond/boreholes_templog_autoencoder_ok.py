"""Plain torch: a convolutional denoising autoencoder cleans the temperature logs of water
boreholes (128 readings from 2 to 256 m, a thermistor lowered on a cable) before the
hydrogeologist looks for the depths where groundwater flows into the hole. A log is the
surface temperature (9-13 °C) plus the geothermal gradient (1.5-3.5 °C per 100 m), bent by
up to two inflow zones (a step towards the temperature of the inflowing water, carried
down the hole below the zone), with thermistor noise (±0.15 °C, a cheap logger), a few spikes where the
probe stuck on the wall, and a lag near the top where the probe was still settling.
Input and target (1, 128) (°C - 12) / 4; input the raw log, target the clean one.
Model: encoder conv1d 1→16→32→32 (kernel 5, stride 2, ELU), flatten 512 → 32; decoder
32 → 512, ConvTranspose1d 32→32→16→1 (stride 2); MSE to the clean log. Adam 2e-3 with
ReduceLROnPlateau on the val loss (factor 0.5, patience 2), batch 128, 20 epochs, 2048 logs,
validation on 512.
Healthy; numbers in the README.
Log: CSV per epoch ``denoise_history.csv`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_rmse_degc`` / ``val_raw_rmse_degc``, the last the raw log against the
clean one); checkpoint ``templog_dae.pth`` with keys ``ae`` / ``adam`` / ``plateau`` /
``epoch`` / ``depth_m`` / ``degc_centre`` / ``degc_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

DEPTH = torch.linspace(2, 256, 128)


def templogs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = DEPTH.expand(n, -1)
    clean = 9 + 4 * r(n, 1) + (1.5 + 2 * r(n, 1)) * z / 100
    for _ in range(2):
        zone = 40 + 200 * r(n, 1)
        on = (r(n, 1) < 0.7).float()
        step = (r(n, 1) - 0.5) * 1.2 * on
        clean = clean + step * torch.sigmoid((z - zone) / 3) * torch.exp(-(z - zone).clamp(min=0) / 80)
    raw = clean + 0.15 * torch.randn(n, 128, generator=g)
    spikes = (r(n, 128) < 0.02).float() * (r(n, 128) - 0.5) * 2
    settle = 0.8 * (r(n, 1) - 0.3) * torch.exp(-z / 12)
    raw = raw + spikes + settle
    return ((raw - 12) / 4).unsqueeze(1), ((clean - 12) / 4).unsqueeze(1)


class TempLogDAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv1d(1, 16, 5, stride=2, padding=2), nn.ELU(),
            nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ELU(),
            nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.ELU(), nn.Flatten(), nn.Linear(512, 32))
        self.dec_fc = nn.Linear(32, 512)
        self.dec = nn.Sequential(
            nn.ConvTranspose1d(32, 32, 4, stride=2, padding=1), nn.ELU(),
            nn.ConvTranspose1d(32, 16, 4, stride=2, padding=1), nn.ELU(),
            nn.ConvTranspose1d(16, 1, 4, stride=2, padding=1))

    def forward(self, x):
        return self.dec(self.dec_fc(self.enc(x)).view(-1, 32, 16))


def build():
    torch.manual_seed(0)
    return TempLogDAE()


def main():
    from _threehundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = templogs(2048, g)
    xva, yva = templogs(512, g)
    raw_rmse = 4 * F.mse_loss(xva, yva).sqrt().item()
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "denoise_history.csv", "w") as log:
        log.write("epoch,lr,train_mse,val_mse,val_rmse_degc,val_raw_rmse_degc\n")
        for epoch in range(20):
            lr = opt.param_groups[0]["lr"]
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
                vl = F.mse_loss(model(xva), yva).item()
            plateau.step(vl)
            row = f"{epoch},{lr:.2e},{tot / len(xtr):.6f},{vl:.6f},{4 * vl ** 0.5:.4f},{raw_rmse:.4f}"
            log.write(row + "\n")
            print(row)
    torch.save({"ae": model.state_dict(), "adam": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 20, "depth_m": DEPTH,
                "degc_centre": 12.0, "degc_scale": 4.0}, out / "templog_dae.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="templog_dae.pth", log="denoise_history.csv",
           what="convolutional denoising autoencoder cleaning borehole temperature logs"
                " (noise, wall spikes, probe settling) for inflow-zone picking (healthy)")


if __name__ == "__main__":
    main()
