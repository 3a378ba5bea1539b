"""Plain torch: a GRU reads the last 40 samples (every 5 mm of travel) of a robot GMAW weld's
logged welding current, arc voltage and travel speed and predicts the bead width under the
torch, so the cell can flag narrow stretches before the visual inspection. The width follows
the heat input η·U·I / v with a thermal lag (the plate around the pool heats up over about 8
samples, so the width answers to an exponentially weighted heat input), plus a square-root
law and 0.03 mm of laser-profile scatter; current steps and wanders with the wire feed, voltage
follows it with the arc length, travel speed changes at corners.
Input: (40, 3) current / 250 A, voltage / 25 V, speed / 8 mm/s, each minus 1.
GRU 3→48, 1 layer, last state → Linear 48→24-Tanh-24→1; MSE on (width - 3.5 mm) / 0.7, Adam
1e-3, batch 64, ``EPOCHS`` epochs, 1500 windows, validation on 400.
Bug: ``EPOCHS = 2  # first look at the new cell's data; plenty for 1,500 windows`` (the
loss is still falling steeply when it stops). Control (``EPOCHS = 30``, one-line sed):
val MSE 0.650 → 0.0033 (best 0.0025 at epoch 26), val MAE 0.449 → 0.032 mm. With the bug:
val MSE 0.650 → 0.0311, val MAE 0.449 → 0.086 mm (validation target variance 0.90); the
step MSE falls from 1.05 to 0.044 over the 48 steps and is still dropping at the end.
Log: TSV per step ``bead_train.tsv`` (``step`` / ``epoch`` / ``mse``) and a separate TSV per
epoch ``bead_val.tsv`` (``epoch`` / ``val_mse`` / ``val_mae_mm``, named as the log in the
truth); checkpoint ``bead_gru.pt`` with keys ``gru_head`` / ``adam_state`` / ``epochs_done``
/ ``width_offset_mm`` / ``width_scale_mm``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 40
EPOCHS = 2  # first look at the new cell's data; plenty for 1,500 windows


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    i = 180 + 120 * r(n, 1) + torch.cumsum(6 * torch.randn(n, T, generator=g), 1)
    step = (r(n, 1) * T).long()
    i = i + (torch.arange(T) >= step) * 60 * (r(n, 1) - 0.5)
    u = 16 + 0.045 * i + 0.6 * torch.randn(n, T, generator=g)
    v = 5 + 5 * r(n, 1) + (torch.arange(T) >= (r(n, 1) * T).long()) * 3 * (r(n, 1) - 0.5)
    q = 0.8 * u * i / v / 1000  # kJ/mm heat input
    ema = q[:, :1]
    for k in range(T):
        ema = 0.88 * ema + 0.12 * q[:, k:k + 1]
    w = 4.2 * ema.sqrt() + 0.03 * torch.randn(n, 1, generator=g)
    x = torch.stack([i / 250 - 1, u / 25 - 1, v / 8 - 1], 2)
    return x, (w - 3.5) / 0.7


class BeadGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 24), nn.Tanh(), nn.Linear(24, 1))

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h[:, -1])


def build():
    torch.manual_seed(0)
    return BeadGRU()


def main():
    from _twohundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1500, g)
    xva, yva = windows(400, g)
    print("target", ytr.mean().item(), ytr.var().item(), yva.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    tr = open(out / "bead_train.tsv", "w")
    tr.write("step\tepoch\tmse\n")
    va = open(out / "bead_val.tsv", "w")
    va.write("epoch\tval_mse\tval_mae_mm\n")
    step = 0
    for epoch in range(EPOCHS):
        model.train()
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tr.write(f"{step}\t{epoch}\t{loss.item():.5f}\n")
            step += 1
        model.eval()
        with torch.no_grad():
            p = model(xva)
        row = f"{epoch}\t{F.mse_loss(p, yva).item():.5f}\t{0.7 * (p - yva).abs().mean().item():.4f}"
        va.write(row + "\n")
        print(row)
    tr.close()
    va.close()
    torch.save({"gru_head": model.state_dict(), "adam_state": opt.state_dict(),
                "epochs_done": EPOCHS, "width_offset_mm": 3.5, "width_scale_mm": 0.7},
               out / "bead_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["training_too_short"],
           checkpoint="bead_gru.pt", log="bead_val.tsv",
           what="GRU predicting GMAW bead width from logged current / voltage / travel speed;"
                " trained for only 2 epochs",
           complaint="The bead width model for the new welding cell is not precise enough to use:"
                     " it is off by almost 0.09 mm on average on the validation welds, and"
                     " the narrow stretches we want to flag are only a few tenths of a mm"
                     " below nominal. The loss came down fast, so the network clearly"
                     " picks up the heat input. How do we get it more accurate?")


if __name__ == "__main__":
    main()
