"""Echo-state network forecasting the Lorenz system (sigma 10, rho 28, beta 8/3, RK4 at dt 0.01,
every 2nd state kept, each coordinate standardised, small Gaussian noise on the observations)
10 samples ahead. A small trainable input layer (Linear 3 -> 16, tanh) feeds a fixed random
reservoir of 200 tanh units (sparse, 10 % connectivity, rescaled to spectral radius 0.9, leak
0.5; its recurrent and input matrices are buffers, never trained), a trained linear readout
maps the reservoir state to (x, y, z) ten samples later. Windows of 60 samples, the first 15
a wash-out; MSE, Adam 5e-3, batch 32, 12 epochs. The log is JSON lines (the train MSE every
10 iterations and per epoch the val MSE and val NRMSE).
Healthy: val NRMSE 0.54 after one epoch, 0.10 at the end and easing more slowly each epoch;
the train MSE is noisy (windows from different lobes of the attractor), the val MSE sits a
little above it."""
import json

import torch
import torch.nn as nn

RES, HID, WIN, WASH, AHEAD = 200, 16, 60, 15, 10


def lorenz(n, g, dt=0.01):
    def f(s):
        x, y, z = s
        return torch.stack([10 * (y - x), x * (28 - z) - y, x * y - 8 / 3 * z])
    s = torch.tensor([1.0, 1.0, 20.0]) + torch.randn(3, generator=g)
    out = []
    for i in range(2 * n + 1000):
        k1 = f(s)
        k2 = f(s + dt / 2 * k1)
        k3 = f(s + dt / 2 * k2)
        k4 = f(s + dt * k3)
        s = s + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        if i >= 1000 and i % 2 == 0:
            out.append(s)
    return torch.stack(out)


class ESN(nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(7)
        w = torch.randn(RES, RES, generator=g) * (torch.rand(RES, RES, generator=g) < 0.1)
        w = w * 0.9 / torch.linalg.eigvals(w).abs().max()
        self.register_buffer("w_res", w)
        self.register_buffer("w_in", torch.rand(RES, HID, generator=g) * 2 - 1)
        self.inp = nn.Linear(3, HID)
        self.readout = nn.Linear(RES, 3)

    def forward(self, u):  # u: (B, T, 3) -> (B, T, 3) forecasts
        h = torch.zeros(u.shape[0], RES)
        v = torch.tanh(self.inp(u))
        states = []
        for t in range(u.shape[1]):
            h = 0.5 * h + 0.5 * torch.tanh(v[:, t] @ self.w_in.T + h @ self.w_res.T)
            states.append(h)
        return self.readout(torch.stack(states, 1))


def build():
    torch.manual_seed(0)
    return ESN()


def windows(series, starts):
    idx = starts[:, None] + torch.arange(WIN)[None]
    return series[idx], series[idx + AHEAD]


def main():
    from _fortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    s = lorenz(6000, g)
    s = (s - s[:4500].mean(0)) / s[:4500].std(0)
    s = s + 0.03 * torch.randn(s.shape, generator=g)
    train, val = s[:4500], s[4500:]
    val_starts = torch.arange(0, len(val) - WIN - AHEAD, 20)
    vx, vy = windows(val, val_starts)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    it = 0
    with open(out / "esn_log.jsonl", "w") as fh:
        for epoch in range(12):
            for _ in range(20):
                starts = torch.randint(0, len(train) - WIN - AHEAD, (32,), generator=g)
                x, y = windows(train, starts)
                loss = ((model(x) - y)[:, WASH:] ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                if it % 10 == 0:
                    fh.write(json.dumps({"it": it, "mse_train": round(loss.item(), 5)}) + "\n")
            with torch.no_grad():
                err = (model(vx) - vy)[:, WASH:]
                vm = (err ** 2).mean().item()
                nrmse = (vm / vy[:, WASH:].var().item()) ** 0.5
            fh.write(json.dumps({"it": it, "epoch": epoch, "mse_val": round(vm, 5),
                                 "nrmse_val": round(nrmse, 4)}) + "\n")
            print(epoch, round(loss.item(), 4), round(vm, 4), round(nrmse, 3))
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 11, "it": it},
               out / "esn_lorenz.pth")
    finish(out, __file__, (vx[:32], vy[:32]), causes=[], checkpoint="esn_lorenz.pth",
           log="esn_log.jsonl",
           what="echo-state network (fixed reservoir, trained input layer + readout), "
                "Lorenz 10-step forecast (healthy)")


if __name__ == "__main__":
    main()
