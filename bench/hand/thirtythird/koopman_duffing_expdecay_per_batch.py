"""Koopman autoencoder learning linear latent dynamics of a lightly damped Duffing oscillator
(x'' = -x - 0.5 x³ - 0.05 x', RK4 with dt = 0.1, 700 trajectories of 60 steps from initial
states in [-2, 2]², the first 560 for training, the rest held out). Encoder 2-64-64-6 (tanh),
a bias-free 6×6 linear latent step K (initialised at the identity), decoder 6-64-64-2. From a
window x_0 … x_10 the loss is the reconstruction of x_0, the 10-step prediction
dec(K^k enc(x_0)) against x_k, and the latent linearity term K^k enc(x_0) against enc(x_k)
(weight 0.1). Adam 1e-3, batch 128, 8000 training windows, 30 epochs; the author meant an
``ExponentialLR(gamma=0.9)`` per epoch. ``koopman_log.jsonl`` holds per epoch train_total,
train_recon, train_pred, train_lin and val_pred_mse / val_recon_mse on 2000 held-out windows.
Bug: ``sched.step()`` is called after every ``opt.step()`` (63 batches an epoch): the lr is
1.3e-6 after the first epoch and ~1e-10 after the second, so training stops where the first
epoch left it."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

DT, STEPS, H, LATENT = 0.1, 60, 10, 6


def duffing(n, g):
    def f(s):
        x, v = s[:, 0], s[:, 1]
        return torch.stack([v, -x - 0.5 * x ** 3 - 0.05 * v], 1)
    s = 4 * torch.rand(n, 2, generator=g) - 2
    traj = [s]
    for _ in range(STEPS - 1):
        k1 = f(s)
        k2 = f(s + DT / 2 * k1)
        k3 = f(s + DT / 2 * k2)
        k4 = f(s + DT * k3)
        s = s + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        traj.append(s)
    return torch.stack(traj, 1)  # (n, STEPS, 2)


def windows(traj, n, g):
    i = torch.randint(0, len(traj), (n,), generator=g)
    t = torch.randint(0, STEPS - H, (n,), generator=g)
    return traj[i[:, None], t[:, None] + torch.arange(H + 1)]  # (n, H + 1, 2)


class KoopmanAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, LATENT))
        self.K = nn.Linear(LATENT, LATENT, bias=False)
        nn.init.eye_(self.K.weight)
        self.dec = nn.Sequential(nn.Linear(LATENT, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, 2))

    def rollout(self, x0, steps=H):
        zs = [self.enc(x0)]
        for _ in range(steps):
            zs.append(self.K(zs[-1]))
        return torch.stack(zs, 1)  # (b, steps + 1, LATENT)

    def forward(self, x0, steps=H):
        return self.dec(self.rollout(x0, steps))  # (b, steps + 1, 2): x_0 … x_steps


def losses(model, w):
    z = model.rollout(w[:, 0])
    pred = model.dec(z)
    recon = F.mse_loss(pred[:, 0], w[:, 0])
    ahead = F.mse_loss(pred[:, 1:], w[:, 1:])
    lin = F.mse_loss(z[:, 1:], model.enc(w[:, 1:]))
    return recon, ahead, lin


def build():
    torch.manual_seed(0)
    return KoopmanAE()


def main():
    from _thirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    traj = duffing(700, g)
    train_w, val_w = windows(traj[:560], 8000, g), windows(traj[560:], 2000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    log = open(out / "koopman_log.jsonl", "w")
    for epoch in range(30):
        sums = torch.zeros(4)
        for idx in torch.randperm(len(train_w), generator=g).split(128):
            recon, ahead, lin = losses(model, train_w[idx])
            loss = recon + ahead + 0.1 * lin
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            sums += torch.tensor([loss.item(), recon.item(), ahead.item(), lin.item()]) * len(idx)
        sums /= len(train_w)
        with torch.no_grad():
            v_recon, v_ahead, _ = losses(model, val_w)
        row = {"epoch": epoch, "train_total": round(sums[0].item(), 5),
               "train_recon": round(sums[1].item(), 5), "train_pred": round(sums[2].item(), 5),
               "train_lin": round(sums[3].item(), 5), "val_pred_mse": round(v_ahead.item(), 5),
               "val_recon_mse": round(v_recon.item(), 5)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(),
                "lr_scheduler": sched.state_dict(), "epoch": epoch}, out / "koopman_ae.pt")
    finish(out, __file__, (val_w[:256, 0], val_w[:256]), causes=["lr_decay_too_fast"],
           checkpoint="koopman_ae.pt", log="koopman_log.jsonl",
           what="Koopman autoencoder on a Duffing oscillator, ExponentialLR(0.9) stepped every "
                "batch",
           complaint="The Koopman autoencoder learns for one epoch and then freezes: from "
                     "epoch 2 to 30 every loss term is identical to four digits (train total "
                     "1.427, val 10-step prediction MSE 0.7475) and the predictions are useless.")


if __name__ == "__main__":
    main()
