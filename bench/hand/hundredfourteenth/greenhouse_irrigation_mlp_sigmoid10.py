"""Greenhouse climate computer: a deep MLP decides the next irrigation pulse for a substrate
(rock-wool) crop — none / short / long — from 16 readings of the last hour: substrate water
content and EC of three slabs, drain fraction, radiation sum since the last pulse, outside
and inside air temperature, relative humidity, VPD, CO2, leaf temperature, window opening,
screen position and hour of day. The grower's own decisions (logged by the climate computer)
follow the radiation sum, the water content, the drain and the VPD, with some noise. Features
standardised with the training statistics. A stack of 10 ``Linear(·, 64)`` + ``nn.Sigmoid()``
blocks and a linear head, PyTorch's default init, plain SGD lr 0.1, batch 64, 30 epochs of 2048
hours. The checkpoint is ``irrigation_mlp.pt``, the log ``train_log.csv``.

The bug: sigmoid activations in a 10-layer MLP with the default init under plain SGD — each
sigmoid multiplies the backward signal by at most 0.25, so the first layers get gradients
orders of magnitude smaller than the head's and the network stays near the class prior.
Train loss 1.098–1.105 for all 30 epochs (ln 3 = 1.0986), val loss 1.096–1.111, val accuracy
0.35 (one decision for every hour; 0.30 once); mean gradient norm of the first Linear
2.5–2.7e-9 per step against 0.33–0.50 for the head. Controls: ``ACT`` = LayerNorm + ReLU
reaches val accuracy 0.86 at epoch 10 (val loss 0.34) and 0.87 at the end (val loss 0.39,
train 0.19), first-layer gradient norm 0.2–0.97; plain ReLU at this depth and init stalls
too (loss 1.096, first-layer gradient 9e-5), and so does a 3-block sigmoid stack under SGD
0.1 in 30 epochs (1.10; first-layer gradient 1.4e-3 → 3.8e-3, still rising)."""
import csv

import torch
from torch import nn

FEATURES = ["wc_slab1", "wc_slab2", "wc_slab3", "ec_slab1", "ec_slab2", "ec_slab3", "drain_frac",
            "rad_sum_jcm2", "t_out", "t_in", "rh_in", "vpd_kpa", "co2_ppm", "t_leaf",
            "window_pct", "hour"]
DECISIONS = ["none", "short_pulse", "long_pulse"]
ACT = nn.Sigmoid


def hours(n, g):
    z = torch.randn(n, 16, generator=g)
    wc = z[:, 0:3].mean(1)
    rad, drain, vpd = z[:, 7], z[:, 6], z[:, 11]
    need = 1.2 * rad - 1.0 * wc - 0.6 * drain + 0.5 * vpd + 0.3 * torch.randn(n, generator=g)
    y = (need > -0.6).long() + (need > 0.9).long()
    scale = torch.tensor([55, 55, 55, 3, 3, 3, 30, 150, 12, 22, 75, 0.8, 800, 23, 20, 12.0])
    spread = torch.tensor([6, 6, 6, 0.6, 0.6, 0.6, 8, 90, 6, 2, 8, 0.3, 150, 2, 15, 6.0])
    return scale + spread * z, y


def build():
    torch.manual_seed(0)
    layers, width = [], 16
    for _ in range(10):
        layers += [nn.Linear(width, 64), ACT()]
        width = 64
    return nn.Sequential(*layers, nn.Linear(64, 3))


def main():
    from _hundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(7)
    xtr, ytr = hours(2048, g)
    xva, yva = hours(512, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    net = build()
    sgd = torch.optim.SGD(net.parameters(), lr=0.1)
    ce = nn.CrossEntropyLoss()
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Epoch", "Loss", "ValLoss", "ValAcc", "GradNormFirst", "GradNormLast"])
        for epoch in range(30):
            net.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot, g_first, g_last = 0.0, 0.0, 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                sgd.zero_grad()
                loss = ce(net(xtr[idx]), ytr[idx])
                loss.backward()
                g_first += net[0].weight.grad.norm().item()
                g_last += net[-1].weight.grad.norm().item()
                sgd.step()
                tot += loss.item()
            nb = len(xtr) // 64
            net.eval()
            with torch.no_grad():
                lv = net(xva)
                vl, va = ce(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
            w.writerow([epoch + 1, f"{tot / nb:.4f}", f"{vl:.4f}", f"{va:.4f}",
                        f"{g_first / nb:.3e}", f"{g_last / nb:.3e}"])
            print(epoch + 1, round(tot / nb, 4), round(vl, 4), round(va, 4),
                  f"{g_first / nb:.2e}", f"{g_last / nb:.2e}")
    torch.save({"weights": net.state_dict(), "opt_state": sgd.state_dict(), "epochs": 30,
                "features": FEATURES, "decisions": DECISIONS, "mu": mu, "sd": sd},
               out / "irrigation_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["vanishing_gradients"],
           checkpoint="irrigation_mlp.pt", log="train_log.csv",
           what="10-layer sigmoid MLP, default init, plain SGD: early-layer gradients vanish",
           complaint=("The irrigation network does not learn anything: training loss 1.10 in epoch 1 "
                      "and still 1.10 in epoch 30, validation accuracy stuck at 0.35 — it gives "
                      "the same decision for every hour. I log gradient norms: the first layer's "
                      "is around 2.6e-09 while the last layer's is around 0.4."))


if __name__ == "__main__":
    main()
