"""GRU-D for irregular synthetic ICU series: 8 vitals/labs sampled at random (each observed
with its own rate, 15–80 % of the 60 hourly steps), missing values filled by a learned decay
from the last observation toward the feature's training mean (x̂ = m·x + (1−m)(γ_x·x_last +
(1−γ_x)·x̄), γ = exp(−relu(W·δ + b)) from the time since last observation δ), the hidden state
decayed the same way, then a GRU cell (hidden 64, written by hand as in the paper). The task:
forecast the next hour's lactate (feature 0) at every step, MSE on standardised values over
the steps where it is observed. SGD lr 0.6, momentum 0.9, batch 32, 8 epochs. The log (JSON
lines) holds the loss and the global gradient norm every 5 steps and the val MSE per epoch.
Bug: no gradient clipping (the GRU-D reference code clips the norm; this copy dropped the
``clip_grad_norm_`` line) on 60-step recurrences with a large step: the gradient norm spikes
by orders of magnitude (2.7e4 at step 5, 3e13 at step 10, inf at step 15), the loss goes to
1e28 and then NaN, and every weight with it."""
import json

import torch
import torch.nn as nn

FEATS, T, HID = 8, 60, 64


def series(n, g):
    t = torch.arange(T, dtype=torch.float32)
    freq = 0.05 + 0.15 * torch.rand(n, FEATS, 1, generator=g)
    phase = 6.28 * torch.rand(n, FEATS, 1, generator=g)
    base = torch.sin(freq * t + phase)
    mix = torch.randn(FEATS, FEATS, generator=g) * 0.3 + torch.eye(FEATS)
    x = torch.einsum("ij,njt->nti", mix, base) + 0.1 * torch.randn(n, T, FEATS, generator=g)
    rate = torch.linspace(0.15, 0.8, FEATS)
    m = (torch.rand(n, T, FEATS, generator=g) < rate).float()
    delta = torch.zeros(n, T, FEATS)
    for s in range(1, T):
        delta[:, s] = torch.where(m[:, s - 1] > 0, torch.ones(()), delta[:, s - 1] + 1)
    return x * m, m, delta, x


class GRUD(nn.Module):
    def __init__(self, x_mean):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.decay_x = nn.Linear(FEATS, FEATS)
        self.decay_h = nn.Linear(FEATS, HID)
        self.zr = nn.Linear(2 * FEATS + HID, 2 * HID)
        self.cand = nn.Linear(2 * FEATS + HID, HID)
        self.head = nn.Linear(HID, 1)

    def forward(self, x, m, delta):
        h = x.new_zeros(len(x), HID)
        last = self.x_mean.expand(len(x), FEATS)
        outs = []
        for s in range(x.shape[1]):
            xs, ms, ds = x[:, s], m[:, s], delta[:, s]
            last = torch.where(ms > 0, xs, last)
            gx = torch.exp(-torch.relu(self.decay_x(ds)))
            xh = ms * xs + (1 - ms) * (gx * last + (1 - gx) * self.x_mean)
            h = torch.exp(-torch.relu(self.decay_h(ds))) * h
            z, r = torch.sigmoid(self.zr(torch.cat([xh, ms, h], 1))).chunk(2, 1)
            hc = torch.tanh(self.cand(torch.cat([xh, ms, r * h], 1)))
            h = (1 - z) * h + z * hc
            outs.append(self.head(h))
        return torch.cat(outs, 1)


def build():
    torch.manual_seed(0)
    return GRUD(torch.zeros(FEATS))


def masked_mse(pred, x, m):
    target, seen = x[:, 1:, 0], m[:, 1:, 0]
    return ((pred[:, :-1] - target) ** 2 * seen).sum() / seen.sum()


CLIP = None


def main():
    from _fiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, m, delta, _ = series(1200, g)
    tx, tm, td = x[:1000], m[:1000], delta[:1000]
    vx, vm, vd = x[1000:], m[1000:], delta[1000:]
    model = build()
    model.x_mean.copy_((tx * tm).sum((0, 1)) / tm.sum((0, 1)))
    opt = torch.optim.SGD(model.parameters(), lr=0.6, momentum=0.9)
    log = open(out / "grud_log.jsonl", "w")
    step = 0
    for epoch in range(8):
        model.train()
        for idx in torch.randperm(1000, generator=g).split(32):
            loss = masked_mse(model(tx[idx], tm[idx], td[idx]), tx[idx], tm[idx])
            opt.zero_grad()
            loss.backward()
            gn = torch.cat([p.grad.flatten() for p in model.parameters()]).norm().item()
            if CLIP:
                torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
            opt.step()
            step += 1
            if step % 5 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch, "mse": loss.item(),
                                      "grad_norm": gn}) + "\n")
        model.eval()
        with torch.no_grad():
            vl = masked_mse(model(vx, vm, vd), vx, vm).item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_mse": vl}) + "\n")
        print(epoch, round(loss.item(), 4), round(gn, 3), round(vl, 4))
    log.close()
    torch.save({"grud": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": epoch,
                "step": step}, out / "grud_last.ckpt.pt")
    finish(out, __file__, {"inputs": vx[:32], "mask": vm[:32], "delta": vd[:32],
                           "targets": vx[:32, :, 0]},
           causes=["exploding_gradients", "lr_too_high"],
           checkpoint="grud_last.ckpt.pt", log="grud_log.jsonl",
           what="hand-written GRU-D lactate forecaster, SGD 0.6 momentum 0.9, no grad clipping",
           complaint="the lactate forecaster's loss shoots up to absurd values (1e5, then 1e16) "
                     "within the first couple of dozen steps and is nan for the rest of the "
                     "run; validation MSE is nan every epoch")


if __name__ == "__main__":
    main()
