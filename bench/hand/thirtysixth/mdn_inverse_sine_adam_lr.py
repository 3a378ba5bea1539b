"""Mixture density network on the inverse of a noisy sine (Bishop's toy problem): t uniform on
[0, 1], x = t + 0.3 sin(2πt) + N(0, 0.02²), and the net predicts t from x, a target that has up
to three values for one x. MLP 1 → 48 → 48 (tanh) with three heads for 3 Gaussian components
(mixing logits, means, log σ), NLL via logsumexp. Adam, batch 100, 30 epochs; a JSON-lines
log: ``nll`` every 10 iterations, ``val_nll`` and ``val_mode_err`` (distance from the target to
the nearest component mean) per epoch.
Bug: ``LR = 0.3`` (the value from the author's sklearn SGDRegressor notebook; Adam wants about
3e-3, 100× less): the first steps saturate the tanh body, one component takes all the mixing
weight with its σ pinned at the clamp, the output no longer depends on x and the NLL jumps
about in the tens of thousands."""
import json

import torch
import torch.nn as nn

K = 3
LR = 0.3


def inverse_sine(n, g):
    t = torch.rand(n, 1, generator=g)
    x = t + 0.3 * torch.sin(2 * torch.pi * t) + 0.02 * torch.randn(n, 1, generator=g)
    return x, t


class MDN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, 48), nn.Tanh(), nn.Linear(48, 48), nn.Tanh())
        self.pi = nn.Linear(48, K)
        self.mu = nn.Linear(48, K)
        self.log_sigma = nn.Linear(48, K)

    def forward(self, x):
        h = self.body(x)
        return self.pi(h), self.mu(h), self.log_sigma(h).clamp(-7, 3)


def mdn_nll(out, t):
    logit_pi, mu, log_sigma = out
    log_pi = torch.log_softmax(logit_pi, 1)
    z = (t - mu) / log_sigma.exp()
    log_n = -0.5 * z ** 2 - log_sigma - 0.5 * torch.log(torch.tensor(2 * torch.pi))
    return -torch.logsumexp(log_pi + log_n, 1).mean()


def build():
    torch.manual_seed(0)
    return MDN()


def main():
    from _thirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, t = inverse_sine(3000, g)
    tx, tt, vx, vt = x[:2500], t[:2500], x[2500:], t[2500:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    log = open(out / "mdn_log.jsonl", "w")
    it = 0
    for epoch in range(30):
        model.train()
        for idx in torch.randperm(2500, generator=g).split(100):
            loss = mdn_nll(model(tx[idx]), tt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                log.write(json.dumps({"it": it, "nll": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            o = model(vx)
            vl = mdn_nll(o, vt).item()
            err = (vt - o[1]).abs().min(1).values.mean().item()
        log.write(json.dumps({"it": it, "epoch": epoch, "val_nll": round(vl, 4),
                              "val_mode_err": round(err, 4)}) + "\n")
        print(epoch, round(loss.item(), 4), round(vl, 4), round(err, 4))
    log.close()
    torch.save({"mdn": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch, "it": it},
               out / "mdn_ckpt.pt")
    finish(out, __file__, (vx[:256], vt[:256]), causes=["lr_too_high"],
           checkpoint="mdn_ckpt.pt", log="mdn_log.jsonl",
           what="mixture density network (3 Gaussians) on the inverse sine, Adam lr 0.3",
           complaint="混合密度网络的负对数似然一直是几万到几十万，上下乱跳降不下去；训练完以后"
                     "不管输入什么 x，输出的分量均值都一样，根本学不到反函数的三个分支")


if __name__ == "__main__":
    main()
