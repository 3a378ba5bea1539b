"""Plain torch: an autoencoder of the strike spectra of freshly cast bells, for the founder's
tuning book — squeeze a bell's spectrum to 10 numbers, so bells of a ring can be compared and
the odd one picked out before it goes on the tuning lathe. Each spectrum: 128 bins on a log
frequency axis (32 bins per octave, four octaves), peaks (Gaussian, 1.2 bins wide) at the
hum (-1 octave), prime (0), tierce (minor third, +0.263), quint (+0.585), nominal (+1),
superquint (+1.585) and octave nominal (+2) of the strike note; the strike note sits anywhere
in a 20-bin band (bell size), each partial is off by its own amount (sd 0.35 semitone: thick
or thin profile, the cast as it came out of the loam mould), partial levels fall with a
per-bell damping, and a noise floor; dB scaled to 0-1.
MLP autoencoder 128→64→10→64→128 (ELU, sigmoid out), MSE, Adam, batch 32, 25 epochs, 3000
bells, validation on 600.
The bug: ``lr=2e-6  # dB spectra: a bigger step once made the reconstructions ring`` — a
step size a thousand times below what Adam needs here.
Result: train MSE 0.1455 → 0.1351, val MSE 0.1453 → 0.1349 (falling by about 0.0005 an
epoch, steadily, to the end; the reconstructions are a smooth smear, no peaks).
Control (``lr=2e-3``): train MSE 0.0499 → 0.00310, val MSE 0.0151 → 0.00319.
Log: CSV per epoch ``ae_epochs.csv`` (``epoch`` / ``recon_mse`` / ``val_recon_mse``) and a
CSV every 20 steps ``ae_steps.csv`` (``step`` / ``recon_mse``); checkpoint ``strike_ae.tar``
with keys ``encoder`` / ``decoder`` / ``opt_state`` / ``epoch`` / ``lr``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BINS = 128
PARTIALS = torch.tensor([-1.0, 0.0, 0.263, 0.585, 1.0, 1.585, 2.0])   # octaves from the strike
LEVELS = torch.tensor([0.7, 0.8, 0.9, 0.75, 1.0, 0.6, 0.5])


def strikes(n, g):
    axis = torch.arange(BINS).float()
    strike = 36 + 20 * torch.rand(n, 1, generator=g)
    off = 0.35 / 12 * torch.randn(n, 7, generator=g)
    pos = strike + 32 * (PARTIALS[None] + off)
    damp = 0.3 + 0.5 * torch.rand(n, 1, generator=g)
    lev = LEVELS[None] * torch.exp(-damp * (PARTIALS[None] + 1)) * (
        1 + 0.15 * torch.randn(n, 7, generator=g))
    spec = (lev[:, :, None] * torch.exp(-0.5 * ((axis[None, None] - pos[:, :, None]) / 1.2) ** 2)).sum(1)
    spec = spec + 0.01 + 0.005 * torch.rand(n, BINS, generator=g)
    db = 20 * torch.log10(spec)
    return ((db + 40) / 42).clamp(0, 1)


class StrikeAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(BINS, 64), nn.ELU(), nn.Linear(64, 10))
        self.decoder = nn.Sequential(nn.Linear(10, 64), nn.ELU(), nn.Linear(64, BINS),
                                     nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return StrikeAE()


def main():
    from _twohundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = strikes(3000, g)
    xva = strikes(600, g)
    print("spectrum range", xtr.min().item(), xtr.max().item(), "mean", xtr.mean().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    lr = 2e-6  # dB spectra: a bigger step once made the reconstructions ring
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    step = 0
    with open(out / "ae_epochs.csv", "w", newline="") as fe, \
            open(out / "ae_steps.csv", "w", newline="") as fs:
        we, ws = csv.writer(fe), csv.writer(fs)
        we.writerow(["epoch", "recon_mse", "val_recon_mse"])
        ws.writerow(["step", "recon_mse"])
        for epoch in range(1, 26):
            model.train()
            tot, n = 0.0, 0
            for (xb,) in loader:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 20 == 0:
                    ws.writerow([step, f"{loss.item():.6f}"])
                tot += loss.item() * len(xb)
                n += len(xb)
            model.eval()
            with torch.no_grad():
                v = F.mse_loss(model(xva), xva).item()
            we.writerow([epoch, f"{tot / n:.6f}", f"{v:.6f}"])
            print(epoch, round(tot / n, 6), round(v, 6))
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "opt_state": opt.state_dict(), "epoch": 25, "lr": lr}, out / "strike_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_low"],
           checkpoint="strike_ae.tar", log="ae_epochs.csv",
           what="MLP autoencoder of bell strike spectra, Adam at lr 2e-6",
           complaint=("我们铸钟作坊用一个小自编码器把每口新钟的敲击频谱压成10个数，方便在上车床调音前挑出"
                      "音准异常的钟。训练了25个epoch，重建误差从0.145只降到0.135左右，验证集也一样，"
                      "每个epoch只降一点点。画出来的重建频谱是一片平滑的灰色，分音的峰一个都没有。"
                      "数据本身峰很清楚。是模型太小了，还是需要训练几百个epoch？"))


if __name__ == "__main__":
    main()
