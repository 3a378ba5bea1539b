"""Plain torch: a residual MLP predicts how much a piece of woollen cloth will shrink in area
(%) in the tucker's fulling stocks, from the piece ticket and the mill settings, so the weaver
can set the loom wide enough for the finished width the merchant ordered. 8 inputs: hours in
the stocks (1-12), soap (g/l, 5-40), liquor temperature (°C, 25-50), wool fibre diameter
(micron, 19-32), yarn twist (turns/m, 300-700), sett (ends/cm, 10-24), cloth weight (g/m²,
250-600), liquor pH (5-10). Shrinkage follows a felting rule: it saturates with time at a
rate set by temperature (Arrhenius-like), soap and an alkaline pH, is larger for fine wool,
smaller for hard-twisted yarn and for a close sett (the threads have less room to move), with
a mill-to-mill noise of ± 0.8 %.
Input: (8,) standardised with the train mean / std. Target: (shrinkage - 20) / 8.
Model: Linear 8→64, 3 residual blocks (Linear 64→64, ReLU, Linear 64→64, with a skip),
Linear 64→1; MSE, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR stepped each batch, batch
100, 40 epochs, 3000 pieces, validation on 800.
Healthy; numbers in the README.
Log: CSV per epoch ``fulling_fit.csv`` (``ep`` / ``lr`` / ``loss_tr`` / ``loss_va`` /
``mae_pct_va``); checkpoint ``shrink_resmlp.tar`` with keys ``net_state`` / ``adamw`` /
``onecycle`` / ``ep`` / ``x_mu`` / ``x_sd`` / ``y_shift_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def pieces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hours, soap, temp = 1 + 11 * r(n), 5 + 35 * r(n), 25 + 25 * r(n)
    micron, twist, sett = 19 + 13 * r(n), 300 + 400 * r(n), 10 + 14 * r(n)
    weight, ph = 250 + 350 * r(n), 5 + 5 * r(n)
    rate = 0.12 * 2 ** ((temp - 35) / 10) * (soap / 20) ** 0.5 * (1 + 0.15 * (ph - 7))
    cap = 38 * (24 / micron) ** 1.5 * (500 / twist) ** 0.6 * (1 - 0.025 * (sett - 10))
    cap = cap * (1 + 0.0006 * (weight - 400))
    shrink = cap * (1 - torch.exp(-rate * hours)) + 0.8 * torch.randn(n, generator=g)
    x = torch.stack([hours, soap, temp, micron, twist, sett, weight, ph], 1)
    return x, shrink


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.a, self.b = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, h):
        return h + self.b(F.relu(self.a(h)))


class ShrinkNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return ShrinkNet()


def main():
    from _threehundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, str_ = pieces(3000, g)
    rva, sva = pieces(800, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = ((str_ - 20) / 8).unsqueeze(1), ((sva - 20) / 8).unsqueeze(1)
    print("shrinkage %", str_.min().item(), str_.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=40,
                                                steps_per_epoch=len(dl))
    with open(out / "fulling_fit.csv", "w") as log:
        log.write("ep,lr,loss_tr,loss_va,mae_pct_va\n")
        for ep in range(40):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot, n = tot + loss.item() * len(yb), n + len(yb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [sched.get_last_lr()[0], tot / n, F.mse_loss(p, yva).item(),
                   8 * (p - yva).abs().mean().item()]
            log.write(f"{ep}," + ",".join(f"{v:.6g}" for v in row) + "\n")
            print(ep, [round(v, 5) for v in row])
    torch.save({"net_state": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "ep": 40, "x_mu": mu, "x_sd": sd,
                "y_shift_scale": (20.0, 8.0)}, out / "shrink_resmlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="shrink_resmlp.tar",
           log="fulling_fit.csv",
           what="residual MLP predicting a woollen piece's area shrinkage in the tucker's"
                " fulling stocks (healthy)")


if __name__ == "__main__":
    main()
