"""Plain torch: a residual MLP predicts the breaking load of a stitched strap join for a
harnessmaker's workshop (traces, breeching and girth straps are pulled to failure on the
bench tester, one sample of each new leather lot), so a new lot can be cleared from its
numbers. 9 inputs: strap width (16-50 mm), leather thickness (3-6 mm), tannage (vegetable,
chrome, latigo: one-hot), cut from butt or shoulder, stitches per inch (5-10), thread
diameter (0.6-1.2 mm), stitch rows (1-3). The join fails at the weaker of the leather and the
stitching: leather = width × thickness × tensile strength (veg 20, chrome 26, latigo 23 MPa;
shoulder × 0.85) × the share left between the holes (each extra stitch per inch takes 4 %);
stitching = rows × stitches across the join × 2 × thread strength (∝ diameter², 90 N at 1 mm),
blended with a soft minimum; 6 % test scatter. Target: breaking load in kN, scaled as
(kN - 3) / 2; inputs standardised with the train mean / std.
Model: Linear 9→64, 3 residual blocks (x + Linear 64→64, ReLU, Linear 64→64), ReLU,
Linear 64→1; MSE, Adam 1e-3 with ReduceLROnPlateau on val MSE (×0.5, patience 3), batch
32, 40 epochs, 1500 pulls, validation on 400.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``pull_tests.jsonl`` (``ep`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_mae_kn``); checkpoint ``strap_resmlp.pth`` with keys ``weights`` /
``opt_state`` / ``plateau`` / ``ep`` / ``feat_mean`` / ``feat_std`` / ``kn_shift_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

TENSILE = torch.tensor([20.0, 26.0, 23.0])


def pulls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    width = 16 + 34 * r(n)
    thick = 3 + 3 * r(n)
    tan = torch.randint(0, 3, (n,), generator=g)
    shoulder = (r(n) < 0.4).float()
    spi = torch.randint(5, 11, (n,), generator=g).float()
    thread = 0.6 + 0.6 * r(n)
    rows = torch.randint(1, 4, (n,), generator=g).float()
    leather = width * thick * TENSILE[tan] * (1 - 0.15 * shoulder) * (1 - 0.04 * (spi - 5))
    stitches = rows * spi * width / 25.4 * 2 * 90 * thread ** 2
    load = -torch.logsumexp(torch.stack([-leather, -stitches]) / 400, 0) * 400 / 1000
    load = load * (1 + 0.06 * torch.randn(n, generator=g))
    x = torch.stack([width, thick, *(nn.functional.one_hot(tan, 3).float().T), shoulder, spi,
                     thread, rows], 1)
    return x, load.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class StrapNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.stem(x)))


def build():
    torch.manual_seed(0)
    return StrapNet()


def main():
    from _fourhundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ktr = pulls(1500, g)
    fva, kva = pulls(400, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    ytr, yva = (ktr - 3) / 2, (kva - 3) / 2
    print("load kN", ktr.min().item(), ktr.mean().item(), ktr.max().item(), "var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    mse = nn.MSELoss()
    with open(out / "pull_tests.jsonl", "w") as f:
        for ep in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = mse(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            val = mse(pred, yva).item()
            rec = {"ep": ep, "lr": opt.param_groups[0]["lr"], "loss": round(tot / len(xtr), 6),
                   "val_loss": round(val, 6),
                   "val_mae_kn": round(2 * (pred - yva).abs().mean().item(), 5)}
            plateau.step(val)
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "ep": 40, "feat_mean": mean, "feat_std": std,
                "kn_shift_scale": (3.0, 2.0)}, out / "strap_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="strap_resmlp.pth", log="pull_tests.jsonl",
           what="residual MLP predicting the breaking load of a stitched harness strap join"
                " from the leather lot and stitching (healthy)")


if __name__ == "__main__":
    main()
