"""Plain torch: a residual MLP predicts the ultimate holding capacity of a drag-embedment
anchor from the anchorsmith's spec sheet and the seabed, the number a buyer sizes the anchor
by. Holding follows the design-curve form H = a · W^0.92 (W the anchor mass, t; H in kN),
with a set by the seabed (hard sand 1.0, soft clay 0.55, mud 0.3, times the fluke design's
efficiency), the fluke angle against the soil's best (32° in sand, 50° in mud and soft
clay; the capacity falls off as cos² of the miss ×2), the scope (a short rode lifts the
shank: the capacity drops with the line angle at the seabed), and how far the anchor dragged
before it set (in fluke lengths, saturating at 10); log-normal scatter of 12 % between pulls.
Inputs (9,): log mass, 3 seabed one-hot, fluke angle / 50, scope / 7, drag in fluke lengths
/ 10, shank (stockless / stocked), fluke area ratio; standardised. Target: log H, centred
and scaled by the train mean / std. Model: Linear 9→64, 3 residual blocks (Linear 64→64 →
ReLU → Linear 64→64, added back, then ReLU), Linear 64→1; MSE, SGD 0.02 (Nesterov momentum
0.9) with MultiStepLR (×0.2 at epochs 30 and 45), batch 48, 55 epochs of 1440 pulls,
validation on 360.
Healthy; numbers in the README.
Log: TSV per epoch ``pull_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mape_kn``); checkpoint ``holding_resmlp.pt`` with keys ``resmlp`` / ``sgd_nesterov`` /
``milestones_sched`` / ``epoch`` / ``x_mu`` / ``x_sd`` / ``logh_mu`` / ``logh_sd``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def pulls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w = torch.exp(math.log(0.5) + (math.log(30) - math.log(0.5)) * r(n))
    soil = torch.randint(0, 3, (n,), generator=g)
    angle = 28 + 26 * r(n)
    scope = 3 + 7 * r(n)
    drag = 1 + 14 * r(n)
    stocked = (r(n) < 0.4).float()
    area = 0.8 + 0.5 * r(n)
    a = torch.tensor([1.0, 0.55, 0.3])[soil] * (0.85 + 0.15 * stocked) * area ** 0.8 * 160
    best = torch.tensor([32.0, 50.0, 50.0])[soil]
    miss = torch.deg2rad(2 * (angle - best)).clamp(-1.3, 1.3)
    line = torch.atan(1 / (scope ** 2 - 1).sqrt())
    h = a * w ** 0.92 * torch.cos(miss) ** 2 * torch.cos(2 * line) * (1 - torch.exp(-drag / 4))
    h = h * torch.exp(0.12 * torch.randn(n, generator=g))
    x = torch.stack([w.log(), (soil == 0).float(), (soil == 1).float(), (soil == 2).float(),
                     angle / 50, scope / 7, drag.clamp(max=10) / 10, stocked, area], 1)
    return x, h.log()


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return F.relu(x + self.f(x))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), Block(64), Block(64), Block(64),
                         nn.Linear(64, 1))


def main():
    from _threehundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, htr = pulls(1440, g)
    rva, hva = pulls(360, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    hmu, hsd = htr.mean(), htr.std()
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = ((htr - hmu) / hsd).unsqueeze(1), ((hva - hmu) / hsd).unsqueeze(1)
    print("log H mean / sd", hmu.item(), hsd.item(), "noise floor", (0.12 / hsd).item() ** 2)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[30, 45], gamma=0.2)
    with open(out / "pull_fit.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mape_kn\n")
        for epoch in range(55):
            model.train()
            tot = 0.0
            lr = opt.param_groups[0]["lr"]
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            vmse = F.mse_loss(pv, yva).item()
            hk_pred, hk = (pv * hsd + hmu).exp(), (yva * hsd + hmu).exp()
            mape = ((hk_pred - hk).abs() / hk).mean().item() * 100
            f.write(f"{epoch}\t{lr:.5g}\t{tot / len(xtr):.6g}\t{vmse:.6g}\t{mape:.4g}\n")
            if epoch % 5 == 0 or epoch == 54:
                print(epoch, lr, round(tot / len(xtr), 5), round(vmse, 5), round(mape, 2))
    torch.save({"resmlp": model.state_dict(), "sgd_nesterov": opt.state_dict(),
                "milestones_sched": sched.state_dict(), "epoch": 55, "x_mu": mu, "x_sd": sd,
                "logh_mu": hmu, "logh_sd": hsd}, out / "holding_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="holding_resmlp.pt", log="pull_fit.tsv",
           what="residual MLP predicting a drag anchor's ultimate holding capacity from its spec"
                " and the seabed (healthy)")


if __name__ == "__main__":
    main()
