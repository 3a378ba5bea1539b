"""MoCo-style contrastive pre-training on synthetic 1-D signals (64 samples; 6 shapes: sine,
square, sawtooth, triangle, chirp, decaying burst, each with a random frequency, phase,
amplitude, offset and noise). Two random views per signal (circular shift, gain, added noise,
an 8-sample dropout window); a query encoder (three Conv1d + BatchNorm + ReLU, mean pool, 32-d
features, a 2-layer projection to 16-d), a momentum key encoder (m = 0.99), a queue of 1024
negatives, InfoNCE at temperature 0.2. SGD lr 0.1 momentum 0.9, weight decay 1e-4, batch 128,
3000 unlabelled signals, 12 epochs. After each epoch a closed-form ridge linear probe is fitted
on the frozen features of 600 labelled clean signals and scored on 400 others; the JSON-lines
log has ``loss`` every 10 steps and ``probe_train_acc`` / ``probe_acc`` per epoch.
Bug: ``fit_probe()`` calls ``net.eval()`` to extract features and ``net.train()`` is called
only once, above the epoch loop: from epoch 1 on the query encoder trains in eval mode, its
BatchNorm layers normalising with the running statistics frozen after epoch 0 while the key
encoder (a separate module, still in train mode) normalises with the batch's."""
import copy
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

LEN, SHAPES, QUEUE, TEMP, MOM = 64, 6, 1024, 0.2, 0.99


def signals(n, g):
    y = torch.randint(0, SHAPES, (n,), generator=g)
    t = torch.linspace(0, 1, LEN)
    u = torch.rand(n, 5, generator=g)
    freq, phase = 2 + 4 * u[:, :1], u[:, 1:2]
    amp, off = 0.5 + u[:, 2:3], 0.6 * (u[:, 3:4] - 0.5)
    cyc = (freq * t + phase) % 1.0
    waves = torch.stack([torch.sin(2 * torch.pi * cyc), torch.sign(cyc - 0.5), 2 * cyc - 1,
                         1 - 4 * (cyc - 0.5).abs(),
                         torch.sin(2 * torch.pi * (freq * t + 4 * t ** 2 + phase)),
                         torch.exp(-4 * t) * torch.sin(2 * torch.pi * 2 * freq * t)], 1)
    x = amp * waves[torch.arange(n), y] + off + 0.2 * torch.randn(n, LEN, generator=g)
    return x[:, None], y


def augment(x, g):
    n = len(x)
    shift = torch.randint(0, LEN, (n,), generator=g)
    idx = (torch.arange(LEN)[None] + shift[:, None]) % LEN
    x = x[:, 0].gather(1, idx)
    x = x * (0.7 + 0.6 * torch.rand(n, 1, generator=g)) + 0.15 * torch.randn(n, LEN, generator=g)
    start = torch.randint(0, LEN - 8, (n, 1), generator=g)
    hole = (torch.arange(LEN)[None] >= start) & (torch.arange(LEN)[None] < start + 8)
    return x.masked_fill(hole, 0.0)[:, None]


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3, bias=False), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, stride=2, padding=2, bias=False), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 32, 5, stride=2, padding=2, bias=False), nn.BatchNorm1d(32), nn.ReLU())
        self.proj = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 16))

    def features(self, x):
        return self.conv(x).mean(2)

    def forward(self, x):
        return F.normalize(self.proj(self.features(x)), dim=1)


class MoCoNet(nn.Module):
    """The query encoder and the linear probe fitted on its features (forward: probe logits)."""

    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.probe = nn.Linear(32, SHAPES)

    def forward(self, x):
        return self.probe(self.encoder.features(x))


def build():
    torch.manual_seed(0)
    return MoCoNet()


def fit_probe(net, px, py, vx, vy):
    net.eval()
    with torch.no_grad():
        f = net.encoder.features(px)
        mean, std = f.mean(0), f.std(0) + 1e-5
        a = torch.cat([(f - mean) / std, torch.ones(len(f), 1)], 1)
        w = torch.linalg.solve(a.T @ a + 1.0 * torch.eye(a.shape[1]),
                               a.T @ F.one_hot(py, SHAPES).float())
        net.probe.weight.copy_((w[:-1] / std[:, None]).T)
        net.probe.bias.copy_(w[-1] - (mean / std) @ w[:-1])
        train_acc = (net(px).argmax(1) == py).float().mean().item()
        return train_acc, (net(vx).argmax(1) == vy).float().mean().item()


def main():
    from _thirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ux, _ = signals(3000, g)
    px, py = signals(600, g)
    vx, vy = signals(400, g)
    net = build()
    key = copy.deepcopy(net.encoder).requires_grad_(False)
    queue = F.normalize(torch.randn(QUEUE, 16, generator=g), dim=1)
    ptr = 0
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    log = open(out / "moco_log.jsonl", "w")
    step = 0
    net.train()
    for epoch in range(12):
        for idx in torch.randperm(len(ux), generator=g).split(128):
            x = ux[idx]
            q = net.encoder(augment(x, g))
            with torch.no_grad():
                for pk, pq in zip(key.parameters(), net.encoder.parameters(), strict=True):
                    pk.mul_(MOM).add_(pq.detach(), alpha=1 - MOM)
                k = key(augment(x, g))
            pos = (q * k).sum(1, keepdim=True)
            neg = q @ queue.T
            logits = torch.cat([pos, neg], 1) / TEMP
            loss = F.cross_entropy(logits, torch.zeros(len(x), dtype=torch.long))
            opt.zero_grad()
            loss.backward()
            opt.step()
            n = len(k)
            queue[ptr:ptr + n] = k[:QUEUE - ptr]
            ptr = (ptr + n) % QUEUE
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch,
                                      "loss": round(loss.item(), 4)}) + "\n")
        tr_acc, acc = fit_probe(net, px, py, vx, vy)
        log.write(json.dumps({"step": step, "epoch": epoch, "probe_train_acc": round(tr_acc, 4),
                              "probe_acc": round(acc, 4)}) + "\n")
        print(epoch, round(loss.item(), 4), round(tr_acc, 4), round(acc, 4))
    log.close()
    torch.save({"query": net.state_dict(), "key": key.state_dict(), "queue": queue,
                "queue_ptr": ptr, "opt": opt.state_dict(), "epoch": epoch},
               out / "moco_signals.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["train_in_eval_mode"],
           checkpoint="moco_signals.pt", log="moco_log.jsonl",
           what="MoCo on 1-D signals (momentum key encoder, queue), the query encoder trains "
                "in eval mode after the first probe",
           complaint="MoCo pre-training on my sensor signals stalls: the InfoNCE loss hangs "
                     "around 5.3 from the second epoch on and the linear probe ends at 0.78, "
                     "hardly better than the 0.77 it had after one epoch")


if __name__ == "__main__":
    main()
