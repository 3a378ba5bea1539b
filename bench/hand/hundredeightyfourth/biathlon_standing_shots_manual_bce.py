"""Plain torch: an MLP predicts which of the five targets a biathlete hits in the standing stage
(five sigmoid outputs, multi-label) from 14 numbers the rifle sensor and heart-rate strap log on
the approach and in the first seconds at the mat: heart rate on entry and its drop, breathing
rate, rifle-barrel sway (x, y), trigger-pull time, time on the mat, wind speed and direction,
and five per-target aim offsets. A shot hits when the aim offset plus sway and wind drift stays
inside the target and the heart rate is settled enough; easy shots are near-certain hits.
MLP 14-128-128-5, Adam 3e-3, batch 64, 30 epochs of 2048 athlete stages.
The bug: the loss is written out by hand as
``-(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()`` on ``p = torch.sigmoid(logits)``;
once the net is confident on the easy shots a logit passes ~17, the float32 sigmoid rounds to
exactly 1.0, ``log(1 - p)`` is ``-inf`` and the backward pass fills the weights with NaN; every
loss after that is NaN. Here: step 574 loss 0.126, step 575 NaN (epoch 17 of 30); val
per-shot accuracy 0.884 at step 544, 0.567 (everything "miss") from step 576 on. Control
(``F.binary_cross_entropy(p, y)``, which clamps the log): 30 epochs, train loss 0.135, val BCE
0.313, val per-shot accuracy 0.884."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def stages(n, g):
    x = torch.randn(n, 14, generator=g)
    hr = x[:, 0] - 0.6 * x[:, 1]
    sway = (x[:, 3] ** 2 + x[:, 4] ** 2).sqrt()
    drift = 0.5 * x[:, 7] * torch.cos(x[:, 8])
    miss = ((x[:, 9:14] + drift[:, None]).abs() * 1.6 + 0.5 * sway[:, None]
            + 0.4 * hr[:, None] + 0.2 * x[:, 2:3] + 0.3 * x[:, 5:6])
    y = (miss + 0.15 * torch.randn(n, 5, generator=g) < 1.6).float()
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, 5))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stages(2048, g)
    xva, yva = stages(512, g)
    print("hit rate", ytr.mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "steps.jsonl", "w") as log:
        for epoch in range(30):
            perm = torch.randperm(2048, generator=g)
            for i in range(0, 2048, 64):
                idx = perm[i:i + 64]
                y = ytr[idx]
                p = torch.sigmoid(model(xtr[idx]))
                loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                rec = {"step": step, "epoch": epoch, "bce": round(loss.item(), 5)}
                if step % 32 == 0:
                    with torch.no_grad():
                        lv = model(xva)
                    rec["val_bce"] = round(F.binary_cross_entropy_with_logits(lv, yva).item(), 5)
                    rec["val_shot_acc"] = round(((lv > 0).float() == yva).float().mean().item(), 4)
                    print(rec)
                log.write(json.dumps(rec) + "\n")
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "global_step": step, "epoch": 30}, out / "standing_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="standing_mlp.pt", log="steps.jsonl",
           what="biathlon standing-shot multi-label MLP with a hand-written sigmoid BCE that"
                " takes log(0)",
           complaint=("冬季两项立射命中预测（5个靶，多标签）：前17个epoch训练正常，loss降到0.12左右，"
                      "验证集单发准确率0.89。然后第575步loss突然变成NaN，之后全部是NaN，"
                      "验证准确率掉到0.57（全部预测脱靶）。学习率3e-3，没有改过数据。"
                      "这是怎么回事？"))


if __name__ == "__main__":
    main()
