"""Plain torch: a residual MLP tells a ragman what the paper mill will pay for a bale of rags
(shillings per hundredweight) before he carts it there, from the sorting-shed sheet: shares
of cotton, linen, wool and mixed / synthetic rag (summing to 1), whiteness (0-100), damp (%
water by weight) and dirt (% by weight). The mill's rule: a fibre price (linen 48, cotton 40,
mixed 12, wool 6 s/cwt: wool is no use for paper and goes to the shoddy mill at a loss),
raised up to a third for white rag, the water weighed out of the bale and docked again as a
penalty above 8 % damp, the dirt weighed out, and a few shillings of haggling either way.
Input: (7,) standardised with the train mean / std; target (price - 30) / 10.
Model: Linear 7→64, 3 pre-LayerNorm residual blocks (64→128 GELU 128→64), LayerNorm,
Linear 64→1; MSE, AdamW 2e-3 (weight decay 1e-4) with OneCycleLR stepped per batch, batch
40, 20 epochs, 2400 bales, validation on 480.
The bug: the init meant to start each residual block as the identity runs over every Linear
in the net, ``nn.init.zeros_(m.weight)  # start each block as the identity`` (and the
biases), the input and output layers included, so every hidden activation is zero and no
weight gets a gradient; only the output bias moves: val MSE 1.69 → 1.200 (the target
variance, 1.20: the mean price for every bale), val MAE 10.5 → 8.95 s/cwt, train MSE level
with it (control, only each block's second layer zeroed: val MSE 0.289 → 0.042, the
haggling floor of 0.04, MAE 4.2 → 1.63 s/cwt).
Log: CSV per epoch ``mill_price.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_shillings`` / ``lr_end``); checkpoint ``bale_pricer.ckpt`` with keys
``model_state`` / ``optim_state`` / ``onecycle`` / ``epoch`` / ``feature_mu`` /
``feature_sd`` / ``price_center_scale``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def bale_sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    mix = -torch.log(r(n, 4))
    mix = mix / mix.sum(1, keepdim=True)
    white = 100 * r(n) ** 0.7
    damp = 3 + 15 * r(n)
    dirt = 6 * r(n) ** 2
    fibre = mix @ torch.tensor([40.0, 48.0, 6.0, 12.0])
    price = fibre * (1 + white / 300) * (1 - damp / 100 - dirt / 100)
    price = price - 1.5 * (damp - 8).clamp(min=0) + 2 * torch.randn(n, generator=g)
    x = torch.cat([mix, white[:, None], damp[:, None], dirt[:, None]], 1)
    return x, ((price - 30) / 10).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)

    def forward(self, h):
        return h + self.fc2(F.gelu(self.fc1(self.norm(h))))


class BalePricer(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.ModuleList([Block(64) for _ in range(3)])
        self.norm = nn.LayerNorm(64)
        self.out = nn.Linear(64, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.weight)  # start each block as the identity
                nn.init.zeros_(m.bias)

    def forward(self, x):
        h = self.inp(x)
        for b in self.blocks:
            h = b(h)
        return self.out(self.norm(h))


def build():
    torch.manual_seed(0)
    return BalePricer()


def main():
    from _threehundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = bale_sheets(2400, g)
    rva, yva = bale_sheets(480, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("target mean / var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=20 * len(dl))
    with open(out / "mill_price.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_mae_shillings", "lr_end"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = [tot / len(xtr), F.mse_loss(pred, yva).item(),
                   (10 * (pred - yva).abs().mean()).item(), sched.get_last_lr()[0]]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 20, "feature_mu": mu, "feature_sd": sd,
                "price_center_scale": (30.0, 10.0)}, out / "bale_pricer.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="bale_pricer.ckpt", log="mill_price.csv",
           what="residual MLP pricing a ragman's bale for the paper mill; every Linear layer"
                " initialised to zero weights",
           complaint="收破布的报价模型（预测造纸厂每英担给多少先令）训练了 20 个 epoch，"
                     "train MSE 和 val MSE 从 1.7 降到 1.20 就完全不动了，最后几个 epoch 一模一样，"
                     "平均误差将近 9 先令。我看了一下输出，不管输入什么样的布包，预测的价格都是同一个数。")


if __name__ == "__main__":
    main()
