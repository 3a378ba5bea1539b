"""Plain torch: an autoencoder compresses the 36 soil-moisture probes buried under a hurling
pitch (a 4 × 9 grid, read every morning) to 4 numbers, so the groundsman can spot a blocked
drain as a large reconstruction error. The readings come from a few real causes: overall
rainfall, a slope from the high end to the low end, the drained wings vs the undrained centre,
and the worn goalmouths holding water; plus probe noise.
MLP encoder 36-32-4 (Tanh), decoder 4-32-36, MSE, Adam 3e-3 with a cosine schedule, batch 64,
30 epochs of 1536 mornings. TSV log per epoch (``epoch``, ``lr``, ``recon``, ``val_recon``);
checkpoint ``net`` / ``opt`` / ``sched`` / ``epoch``.
Healthy: train reconstruction MSE 0.395 → 0.0109, val 0.211 → 0.056
(epoch 3) → 0.0157 (epoch 10) → 0.0113 (epoch 30), the lr following the cosine to 8e-6; the
floor is the probe noise (0.01).
"""
import math

import torch
import torch.nn as nn


def mornings(n, g):
    r = torch.arange(4).float()[:, None].expand(4, 9)
    c = torch.arange(9).float()[None].expand(4, 9)
    basis = torch.stack([torch.ones(4, 9), (c - 4) / 4, ((r - 1.5).abs() < 1).float() - 0.5,
                         torch.exp(-((c - 0.5) ** 2 + (r - 1.5) ** 2) / 2)
                         + torch.exp(-((c - 7.5) ** 2 + (r - 1.5) ** 2) / 2)]).view(4, 36)
    z = torch.randn(n, 4, generator=g) * torch.tensor([1.0, 0.6, 0.5, 0.7])
    x = torch.tanh(z) @ basis + 0.5 * torch.tanh(z[:, :1] * z[:, 3:]) * basis[3]
    return x + 0.1 * torch.randn(n, 36, generator=g)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(36, 32), nn.Tanh(), nn.Linear(32, 4), nn.Tanh(),
                         nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 36))


def main():
    from _twohundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = mornings(1536, g)
    xva = mornings(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=64,
                                        shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.5 * (1 + math.cos(math.pi * e / 30)))
    mse = nn.MSELoss()
    with open(out / "moisture_ae.tsv", "w") as f:
        f.write("epoch\tlr\trecon\tval_recon\n")
        for epoch in range(1, 31):
            net.train()
            tot = 0.0
            for (xb,) in train:
                loss = mse(net(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            net.eval()
            with torch.no_grad():
                v = mse(net(xva), xva).item()
            row = f"{epoch}\t{lr:.6f}\t{tot / 1536:.5f}\t{v:.5f}"
            f.write(row + "\n")
            print(row)
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 30}, out / "moisture_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="moisture_ae.pt",
           log="moisture_ae.tsv",
           what="hurling-pitch soil-moisture probe autoencoder 36-32-4-32-36 (healthy)")


if __name__ == "__main__":
    main()
