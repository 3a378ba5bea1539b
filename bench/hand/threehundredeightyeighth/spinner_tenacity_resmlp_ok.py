"""Plain torch: a residual MLP predicts the single-yarn tenacity (cN/tex) a ring spinner will
get from a cotton mix and a frame setting, so the mill can choose the twist before a trial
doff. 8 inputs: the bale mix's HVI numbers (upper-half mean length, mm; bundle strength,
g/tex; micronaire; short fibre index, %; elongation, %) and the spinning plan (count, Ne;
twist multiplier αe; spindle speed, krpm). The tenacity follows the mill's empirical fit
(strength and length raise it, short fibre and fineness off 4.2 mic cost it, finer counts
cost it, and it peaks at a twist multiplier that rises with the count, falling off on both
sides), with test scatter of 0.6 cN/tex. Input: (8,) standardised; target (1,) tenacity
standardised with the train mean / std. Model: Linear 8→64, 3 residual blocks (x + Linear →
ReLU → Linear, each with a LayerNorm in front), Linear 64→1; AdamW 2e-3 (weight decay 1e-4)
with OneCycleLR stepped every batch, batch 100, 25 epochs, 3000 plans, validation on 600.
Healthy; numbers in the README.
Log: JSON lines ``ringframe_log.jsonl`` with ``{"kind": "step", step, lr, mse}`` every 10 steps
and ``{"kind": "val", epoch, val_mse, val_mae_cn_tex}`` per epoch; checkpoint
``ringframe_resmlp.pt`` with keys ``model_state`` / ``optimizer_state`` / ``onecycle`` /
``epoch`` / ``x_mu`` / ``x_sigma`` / ``y_mu`` / ``y_sigma``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def spinning_plans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    uhml = 25 + 7 * r(n)
    strength = 26 + 10 * r(n)
    mic = 3.3 + 1.9 * r(n)
    sfi = 5 + 10 * r(n)
    elong = 5 + 3 * r(n)
    ne = 20 + 40 * r(n)
    alpha = 3.2 + 1.6 * r(n)
    krpm = 13 + 7 * r(n)
    alpha_opt = 3.7 + 0.012 * (ne - 20)
    ten = (4.0 + 0.42 * strength + 0.35 * (uhml - 25) - 0.18 * (sfi - 5) - 1.1 * (mic - 4.2) ** 2
           + 0.25 * (elong - 5) - 0.05 * (ne - 20) - 2.8 * (alpha - alpha_opt) ** 2
           - 0.08 * (krpm - 13))
    ten = ten + 0.6 * torch.randn(n, generator=g)
    return torch.stack([uhml, strength, mic, sfi, elong, ne, alpha, krpm], 1), ten.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class TenacityNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return TenacityNet()


def main():
    from _threehundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ptr, ttr = spinning_plans(3000, g)
    pva, tva = spinning_plans(600, g)
    x_mu, x_sigma, y_mu, y_sigma = ptr.mean(0), ptr.std(0), ttr.mean(), ttr.std()
    xtr, xva = (ptr - x_mu) / x_sigma, (pva - x_mu) / x_sigma
    ytr, yva = (ttr - y_mu) / y_sigma, (tva - y_mu) / y_sigma
    print("tenacity mean / std", y_mu.item(), y_sigma.item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, epochs=25,
                                                steps_per_epoch=len(dl))
    mse = nn.MSELoss()
    step = 0
    with open(out / "ringframe_log.jsonl", "w") as f:
        for epoch in range(25):
            model.train()
            for xb, yb in dl:
                loss = mse(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                if step % 10 == 0:
                    f.write(json.dumps({"kind": "step", "step": step,
                                        "lr": round(sched.get_last_lr()[0], 8),
                                        "mse": round(loss.item(), 6)}) + "\n")
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = {"kind": "val", "epoch": epoch, "val_mse": round(mse(pred, yva).item(), 6),
                   "val_mae_cn_tex": round(((pred - yva).abs().mean() * y_sigma).item(), 5)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 25, "x_mu": x_mu, "x_sigma": x_sigma,
                "y_mu": y_mu, "y_sigma": y_sigma}, out / "ringframe_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ringframe_resmlp.pt", log="ringframe_log.jsonl",
           what="residual MLP predicting ring-spun yarn tenacity from the cotton mix and frame"
                " setting (healthy)")


if __name__ == "__main__":
    main()
