"""Plain torch: a small transformer encoder reads the last 5 minutes of a room-fire
monitor (what a fire crew's thermal probe and a fixed gas sensor log, one row every 10 s)
and warns whether the room will flash over in the next 2 minutes, so the fireman at the
door knows whether to go in or cool the ceiling first. The fire grows as a t² fire
(growth constant from slow to ultra-fast, 0.003-0.19 kW/s²) until it runs short of fuel
(peak 0.4-3 MW) or air (the door opening sets a ventilation limit); the hot-gas layer
temperature follows the McCaffrey-Quintiere-Harkleroad correlation (ΔT ∝ (Q² / A·h)^(1/3)),
the mid-height and floor thermocouples lag and reach a fraction of it, the oxygen at the
sensor falls with the burn. Flashover: the hot layer reaches 600 °C within the next 12 rows.
Input: (30, 4) rows of layer °C / 1000, mid °C / 1000, floor °C / 1000, O2 % / 21, starting
a random 0-6 min into the fire. Model: Linear 4→32 + learned positions, 2 post-norm
TransformerEncoder layers (4 heads, feed-forward 64, dropout 0.1), mean over time, Linear
32→1; BCE with logits, Adam 2e-2, batch 32, 12 epochs, 1600 fires, validation on 400.
The bug: the learning rate ``lr=2e-2`` is set for "a small model"; for attention layers under
Adam that is 20× what they take: the train loss jumps about between 0.52 and 0.76 and the
net always says "no flashover": val BCE 0.647 → 0.642, val accuracy 0.66 every epoch (the
no-flashover share), flashover recall 0.0 every epoch (control, ``lr=1e-3``: val BCE 0.318 →
0.068, val accuracy 0.883 → 0.975, recall 0.72 → 0.93).
Log: CSV ``flashover_log.csv`` with a row every 10 steps (``step`` / ``epoch`` / ``bce``,
``val_bce`` / ``val_acc`` / ``val_recall`` empty) and one row at the end of each epoch
with the validation columns filled; checkpoint ``fo_encoder.bin`` with keys ``encoder`` /
``adam`` / ``epoch`` / ``row_seconds`` / ``scales``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ROWS, AHEAD = 30, 12


def fires(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    alpha = torch.exp(torch.log(torch.tensor(0.003)) + torch.log(torch.tensor(0.19 / 0.003)) * r(n, 1))
    qfuel = 400 + 2600 * r(n, 1)
    qvent = 1500 * (0.4 + 1.2 * r(n, 1))
    t0 = 360 * r(n, 1)
    t = t0 + 10.0 * torch.arange(ROWS + AHEAD).float()
    q = torch.minimum(alpha * t ** 2, torch.minimum(qfuel, qvent))
    layer = 20 + 6.85 * (q ** 2 / (2.26 * 0.035 * 40)) ** (1 / 3) * (0.9 + 0.2 * r(n, 1))
    layer = layer + 4 * torch.randn(n, ROWS + AHEAD, generator=g)
    lag = torch.cat([layer[:, :1], layer[:, :-1]], 1)
    mid = 20 + (0.45 + 0.1 * r(n, 1)) * (lag - 20)
    floor = 20 + (0.12 + 0.06 * r(n, 1)) * (lag - 20)
    o2 = 20.9 - 6.0 * q / 3000 * (0.8 + 0.4 * r(n, 1)) + 0.2 * torch.randn(n, ROWS + AHEAD, generator=g)
    y = (layer[:, ROWS:].max(1).values >= 600).float()
    x = torch.stack([layer / 1000, mid / 1000, floor / 1000, o2 / 21], 2)[:, :ROWS]
    return x, y


class FlashoverEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.inp = nn.Linear(4, d)
        self.pos = nn.Parameter(torch.zeros(1, ROWS, d))
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, 1)

    def forward(self, x):
        h = self.enc(self.inp(x) + self.pos)
        return self.head(h.mean(1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return FlashoverEncoder()


def main():
    from _fourhundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fires(1600, g)
    xva, yva = fires(400, g)
    print("flashover share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-2)  # small model, can take big steps
    step = 0
    with open(out / "flashover_log.csv", "w") as log:
        log.write("step,epoch,bce,val_bce,val_acc,val_recall\n")
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.write(f"{step},{epoch},{loss.item():.6f},,,\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            vb = F.binary_cross_entropy_with_logits(logits, yva).item()
            pred = (logits > 0).float()
            acc = (pred == yva).float().mean().item()
            rec = pred[yva == 1].mean().item()
            log.write(f"{step},{epoch},,{vb:.6f},{acc:.6f},{rec:.6f}\n")
            print(epoch, round(vb, 4), round(acc, 4), round(rec, 4))
    torch.save({"encoder": model.state_dict(), "adam": opt.state_dict(), "epoch": 12,
                "row_seconds": 10, "scales": {"temp": 1000.0, "o2": 21.0}}, out / "fo_encoder.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="fo_encoder.bin", log="flashover_log.csv",
           what="transformer encoder warning of flashover from a room-fire monitor's last"
                " 5 minutes; Adam at 2e-2",
           complaint="Our flashover warning model never warns. Validation accuracy is 0.66 at every"
                     " one of 12 epochs, which is just the share of fires that don't flash"
                     " over, and it catches 0 of the flashovers. Training BCE bounces between"
                     " roughly 0.52 and 0.76 from the first epoch to the last and never"
                     " trends down; val BCE 0.647 → 0.642.")


if __name__ == "__main__":
    main()
