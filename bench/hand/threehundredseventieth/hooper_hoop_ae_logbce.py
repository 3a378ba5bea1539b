"""Plain torch: an autoencoder learns what a good cask hoop looks like on a hooper's roundness
gauge, so that hoops with a kink or a flat spot (they split staves when driven) can be
flagged by their reconstruction error. The gauge reads the hoop's radial run-out at 64
points round the circumference as it is turned on the rolls; the reading is scaled to the
gauge window (0 = -3 mm, 1 = +3 mm) and clipped there, so deep flats and the rivet lap
read exactly 0 or 1. A good hoop: a slight oval (second harmonic), a little third / fourth
harmonic from the rolling, the rivet lap (a raised step over 4-6 points that pins the
reading at 1; the hoop is put on the rolls with its rivet at the gauge, so the lap is read
first, at points 0-6), gauge noise.
Input: (64,) in [0, 1]. Model: 64→48→ReLU→12 (code)→ReLU→48→ReLU→64→sigmoid; a
hand-written binary cross-entropy per point, Adam 1e-2, batch 32, 25 epochs, 2000 good
hoops, validation on 500.
The bug: the loss is written out as ``loss = -(x * torch.log(r) + (1 - x) * torch.log(1 - r)).mean()
 # BCE per gauge point``; once the decoder is sure of the rivet lap a sigmoid output rounds
to exactly 1.0 in float32, ``log(1 - r)`` is -inf and ``0 × -inf`` is NaN: the logged BCE is 0.640 → 0.622 at step
260, NaN from step 270 (epoch 4, 63 steps an epoch) to the end; val RMSE 0.608 → 0.357 mm
at epoch 3, NaN from epoch 4, and the saved weights are NaN (control,
``loss = nn.functional.binary_cross_entropy(r, x)``, which clamps its logs: no NaN, val
RMSE 0.608 → 0.279 mm, MAE 0.44 → 0.21 mm).
Log: JSON lines ``hoop_ae_log.jsonl`` with ``{"step", "bce"}`` every 10 steps and
``{"epoch", "val_rmse_mm", "val_mae_mm"}`` per epoch; checkpoint ``hoop_ae.pt`` with keys
``autoencoder`` / ``adam`` / ``epoch`` / ``gauge_mm`` / ``code_size``."""
import json
import math

import torch
import torch.nn as nn


def hoops(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    th = 2 * math.pi * torch.arange(64).float() / 64
    mm = torch.zeros(n, 64)
    for k, a in [(2, 1.6), (3, 0.5), (4, 0.3)]:
        mm = mm + a * r(n, 1) * torch.cos(k * th + 2 * math.pi * r(n, 1))
    lap = (2 * r(n)).long()  # the hoop goes on the rolls with its rivet at the gauge
    width = 4 + (3 * r(n)).long()
    idx = (torch.arange(64)[None] - lap[:, None]) % 64
    mm = torch.where(idx < width[:, None], torch.full_like(mm, 3.5), mm)
    mm = mm + 0.08 * torch.randn(n, 64, generator=g)
    return ((mm + 3) / 6).clamp(0, 1)


class HoopAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 12))
        self.dec = nn.Sequential(nn.ReLU(), nn.Linear(12, 48), nn.ReLU(), nn.Linear(48, 64),
                                 nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return HoopAE()


def main():
    from _threehundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = hoops(2000, g), hoops(500, g)
    print("share at 0 / 1", (xtr == 0).float().mean().item(), (xtr == 1).float().mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    torch.manual_seed(0)
    step = 0
    with open(out / "hoop_ae_log.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 32):
                x = xtr[perm[i:i + 32]]
                r = model(x)
                loss = -(x * torch.log(r) + (1 - x) * torch.log(1 - r)).mean()  # BCE per gauge point
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "bce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                rv = model(xva)
            err = 6 * (rv - xva)  # in mm
            rmse, mae = err.pow(2).mean().sqrt().item(), err.abs().mean().item()
            log.write(json.dumps({"epoch": epoch, "val_rmse_mm": round(rmse, 6),
                                  "val_mae_mm": round(mae, 6)}) + "\n")
            print(epoch, step, loss.item(), rmse, mae)
    torch.save({"autoencoder": model.state_dict(), "adam": opt.state_dict(), "epoch": 25,
                "gauge_mm": (-3.0, 3.0), "code_size": 12}, out / "hoop_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="hoop_ae.pt", log="hoop_ae_log.jsonl",
           what="MLP autoencoder of a hoop's roundness-gauge profile (clipped to the gauge"
                " window) with a hand-written BCE, log(1 - r) of a saturated sigmoid",
           complaint="My hoop autoencoder trains for about 4 epochs, the loss going down from"
                     " 0.64 to 0.62, and then at around step 270 the loss is suddenly NaN"
                     " and stays NaN; the validation RMSE was 0.36 mm just before."
                     " There was no spike or warning beforehand. Adam at 1e-2, batch 32,"
                     " inputs are all between 0 and 1.")


if __name__ == "__main__":
    main()
