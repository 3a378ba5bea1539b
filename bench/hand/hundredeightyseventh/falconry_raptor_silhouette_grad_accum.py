"""Plain torch: a small CNN (no BatchNorm) tells which raptor a falconry club's field camera
caught overhead, from a 20×20 grey silhouette against the sky: a long-winged falcon (long,
narrow, swept wings, short tail), a broad-winged hawk (shorter, wide wings, fanned tail) or an
owl (short round wings, big round head, no tail to speak of). Each silhouette is built from
Gaussian ellipses with random position, size and wing angle, on a bright sky gradient with
noise. Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Linear(800→64)-ReLU-Linear(64→3); SGD lr
0.02 momentum 0.9, batch 32, 12 epochs of 1536 images, shuffled.
The bug: ``opt.zero_grad()`` sits at the top of the epoch loop, before the batch loop, not in
it, so each batch's gradient is added to every earlier one of the epoch and the step grows
through the epoch (48 batches): the batch loss wanders 0.77–1.73 in epoch 1 (val loss 1.54),
then blows up in epoch 2 (up to 71) and stays in the tens (epoch maxima 26–66); val loss 20,
25, 35 ... 45 at epochs 2, 3, 4 ... 12 and val accuracy 0.3255 or 0.349 (one class) at every
epoch.
Control (``opt.zero_grad()`` before each ``loss.backward()``): val accuracy 0.948 at epoch 1,
0.99 at epoch 3, 0.995 at epoch 12, val loss 0.023."""
import csv
import math

import torch
import torch.nn as nn

S = 20


def blob(yy, xx, cy, cx, ry, rx, ang):
    c, s = math.cos(ang), math.sin(ang)
    u = (xx - cx) * c + (yy - cy) * s
    v = -(xx - cx) * s + (yy - cy) * c
    return torch.exp(-((u / rx) ** 2 + (v / ry) ** 2) ** 2)


def silhouettes(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    r = torch.rand(n, 6, generator=g)
    for i in range(n):
        cy, cx = 8 + 4 * r[i, 0], 8 + 4 * r[i, 1]
        k = 0.8 + 0.4 * r[i, 2]
        sweep = 0.15 + 0.25 * float(r[i, 3])
        dark = blob(yy, xx, cy, cx, 3.0 * k, 1.2 * k, 1.5708)
        if y[i] == 0:    # falcon: long narrow swept wings, short tail
            wings = [(6.5, 0.9, sweep), (6.5, 0.9, -sweep)]
            dark = dark + blob(yy, xx, cy + 3.2 * k, cx, 1.3 * k, 0.8 * k, 1.5708)
        elif y[i] == 1:  # hawk: wide wings, fanned tail
            wings = [(5.0, 1.8, 0.05 * sweep), (5.0, 1.8, -0.05 * sweep)]
            dark = dark + blob(yy, xx, cy + 3.8 * k, cx, 1.8 * k, 1.6 * k, 1.5708)
        else:            # owl: short round wings, big head
            wings = [(3.8, 2.0, 0.0), (3.8, 2.0, 0.0)]
            dark = dark + blob(yy, xx, cy - 2.8 * k, cx, 1.9 * k, 1.9 * k, 0.0)
        for side, (lx, ly, a) in zip((-1, 1), wings, strict=True):
            wx = cx + side * lx * k * 0.9
            dark = dark + blob(yy, xx, cy + a * 4, wx, ly * k, lx * k, side * a)
        sky = 0.7 + 0.2 * r[i, 4] * yy / S
        img[i, 0] = sky - 0.6 * dark.clamp(max=1)
    img = img + 0.25 * torch.randn(img.shape, generator=g)
    return (img - 0.5) / 0.25, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 3))


def main():
    from _hundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = silhouettes(1536, g)
    xva, yva = silhouettes(384, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    ce = nn.CrossEntropyLoss()
    it = 0
    with open(out / "steps.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iteration", "epoch", "batch_loss", "val_loss", "val_acc"])
        for epoch in range(1, 13):
            model.train()
            opt.zero_grad()
            for b, (xb, yb) in enumerate(train):
                loss = ce(model(xb), yb)
                loss.backward()
                opt.step()
                it += 1
                row = [it, epoch, round(loss.item(), 4), "", ""]
                if b == len(train) - 1:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                    row[3:] = [round(ce(lv, yva).item(), 4),
                               round((lv.argmax(1) == yva).float().mean().item(), 4)]
                    print(row)
                    model.train()
                w.writerow(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": it,
                "epoch": 12}, out / "raptor_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="raptor_cnn.ckpt", log="steps.csv",
           what="raptor silhouette CNN, optimizer.zero_grad() once per epoch instead of per batch",
           complaint=("Training my falcon / hawk / owl silhouette CNN blows up in the first "
                      "epochs: batch loss starts at 1.11, hovers around 1-1.7 in epoch 1, then jumps "
                      "to 71 in epoch 2 and stays in the tens. Val loss is 20-45 and val "
                      "accuracy 0.33-0.35 for all 12 epochs, it predicts the same bird for "
                      "everything. SGD lr 0.02 "
                      "momentum 0.9, batch 32. Is 0.02 too high for a CNN this small?"))


if __name__ == "__main__":
    main()
