"""Civil defence evacuation drills: predict the total evacuation time of a building (log
minutes) from the drill record: floors, occupants, occupants per floor, number and width of
stairs, share of occupants with reduced mobility, alarm type (one-hot: bell / voice / both),
building use (one-hot: office / school / care home / residential), time of day, warden count,
previous drills in the year. 320 drills from the regional archive (256 train, 64 validation),
targets noisy (the stopwatch is a warden's phone, drills interrupted, ...). A 4-layer MLP of
width 512 (≈ 800 k weights), Adam 1e-3, batch 32, 120 epochs, no dropout, no weight decay,
no early stopping; the last epoch is saved. Bug: a large unregularised network trained far
too long on 256 drills → overfitting.
Run: valid MSE 0.167, 0.133, 0.110 (epoch 3, noise variance 0.1225) then 0.14–0.205, 0.166 at
epoch 120; train MSE 0.00027; valid MAPE 28.7 % at epoch 3, 33.7 % at the end.
Control (early stopping, ``range(1, 121)`` → ``range(1, 4)``): valid MSE 0.110, MAPE 28.7 %."""
import sys

import torch
import torch.nn.functional as F
from torch import nn

N_FEAT = 17


def drills(n, g):
    floors = torch.randint(2, 20, (n,), generator=g).float()
    occ = floors * (20 + 60 * torch.rand(n, generator=g))
    stairs = torch.randint(1, 5, (n,), generator=g).float()
    width = 0.9 + 0.8 * torch.rand(n, generator=g)
    mobility = 0.02 + 0.2 * torch.rand(n, generator=g)
    alarm = torch.randint(0, 3, (n,), generator=g)
    use = torch.randint(0, 4, (n,), generator=g)
    hour = 8 + 10 * torch.rand(n, generator=g)
    wardens = torch.randint(1, 12, (n,), generator=g).float()
    prev = torch.randint(0, 4, (n,), generator=g).float()
    flow = stairs * width * 1.3 * 60          # persons per minute through the stairs
    t = 1.5 + floors * 0.35 + occ / flow
    t = t * (1 + 2.5 * mobility) * torch.tensor([1.25, 1.0, 0.95])[alarm]
    t = t * torch.tensor([1.0, 0.85, 1.6, 1.2])[use] * (1 - 0.05 * prev) * (1 - 0.01 * wardens)
    y = torch.log(t) + 0.35 * torch.randn(n, generator=g)
    x = torch.cat([torch.stack([floors, occ, occ / floors, stairs, width, mobility, hour,
                                wardens, prev, torch.log(occ)], 1),
                   F.one_hot(alarm, 3).float(), F.one_hot(use, 4).float()], 1)
    return x, y[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(N_FEAT, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = drills(320, g)
    xtr, ytr, xva, yva = x[:256], y[:256], x[256:], y[256:]
    mu, sd = xtr.mean(0), xtr.std(0)
    ym = ytr.mean()
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = ytr - ym, yva - ym
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "drill_fit.tsv", "w")
    f.write("ep\ttrain_mse\tvalid_mse\tvalid_mape_pct\n")
    for ep in range(1, 121):
        model.train()
        perm = torch.randperm(256, generator=g)
        tot = 0.0
        for i in range(0, 256, 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vm = F.mse_loss(p, yva).item()
            mape = ((p - yva).exp() - 1).abs().mean().item() * 100
        f.write(f"{ep}\t{tot / 256:.5f}\t{vm:.5f}\t{mape:.2f}\n")
        if ep <= 10 or ep % 10 == 0:
            print(ep, round(tot / 256, 5), round(vm, 5), round(mape, 2))
    f.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "ep": 120,
                "x_mu": mu, "x_sd": sd, "y_mean": ym}, out / "evac_mlp_last.pt")
    finish(out, __file__, (xva, yva), causes=["overfitting"],
           checkpoint="evac_mlp_last.pt", log="drill_fit.tsv",
           what="4x512 MLP, evacuation-drill time, 256 drills, 120 epochs, no regularisation",
           complaint="The evacuation-time model gets the training drills essentially exact (train MSE "
                     "0.0003 on log-minutes after 120 epochs), but validation MSE was lowest at "
                     "epoch 3 (0.110) and since then sits at 0.15-0.20, 0.166 at the end. On the "
                     "held-out drills it is off by 34 % of the time on average, vs 29 % at epoch 3.")


if __name__ == "__main__":
    main()
