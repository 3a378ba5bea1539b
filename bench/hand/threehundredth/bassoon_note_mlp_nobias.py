"""Plain torch: a ReLU MLP predicts the note a bassoon actually sounds (as a MIDI number, 36-
80) for a fingering on a given instrument, from 8 numbers the repair shop measures: the
acoustic length of the bore down to the first open tone hole, that hole's diameter and
chimney height, the bocal number (a longer bocal lowers everything), the reed's crow pitch,
the player's air pressure, the number of vent keys open and the flick key. The sounding
pitch is the open-pipe note of the effective length (the length plus the end correction of
the hole, longer for small and tall holes), overblown an octave when a vent or flick key is
open, raised a little by air pressure and a sharp reed.
Input: (8,) standardised readings; target: MIDI number (not centred, mean 57.8, sd 10.4).
MLP 8→64-ReLU-64→64-ReLU-64→1; MSE, Adam 1e-2 with ReduceLROnPlateau (×0.5, patience 2),
batch 128, 30 epochs, 2560 fingerings, validation on 640.
Bug: the layers are built by ``dense = partial(nn.Linear, bias=False)  # inputs are
standardised, no offsets needed``, so no layer has a bias: the net is positively homogeneous
(f(c·x) = c·f(x)), gives 0 at the mean instrument and cannot put out the constant 58
semitones. Control (``bias=True``, one-line sed): train MSE 2057 → 0.89, val MSE 160 →
0.88, val MAE 10.2 → 0.76 semitones, in tune (within 0.5) 0.04 → 0.40, still improving. With
the bug: train MSE 2241 → 7.6, val MSE 300 → 8.4 (8.5 already at epoch 20, flat since), val
MAE 14.4 → 2.57 semitones, in tune 0.02 → 0.05.
Log: TSV per epoch ``fingering_log.tsv`` (``epoch`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_mae_semitones`` / ``val_in_tune``, the share within 0.5 semitone); checkpoint
``bassoon_mlp.ckpt`` with keys ``params`` / ``opt`` / ``plateau`` / ``epoch`` / ``x_mean`` /
``x_std``."""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

dense = partial(nn.Linear, bias=False)  # inputs are standardised, no offsets needed


def fingerings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 40 + 220 * r(n) ** 1.3            # cm to the first open hole
    diam = 0.4 + 0.8 * r(n)                    # cm
    chimney = 0.8 + 2.0 * r(n)                 # cm
    bocal = torch.randint(0, 4, (n,), generator=g).float()
    crow = 20 * (r(n) - 0.5)                   # cents
    press = 3 + 4 * r(n)                       # kPa
    vents = torch.randint(0, 3, (n,), generator=g).float()
    flick = (r(n) < 0.2).float()
    eff = length + 1.2 * chimney / diam + 1.5 * bocal
    f = 34500 / (2 * eff) * torch.where((vents + flick) > 0, 2.0, 1.0)
    midi = 69 + 12 * torch.log2(f / 440) + (0.08 * (press - 5) + 0.01 * crow)
    x = torch.stack([length, diam, chimney, bocal, crow, press, vents, flick], 1)
    return x, midi.unsqueeze(1)


class NoteMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(dense(8, 64), nn.ReLU(), dense(64, 64), nn.ReLU(), dense(64, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return NoteMLP()


def main():
    from _threehundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fingerings(2560, g)
    xva, yva = fingerings(640, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("midi", ytr.mean().item(), ytr.std().item(), ytr.min().item(), ytr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    log = open(out / "fingering_log.tsv", "w")
    log.write("epoch\tlr\tloss\tval_loss\tval_mae_semitones\tval_in_tune\n")
    for epoch in range(30):
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
        vl = F.mse_loss(p, yva).item()
        err = (p - yva).abs()
        row = (f"{epoch}\t{opt.param_groups[0]['lr']:.6f}\t{tot / len(xtr):.5f}\t{vl:.5f}\t"
               f"{err.mean().item():.4f}\t{(err < 0.5).float().mean().item():.4f}")
        plateau.step(vl)
        log.write(row + "\n")
        print(row)
    log.close()
    torch.save({"params": model.state_dict(), "opt": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 30, "x_mean": mu, "x_std": sd},
               out / "bassoon_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="bassoon_mlp.ckpt", log="fingering_log.tsv",
           what="ReLU MLP predicting the sounding MIDI note of a bassoon fingering from shop"
                " measurements; every Linear layer is built without a bias",
           complaint="Our MLP for bassoon fingerings will not get the notes right. After 30 epochs the"
                     " validation MSE is still about 8 (MIDI numbers squared), the error is 2.5"
                     " semitones on average and fewer than 1 in 10 notes is within a semitone's half."
                     " The physics is just the pipe length and the vent keys, so it should be easy;"
                     " what is holding it back?")


if __name__ == "__main__":
    main()
