"""RealNVP on 2-D points: two noisy concentric rings (radius 1 and 2.5, 60/40 mix). Eight
affine coupling layers alternating which coordinate they change; each conditioner is an MLP
1-64-64-2 giving a log-scale (``tanh`` times a learned per-layer factor) and a shift. Standard
normal base, Adam 1e-3 with a 100-step linear warm-up, batch 256, 1600 steps; JSON-lines log
every 100 steps (train NLL of the last 100 batches, val NLL on 1000 held-out points, the mean
log-determinant). The NLL is written ``-(log_pz - log_det)``: the change-of-variables term
enters with the wrong sign, so the flow is rewarded for squeezing the data into a point."""

import json
import math

import torch
import torch.nn as nn

STEPS = 1600


def rings(n, g):
    outer = torch.rand(n, generator=g) < 0.4
    r = torch.where(outer, 2.5, 1.0) + 0.1 * torch.randn(n, generator=g)
    a = 2 * math.pi * torch.rand(n, generator=g)
    return torch.stack([r * torch.cos(a), r * torch.sin(a)], 1)


class Coupling(nn.Module):
    def __init__(self, flip):
        super().__init__()
        self.flip = flip
        self.net = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 2))
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, x):
        a, b = (x[:, 1:], x[:, :1]) if self.flip else (x[:, :1], x[:, 1:])
        s, t = self.net(a).chunk(2, 1)
        s = self.scale * torch.tanh(s)
        b = b * torch.exp(s) + t
        out = torch.cat([b, a], 1) if self.flip else torch.cat([a, b], 1)
        return out, s.sum(1)


class RealNVP(nn.Module):
    def __init__(self, n_layers=8):
        super().__init__()
        self.layers = nn.ModuleList(Coupling(i % 2 == 1) for i in range(n_layers))

    def forward(self, x):
        log_det = torch.zeros(len(x))
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return x, log_det


def build():
    torch.manual_seed(0)
    return RealNVP()


def nll(model, x):
    z, log_det = model(x)
    log_pz = -0.5 * (z ** 2).sum(1) - math.log(2 * math.pi)
    return -(log_pz - log_det).mean(), log_det.mean()  # change of variables


def main():
    from _nineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = rings(8000, g), rings(1000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100))
    log = open(out / "flow_log.jsonl", "w")
    window = []
    for step in range(1, STEPS + 1):
        idx = torch.randint(0, len(train), (256,), generator=g)
        loss, _ = nll(model, train[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        window.append(loss.item())
        if step % 100 == 0:
            with torch.no_grad():
                vl, ld = nll(model, val)
            rec = {"step": step, "train_nll": round(sum(window) / len(window), 4),
                   "val_nll": round(vl.item(), 4), "log_det": round(ld.item(), 4),
                   "lr": opt.param_groups[0]["lr"]}
            log.write(json.dumps(rec) + "\n")
            print(rec)
            window = []
    log.close()
    torch.save({"flow": model.state_dict(), "opt": opt.state_dict(), "step": STEPS},
               out / "realnvp.pt")
    finish(out, __file__, (val[:256], torch.zeros(256)), causes=["loss_sign_error"],
           checkpoint="realnvp.pt", log="flow_log.jsonl",
           what="RealNVP on two rings: NLL written as -(log p(z) - log det), the "
                "log-determinant's sign flipped",
           complaint="my RealNVP's NLL keeps going down, way below zero, but samples from "
                     "it look nothing like the rings")


if __name__ == "__main__":
    main()
