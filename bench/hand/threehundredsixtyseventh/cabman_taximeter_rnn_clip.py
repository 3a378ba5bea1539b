"""Plain torch: a recurrent net reads a hackney cab's taximeter tape every 30 s and gives the
fare shown so far at every step, so a cab proprietor can check his cabmen's takings against
the meter from the speed log alone. Tariff (the 1907 London taximeter rule): 8d for the first
mile or 10 min, then 2d per 1/4 mile when the cab is moving faster than 6 mph, or 2d per 2.5 min
of waiting when slower (whichever clock is running), a 6d extra when the hirer loads luggage.
A hire is 80 steps of 30 s: speed in mph (street stops, crawls behind omnibuses, open runs),
the luggage flag at the start. Input: (80, 2) speed / 10 and luggage; target: the fare in
shillings minus 2 at every step (per-step regression). Model: a one-layer ReLU RNN (64 hidden),
Linear 64→1 on every step; MSE, SGD 0.01 with momentum 0.9, gradient clip at norm 1.0,
batch 32, 10 epochs, 1600 hires, validation on 320.
The bug: the gradient clip is called before ``loss.backward()``, right after ``zero_grad``,
so it clips the zeroed gradients and the real ones go to the optimizer unclipped:
train MSE 0.8-1.1 for 130 steps, then NaN from step 140 on (the logged gradient norm is
1.3 at step 130), val MSE 0.899 → 0.882 and NaN from epoch 2 (control, the clip moved after
``loss.backward()``: val MSE 0.899 → 0.223 at epoch 4 → 0.104, MAE 9.4 → 3.0 pence).
Log: JSON lines ``meter_log.jsonl``, ``{"step", "mse", "grad_norm"}`` every 10 steps and
``{"epoch", "val_mse", "val_mae_pence"}`` per epoch; checkpoint ``taximeter_rnn.pt`` with keys
``rnn_state`` / ``sgd_state`` / ``epoch`` / ``speed_scale`` / ``tariff_pence``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

T = 80
DT = 30.0  # seconds per step


def hires(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    # speed: a run of street segments, each a cruise speed held for a while, with stops
    seg = (r(n, T) < 0.06).float().cumsum(1)
    level = torch.rand(n, 40, generator=g)
    cruise = 14 * level.gather(1, seg.long().clamp(max=39)) ** 0.7
    stop = (torch.rand(n, 40, generator=g) < 0.25).gather(1, seg.long().clamp(max=39))
    speed = (cruise * (~stop) + 1.0 * r(n, T)).clamp(min=0)
    luggage = (r(n, 1) < 0.3).float()
    moving = speed > 6
    miles = torch.cumsum(speed * moving * DT / 3600, 1)
    waiting = torch.cumsum((~moving).float() * DT, 1)
    # first mile or 10 min for 8d, then distance or time units, whichever is running
    extra = (miles - 1).clamp(min=0) / 0.25 * 2 + (waiting - 600).clamp(min=0) / 150 * 2
    pence = 8 + torch.floor(extra / 2) * 2 + 6 * luggage
    x = torch.stack([speed / 10, luggage.expand(n, T)], 2)
    return x, (pence / 12 - 2).unsqueeze(2)


class MeterRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(2, 64, nonlinearity="relu", batch_first=True)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return MeterRNN()


def main():
    from _threehundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = hires(1600, g)
    xva, yva = hires(320, g)
    print("fare s", ytr[:, -1].mean().item(), ytr[:, -1].std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    step = 0
    with open(out / "meter_log.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # keep the RNN steps in check
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
                    log.write(json.dumps({"step": step, "mse": round(loss.item(), 6),
                                          "grad_norm": round(gn.item(), 4)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"epoch": epoch, "val_mse": round(nn.functional.mse_loss(p, yva).item(), 6),
                   "val_mae_pence": round(12 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"rnn_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 10,
                "speed_scale": 10.0, "tariff_pence": {"first": 8, "unit": 2, "luggage": 6}},
               out / "taximeter_rnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="taximeter_rnn.pt", log="meter_log.jsonl",
           what="tanh RNN giving the running taximeter fare of a hackney cab hire from its speed"
                " log; gradient clipping called before backward, so it never clips",
           complaint="My taximeter RNN sits at a loss of about 0.8-1.1 for the first 130 steps"
                     " and then the loss is NaN from step 140 on and never comes back; val MSE"
                     " is 0.90, 0.88 and then NaN from epoch 2. I even clip the gradients at"
                     " 1.0. Inputs are speed / 10 and a 0/1 flag, targets are a few shillings.")


if __name__ == "__main__":
    main()
