"""Plain torch: a small CNN (no batch norm) tells a backburning crew what share of a burn unit
will be blacked out once the fire lit along the control line has run for a shift, from a 16×16
grid of the unit (fine-fuel moisture per cell, and where the fuel is: rock and bare scrapes
carry no fire). Physics: a cellular fire model: the line along the left edge is lit; each of
12 steps the fire moves into a neighbouring cell (4-neighbourhood) that has fuel and moisture
under 18 %; the target is the share of the unit burned.
Input: 2 channels × 16 × 16 (moisture / 0.3, fuel 0/1); target burned share.
Conv2d 2→16 k3-ReLU, 16→32 k3 stride 2-ReLU, 32→32 k3-ReLU, global mean pool → 32→32-ReLU-32→1,
sigmoid; MSE, Adam 2e-3 with ReduceLROnPlateau (factor 0.5, patience 2), batch 50,
16 epochs, 2000 units, validation on 400.
Log: JSON lines per epoch ``blackout_log.jsonl`` (``ep`` / ``lr`` / ``mse`` / ``val_mse`` /
``val_mae_pct``); checkpoint ``blackout_cnn.pt`` with keys ``cnn`` / ``adam`` / ``plateau`` /
``epoch``.
Healthy; numbers in the README."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 16


def units(n, g):
    base = 0.10 + 0.12 * torch.rand(n, 1, 1, 1, generator=g)
    field = F.avg_pool2d(torch.randn(n, 1, S + 4, S + 4, generator=g), 5, 1) * 0.15
    moist = (base + field).clamp(0.02, 0.3)
    fuel = (torch.rand(n, 1, S, S, generator=g) > 0.15 * torch.rand(n, 1, 1, 1,
                                                                     generator=g) * 2).float()
    can = ((moist < 0.18) & (fuel > 0)).float()
    fire = torch.zeros(n, 1, S, S)
    fire[:, :, :, 0] = can[:, :, :, 0]
    k = torch.tensor([[0.0, 1, 0], [1, 1, 1], [0, 1, 0]]).view(1, 1, 3, 3)
    for _ in range(12):
        fire = ((F.conv2d(fire, k, padding=1) > 0).float() * can).clamp(max=1)
    x = torch.cat([moist / 0.3, fuel], 1)
    return x, fire.mean((2, 3))


class BlackoutCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(2, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return torch.sigmoid(self.head(self.conv(x).mean((2, 3))))


def build():
    torch.manual_seed(0)
    return BlackoutCNN()


def main():
    from _twohundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = units(2000, g)
    xva, yva = units(400, g)
    print("burned", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "blackout_log.jsonl", "w") as f:
        for ep in range(16):
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
                vm = F.mse_loss(p, yva).item()
                mae = (p - yva).abs().mean().item() * 100
            rec = {"ep": ep, "lr": opt.param_groups[0]["lr"], "mse": round(tot / len(xtr), 6),
                   "val_mse": round(vm, 6), "val_mae_pct": round(mae, 3)}
            sched.step(vm)
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"cnn": model.state_dict(), "adam": opt.state_dict(),
                "plateau": sched.state_dict(), "epoch": 16}, out / "blackout_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="blackout_cnn.pt", log="blackout_log.jsonl",
           what="CNN giving the burned share of a backburning unit from its moisture and fuel"
                " grid (healthy)")


if __name__ == "__main__":
    main()
