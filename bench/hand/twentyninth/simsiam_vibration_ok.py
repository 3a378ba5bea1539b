"""SimSiam self-supervised pre-training on vibration windows (256 samples of an accelerometer
on a rotating machine; the shaft speed differs from window to window). Four machine states
make the windows differ, unlabelled during pre-training: normal (a weak 1× shaft tone),
imbalance (a strong 1×), misalignment (strong 2× and 3×) and an outer-race bearing fault
(decaying high-frequency rings repeating 3.6 times per shaft turn). Two views per window: a
random circular shift, gain 0.7–1.3, a zeroed 32-sample gap and sensor noise. Encoder: three
strided Conv1d + BatchNorm + ReLU blocks and a global average pool (64); projector
64 → 128 → 64 with BatchNorm (the last without affine), predictor 64 → 32 → 64; loss the
symmetric negative cosine with stop-gradient on the projections, ``D(p1, z2.detach()) / 2 +
D(p2, z1.detach()) / 2``. SGD 0.05 momentum 0.9, weight decay 5e-4, cosine decay for the
encoder and projector, a constant lr for the predictor (as in the paper), batch 128, 12
epochs over 2048 windows. After every epoch a linear probe (logistic regression on the
frozen, pooled encoder features of 400 labelled windows, 300 Adam steps) is scored on 400
other labelled windows; the log is JSON lines per epoch (loss, the per-dimension std of the
normalised projections × √64, probe accuracy), with the random encoder's probe first.
Healthy: the loss falls from −0.07 to −0.86 and still creeps; the projection std stays at
0.98 (a collapsed SimSiam drives it to 0); the probe goes from 0.695 (random encoder) to
0.80 after two epochs and ends at 0.82, where the same encoder trained on the labels
ends too (normal and bearing-fault windows drown in the same noise)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

W, STATES = 256, 4


def windows(n, g):
    y = torch.randint(0, STATES, (n,), generator=g)
    t = torch.arange(W, dtype=torch.float)
    x = 0.6 * torch.randn(n, W, generator=g)
    for i in range(n):
        f = 0.01 + 0.025 * float(torch.rand(1, generator=g))        # shaft, cycles / sample
        ph = 2 * math.pi * torch.rand(3, generator=g)
        if y[i] == 0:
            x[i] += 0.4 * torch.sin(2 * math.pi * f * t + ph[0])
        elif y[i] == 1:
            x[i] += 0.8 * torch.sin(2 * math.pi * f * t + ph[0])
        elif y[i] == 2:
            x[i] += (0.4 * torch.sin(2 * math.pi * f * t + ph[0])
                     + 0.4 * torch.sin(4 * math.pi * f * t + ph[1])
                     + 0.3 * torch.sin(6 * math.pi * f * t + ph[2]))
        else:
            x[i] += 0.4 * torch.sin(2 * math.pi * f * t + ph[0])
            period = 1.0 / (3.6 * f)
            start = float(torch.rand(1, generator=g)) * period
            for hit in torch.arange(start, W, period):
                k = t - hit
                ring = 0.6 * torch.exp(-k.clamp(min=0) / 4) * torch.sin(2 * math.pi * 0.3 * k)
                x[i] += torch.where(k >= 0, ring, torch.zeros(W))
    return x[:, None, :], y


def view(x, g):
    n = len(x)
    shift = torch.randint(0, W, (n,), generator=g)
    idx = (torch.arange(W)[None] + shift[:, None]) % W
    v = torch.gather(x[:, 0], 1, idx)
    v = v * (0.7 + 0.6 * torch.rand(n, 1, generator=g))
    gap = torch.randint(0, W - 32, (n,), generator=g)
    keep = ~((torch.arange(W)[None] >= gap[:, None]) & (torch.arange(W)[None] < gap[:, None] + 32))
    return (v * keep + 0.1 * torch.randn(n, W, generator=g))[:, None, :]


class SimSiam(nn.Module):
    def __init__(self):
        super().__init__()
        def block(cin, cout, k):
            return [nn.Conv1d(cin, cout, k, stride=2, padding=k // 2), nn.BatchNorm1d(cout),
                    nn.ReLU()]
        self.encoder = nn.Sequential(*block(1, 32, 9), *block(32, 64, 7), *block(64, 64, 5),
                                     nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.projector = nn.Sequential(nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128),
                                       nn.ReLU(), nn.Linear(128, 64, bias=False),
                                       nn.BatchNorm1d(64, affine=False))
        self.predictor = nn.Sequential(nn.Linear(64, 32, bias=False), nn.BatchNorm1d(32),
                                       nn.ReLU(), nn.Linear(32, 64))

    def forward(self, x1, x2):
        z1, z2 = self.projector(self.encoder(x1)), self.projector(self.encoder(x2))
        p1, p2 = self.predictor(z1), self.predictor(z2)
        return p1, p2, z1.detach(), z2.detach()


def simsiam_loss(p1, p2, z1, z2):
    return -(F.cosine_similarity(p1, z2, dim=-1).mean()
             + F.cosine_similarity(p2, z1, dim=-1).mean()) / 2


def probe(model, tx, ty, vx, vy):
    model.eval()
    with torch.no_grad():
        ftr, fva = model.encoder(tx), model.encoder(vx)
    mu, sd = ftr.mean(0), ftr.std(0) + 1e-6
    ftr, fva = (ftr - mu) / sd, (fva - mu) / sd
    torch.manual_seed(1)
    clf = nn.Linear(64, STATES)
    opt = torch.optim.Adam(clf.parameters(), lr=1e-2)
    for _ in range(300):
        loss = F.cross_entropy(clf(ftr), ty)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return (clf(fva).argmax(1) == vy).float().mean().item()


def build():
    torch.manual_seed(0)
    return SimSiam()


def main():
    from _twentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(2048 + 800, g)
    pre, (ptx, pty), (pvx, pvy) = x[:2048], (x[2048:2448], y[2048:2448]), (x[2448:], y[2448:])
    model = build()
    epochs, lr = 12, 0.05
    opt = torch.optim.SGD([{"params": list(model.encoder.parameters())
                            + list(model.projector.parameters()), "fix_lr": False},
                           {"params": model.predictor.parameters(), "fix_lr": True}],
                          lr=lr, momentum=0.9, weight_decay=5e-4)
    log = open(out / "simsiam_log.jsonl", "w")
    log.write(json.dumps({"epoch": -1, "probe_acc": round(probe(model, ptx, pty, pvx, pvy), 4)})
              + "\n")
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = lr if group["fix_lr"] else lr * 0.5 * (1 + math.cos(math.pi * epoch
                                                                              / epochs))
        model.train()
        losses, stds = [], []
        for idx in torch.randperm(2048, generator=g).split(128):
            x1, x2 = view(pre[idx], g), view(pre[idx], g)
            p1, p2, z1, z2 = model(x1, x2)
            loss = simsiam_loss(p1, p2, z1, z2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            stds.append((F.normalize(z1, dim=1).std(0).mean() * 64 ** 0.5).item())
        acc = probe(model, ptx, pty, pvx, pvy)
        rec = {"epoch": epoch, "loss": round(sum(losses) / len(losses), 4),
               "z_std": round(sum(stds) / len(stds), 4), "probe_acc": round(acc, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, flush=True)
    log.close()
    torch.save({"network": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "simsiam.pt")
    g2 = torch.Generator().manual_seed(1)
    finish(out, __file__, {"inputs": view(pvx[:128], g2), "x2": view(pvx[:128], g2),
                           "targets": pvy[:128]},
           causes=[], checkpoint="simsiam.pt", log="simsiam_log.jsonl",
           what="SimSiam on vibration windows, stop-gradient + predictor, linear probe logged "
                "(healthy)")


if __name__ == "__main__":
    main()
