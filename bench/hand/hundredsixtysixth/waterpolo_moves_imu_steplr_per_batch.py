"""Plain torch: a small 1-D CNN tells a water polo player's movement (eggbeater treading,
head-up front crawl, backpedal, sprint crawl) from 2 s of a wrist IMU worn in a pool session (3
axes, 50 Hz → 100 samples). Each movement is a periodic limb path with its own phase relations
between the axes and its own cadence (±15 %), random amplitude, offset and sensor noise.
Conv(3→16, k7)-ReLU-pool, Conv(16→32, k5)-ReLU, global average pool, Linear(32→4); SGD
momentum 0.9, lr 0.05, batch 32, 20 epochs of 1024 windows, ``StepLR(step_size=10,
gamma=0.5)`` meant as "halve every 10 epochs".
The bug: ``scheduler.step()`` sits inside the batch loop (32 batches an epoch), so the lr
halves every 10 batches: 0.05 → 0.006 at the end of epoch 1, 8e-4 after epoch 2 and 3e-21 at
epoch 20; the loss freezes after the first epoch: train loss 1.38 → 1.31, val loss 1.3145 and val accuracy 0.527
from epoch 3 to 20. Control (``scheduler.step()`` once per epoch): val accuracy 0.55, 0.98 at
epoch 5, 0.996 at epoch 20, val loss 0.012."""
import json

import torch
import torch.nn as nn

N = 100


def windows(n, g):
    t = torch.arange(N).float() / 50
    y = torch.randint(0, 4, (n,), generator=g)
    f = torch.tensor([0.9, 0.7, 0.6, 0.8])[y] * (1 + 0.3 * (torch.rand(n, generator=g) - 0.5))
    ph = torch.rand(n, 1, generator=g) * 6.283
    shift = torch.tensor([[0, 1.57, 3.1], [0, 3.14, 0.8], [3.14, 1.57, 0], [0, 0, 1.57]])[y]
    harm = torch.tensor([0.2, 0.8, 0.1, 0.6])[y]
    w = 6.283 * f[:, None, None] * t[None, None] + ph[:, :, None] + shift[:, :, None]
    x = torch.sin(w) + harm[:, None, None] * torch.sin(2 * w)
    x = x * (0.7 + 0.6 * torch.rand(n, 3, 1, generator=g)) + 0.3 * torch.randn(n, 3, 1, generator=g)
    return x + 0.3 * torch.randn(x.shape, generator=g), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(3, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _hundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g)
    xva, yva = windows(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()
    log = open(out / "train_log.jsonl", "w")
    step = 0
    for epoch in range(20):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            scheduler.step()
            step += 1
            if step % 8 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch, "loss": round(loss.item(), 4),
                                      "lr": opt.param_groups[0]["lr"]}) + "\n")
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rec = {"epoch": epoch, "step": step, "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, opt.param_groups[0]["lr"])
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(),
                "sched": scheduler.state_dict(), "epoch": 20}, out / "stroke_cnn_e20.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="stroke_cnn_e20.pth", log="train_log.jsonl",
           what="1-D CNN water polo movement classifier: epoch-style StepLR(10, 0.5) stepped"
                " every batch, lr ~0 after epoch 1",
           complaint=("My water polo movement classifier (4 classes, wrist IMU) stops learning "
                      "after the first epoch. Training loss only goes 1.38 -> 1.31 and then sits there for "
                      "19 more epochs, val loss is 1.3145 from epoch 3 to 20 and val accuracy is "
                      "stuck at 0.527. SGD lr 0.05 with StepLR every 10 epochs, so it should "
                      "still be learning at full speed. Is the model too small?"))


if __name__ == "__main__":
    main()
