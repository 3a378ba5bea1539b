"""Eclipse flag for a 3U CubeSat from one telemetry frame (synthetic): six coarse sun-sensor
currents (one per face, cosine of the sun angle, clipped at 0, plus albedo and noise), four
solar-panel currents, a battery current (charging in sun, discharging in eclipse) and two
panel temperatures that lag behind; ~38 % of the frames are in eclipse (flag from the orbit
propagator).
An MLP (13 → 64 → 64 → 1), Adam 1e-3, batch 64, 15 epochs of 3000 frames; a CSV log per
epoch, written with ``print`` to a file.
Bug: the loss is a hand-written binary cross-entropy on ``p = torch.sigmoid(logit)``:
``-(y * torch.log(p) + (1 - y) * torch.log(1 - p))`` with no clamp/eps. The classes separate
almost perfectly, the logits grow, and once a logit passes ~17, ``sigmoid`` rounds to exactly 1.0
in float32: ``log(1 - p) = -inf``, times ``1 - y = 0`` is NaN, and Adam writes NaN into every
weight. Train BCE 0.444, 0.092, 0.024, 0.011, 0.006, 0.0035, 0.0023, 0.0016, then NaN from epoch
8 on (val BCE NaN from epoch 6, where the largest val logit passed 16.7; val accuracy 0.9987 →
0.596, every frame "sunlit"). The control (``p.clamp(1e-6, 1 - 1e-6)``) trains to train BCE
0.0003, val accuracy 1.000."""
import sys

import torch
import torch.nn as nn


def frames(n, g):
    ecl = (torch.rand(n, generator=g) < 0.38).float()
    sun = torch.randn(n, 3, generator=g)
    sun = sun / sun.norm(dim=1, keepdim=True)
    faces = torch.cat([sun, -sun], 1).clamp(min=0)  # +X +Y +Z -X -Y -Z
    lit = 1 - ecl[:, None]
    css = faces * lit * 1.2 + 0.08 * torch.rand(n, 6, generator=g) + 0.03 * torch.randn(n, 6, generator=g)
    panels = faces[:, [0, 1, 3, 4]] * lit * 2.0 + 0.05 * torch.randn(n, 4, generator=g)
    batt = torch.where(ecl > 0, -0.6, 0.4 + 0.6 * faces.sum(1)) + 0.5 * torch.randn(n, generator=g)
    temp = torch.where(ecl > 0, -5.0, 15.0)[:, None] + 12 * torch.randn(n, 2, generator=g)
    x = torch.cat([css, panels, batt[:, None], temp / 10], 1)
    return x, ecl


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def bce(logit, y):
    p = torch.sigmoid(logit).squeeze(1)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def main():
    from _hundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(3000, g)
    xva, yva = frames(800, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    logf = open(out / "eclipse_train.csv", "w")
    print("epoch,step,train_bce,val_bce,val_acc,max_abs_logit", file=logf)
    step = 0
    for epoch in range(15):
        model.train()
        perm = torch.randperm(3000, generator=g)
        tot, nb = 0.0, 0
        for i in range(0, 3000, 64):
            idx = perm[i:i + 64]
            logit = model(xtr[idx])
            loss = bce(logit, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, nb, step = tot + loss.item(), nb + 1, step + 1
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = bce(lo, yva).item()
            acc = ((lo.squeeze(1) > 0).float() == yva).float().mean().item()
        row = f"{epoch},{step},{tot / nb:.5f},{vl:.5f},{acc:.4f},{lo.abs().max().item():.2f}"
        print(row, file=logf, flush=True)
        print(row, file=sys.stderr)
    logf.close()
    torch.save({"state_dict": model.state_dict(), "optim": opt.state_dict(), "epoch": 15,
                "step": step}, out / "eclipse_mlp_last.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="eclipse_mlp_last.pth", log="eclipse_train.csv",
           what="CubeSat eclipse classifier, hand-written BCE with log(sigmoid) and no clamp",
           complaint="我们立方星的地影（eclipse）分类器前几个 epoch 很好，验证准确率到了 0.9987，"
                     "loss 降到 0.002 左右，可是第 6 个 epoch 验证 loss 变成 nan，第 8 个 epoch "
                     "训练 loss 也变成 nan，之后准确率掉到 0.596，所有帧都判成日照。"
                     "学习率只有 1e-3，数据也没有问题，这是为什么？")


if __name__ == "__main__":
    main()
