"""Plain torch: a multi-label MLP pre-screens sled dogs at a race checkpoint for the vet: from 24
numbers per dog (paw-pad temperature front and rear, stride asymmetry from the harness tag,
heart-rate recovery, gut sounds score, weight loss since the start, miles since last rest, ...)
it flags 4 findings at once: sore wrist, split webbing (needs booties), dehydration, tired.
Each finding is a threshold on a small combination of 2–3 features, so the flags are clean.
MLP 24-96-96-4, sigmoid outputs, Adam 2e-3, batch 64, 25 epochs of 2048 dog checks; the loss is
a hand-written binary cross-entropy.
The bug: ``p = torch.sigmoid(logits)`` then ``-(y * torch.log(p) + (1 - y) * torch.log(1 - p))``:
once the net is sure of a flag, ``p`` rounds to exactly 1.0 (or 0.0) in float32, the log is
``-inf`` and ``0 * -inf`` is NaN; the NaN gradient poisons every weight. The logged loss falls
0.47 → 0.12 over epochs 1–4 (val loss 0.45 → 0.115, val label accuracy 0.79 → 0.96), is 0.085
at step 136 and NaN from step 144 (epoch 5) on; val loss NaN and val label accuracy 0.7212 (the
share of 0 flags: NaN > 0.5 is False) at every epoch from 5 to 25. Control
(``nn.functional.binary_cross_entropy_with_logits``): no NaN, train loss 0.008, val loss
0.088, val label accuracy 0.967 at epoch 25."""
import sys

import torch
import torch.nn as nn


def dogs(n, g):
    x = torch.randn(n, 24, generator=g)
    y = torch.stack([x[:, 0] + 0.6 * x[:, 1] > 0.9,
                     x[:, 2] - x[:, 3] > 1.0,
                     0.8 * x[:, 4] + x[:, 5] - 0.5 * x[:, 6] > 0.7,
                     x[:, 7] + x[:, 8] > 0.6], 1).float()
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(24, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(),
                         nn.Linear(96, 4))


def bce(logits, y):
    p = torch.sigmoid(logits)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = dogs(2048, g)
    xva, yva = dogs(512, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = ["step,epoch,loss,val_loss,val_label_acc"]
    step = 0
    for epoch in range(1, 26):
        model.train()
        perm = torch.randperm(2048, generator=g)
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = bce(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                log.append(f"{step},{epoch},{loss.item():.5f},,")
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl = bce(lv, yva).item()
            va = ((torch.sigmoid(lv) > 0.5).float() == yva).float().mean().item()
        log[-1] = f"{step},{epoch},{loss.item():.5f},{vl:.5f},{va:.4f}"
        print(log[-1])
    (out / "vet_screen_log.csv").write_text("\n".join(log) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 25,
                "step": step}, out / "vet_screen.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="vet_screen.pt", log="vet_screen_log.csv",
           what="sled dog multi-label vet pre-screen MLP, hand-written BCE log(sigmoid) without clamp",
           complaint=("雪橇犬检查站的兽医预筛模型（4 个标签：腕部酸痛、脚蹼裂口、脱水、疲劳）："
                      "前 4 个 epoch 损失从 0.47 降到 0.12，验证准确率到了 0.96，然后从第 5 个 epoch"
                      "开始损失突然变成 nan，之后一直是 nan，验证准确率固定在 0.7212。Adam 2e-3，"
                      "batch 64。是学习率太大导致梯度爆炸了吗？"))


if __name__ == "__main__":
    main()
