"""One-step-ahead forecaster for phasor measurement unit (PMU) frequency deviation after a
disturbance: 10 Hz reporting, 200-sample windows (20 s) of an electromechanical oscillation
(0.2–2 Hz, damping 0.02–0.3 /s, 50–150 mHz, random phase) plus measurement noise, scaled by
50 mHz. A 2-layer tanh ``nn.RNN`` (hidden 64) reads the trace and a linear head predicts the
next sample at every step (MSE). SGD lr 0.5 momentum 0.9 (the rate of the team's
word-language-model recipe, which clips at 0.25), batch 32, 6 epochs of 768 traces; a
JSON-lines log per step (loss, grad norm) and per epoch (val MSE).
Bug: no gradient clipping on a plain tanh RNN over 200 steps at this rate: the gradient norm
goes from ~1 (steps 1–3) to 39 at step 4, 2e3 at step 5, 1e9 by step 7, inf at step 13; the
loss follows (9.5, 1076, 1.4e6, ... 3.6e31) and is NaN from step 16 to the end (val MSE NaN).
(The control adds ``torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)`` before the
step.)"""
import json
import math

import torch
import torch.nn as nn

T = 200


def traces(n, g):
    t = torch.arange(T + 1).float() / 10
    f = 0.2 + 1.8 * torch.rand(n, 1, generator=g)
    d = 0.02 + 0.3 * torch.rand(n, 1, generator=g)
    a = 0.05 + 0.1 * torch.rand(n, 1, generator=g)
    ph = 6.283 * torch.rand(n, 1, generator=g)
    x = a * torch.exp(-d * t) * torch.sin(6.283 * f * t + ph) + 0.003 * torch.randn(n, T + 1, generator=g)
    x = x / 0.05
    return x[:, :-1, None], x[:, 1:, None]


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 64, num_layers=2, batch_first=True, nonlinearity="tanh")
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return Forecaster()


def main():
    from _hundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(768, g)
    xva, yva = traces(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    log = open(out / "pmu_train.jsonl", "w")
    step = 0
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = ((model(xtr[idx]) - ytr[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
            opt.step()
            step += 1
            log.write(json.dumps({"step": step, "loss": float(f"{loss.item():.6g}"),
                                  "grad_norm": float(f"{gn:.6g}")}) + "\n")
        model.eval()
        with torch.no_grad():
            vl = ((model(xva) - yva) ** 2).mean().item()
        log.write(json.dumps({"step": step, "epoch": epoch + 1, "val_mse": float(f"{vl:.6g}")}) + "\n")
        print(epoch + 1, f"{loss.item():.4g}", f"{gn:.4g}", f"{vl:.4g}")
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 6, "step": step}, out / "pmu_rnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="pmu_rnn.pt", log="pmu_train.jsonl",
           what="2-layer tanh RNN forecaster on 200-step PMU traces, SGD lr 0.5 momentum 0.9, "
                "no gradient clipping",
           complaint="My RNN that forecasts PMU frequency after a disturbance blew up right at the "
                     "start: the loss was 0.45 for the first few steps, then 9.5, 1076, 1.4e6 and by "
                     "step 16 it is NaN; gradient norm went from about 1 to 1e9 and then inf. All 6 "
                     "epochs of validation MSE are NaN.")


if __name__ == "__main__":
    main()
