"""Plain torch: an MLP predicts how much needle thread (cm) a keyhole buttonholer uses for one
buttonhole, so the factory can plan cones per garment run. 5 inputs: buttonhole length
(12-40 mm), stitch density (stitches per mm of row, 1.2-3.0), bite width (zigzag width of a
satin row, 1.5-4.0 mm), fabric thickness (0.3-2.5 mm) and bar-tack stitches per end (6-20).
Thread follows the geometry of a lock-stitch satin row: each stitch spans the bite twice and
goes through the fabric twice (take-up grows with thickness), two rows of length × density
stitches, two bar tacks of a bite-plus-row width each, plus a fixed tail of about 9 cm for the
start and the trim; the tension setting of the day scatters it by about ± 2 %.
Input: (5,) standardised with the train mean / std. Target: thread in metres (0.45-3.6 m).
Model: 5→64→ReLU→64→ReLU→32→ReLU→1; MSE, Adam 3e-3, batch 128, 30 epochs, 3000
buttonholes, validation on 800.
The bug: the layers are built by a small helper ``lin(i, o)`` that returns
``nn.Linear(i, o, bias=False)``; with no bias anywhere the net can only give functions that
scale with the (standardised) input and are 0 at the average buttonhole: val MSE 0.119 →
0.061 m² (target variance 0.24), val MAE 28.1 → 18.3 cm, 15.2 cm on short buttonholes,
train MSE 0.057 at the end (control, ``bias=True``: val MSE 0.026 → 0.0013, MAE 13.1 →
2.8 cm, 2.5 cm on short ones, against about 3 cm of tension scatter).
Log: TSV per epoch ``thread_fit.tsv`` (``ep`` / ``train_mse`` / ``val_mse`` / ``val_mae_cm``
/ ``val_mae_cm_short``, short = buttonholes under 18 mm); checkpoint ``thread_mlp.bin`` with
keys ``model_state`` / ``opt_state`` / ``ep`` / ``x_loc`` / ``x_scale`` / ``unit``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def buttonholes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 12 + 28 * r(n)
    dens = 1.2 + 1.8 * r(n)
    bite = 1.5 + 2.5 * r(n)
    thick = 0.3 + 2.2 * r(n)
    tack = (6 + 15 * r(n)).floor()
    per_stitch = 2 * bite + 2 * (thick + 0.4)  # mm of needle thread per satin stitch
    rows = 2 * length * dens * per_stitch
    tacks = 2 * tack * (2 * bite + 2 * (thick + 0.4))
    mm = rows + tacks + 90.0
    mm = mm * (1 + 0.02 * torch.randn(n, generator=g))
    x = torch.stack([length, dens, bite, thick, tack], 1)
    return x, mm / 1000.0


def lin(i, o):
    return nn.Linear(i, o, bias=False)  # compact layers


class ThreadNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(lin(5, 64), nn.ReLU(), lin(64, 64), nn.ReLU(), lin(64, 32),
                                  nn.ReLU(), lin(32, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return ThreadNet()


def main():
    from _fourhundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = buttonholes(3000, g)
    rva, yva = buttonholes(800, g)
    loc, scale = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - loc) / scale, (rva - loc) / scale
    ytr, yva = ytr.unsqueeze(1), yva.unsqueeze(1)
    print("thread m", ytr.min().item(), ytr.max().item(), "var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    short = rva[:, 0] < 18
    with open(out / "thread_fit.tsv", "w") as log:
        log.write("ep\ttrain_mse\tval_mse\tval_mae_cm\tval_mae_cm_short\n")
        for ep in range(30):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = (p - yva).abs().squeeze(1) * 100
            row = [tot / n, F.mse_loss(p, yva).item(), err.mean().item(), err[short].mean().item()]
            log.write(f"{ep}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(ep, [round(v, 5) for v in row])
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "ep": 30,
                "x_loc": loc, "x_scale": scale, "unit": "m"}, out / "thread_mlp.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="thread_mlp.bin", log="thread_fit.tsv",
           what="MLP predicting needle thread per buttonhole from length, stitch density, bite,"
                " fabric thickness and bar tack; every Linear built with bias=False",
           complaint="Our thread-per-buttonhole predictor is off by 15-20 cm on almost every"
                     " buttonhole, when the tension scatter is only about 3 cm. The training"
                     " MSE creeps down from 0.11 to 0.057 over 30 epochs and still looks"
                     " stuck. A linear regression in a spreadsheet did better than this.")


if __name__ == "__main__":
    main()
