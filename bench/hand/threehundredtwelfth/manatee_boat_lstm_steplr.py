"""Plain torch: an LSTM estimates the speed of a passing boat (knots) from a bottom-mounted
hydrophone in a manatee slow-speed zone, so the refuge can count the boats that break the
idle-speed rule without a patrol on the water. A pass: 40 frames of 0.5 s, each frame the
received level (dB re 1 µPa, band 0.5-5 kHz) and the Doppler shift of the propeller's
blade-rate line (Hz). The source level rises with speed (about 40 log10 of speed) and with
hull size (unmeasured), spreading loss 20 log10(range), range from the closest approach
(5-80 m) and the boat's track; the Doppler shift follows the radial velocity (line at
30-120 Hz, sound speed 1500 m/s); ambient noise from snapping shrimp. Speeds 3-35 knots.
Input: (40, 2) (level - 120) / 10 and shift / 0.5. Target: (knots - 15) / 8.
Model: LSTM 2→32, 1 layer, last hidden state → 32→1; Huber loss (delta 1), Adam 3e-3 with
StepLR(step_size=8, gamma=0.5) meant per epoch, batch 32, 24 epochs, 1600 passes,
validation on 400.
The bug: ``sched.step()`` sits inside the batch loop, so the learning rate halves every 8
batches (50 per epoch): it is 3e-3 × 0.5^6 after epoch 0 and below 1e-6 from epoch 2, and
the model stops learning early: val MAE 5.69 kn after epoch 0, 5.62 kn from epoch 2 to
the end, val Huber 0.329 → 0.322 (control, ``sched.step()`` dedented to the epoch loop:
val MAE 3.02 → 2.36 kn, val Huber 0.112 → 0.071, lr 3e-3 → 3.75e-4).
Log: CSV every 10 batches ``boat_steps.csv`` (``step`` / ``epoch`` / ``lr`` / ``huber``)
and a JSON lines file per epoch ``boat_val.jsonl`` (``epoch`` / ``val_huber`` /
``val_mae_kn`` / ``val_fast_caught``, the share of passes above 25 knots flagged above 20);
checkpoint ``boat_lstm.pt`` with keys ``lstm_head`` / ``adam`` / ``step_lr`` / ``epoch`` /
``input_scale``."""
import csv
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FRAMES = 40


def passes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kn = 3 + 32 * r(n, 1)
    v = kn * 0.514
    d = 5 + 75 * r(n, 1)
    hull = 6 * (r(n, 1) - 0.5)
    line = 30 + 90 * r(n, 1)
    t = (torch.arange(FRAMES).float() - FRAMES / 2) * 0.5 + 4 * (r(n, 1) - 0.5)
    along = v * t
    rng = torch.sqrt(d ** 2 + along ** 2)
    sl = 130 + 40 * torch.log10(kn) + hull
    level = sl - 20 * torch.log10(rng) + 1.5 * torch.randn(n, FRAMES, generator=g)
    level = 10 * torch.log10(10 ** (level / 10) + 10 ** (95 / 10))
    radial = -v * along / rng
    shift = line * radial / 1500 + 0.05 * torch.randn(n, FRAMES, generator=g)
    x = torch.stack([(level - 120) / 10, shift / 0.5], 2)
    return x, (kn - 15) / 8


class BoatLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return BoatLSTM()


def main():
    from _threehundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = passes(1600, g)
    xva, yva = passes(400, g)
    print("x", xtr.mean((0, 1)).tolist(), xtr.std((0, 1)).tolist(), "y var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    step = 0
    with open(out / "boat_steps.csv", "w", newline="") as fs, \
            open(out / "boat_val.jsonl", "w") as fv:
        ws = csv.writer(fs)
        ws.writerow(["step", "epoch", "lr", "huber"])
        for epoch in range(24):
            model.train()
            for xb, yb in dl:
                loss = F.huber_loss(model(xb), yb, delta=1.0)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    ws.writerow([step, epoch, f"{opt.param_groups[0]['lr']:.6g}",
                                 f"{loss.item():.6g}"])
                step += 1
                sched.step()  # StepLR: halve the lr every 8 epochs
            model.eval()
            with torch.no_grad():
                p = model(xva)
            fast = yva * 8 + 15 > 25
            rec = {"epoch": epoch, "val_huber": round(F.huber_loss(p, yva).item(), 6),
                   "val_mae_kn": round(8 * (p - yva).abs().mean().item(), 6),
                   "val_fast_caught": round((p[fast] * 8 + 15 > 20).float().mean().item(), 6)}
            fv.write(json.dumps(rec) + "\n")
            print(rec, opt.param_groups[0]["lr"])
    torch.save({"lstm_head": model.state_dict(), "adam": opt.state_dict(),
                "step_lr": sched.state_dict(), "epoch": 24,
                "input_scale": {"level": [120.0, 10.0], "shift": [0.0, 0.5],
                                "knots": [15.0, 8.0]}}, out / "boat_lstm.pt")
    assert math.isfinite(rec["val_huber"])
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="boat_lstm.pt", log="boat_val.jsonl",
           what="LSTM estimating boat speed from hydrophone level and Doppler in a manatee"
                " slow-speed zone; StepLR stepped every batch",
           complaint="The boat speed model is stuck. Validation error is 5.6 knots from"
                     " the third epoch on and then doesn't change at all, not even in the"
                     " fourth decimal, for the remaining 21 epochs.")


if __name__ == "__main__":
    main()
