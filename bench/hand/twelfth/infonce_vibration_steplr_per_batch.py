"""Self-supervised InfoNCE (SimCLR-style, one direction per view pair, temperature 0.2) on
vibration windows from 8 kinds of machine (a fundamental, two harmonics with machine-specific
weights, a resonance band, noise; 64 samples). Two views per window: a random gain, a random
circular shift of up to 8 samples, added noise. 1-D conv encoder (1->16->32, k 5, GroupNorm,
global average pool) + a 2-layer projection head to 32-d, Adam 1e-3, batch 64, 15 epochs.
Logged (JSON lines) per epoch: the mean train loss, the lr, the val loss and the val
view-retrieval top-1 (which of the 256 val second views is the first view's partner).
Bug: ``StepLR(step_size=3, gamma=0.5)`` ("halve every 3 epochs") is stepped inside the batch
loop, so the lr halves every 3 *batches* (40 per epoch): it is ~1e-7 after the first epoch
(1e-3 * 0.5^13): the train loss is 3.52 in epoch 0 and 3.40-3.42 from then on, the val loss
4.824 in every epoch, retrieval 0.25 (stepped per epoch: train loss 2.57 -> 1.49, val loss
3.32 -> 2.65, retrieval 0.43 -> 0.58)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

L_WIN, KINDS = 64, 8


def windows(n, g):
    kind = torch.randint(0, KINDS, (n,), generator=g)
    f0 = 2 + torch.rand(KINDS, generator=g) * 4
    harm = torch.rand(KINDS, 3, generator=g)
    band = 10 + torch.rand(KINDS, generator=g) * 15
    t = torch.arange(L_WIN).float()
    phase = torch.rand(n, 1, generator=g) * 2 * math.pi
    f = f0[kind][:, None] * (1 + 0.05 * torch.randn(n, 1, generator=g))
    x = sum(harm[kind][:, k:k + 1] * torch.sin(2 * math.pi * (k + 1) * f * t / L_WIN + phase)
            for k in range(3))
    x = x + 0.4 * torch.sin(2 * math.pi * band[kind][:, None] * t / L_WIN) * torch.rand(
        n, 1, generator=g)
    return x + 0.2 * torch.randn(n, L_WIN, generator=g), kind


def view(x, g):
    shift = int(torch.randint(-8, 9, (1,), generator=g))
    gain = 0.7 + 0.6 * torch.rand(len(x), 1, generator=g)
    return torch.roll(x, shift, 1) * gain + 0.15 * torch.randn(x.shape, generator=g)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.GroupNorm(4, 16), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.GroupNorm(4, 32), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 32))

    def features(self, x):
        return self.body(x[:, None]).mean(-1)

    def forward(self, x):
        return F.normalize(self.head(self.features(x)), dim=-1)


def info_nce(a, b, tau=0.2):
    logits = a @ b.T / tau
    return F.cross_entropy(logits, torch.arange(len(a)))


def build():
    torch.manual_seed(0)
    return Encoder()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, kind = windows(2816, g)
    tx, vx, vk = x[:2560], x[2560:], kind[2560:]
    va, vb = view(vx, g), view(vx, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    with open(out / "history.jsonl", "w") as f:
        for epoch in range(15):
            model.train()
            total, n = 0.0, 0
            for idx in torch.randperm(len(tx), generator=g).split(64):
                loss = info_nce(model(view(tx[idx], g)), model(view(tx[idx], g)))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()  # BUG: an epoch-sized StepLR stepped every batch
                total, n = total + loss.item(), n + 1
            model.eval()
            with torch.no_grad():
                za, zb = model(va), model(vb)
                val_loss = info_nce(za, zb).item()
                retrieval = (za @ zb.T).argmax(1).eq(torch.arange(len(va))).float().mean().item()
            row = {"epoch": epoch, "train_loss": total / n, "val_loss": val_loss,
                   "lr": opt.param_groups[0]["lr"], "val_retrieval_top1": retrieval}
            f.write(json.dumps(row) + "\n")
            print({k: round(v, 5) if isinstance(v, float) else v for k, v in row.items()})
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "lr_scheduler": sched.state_dict(), "epoch": epoch}, out / "encoder.pt")
    finish(out, __file__, (vx[:64], vk[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="encoder.pt", log="history.jsonl",
           what="InfoNCE 1-D conv encoder, epoch StepLR stepped per batch",
           complaint="对比学习的 loss 第一个 epoch 之后就完全不动了，训练 loss 一直 3.4 左右，"
                     "验证 loss 每个 epoch 都一模一样，检索准确率卡在 0.25，换了温度也没用")


if __name__ == "__main__":
    main()
