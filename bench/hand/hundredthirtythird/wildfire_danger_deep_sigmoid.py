"""Wildfire danger rating for the next afternoon at a fire-weather station (civil defence / rural
fire service): 0 low, 1 high, 2 extreme, from 12 standardised inputs (max temperature, min
relative humidity, wind speed and gust, days since 2 mm of rain, fine-fuel moisture, drought
code, grass curing, slope class, ...). The rating follows the service's own index (a smooth
function of dryness × wind). The analyst copied a 1990s-style network: 10 hidden layers of 64
sigmoid units, weights drawn N(0, 0.05) "to keep the sigmoids out of saturation", plain SGD lr
0.5, batch 64, 40 epochs; the log records the gradient norm of the first and last layer.
Bug: through 10 small-weight sigmoid layers (derivative ≤ 0.25, weights 0.05 × 8) the gradient
of the first layers is orders of magnitude smaller than the last layer's, and the loss stalls
at the class prior → vanishing_gradients.
Run: train loss 1.283 → 1.058 by epoch 10 and flat (class-prior entropy 1.056), val acc 0.432
(always "low"), first-layer grad norm 1.2e-10 … 4.2e-10 vs output layer 0.87 … 0.074.
Control (``DEPTH, WIDTH = 2, 64``): val acc 0.80 at epoch 10, 0.86–0.90 after, val loss 0.25–0.30,
first-layer grad norm ~0.1–0.19. (Init std 0.5 with depth 10 also learns, noisily: val acc
0.63–0.91.)"""
import csv
import sys

import torch
import torch.nn.functional as F
from torch import nn

DEPTH, WIDTH = 10, 64


def days(n, g):
    x = torch.randn(n, 12, generator=g)
    dryness = 0.8 * x[:, 0] - 0.9 * x[:, 1] + 0.6 * x[:, 4] - 0.7 * x[:, 5] + 0.4 * x[:, 6]
    wind = 1.0 + 0.5 * torch.tanh(x[:, 2] + 0.5 * x[:, 3])
    index = dryness * wind + 0.3 * x[:, 7] + 0.2 * torch.randn(n, generator=g)
    y = (index > -0.3).long() + (index > 1.3).long()
    return x, y


def build():
    torch.manual_seed(0)
    layers, d = [], 12
    for _ in range(DEPTH):
        lin = nn.Linear(d, WIDTH)
        nn.init.normal_(lin.weight, std=0.05)
        nn.init.zeros_(lin.bias)
        layers += [lin, nn.Sigmoid()]
        d = WIDTH
    layers.append(nn.Linear(d, 3))
    return nn.Sequential(*layers)


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(2000, g)
    xva, yva = days(500, g)
    print("class counts", torch.bincount(ytr).tolist())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    first, last = model[0], model[-1]
    f = open(out / "danger_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "val_loss", "val_acc", "gradnorm_layer1", "gradnorm_out"])
    for epoch in range(1, 41):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, g1, gl, nb = 0.0, 0.0, 0.0, 0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            g1 += first.weight.grad.norm().item()
            gl += last.weight.grad.norm().item()
            nb += 1
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            o = model(xva)
            row = [epoch, round(tot / len(xtr), 5), round(F.cross_entropy(o, yva).item(), 5),
                   round((o.argmax(1) == yva).float().mean().item(), 4),
                   f"{g1 / nb:.3e}", f"{gl / nb:.3e}"]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 40, "depth": DEPTH, "width": WIDTH}, out / "danger_mlp_ep40.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="danger_mlp_ep40.pth", log="danger_train.csv",
           what="10-layer sigmoid MLP, N(0, 0.05) init, plain SGD: fire-danger rating stalls at the prior",
           complaint="The fire-danger network will not train. After the first couple of epochs the "
                     "loss is stuck at 1.058 (train) / 1.059 (val) for 40 epochs and validation "
                     "accuracy is 0.432, which is just always answering 'low'. I log gradient norms: "
                     "the output layer gets about 0.07-0.9 but the first layer only ~1e-10.")


if __name__ == "__main__":
    main()
