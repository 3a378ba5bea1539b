"""Plain torch: a small transformer encoder reads the tuft layout of a toothbrush head, one
token per tuft, and predicts the head's bend force (N at 2 mm deflection on the brushmaker's
bristle stiffness rig), so a layout can be graded soft / medium / hard before a mould is cut.
Each tuft is a bundle of cantilevered nylon filaments: its force goes as filament count ×
diameter⁴ / trimmed length³, times cos² of its tilt; the head's force is the sum over its 24
tufts (12 outer ones taking 20 % more of the load), plus rig noise 3 %. Forces run from
about 3 to 20 N, a power law of the tuft measures, so the model is fed their logs and
predicts log force. About 30 % of tufts are tilted 15°, the rest stand upright (tilt 0).
Input: (24, 5) per tuft (log of filament diameter mm / 0.2, log of trimmed length mm / 10,
log of count / 40, log of tilt / 15°, outer row 0/1). Target: log force N, (batch,). Model:
Linear 5→32, 2 encoder layers (4 heads, feed-forward 64, pre-LN), mean over tufts, Linear
32→1; MSE on log force, Adam 1e-3, batch 32, 10 epochs of 1600 layouts, validation on 400.
The bug: the tilt goes in as ``torch.log(tilt / 15)`` with the other power-law inputs; for
every upright tuft that is log 0 = -inf, the attention and the loss are NaN from the first
batch and every weight is NaN after the first step: ``sq_log_err`` is nan from the first
logged step (10) and ``val_sq_log_err`` / ``val_mape`` nan every epoch; control (the tilt
fed as ``tilt / 15``): val MSE 0.112 → 0.0018 on log force, MAPE 0.276 → 0.035.
Log: CSV every 10 steps ``stiff_steps.csv`` (``step`` / ``sq_log_err``) and a separate
per-epoch CSV ``stiff_val.csv`` (``epoch`` / ``val_sq_log_err`` / ``val_mape``, named as the
log in the truth); checkpoint ``head_stiffness.pt`` with keys ``encoder`` / ``adam`` /
``epoch`` / ``feature_scales``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

TUFTS = 24


def heads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    soft = r(n, 1)  # one design intent per head, varied per tuft
    d = 0.15 + 0.08 * soft + 0.02 * r(n, TUFTS)
    length = 9 + 3 * r(n, TUFTS)
    count = (30 + 20 * r(n, TUFTS)).round()
    tilt = 15 * (r(n, TUFTS) < 0.3).float()
    outer = torch.zeros(n, TUFTS)
    outer[:, :6] = 1
    outer[:, -6:] = 1
    rad = torch.deg2rad(tilt)
    f = 0.009 * count * (d / 0.2) ** 4 / (length / 10) ** 3 * torch.cos(rad) ** 2 * (1 + 0.2 * outer)
    force = f.sum(1) * (1 + 0.03 * torch.randn(n, generator=g))
    # the force is a power law of the tuft's measures, so feed the model their logs
    x = torch.stack([torch.log(d / 0.2), torch.log(length / 10), torch.log(count / 40),
                     torch.log(tilt / 15), outer], 2)
    return x, torch.log(force)


class StiffnessEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(5, 32)
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        z = self.encoder(self.embed(x)).mean(1)
        return self.head(z).squeeze(1)


def build():
    torch.manual_seed(0)
    return StiffnessEncoder()


def main():
    from _threehundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = heads(1600, g)
    xva, yva = heads(400, g)
    print("log force range", ytr.min().item(), ytr.median().item(), ytr.max().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "stiff_steps.csv", "w", newline="") as fs, \
            open(out / "stiff_val.csv", "w", newline="") as fv:
        ws, wv = csv.writer(fs), csv.writer(fv)
        ws.writerow(["step", "sq_log_err"])
        wv.writerow(["epoch", "val_sq_log_err", "val_mape"])
        for epoch in range(10):
            model.train()
            perm = torch.randperm(1600)
            for b in range(0, 1600, 32):
                idx = perm[b:b + 32]
                pred, y = model(xtr[idx]), ytr[idx]
                loss = F.mse_loss(pred, y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    ws.writerow([step, f"{loss.item():.6f}"])
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [epoch, f"{F.mse_loss(p, yva).item():.6f}",
                   f"{((p.exp() - yva.exp()).abs() / yva.exp()).mean().item():.4f}"]
            wv.writerow(row)
            print(row)
    torch.save({"encoder": model.state_dict(), "adam": opt.state_dict(), "epoch": 10,
                "feature_scales": {"d_mm": 0.2, "length_mm": 10, "count": 40, "tilt_deg": 15}},
               out / "head_stiffness.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="head_stiffness.pt", log="stiff_val.csv",
           what="transformer encoder over a toothbrush head's tufts predicting its bend force,"
                " log of the tilt angle taken for upright tufts",
           complaint="用一个小 transformer 根据牙刷头的簇孔布置预测弯曲力。训练一开始 loss 就是 nan，第 10 步记下来的已经是 nan，验证集的误差和 MAPE 每个 epoch 也全是 nan，存下来的权重也全坏了。学习率从 1e-3 降到 1e-4 也一样。数据里检查过，力都在 3 到 20 N 之间，没有 nan。")


if __name__ == "__main__":
    main()
