"""Plain torch: an MLP predicts how many hours a paraffin lantern will burn on one filling
(standardised target) from 10 standardised features of the lantern and its use: tank volume,
wick width, wick height setting, chimney height, fuel grade, ambient temperature, draught,
altitude, globe soot and a burner-age score. Burn time ≈ volume / (consumption), consumption
rising with wick width × height, draught and temperature, with 5 % noise. MLP 10-128-128-128-
128-1 (ReLU), SGD momentum 0.9, lr 0.01, batch 32, 12 epochs of 1024 lanterns, MSE.
Log: CSV every step (``it``, ``epoch``, ``mse``) plus ``val_mse`` on each epoch's
last line; checkpoint ``{"model_state_dict", "optimizer_state_dict", "epoch", "step"}``.
The bug: the weight init loop uses ``nn.init.normal_(m.weight, std=0.5)`` (a constant copied
from a small-network tutorial) on 128-wide layers, so every layer multiplies the activation
scale by ~4: the first outputs are in the hundreds, the first gradients in the tens of
thousands, and SGD with momentum blows up. Step 1 MSE 115962, step 2 8.7e28, NaN from step 3 to the end (all
384 steps), val MSE NaN every epoch, every weight NaN in the checkpoint.
Control (``std=0.05``): val MSE 0.91 after epoch 1, 0.80, 0.14, 0.058, 0.040, then
0.022–0.032 (0.023 at epoch 12); train MSE 1.29 → 0.009–0.018."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def lanterns(n, g):
    f = torch.rand(n, 10, generator=g)
    vol = 0.5 + f[:, 0]
    burn = (1.2 + 0.8 * f[:, 1]) * (0.6 + 0.8 * f[:, 2]) * (1 + 0.3 * f[:, 6]) * (1 + 0.2 * f[:, 5])
    hours = 10 * vol / burn * (1 - 0.15 * f[:, 8]) * (1 + 0.05 * torch.randn(n, generator=g))
    return (f - 0.5) / 0.29, hours


class BurnMLP(nn.Module):
    def __init__(self):
        super().__init__()
        layers, d = [], 10
        for _ in range(4):
            layers += [nn.Linear(d, 128), nn.ReLU()]
            d = 128
        self.net = nn.Sequential(*layers, nn.Linear(128, 1))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.5)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.net(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return BurnMLP()


def main():
    from _twohundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, hours = lanterns(1280, g)
    m, s = hours[:1024].mean(), hours[:1024].std()
    y = (hours - m) / s
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    lines, it = ["it,epoch,mse,val_mse"], 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(1024, generator=g)
        for b in range(32):
            idx = perm[b * 32:(b + 1) * 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            vm = ""
            if b == 31:
                model.eval()
                with torch.no_grad():
                    vm = f"{F.mse_loss(model(xva), yva).item():.6g}"
            lines.append(f"{it},{epoch},{loss.item():.6g},{vm}")
        print(lines[-1])
    (out / "train_log.csv").write_text("\n".join(lines) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "step": it}, out / "burn_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="burn_mlp.pt", log="train_log.csv",
           what="lantern burn-time MLP whose std=0.5 init makes the gradients blow up",
           complaint="Lantern burn-time regression (targets are standardised hours, 1024 lanterns, "
                      "SGD 0.01 momentum 0.9): the very first batch has an MSE of 115962, the "
                      "second 8.7e28 and from the third step on every loss and every val MSE in "
                      "my log is nan, for all 12 epochs. I have not changed anything else. What is going on?")


if __name__ == "__main__":
    main()
