"""Plain torch: a residual MLP predicts how much tallow a knacker's rendering cooker will
give from one day's load of fallen stock, so the yard can quote the chandlers before the
batch is cooked. 8 inputs: the load's shares by weight of cattle, sheep, pigs and horses
(a Dirichlet mix), the mean condition score of the carcasses (1-5), days since death (0-4),
cooker temperature (125-145 °C) and cook time (40-120 min). Rule behind the target:
each species' rendered fat (cattle 14 %, sheep 18 %, pigs 24 %, horses 9 % of the carcass
weight) grows with condition (×0.6 at score 1 to ×1.4 at score 5), decay costs 4 % a day
(fat turned to free fatty acid that goes with the water), and extraction is
1 - exp(-cook / τ) with τ falling as the cooker runs hotter; noise 0.4 points of yield.
Input: (8,) standardised with the train mean / std. Target: (yield % - 14) / 4.
Model: Linear 8→64, 3 residual blocks (Linear→ReLU→Dropout 0.1→Linear, added back),
ReLU, Linear 64→1; MSE, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR stepped every batch,
batch 128, 30 epochs, 3000 days of loads, validation on 600.
Healthy; numbers in the README.
Log: one CSV row per epoch ``render_fit.csv`` (``epoch`` / ``lr_end`` / ``train_mse`` /
``val_mse`` / ``val_mae_pct``); checkpoint ``render_yield.pth`` with keys ``weights`` /
``opt_state`` / ``sched_state`` / ``epochs_done`` / ``feat_mean`` / ``feat_std`` /
``target_shift_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FAT = torch.tensor([0.14, 0.18, 0.24, 0.09])


def loads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    mix = torch.distributions.Gamma(torch.tensor([2.0, 1.5, 1.0, 0.6]), 1.0)
    torch.manual_seed(int(torch.randint(0, 10**6, (1,), generator=g)))
    share = mix.sample((n,))
    share = share / share.sum(1, keepdim=True)
    cond = 1 + 4 * r(n)
    days = 4 * r(n)
    temp = 125 + 20 * r(n)
    cook = 40 + 80 * r(n)
    fat = (share * FAT).sum(1) * (0.6 + 0.2 * (cond - 1)) * (1 - 0.04 * days)
    tau = 35 * torch.exp(-(temp - 125) / 25)
    yld = 100 * fat * (1 - torch.exp(-cook / tau)) + 0.4 * torch.randn(n, generator=g)
    x = torch.cat([share, cond[:, None], days[:, None], temp[:, None], cook[:, None]], 1)
    return x, yld


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(w, w), nn.ReLU(), nn.Dropout(0.1), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


class YieldNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return YieldNet()


def main():
    from _threehundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr_pct = loads(3000, g)
    rva, yva_pct = loads(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = ((ytr_pct - 14) / 4)[:, None], ((yva_pct - 14) / 4)[:, None]
    print("yield %", ytr_pct.min().item(), ytr_pct.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    epochs = 30
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=epochs,
                                                steps_per_epoch=len(dl))
    with open(out / "render_fit.csv", "w") as log:
        log.write("epoch,lr_end,train_mse,val_mse,val_mae_pct\n")
        for epoch in range(epochs):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            mae = (4 * (p - yva).abs()).mean().item()
            log.write(f"{epoch},{sched.get_last_lr()[0]:.6g},{tot / n:.6f},{vm:.6f},{mae:.4f}\n")
            print(epoch, round(tot / n, 5), round(vm, 5), round(mae, 3))
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epochs_done": epochs, "feat_mean": mean,
                "feat_std": std, "target_shift_scale": (14.0, 4.0)}, out / "render_yield.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="render_yield.pth", log="render_fit.csv",
           what="residual MLP predicting the tallow yield of a knacker's rendering batch from"
                " the load's species mix, condition, age and the cooker settings (healthy)")


if __name__ == "__main__":
    main()
