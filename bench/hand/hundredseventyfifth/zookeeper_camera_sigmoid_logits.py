"""Plain torch: a small transformer encoder classifies what an animal in a zoo enclosure is
doing over a 2-minute window (resting, foraging, stereotypic pacing, social play, exploring)
from 32 time steps of 6 tracking features a zookeeper's overhead camera produces (speed,
turning rate, distance to the fence, distance to the nearest conspecific, head-down fraction,
x-position along the fence). Each behaviour has its own temporal signature (pacing = periodic
back-and-forth along the fence, foraging = slow with head down, play = fast near another
animal, ...), plus noise and random individual speed scale.
Linear(6→32) + learned positions, 2 TransformerEncoder layers (4 heads, ff 64), mean pool,
Linear(32→5); AdamW 2e-3, batch 64, 10 epochs of 1024 windows; CrossEntropyLoss.
The bug: ``forward`` returns ``torch.sigmoid(self.head(h))`` ("scores in 0..1") and that goes
into ``nn.CrossEntropyLoss``, which applies its own softmax: the logits are squashed into (0, 1),
so no class can be more than e times as likely as another and the loss has a floor of
-log(e / (e + 4)) = 0.905; the sigmoid also saturates the gradient. Numbers: train loss 1.44 →
0.922, val loss 1.256 → 0.919 (epochs 1–10), crawling towards the floor; val accuracy 0.83,
0.94, 0.81, 0.95 and 1.00 from epoch 5 on. Control (return ``self.head(h)``): val loss 0.566
after epoch 1, 0.051 at 3, 0.0049 at 10 (train 0.0067), val accuracy 1.00 from epoch 3."""
import json

import torch
import torch.nn as nn

T = 32


def windows(n, g):
    t = torch.arange(T).float().view(1, T)
    y = torch.randint(0, 5, (n,), generator=g)
    k = y.view(n, 1)
    scale = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    ph = 6.28 * torch.rand(n, 1, generator=g)
    per = 6 + 4 * torch.rand(n, 1, generator=g)
    sp = torch.where(k == 0, 0.1, torch.where(k == 1, 0.4, torch.where(k == 2, 1.0,
                     torch.where(k == 3, 1.6, 0.8)))) * scale
    speed = sp + 0.3 * torch.randn(n, T, generator=g) * scale
    turn = torch.where(k == 2, 1.5 * (torch.sin(6.28 * t / per + ph) > 0.9).float(),
                       torch.where(k == 3, 0.8, 0.3) * torch.rand(n, T, generator=g))
    fence = torch.where(k == 2, 0.2, 1.0 + torch.rand(n, 1, generator=g)) + 0.2 * torch.randn(
        n, T, generator=g)
    mate = torch.where(k == 3, 0.3, 1.5 * torch.rand(n, 1, generator=g) + 0.5) + 0.2 * torch.randn(
        n, T, generator=g)
    head = torch.where(k == 1, 0.7, torch.where(k == 4, 0.35, 0.1)) + 0.15 * torch.randn(
        n, T, generator=g)
    xpos = torch.where(k == 2, torch.sin(6.28 * t / per + ph), 0.3 * torch.randn(n, T, generator=g)
                       .cumsum(1) / 4)
    return torch.stack([speed, turn, fence, mate, head, xpos], 2), y


class BehaviourNet(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.inp = nn.Linear(6, d)
        self.pos = nn.Parameter(torch.zeros(1, T, d))
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, 5)

    def forward(self, x):
        h = self.enc(self.inp(x) + self.pos).mean(1)
        return torch.sigmoid(self.head(h))


def build():
    torch.manual_seed(0)
    return BehaviourNet()


def main():
    from _hundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g)
    xva, yva = windows(320, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "behaviour.jsonl", "w") as f:
        for ep in range(10):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                out_va = model(xva)
            rec = {"ep": ep, "loss_train": round(tot / 1024, 4),
                   "loss_val": round(loss_fn(out_va, yva).item(), 4),
                   "acc_val": round((out_va.argmax(1) == yva).float().mean().item(), 4)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "ep": 9},
               out / "behaviour_tf.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="behaviour_tf.pt", log="behaviour.jsonl",
           what="zoo-behaviour transformer whose forward returns sigmoid(logits) into"
                " CrossEntropyLoss",
           complaint=("动物园行为识别模型（休息/觅食/刻板踱步/社交玩耍/探索 五类）验证准确率已经 100% 了，"
                      "但是 loss 怎么也降不下去：训练 10 个 epoch，验证 loss 从 1.256 只降到 0.919，"
                      "训练 loss 0.922，最后几个 epoch 几乎不动。准确率都满分了 loss 为什么还这么高？"
                      "模型输出的概率看起来也很平，最大的也就 0.4 左右。要不要再多训练一些 epoch？"))


if __name__ == "__main__":
    main()
