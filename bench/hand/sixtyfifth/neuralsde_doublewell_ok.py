"""Neural-SDE-lite fitted to synthetic stochastic paths. 400 paths of a double-well diffusion
dX = (X − X³) dt + (0.35 + 0.15 |X|) dW, simulated with 10 fine Euler–Maruyama sub-steps per
observation, observed every dt = 0.05 for 40 steps from X0 ~ U(−2, 2) (320 paths to train, 80
to validate). Model: a drift network f(x) and a diffusion network g(x) (two 1 → 32 → 32 → 1
SiLU MLPs, g through softplus); one Euler–Maruyama step says X_{t+dt} − X_t ~ N(f(X_t) dt,
g(X_t)² dt), so the forward returns, per state, the mean and the standard deviation of the next
increment, and the loss is the Gaussian negative log-likelihood of the observed increments
(the increments are scaled by 1/√dt so the loss is O(1)). Adam 3e-3, batches of 512
transitions, 12 epochs; log JSON lines ``iter`` / ``nll`` every 10 iterations and
``val_nll`` / ``drift_rmse`` (against the true drift on a grid) per epoch.
Healthy: the NLL falls fast and then sits at the noise floor (it cannot go lower: the paths are
random), the iteration NLL noisy by ±0.05, the val NLL level with the train NLL."""
import json
import math

import torch
import torch.nn as nn

DT = 0.05


def paths(n, steps, g):
    x = 4 * torch.rand(n, generator=g) - 2
    out = [x]
    h = DT / 10
    for _ in range(steps):
        for _ in range(10):
            x = x + (x - x ** 3) * h + (0.35 + 0.15 * x.abs()) * math.sqrt(h) * torch.randn(
                n, generator=g)
        out.append(x)
    return torch.stack(out, 1)


def mlp():
    return nn.Sequential(nn.Linear(1, 32), nn.SiLU(), nn.Linear(32, 32), nn.SiLU(),
                         nn.Linear(32, 1))


class NeuralSDE(nn.Module):
    def __init__(self):
        super().__init__()
        self.drift, self.diffusion = mlp(), mlp()

    def forward(self, x):
        """x (B, 1) states → (B, 2): mean and std of the scaled increment (ΔX / √dt)."""
        mean = self.drift(x) * math.sqrt(DT)
        std = nn.functional.softplus(self.diffusion(x)) + 1e-3
        return torch.cat([mean, std], 1)


def nll(out, dx):
    mean, std = out[:, :1], out[:, 1:]
    return (torch.log(std) + 0.5 * ((dx - mean) / std) ** 2).mean() + 0.5 * math.log(2 * math.pi)


def build():
    torch.manual_seed(0)
    return NeuralSDE()


def main():
    from _sixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xs = paths(400, 40, g)
    inc = (xs[:, 1:] - xs[:, :-1]) / math.sqrt(DT)
    tx, tdx = xs[:320, :-1].reshape(-1, 1), inc[:320].reshape(-1, 1)
    vx, vdx = xs[320:, :-1].reshape(-1, 1), inc[320:].reshape(-1, 1)
    grid = torch.linspace(-1.5, 1.5, 61)[:, None]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "sde_train.jsonl", "w")
    it = 0
    for epoch in range(12):
        model.train()
        for idx in torch.randperm(len(tx), generator=g).split(512):
            loss = nll(model(tx[idx]), tdx[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                log.write(json.dumps({"iter": it, "nll": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            vl = nll(model(vx), vdx).item()
            rmse = (model.drift(grid) - (grid - grid ** 3)).pow(2).mean().sqrt().item()
        log.write(json.dumps({"iter": it, "epoch": epoch, "val_nll": round(vl, 4),
                              "drift_rmse": round(rmse, 4)}) + "\n")
        print(epoch, it, round(loss.item(), 4), round(vl, 4), round(rmse, 4))
    log.close()
    torch.save({"sde_state": model.state_dict(), "adam_state": opt.state_dict(),
                "iters": it, "dt": DT}, out / "neural_sde.ckpt")
    finish(out, __file__, (tx[:512], tdx[:512]), causes=[], checkpoint="neural_sde.ckpt",
           log="sde_train.jsonl",
           what="Neural-SDE-lite (drift + diffusion nets, Euler-Maruyama NLL) on double-well "
                "paths (healthy)")


if __name__ == "__main__":
    main()
