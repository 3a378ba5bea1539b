"""Plain torch: a 1-D CNN (no BatchNorm) names the turn a ballet dancer performs (pirouette en
dehors, pirouette en dedans, fouetté, chaînés) from 1.6 s of an ankle IMU (gyro around the
vertical axis, two accelerometer axes; 60 Hz → 96 samples). The classes differ in the sign and
rhythm of the spin rate and in the leg whip a fouetté adds on every turn; dancers differ in
tempo (±20 %), turn count, amplitude and sensor noise. Conv(3→16, k7)-ReLU-pool,
Conv(16→32, k5)-ReLU-pool, Conv(32→32, k3)-ReLU, global average pool, Linear(32→4); SGD
momentum 0.9, lr 0.02, batch 32, 20 epochs of 768 windows, ``ExponentialLR`` stepped once per
epoch.
The bug: the scheduler is ``ExponentialLR(opt, gamma=0.1)`` (the 0.1 of a StepLR habit), so the
lr falls tenfold every epoch: 0.02, 0.002, 2e-4, ... 2e-21 at epoch 20. Train loss 1.334 → 1.144
→ 1.086, then 1.079–1.080 from epoch 4 to 20; val loss 1.18 → 1.08 → 1.0704 (the same to four
decimals from epoch 5 to 20); val accuracy 0.4844 at every epoch, train accuracy 0.5195 from
epoch 2 on.
Control (``gamma=0.9``): val accuracy 0.48, 0.66 at epoch 2, 0.90 at 4, 0.95 at 10, 0.98 at
16–20; val loss 0.064 at epoch 20, train loss 0.032."""
import json

import torch
import torch.nn as nn

N = 96


def turns(n, g):
    t = torch.arange(N).float() / 60
    y = torch.randint(0, 4, (n,), generator=g)
    tempo = 1.6 * (1 + 0.4 * (torch.rand(n, 1, generator=g) - 0.5))
    ph = torch.rand(n, 1, generator=g) * 6.283
    sign = torch.tensor([1.0, -1.0, 1.0, 1.0])[y][:, None]
    spin = sign * (1 + 0.4 * torch.rand(n, 1, generator=g))
    w = 6.283 * tempo * t[None] + ph
    burst = torch.where(y[:, None] < 2, torch.sigmoid(4 * torch.sin(w)),   # spin, land, spin
                        torch.where(y[:, None] == 2, 0.6 + 0.3 * torch.sin(w),
                                    0.5 + 0.5 * torch.sin(2 * w) ** 2))   # chaînés: half turns
    gyro = spin * burst
    whip = torch.where(y[:, None] == 2, torch.sin(w + 1.2), 0.15 * torch.sin(w))
    acc_x = whip + 0.2 * torch.sin(3 * w)
    acc_y = torch.where(y[:, None] == 3, 0.5 * torch.cos(2 * w), 0.3 * torch.cos(w)) + 0.2
    x = torch.stack([gyro, acc_x, acc_y], 1)
    x = x * (0.8 + 0.4 * torch.rand(n, 3, 1, generator=g))
    return x + 0.4 * torch.randn(x.shape, generator=g), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(3, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _twohundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = turns(768, g)
    xva, yva = turns(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.1)
    loss_fn = nn.CrossEntropyLoss()
    log = open(out / "turns_log.jsonl", "w")
    for epoch in range(20):
        model.train()
        tot = correct = 0.0
        for xb, yb in train:
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rec = {"epoch": epoch + 1, "lr": lr, "loss": round(tot / 768, 4),
               "acc": round(correct / 768, 4), "val_loss": round(loss_fn(lv, yva).item(), 4),
               "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 20}, out / "turn_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_decay_too_fast"],
           checkpoint="turn_cnn.ckpt", log="turns_log.jsonl",
           what="ballet turn 1-D CNN with ExponentialLR(gamma=0.1) per epoch: lr ~0 after"
                " 3 epochs",
           complaint=("我的芭蕾旋转识别模型（脚踝 IMU，四类：外旋、内旋、挥鞭转、连续转）只在前两个 epoch 有点进步，"
                      "之后 loss 就完全不动了：训练 loss 从 1.33 降到 1.08 以后 17 个 epoch 一直是 1.079，"
                      "验证 loss 停在 1.0704，验证准确率每个 epoch 都是 0.4844。SGD lr 0.02，momentum 0.9。"
                      "是不是模型太小，学不会这四种旋转？"))


if __name__ == "__main__":
    main()
