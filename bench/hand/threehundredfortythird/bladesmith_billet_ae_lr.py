"""Plain torch: an autoencoder learns what a sound pattern-welded (Damascus) billet looks like
to a bladesmith's ultrasonic flaw detector, so that scans it cannot rebuild can be flagged as
cold shuts before the billet is drawn out. Each A-scan is 96 samples of the rectified echo
envelope (a 5 MHz contact probe): the front-wall echo, the back-wall echo at the billet's
thickness (12-25 mm, steel at 5.9 mm/µs), its second back-wall echo when it fits, weak
interface echoes spaced by the layer pitch (the layer count and the fold thickness), and
grain scatter that grows with depth; echo heights fall with the steel's attenuation
(annealed or not) and the couplant (gel or oil).
Input: (96,) envelope / 100 % screen height. Model: Linear 96→64 + ReLU, Linear 64→24 +
ReLU, Linear 24→8 (the code), Linear 8→24 + ReLU, Linear 24→64 + ReLU, Linear 64→96; MSE,
Adam, batch 64, 30 epochs, 2400 scans, validation on 600.
The bug: ``opt = torch.optim.Adam(model.parameters(), lr=0.05)``, fifty times the step
this net takes: the loss creeps down, jumps back up at epoch 19 (val 0.0030 → 0.0064, train
0.0033 → 0.0051) and the net rebuilds little more than the mean scan: val MSE 0.00517 →
0.00394, 0.77 of the variance around the mean scan (0.00509), back-wall window 0.0380
(control, ``lr=1e-3``: val MSE 0.00819 → 0.00044, 0.09 of that variance, back-wall window
0.0024).
Log: JSON lines per epoch ``ae_epochs.jsonl`` (``epoch`` / ``recon_train`` / ``recon_val``
/ ``recon_val_backwall``, the error on the back-wall window); checkpoint ``ascan_ae.ckpt``
with keys ``autoenc`` / ``opt`` / ``epochs_done`` / ``screen_scale`` / ``mean_scan``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

S = 96
US_PER_SAMPLE = 0.12


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(S).float() * US_PER_SAMPLE  # µs
    thick = 12 + 13 * r(n, 1)
    tb = 2 * thick / 5.9 + 0.5  # back-wall arrival, µs (0.5 µs front-wall delay)
    att = 0.02 + 0.05 * r(n, 1)  # per µs, annealed or not
    coup = 0.7 + 0.3 * r(n, 1)
    pulse = lambda t0, a: a * torch.exp(-((t - t0) / 0.18) ** 2)  # noqa: E731
    env = pulse(0.5, coup * 1.0)
    env = env + pulse(tb, coup * 0.8 * torch.exp(-att * tb))
    env = env + pulse(2 * tb - 0.5, coup * 0.45 * torch.exp(-att * 2 * tb))
    pitch = 0.3 + 0.5 * r(n, 1)  # layer echo spacing, µs
    layers = 0.04 * coup * (torch.cos(2 * torch.pi * (t - 0.5) / pitch) > 0.9).float()
    env = env + layers * (t > 0.8) * (t < tb - 0.3)
    env = env + 0.02 * (t / t.max()) * r(n, S)  # grain scatter
    return (env + 0.005 * torch.randn(n, S, generator=g)).clamp(0, 1), tb


class ScanAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(S, 64), nn.ReLU(), nn.Linear(64, 24), nn.ReLU(),
                                 nn.Linear(24, 8))
        self.dec = nn.Sequential(nn.Linear(8, 24), nn.ReLU(), nn.Linear(24, 64), nn.ReLU(),
                                 nn.Linear(64, S))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return ScanAE()


def main():
    from _threehundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, _ = scans(2400, g)
    xva, tbva = scans(600, g)
    mean_scan = xtr.mean(0)
    print("var around mean scan", ((xva - mean_scan) ** 2).mean().item())
    bw = ((torch.arange(S).float() * US_PER_SAMPLE - tbva).abs() < 0.4)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)  # Adam, the lr from the tabular rig
    with open(out / "ae_epochs.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                se = (model(xva) - xva) ** 2
            rec = {"epoch": epoch, "recon_train": round(tot / len(xtr), 7),
                   "recon_val": round(se.mean().item(), 7),
                   "recon_val_backwall": round(se[bw].mean().item(), 7)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"autoenc": model.state_dict(), "opt": opt.state_dict(), "epochs_done": 30,
                "screen_scale": 100.0, "mean_scan": mean_scan}, out / "ascan_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_high"],
           checkpoint="ascan_ae.ckpt", log="ae_epochs.jsonl",
           what="autoencoder of ultrasonic A-scans of sound pattern-welded billets; Adam at"
                " lr 0.05",
           complaint="Our billet-scan autoencoder won't learn: after 30 epochs the validation"
                     " reconstruction error is still 0.0039, barely under what you get by"
                     " predicting the average scan (0.0051), and around epoch 19 the loss"
                     " suddenly doubled and never came back down. The back-wall echo comes"
                     " out as a smeared blob on every scan.")


if __name__ == "__main__":
    main()
