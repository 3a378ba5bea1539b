"""Plain torch: a GRU tags each minute of a sushi counter's rice log (the seasoned rice cooling in
the wooden tub after the vinegar goes in) as too hot to shape (0), ready (1) or past it (2: too
cold or dried out), so the itamae knows when to start shaping nigiri and when a tub must be
replaced. Per minute the tub's probe gives the rice temperature (±0.7 °C), and the log notes
whether the apprentice was fanning and whether the damp cloth was on. The rice cools towards
the room (20-28 °C) from 55-70 °C, much faster while fanned and slower under the cloth; it
loses moisture while uncovered (faster fanned), which is not measured. Ready: 30-40 °C and
moisture loss under the limit; past it: below 30 °C or dried. Tubs are logged 8-40 minutes and
padded with zeros to 72 minutes; tags padded with 0. Input per minute: ((°C - 40) / 15, fan,
cloth).
Model: GRU 3→48, 1 layer → linear 48→3 per minute; cross entropy, SGD 0.1 momentum 0.9, batch
32, 960 tubs, validation on 240, 10 epochs.
The bug: the loss is ``F.cross_entropy(logits.flatten(0, 1), tags.flatten())`` over all 72
minutes, padding included (two thirds of the minutes are padding, their all-zero input looks
like an unfanned uncovered tub at 40 °C and their tag says "too hot"): the loss as logged 0.463
→ 0.060, but on the logged minutes val CE 0.593 → 0.155, val acc 0.768 → 0.9365, ready minutes
found 0.297 → 0.867. Control (loss over the logged minutes only, ``logits[mtr[b]],
tags[mtr[b]]``): loss 0.557 → 0.112, val CE 0.205 → 0.120, val acc 0.928 → 0.950, ready found
0.885 → 0.866.
Log: JSON lines per epoch ``tub_minutes.jsonl`` (``epoch`` / ``loss`` (the training loss as
computed) / ``val_loss`` (logged minutes) / ``val_acc`` / ``val_acc_ready``); checkpoint
``rice_gru.pth`` with keys ``state`` / ``optim`` / ``epoch`` / ``max_minutes`` / ``tags``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 72
TAGS = ["too_hot", "ready", "past_it"]


def tubs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = torch.randint(8, 41, (n,), generator=g)
    room = 20 + 8 * r(n)
    temp = 55 + 15 * r(n)
    dry = torch.zeros(n)
    fan_habit = 0.2 + 0.6 * r(n)
    x = torch.zeros(n, T, 3)
    tags = torch.zeros(n, T, dtype=torch.long)
    fan = (r(n) < fan_habit).float()
    cloth = torch.zeros(n)
    for k in range(T):
        fan = torch.where(r(n) < 0.25, (r(n) < fan_habit).float(), fan)
        cloth = torch.where(r(n) < 0.15, 1 - cloth, cloth)
        rate = 0.04 * (1 + 2.5 * fan) * (1 - 0.5 * cloth)
        temp = room + (temp - room) * torch.exp(-rate)
        dry = dry + (1 - cloth) * (0.5 + fan)
        tag = torch.where(temp > 40, 0, torch.where((temp < 30) | (dry > 14), 2, 1))
        live = k < length
        x[:, k] = torch.stack([(temp + 0.7 * torch.randn(n, generator=g) - 40) / 15, fan, cloth],
                              1) * live[:, None]
        tags[:, k] = tag * live
    mask = torch.arange(T)[None] < length[:, None]
    return x, tags, mask


class RiceGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.out = nn.Linear(48, 3)

    def forward(self, x):
        return self.out(self.gru(x)[0])


def build():
    torch.manual_seed(0)
    return RiceGRU()


def main():
    from _threehundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ttr, mtr = tubs(960, g)
    xva, tva, mva = tubs(240, g)
    print("padding share", 1 - mtr.float().mean().item(), "tags", torch.bincount(ttr[mtr]))
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    with open(out / "tub_minutes.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(xtr))
            tot, nb = 0.0, 0
            for i in range(0, len(xtr), 32):
                b = perm[i:i + 32]
                logits, tags = model(xtr[b]), ttr[b]
                loss = F.cross_entropy(logits.flatten(0, 1), tags.flatten())  # per-minute tags
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pred = lv.argmax(-1)
            rec = {"epoch": epoch, "loss": round(tot / nb, 5),
                   "val_loss": round(F.cross_entropy(lv[mva], tva[mva]).item(), 5),
                   "val_acc": round((pred[mva] == tva[mva]).float().mean().item(), 4),
                   "val_acc_ready": round((pred[mva & (tva == 1)] == 1).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state": model.state_dict(), "optim": opt.state_dict(), "epoch": 10,
                "max_minutes": T, "tags": TAGS}, out / "rice_gru.pth")
    finish(out, __file__, (xva[:64], tva[:64]), causes=["loss_ignores_padding"],
           checkpoint="rice_gru.pth", log="tub_minutes.jsonl",
           what="GRU tagging each minute of a sushi rice tub log (too hot / ready / past it);"
                " the cross entropy also counts the zero-padded minutes",
           complaint="我们用 GRU 给寿司饭桶的每分钟记录打标签（太热 / 可以捏 / 已过），训练"
                     " loss 很好看，10 个 epoch 从 0.46 降到 0.06，可是验证"
                     "集上的交叉熵最后还有 0.155，是训练 loss 的两倍多，第一个 epoch"
                     " 验证 loss 0.59 反而比训练 0.46 高。“可以捏”这一类前两个 e"
                     "poch 几乎找不到（0.30、0.51），最后也只有 0.87。验证集和训练集"
                     "是同一个程序生成的，没有 NaN。这是过拟合吗？要不要加 dropout？")


if __name__ == "__main__":
    main()
