"""Conditional flow matching on a synthetic 2-D mixture: 8 Gaussians on a ring of radius 3
(std 0.25) plus a thin bar through the middle. Linear (rectified-flow) paths
x_t = (1 - t) x0 + t x1 with x0 ~ N(0, I), target velocity x1 - x0; an MLP v(x_t, t)
(3 + 16 sinusoidal time features → 128 → 128 → 128 → 2, SiLU), Adam 2e-3 with cosine decay,
batch 256, 1500 steps. The log (JSON lines) holds the flow-matching loss every 25 steps and,
every 250 steps, a held-out loss and the sliced Wasserstein distance between 1000 Euler-sampled
points (20 steps) and 1000 data points. Healthy: the CFM loss cannot go to zero (the
conditional target x1 - x0 is noisy around the marginal velocity; it sits at 5.8–6.6 from step
250 on), so the loss looks stuck and noisy, while the samples' sliced W1 is 0.96 for the
untrained net and 0.15–0.22 from step 250 on (two independent 1000-point data samples: 0.10)."""
import json
import math

import torch
import torch.nn as nn


def mixture(n, g):
    k = torch.randint(0, 9, (n,), generator=g)
    ang = k.float() * (2 * math.pi / 8)
    centre = torch.stack([3 * ang.cos(), 3 * ang.sin()], 1)
    pts = centre + 0.25 * torch.randn(n, 2, generator=g)
    bar = k == 8
    pts[bar] = torch.stack([torch.rand(int(bar.sum()), generator=g) * 3 - 1.5,
                            0.1 * torch.randn(int(bar.sum()), generator=g)], 1)
    return pts


def time_features(t):
    freqs = torch.arange(1, 9, dtype=torch.float32) * math.pi
    return torch.cat([t, (t * freqs).sin(), (t * freqs).cos()], 1)


class Velocity(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2 + 17, 128), nn.SiLU(), nn.Linear(128, 128),
                                 nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 2))

    def forward(self, xt, t):
        return self.net(torch.cat([xt, time_features(t)], 1))


def cfm_loss(model, x1, g):
    x0 = torch.randn(x1.shape, generator=g)
    t = torch.rand(len(x1), 1, generator=g)
    xt = (1 - t) * x0 + t * x1
    return ((model(xt, t) - (x1 - x0)) ** 2).sum(1).mean()


@torch.no_grad()
def sample(model, n, g, steps=20):
    x = torch.randn(n, 2, generator=g)
    for i in range(steps):
        t = torch.full((n, 1), i / steps)
        x = x + model(x, t) / steps
    return x


def sliced_w1(a, b, g, proj=64):
    d = torch.randn(2, proj, generator=g)
    d = d / d.norm(dim=0)
    pa, pb = (a @ d).sort(0).values, (b @ d).sort(0).values
    return (pa - pb).abs().mean().item()


def build():
    torch.manual_seed(0)
    return Velocity()


def main():
    from _fiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data, held = mixture(20000, g), mixture(2000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 1500, eta_min=1e-4)
    log = open(out / "cfm_log.jsonl", "w")
    for step in range(1, 1501):
        x1 = data[torch.randint(0, len(data), (256,), generator=g)]
        loss = cfm_loss(model, x1, g)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 25 == 0:
            row = {"step": step, "cfm_loss": round(loss.item(), 4), "lr": sched.get_last_lr()[0]}
            if step % 250 == 0:
                with torch.no_grad():
                    row["heldout_cfm"] = round(cfm_loss(model, held, g).item(), 4)
                row["sample_sw1"] = round(sliced_w1(sample(model, 1000, g), held[:1000], g), 4)
                print(row)
            log.write(json.dumps(row) + "\n")
    log.close()
    torch.save({"velocity_net": model.state_dict(), "adam": opt.state_dict(),
                "cosine": sched.state_dict(), "global_step": step},
               out / "flow_step1500.pt")
    x1 = held[:256]
    x0 = torch.randn(x1.shape, generator=g)
    t = torch.rand(256, 1, generator=g)
    finish(out, __file__, {"inputs": (1 - t) * x0 + t * x1, "t": t, "targets": x1 - x0},
           causes=[], checkpoint="flow_step1500.pt", log="cfm_log.jsonl",
           what="conditional flow matching MLP on a 2-D ring mixture (healthy)")


if __name__ == "__main__":
    main()
