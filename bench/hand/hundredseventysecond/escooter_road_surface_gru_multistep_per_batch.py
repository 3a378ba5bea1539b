"""Plain torch: a GRU tells the road surface under a rental e-scooter (smooth asphalt,
cobblestones, gravel path, tactile paving tiles) from 0.64 s of the deck accelerometer (3 axes,
100 Hz → 64 samples). Asphalt is low broadband vibration; cobblestones are bumps at a rate set
by speed (stone pitch / speed, 9–16 Hz) mostly on the vertical axis; gravel is strong
high-frequency rattle on all axes; tiles give sharp joint spikes every 0.2–0.3 s. Speed,
mounting gain and sensor noise vary per window.
The logger packs the window as 8 frames of 8 samples × 3 axes (24 numbers per frame).
GRU(24→24, 1 layer) over the 8 frames, last hidden state → Linear(24→4); Adam 3e-3, batch 32,
12 epochs of 768 windows (256 validation), ``MultiStepLR(milestones=[6, 10], gamma=0.1)``
meant as "÷10 at epochs 6 and 10".
The bug: ``scheduler.step()`` sits at the end of the batch loop body instead of after it, so
the milestones are hit at batches 6 and 10 of the first epoch: lr 3e-3 → 3e-4 → 3e-5 for the
remaining 278 of 288 steps. Train loss 1.39 → 1.37; val accuracy 0.36 after epoch 1, 0.39 at
6, 0.42 at 12; val loss 1.367 → 1.353. Control (``scheduler.step()`` once per epoch, one
indent level out): val accuracy 0.57 after epoch 1, 0.73 at 3, 0.90 at 6, 0.91 at 12, val
loss 0.25.
Log: JSON lines, a step record (``step`` / ``epoch`` / ``loss`` / ``lr``) every 8 steps and an
epoch record (``epoch`` / ``val_loss`` / ``val_acc``)."""
import json

import torch
import torch.nn as nn

T = 64


def windows(n, g):
    t = torch.arange(T).float() / 100
    y = torch.randint(0, 4, (n,), generator=g)
    gain = 0.7 + 0.6 * torch.rand(n, 1, 1, generator=g)
    x = 0.15 * torch.randn(n, 3, T, generator=g)
    for i in range(n):
        k = int(y[i])
        if k == 1:  # cobblestones: periodic bumps, vertical
            f = 9 + 7 * float(torch.rand(1, generator=g))
            ph = 6.283 * float(torch.rand(1, generator=g))
            b = torch.relu(torch.sin(6.283 * f * t + ph)) ** 3
            x[i, 2] += 1.2 * b
            x[i, 0] += 0.3 * b
        elif k == 2:  # gravel: rattle everywhere
            x[i] += 0.55 * torch.randn(3, T, generator=g)
        elif k == 3:  # tiles: sharp joints every 20-30 samples
            step = int(torch.randint(20, 31, (1,), generator=g))
            start = int(torch.randint(0, step, (1,), generator=g))
            for j in range(start, T, step):
                x[i, 2, j] += 2.5
                if j + 1 < T:
                    x[i, 2, j + 1] -= 1.2
                    x[i, 0, j + 1] += 0.6
    # 8 frames of 8 samples x 3 axes, as the logger packs them
    return (x * gain).transpose(1, 2).reshape(n, 8, 24).contiguous(), y


class SurfaceGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(24, 24, batch_first=True)
        self.head = nn.Linear(24, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return SurfaceGRU()


def main():
    from _hundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(768, g)
    xva, yva = windows(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[6, 10], gamma=0.1)
    loss_fn = nn.CrossEntropyLoss()
    log = open(out / "surface_train.jsonl", "w")
    step = 0
    for epoch in range(1, 13):
        model.train()
        for xb, yb in train:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch, "loss": round(loss.item(), 4),
                                      "lr": opt.param_groups[0]["lr"]}) + "\n")
            scheduler.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rec = {"epoch": epoch, "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, opt.param_groups[0]["lr"])
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": 12, "global_step": step},
               out / "surface_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="surface_gru.pt", log="surface_train.jsonl",
           what="GRU e-scooter road-surface classifier: epoch MultiStepLR([8, 14], 0.1) stepped"
                " every batch, lr 3e-5 from batch 14",
           complaint=("我的电动滑板车路面分类模型（沥青/石板路/碎石/盲道砖，用踏板加速度计 0.64 秒"
                      "的窗口）训练了 12 个 epoch，train loss 只从 1.39 降到 1.37，val loss "
                      "1.367 -> 1.353，验证准确率 0.36 到 0.42，四类的话基本就是瞎猜。Adam lr "
                      "3e-3，MultiStepLR 在第 6 和第 10 个 epoch 才降学习率。是 GRU 太小了，"
                      "还是这些路面用加速度根本分不出来？"))


if __name__ == "__main__":
    main()
