"""Elman RNN (plain ``nn.RNN``, tanh, 1 layer, 64 units) predicting the next value of chaotic
logistic-map series x_{t+1} = r·x_t·(1 − x_t) with r drawn in [3.6, 4.0] per series and a
little observation noise (σ 0.01), so the net has to infer r from the history. Sequences of
80 steps, inputs centred (x − 0.5) · 4, one-step-ahead MSE over all steps after the first 5.
SGD with momentum 0.9, batch 32, 25 epochs of 1 024 train series, 256 val series; the log is
JSON lines (``step`` / ``train_mse`` every 8 steps, ``val_mse`` per epoch). The bug: the
author raised the rate to lr 0.3 "because it was slow" and has no gradient clipping
(``clip_grad_norm_`` was never added), so the gradients back-propagated through 80 tanh steps
blow up within the first epoch: train MSE 2.3 at step 8, 5.4e11 at step 16, 2.7e34 at step
24, NaN from step 32 on, every val MSE NaN (control, ``clip_grad_norm_(model.parameters(),
1.0)`` at the same rate: val MSE 0.31 → 0.0081 after 25 epochs; without clipping lr 0.12
trains (0.0074) and lr 0.15 already diverges)."""
import json

import torch
import torch.nn as nn

T = 80


def logistic_series(n, g):
    r = 3.6 + 0.4 * torch.rand(n, 1, generator=g)
    x = torch.empty(n, T + 1)
    x[:, 0] = 0.1 + 0.8 * torch.rand(n, generator=g)
    for t in range(T):
        x[:, t + 1] = r[:, 0] * x[:, t] * (1 - x[:, t])
    x = x + 0.01 * torch.randn(n, T + 1, generator=g)
    x = (x - 0.5) * 4
    return x[:, :-1, None], x[:, 1:, None]


class Elman(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, batch_first=True, nonlinearity="tanh")
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return Elman()


def main():
    from _thirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tx, ty = logistic_series(1024, g)
    vx, vy = logistic_series(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    log = open(out / "elman_log.jsonl", "w")
    step = 0
    for epoch in range(25):
        model.train()
        perm = torch.randperm(len(tx), generator=g)
        for i in range(0, len(tx), 32):
            idx = perm[i:i + 32]
            loss = ((model(tx[idx]) - ty[idx]) ** 2)[:, 5:].mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                log.write(json.dumps({"step": step, "train_mse": loss.item()}) + "\n")
        model.eval()
        with torch.no_grad():
            vm = ((model(vx) - vy) ** 2)[:, 5:].mean().item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_mse": vm}) + "\n")
        print(epoch, loss.item(), vm)
    log.close()
    torch.save({"rnn_state": model.state_dict(), "sgd_state": opt.state_dict(),
                "epoch": epoch, "seq_len": T}, out / "elman_last.pth")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["exploding_gradients"],
           checkpoint="elman_last.pth", log="elman_log.jsonl",
           what="Elman RNN on logistic-map series, SGD lr 0.3 momentum 0.9 with no gradient "
                "clipping: gradients through 80 steps blow up",
           complaint="Training my RNN forecaster blows up right at the start: the loss goes "
                     "from about 2 to 1e11 and 1e34 within a few dozen steps and is nan for "
                     "the rest of the run. Same thing on every rerun.")


if __name__ == "__main__":
    main()
