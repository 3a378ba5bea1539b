"""Echo-state network forecasting a Mackey-Glass series 8 steps ahead: a fixed random reservoir
of 150 tanh units (sparse recurrent matrix scaled to spectral radius 0.9, input weights
uniform ±0.5, both stored as parameters with ``requires_grad=False``), only the linear
readout is trained. Windows of 80 steps, the first 30 a wash-out, MSE on the other 50 against
the value 8 steps later; the series is standardised with the training series' mean and std.
Adam 5e-3 on the readout, batch 64, 15 epochs; JSON-lines log (``it`` / ``mse`` every 10
iterations, ``epoch`` / ``val_mse`` per epoch).
Bug: the held-out series is a fresh simulation, but the call was copied from another
experiment as ``mackey_glass(…, tau=30)`` while the training series uses tau=17: a more
chaotic regime with other amplitudes and rhythms that the readout never saw."""
import json

import torch
import torch.nn as nn

N, WIN, WASH, H = 150, 80, 30, 8
TAU_TRAIN, TAU_VAL = 17, 30


def mackey_glass(n, tau, x0):
    hist = [x0] * (tau + 1)
    out = []
    for _ in range(n * 2 + 500):
        x, lag = hist[-1], hist[-tau - 1]
        hist.append(x + 0.2 * lag / (1 + lag ** 10) - 0.1 * x)
        hist = hist[-tau - 2:]
        out.append(hist[-1])
    return torch.tensor(out[500::2])


def windows(series, n, g):
    start = torch.randint(0, len(series) - WIN - H, (n,), generator=g)
    idx = start[:, None] + torch.arange(WIN)[None]
    return series[idx][..., None], series[idx + H]


class ESN(nn.Module):
    def __init__(self):
        super().__init__()
        w = torch.randn(N, N) * (torch.rand(N, N) < 0.1)
        w = w * 0.9 / torch.linalg.eigvals(w).abs().max()
        self.w = nn.Parameter(w, requires_grad=False)
        self.w_in = nn.Parameter((torch.rand(N, 1) - 0.5), requires_grad=False)
        self.readout = nn.Linear(N, 1)

    def forward(self, u):
        h = torch.zeros(len(u), N)
        states = []
        for t in range(u.shape[1]):
            h = torch.tanh(u[:, t] @ self.w_in.T + h @ self.w.T)
            states.append(h)
        return self.readout(torch.stack(states[WASH:], 1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return ESN()


def main():
    from _fortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_series = mackey_glass(3000, TAU_TRAIN, 1.2)
    val_series = mackey_glass(1500, TAU_VAL, 0.9)
    mean, std = train_series.mean(), train_series.std()
    train_series, val_series = (train_series - mean) / std, (val_series - mean) / std
    tx, ty = windows(train_series, 640, g)
    vx, vy = windows(val_series, 200, g)
    model = build()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=5e-3)
    lossf = nn.MSELoss()
    log = open(out / "esn_log.jsonl", "w")
    it = 0
    for epoch in range(15):
        for idx in torch.randperm(640, generator=g).split(64):
            loss = lossf(model(tx[idx]), ty[idx][:, WASH:])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                log.write(json.dumps({"it": it, "mse": round(loss.item(), 5)}) + "\n")
        with torch.no_grad():
            vl = lossf(model(vx), vy[:, WASH:]).item()
        log.write(json.dumps({"it": it, "epoch": epoch, "val_mse": round(vl, 5)}) + "\n")
        print(epoch, round(loss.item(), 5), round(vl, 5))
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "it": it},
               out / "esn.ckpt")
    finish(out, __file__, (vx[:64], vy[:64, WASH:]), causes=["distribution_shift"],
           checkpoint="esn.ckpt", log="esn_log.jsonl",
           what="echo-state network, Mackey-Glass 8-step forecast, val series simulated with "
                "tau=30 (train tau=17)",
           complaint="储备池网络的训练误差降得很好，但验证集误差从第一个 epoch 起就比训练高好几倍，"
                     "而且一直降不下来，不知道哪里出了问题")


if __name__ == "__main__":
    main()
