"""Airport weather office (meteorology): the ceilometer's attenuated-backscatter profile (128
range gates of 15 m, log10 backscatter, standardised by the climatology of the gate) every
minute; the forecasters want the low-visibility state for the TAF: 0 clear, 1 fog (strong
backscatter from the ground, attenuated within ~200 m), 2 low stratus (a cloud base at
150–1000 m, clear below), 3 drizzle / rain (a cloud base plus a weaker return reaching the
ground). A 1-D CNN (3 conv blocks, average pool, linear head), SGD lr 0.05 momentum 0.9,
micro-batches of 16, 12 epochs.
Bug: the script accumulates gradients over 8 micro-batches ("effective batch 128", as on the
workstation) with ``loss.backward()`` on every micro-batch and ``opt.step()`` every 8th, but the
loss is not divided by 8, at the lr tuned for plain batches of 16 → the step is 8 times too big
→ grad_accum_unscaled.
Run: epoch train loss 1.71, 2.26, 1.53, 3.14, 2.01, 1.47, 33.9 (epoch 7), then 1.48 → 1.389
(ln 4 = 1.386); val loss 23.6 at epoch 3, 3.78 at epoch 8, 1.40 at the end; val acc 0.22–0.31
(0.08 at epoch 8), 0.22 at the end: the net ends dead at the prior.
Control (``(loss / ACCUM).backward()``): val acc 0.22 → 0.54 → 0.85 (epoch 3) → 1.00 from
epoch 7, val loss 0.0026, train loss 0.0019 (a wobble at epochs 4–6: val loss 0.53, 1.28)."""
import json
import sys

import torch
import torch.nn.functional as F
from torch import nn

GATES, ACCUM = 128, 8
STATES = ["clear", "fog", "low_stratus", "drizzle_rain"]


def profiles(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    z = torch.arange(GATES).float() * 15.0
    x = 0.35 * torch.randn(n, GATES, generator=g) - 0.002 * z   # molecular + aerosol decay
    for i in range(n):
        c = int(y[i])
        if c == 1:
            depth = 60 + 150 * float(torch.rand(1, generator=g))
            x[i] += 2.5 * torch.exp(-z / depth)
        elif c in (2, 3):
            base = 150 + 850 * float(torch.rand(1, generator=g))
            x[i] += 3.0 * torch.exp(-((z - base) / 40).clamp(min=0)) * (z >= base - 30)
            if c == 3:
                x[i] += (0.8 + 0.4 * float(torch.rand(1, generator=g))) * (z < base)
    return x.unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
        nn.Linear(32, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = profiles(2048, g)
    xva, yva = profiles(512, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    log = open(out / "ceilo_metrics.jsonl", "w")
    step = 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        run, seen = 0.0, 0
        opt.zero_grad()
        for k, i in enumerate(range(0, len(xtr), 16)):
            idx = perm[i:i + 16]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
            run += loss.item() * len(idx)
            seen += len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rec = {"epoch": epoch + 1, "opt_step": step, "loss_train": round(run / seen, 4),
                   "loss_val": round(F.cross_entropy(lv, yva).item(), 4),
                   "acc_val": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 12, "accum_steps": ACCUM, "micro_batch": 16, "classes": STATES},
               out / "ceilo_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="ceilo_cnn.pth", log="ceilo_metrics.jsonl",
           what="ceilometer backscatter fog/stratus CNN, 8-step gradient accumulation without "
                "dividing the loss, SGD lr tuned for batch 16",
           complaint="机场云高仪的雾/低云分类模型训练很不稳定。为了和工作站上的 batch 128 一致，我用 16 的小批次"
                     "累积 8 次梯度再 step，SGD lr 0.05、momentum 0.9（这个学习率以前用 batch 16 调好的）。"
                     "每个 epoch 的训练损失忽高忽低：1.71、2.26、1.53、3.14，第 7 个 epoch 平均到了 33.9；"
                     "第 3 个 epoch 验证损失 23.6。之后训练损失停在 1.389 不动，12 个 epoch 后验证准确率"
                     "只有 0.22，四类里比瞎猜还差。")


if __name__ == "__main__":
    main()
