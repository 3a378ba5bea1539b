"""Hamiltonian neural network (Greydanus et al.) on a synthetic mass-spring system. An MLP
(2 → 128 → 128 → 1, tanh) outputs a scalar H(q, p); the predicted dynamics are its symplectic
gradient (dq/dt, dp/dt) = (∂H/∂p, −∂H/∂q), taken with autograd (``create_graph`` so the loss
trains H). States come from 200 trajectories of H = p²/2 + 2 q² (ω = 2) with energies of
0.1–1.5, 20 states each; the targets are the true time derivatives plus noise of std 0.05 (a
floor of 0.0025 on the derivative MSE). SGD 0.02, momentum 0.9, an update every 8
micro-batches of 25 states (an effective batch of 200), 10 epochs, 50 held-out trajectories.
Bug: the 8 micro-batch losses are summed into the gradient (``loss.backward()``, no ``/ ACCUM``),
so every update is 8× the intended one. The derivative MSE reaches 3.9 at update 8, the held-out
MSE is 14.6 after epoch 0, and from epoch 1 on the net is stuck: train 1.8–2.0, held-out 2.295
at every epoch (the tanh units saturated; the predicted dynamics are near zero everywhere)
(control, ``(loss / ACCUM).backward()``: held-out 0.295 → 0.0038, train 0.0034)."""
import json

import torch
import torch.nn as nn

ACCUM, MICRO = 8, 25


def states(n_traj, g):
    E = 0.1 + 1.4 * torch.rand(n_traj, 1, generator=g)
    phase = 2 * torch.pi * torch.rand(n_traj, 20, generator=g)
    q = (E / 2).sqrt() * torch.cos(phase)  # E = 2 q² at p = 0
    p = -(2 * E).sqrt() * torch.sin(phase)
    x = torch.stack([q, p], -1).reshape(-1, 2)
    dx = torch.stack([x[:, 1], -4 * x[:, 0]], -1)
    return x, dx + 0.05 * torch.randn(dx.shape, generator=g)


class HNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.H = nn.Sequential(nn.Linear(2, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(),
                               nn.Linear(128, 1))

    def forward(self, x):
        with torch.enable_grad():
            x = x.detach().requires_grad_(True)
            dH = torch.autograd.grad(self.H(x).sum(), x, create_graph=True)[0]
        return torch.stack([dH[:, 1], -dH[:, 0]], -1)


def build():
    torch.manual_seed(0)
    return HNN()


def main():
    from _fortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, dx = states(200, g)
    xv, dxv = states(50, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    update = 0
    with open(out / "hnn.jsonl", "w") as log:
        for epoch in range(10):
            perm = torch.randperm(len(x), generator=g)
            for i in range(0, len(x), ACCUM * MICRO):
                run = 0.0
                for m in range(ACCUM):
                    j = perm[i + m * MICRO:i + (m + 1) * MICRO]
                    loss = nn.functional.mse_loss(model(x[j]), dx[j])
                    loss.backward()  # accumulate over the micro-batches
                    run += loss.item() / ACCUM
                opt.step()
                opt.zero_grad()
                update += 1
                if update % 2 == 0:
                    log.write(json.dumps({"update": update, "deriv_mse": round(run, 6)}) + "\n")
            val = nn.functional.mse_loss(model(xv), dxv).item()
            log.write(json.dumps({"update": update, "epoch": epoch,
                                  "val_deriv_mse": round(val, 6)}) + "\n")
            print(epoch, update, f"{run:.4f} {val:.4f}")
    torch.save({"hnn_weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "update": update, "accum_steps": ACCUM}, out / "hnn_spring.pt")
    finish(out, __file__, (x[:200], dx[:200]), causes=["grad_accum_unscaled"],
           checkpoint="hnn_spring.pt", log="hnn.jsonl",
           what="Hamiltonian NN on mass-spring states, 8 micro-batch losses summed unscaled",
           complaint="The HNN's derivative loss went up to about 4 in the first updates and "
                     "since then sits around 1.9; the held-out error is 2.295 at every epoch, "
                     "it stopped learning entirely. It should learn a simple spring. We use an "
                     "effective batch of 200 through 8 accumulation steps.")


if __name__ == "__main__":
    main()
