"""Mixture density network for a synthetic inverse problem: a cam drives a follower to
position p = theta + 0.3 sin(2 pi theta) + noise (theta in [0, 1], noise 0.02); the inverse
asks the cam angle theta for a measured follower position p, which has up to three answers
for a middle p. One input, a 3-component Gaussian mixture on theta: an MLP 1 -> 64 -> 64
(tanh) with heads for the mixture logits, the means and the log-sigmas (clamped to [-7, 3]);
the loss is the mixture NLL via ``logsumexp``. Adam 3e-3 with a StepLR (x0.5 every 15 epochs),
batch 100, 45 epochs on 2500 pairs, 500 held out; JSON-lines log per epoch (``epoch``, ``nll``,
``val_nll``, ``val_best_mean_err``: the distance from the true theta to the nearest component
mean). Healthy: the NLL goes negative (densities above 1, the answers are narrow) and the
val NLL is noisy from epoch to epoch (the narrow branches), ending near its floor."""
import json
import math

import torch
import torch.nn as nn

K = 3


class MDN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.logits = nn.Linear(64, K)
        self.mu = nn.Linear(64, K)
        self.log_sigma = nn.Linear(64, K)

    def forward(self, p):
        h = self.body(p)
        return self.logits(h), self.mu(h), self.log_sigma(h).clamp(-7, 3)


def mdn_nll(out, theta):
    logits, mu, log_sigma = out
    logp = (-0.5 * ((theta[:, None] - mu) / log_sigma.exp()) ** 2 - log_sigma
            - 0.5 * math.log(2 * math.pi))
    return -torch.logsumexp(torch.log_softmax(logits, 1) + logp, 1).mean()


def build():
    torch.manual_seed(0)
    return MDN()


def main():
    from _fortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    theta = torch.rand(3000, generator=g)
    p = theta + 0.3 * torch.sin(2 * math.pi * theta) + 0.02 * torch.randn(3000, generator=g)
    x = ((p - 0.5) / 0.4)[:, None]
    tx, tt, vx, vt = x[:2500], theta[:2500], x[2500:], theta[2500:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=15, gamma=0.5)
    log = open(out / "mdn_log.jsonl", "w")
    for epoch in range(45):
        model.train()
        total = 0.0
        for idx in torch.randperm(2500, generator=g).split(100):
            loss = mdn_nll(model(tx[idx]), tt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() / 25
        sched.step()
        model.eval()
        with torch.no_grad():
            o = model(vx)
            vl = mdn_nll(o, vt).item()
            err = (o[1] - vt[:, None]).abs().min(1)[0].mean().item()
        log.write(json.dumps({"epoch": epoch, "nll": round(total, 4), "val_nll": round(vl, 4),
                              "val_best_mean_err": round(err, 4),
                              "lr": sched.get_last_lr()[0]}) + "\n")
        if epoch % 5 == 4:
            print(epoch, round(total, 4), round(vl, 4), round(err, 4))
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": epoch}, out / "mdn_cam.pt")
    finish(out, __file__, (vx[:128], vt[:128]), causes=[], checkpoint="mdn_cam.pt",
           log="mdn_log.jsonl",
           what="3-component MDN for a cam's inverse (angle from follower position) (healthy)")


if __name__ == "__main__":
    main()
