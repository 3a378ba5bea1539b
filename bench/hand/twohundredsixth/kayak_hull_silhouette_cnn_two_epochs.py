"""Plain torch: a small CNN (no BatchNorm) names a kayak's hull type from a 16×32 top-down
silhouette cut out of a rental-dock camera: sea kayak (long and narrow, pointed bow and stern),
recreational (shorter and wider, rounded ends), whitewater (short, wide, blunt) or sit-on-top
(wide, square-ish stern, with a bright moulded seat well). Length, beam, position, a small
yaw, water glare and noise vary, and the length ranges overlap: the shape of the ends and the
beam matter. Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Conv(32→32)-ReLU, Linear(32·4·8→64)-
ReLU-Linear(64→4); SGD momentum 0.9 lr 0.01, batch 32, on 1024 silhouettes, settings in a
``CFG`` dict. A CSV every 8 steps (``step``, ``epoch``, ``loss``) with ``val_loss`` /
``val_acc`` on each epoch's last row; checkpoint ``weights`` / ``optim_state`` /
``global_step`` / ``epoch``.
The bug: ``CFG["epochs"]`` is 2 — the value from checking that the script runs end to end,
never put back — so training stops after 64 steps while the loss is still dropping. Train loss
1.384 at step 8, 1.373 at 32, 1.242 at 48, 0.718 at 64 (falling fastest at the very end); val
accuracy 0.434 after epoch 1 and 0.754 after epoch 2, val loss 1.363 → 0.628, and there it
stops. Control (``"epochs": 20``): the same first two epochs, then val accuracy 0.703, 0.820,
0.855, 0.859, 0.906 at 7, 0.93–0.96 from epoch 9, 0.938 at 20; val loss 0.15 at 20."""
import math

import torch
import torch.nn as nn

H, W = 16, 32
CFG = {"lr": 0.01, "momentum": 0.9, "batch": 32, "epochs": 2, "log_every": 8}

# per hull type: length (px), beam (px), end sharpness exponent, seat well
HULLS = [(27.0, 4.0, 1.0, 0.0), (21.0, 6.5, 2.2, 0.0), (16.0, 7.0, 3.5, 0.0),
         (22.0, 7.5, 4.0, 1.0)]


def silhouettes(n, g):
    yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 1, H, W)
    for i in range(n):
        ln, beam, sharp, seat = HULLS[int(y[i])]
        r = torch.rand(5, generator=g)
        ln, beam = ln * (0.85 + 0.3 * r[0]), beam * (0.85 + 0.3 * r[1])
        cx, cy, yaw = W / 2 + 4 * (r[2] - 0.5), H / 2 + 2 * (r[3] - 0.5), 0.25 * (r[4] - 0.5)
        u = ((xx - cx) * math.cos(yaw) + (yy - cy) * math.sin(yaw)) / (ln / 2)
        v = (-(xx - cx) * math.sin(yaw) + (yy - cy) * math.cos(yaw)) / (beam / 2)
        half = (1 - u.abs().clamp(max=1) ** sharp).clamp(min=0) ** (1 / sharp)
        body = torch.sigmoid(6 * (half - v.abs()))
        img[i, 0] = 0.8 * body + seat * 0.6 * torch.exp(-(u ** 2 / 0.04 + v ** 2 / 0.2)) * body
    glare = nn.functional.interpolate(torch.rand(n, 1, 4, 8, generator=g), size=(H, W),
                                      mode="bilinear") * 0.4
    img = img + glare + 0.15 * torch.randn(img.shape, generator=g)
    return (img - 0.4) / 0.35, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Flatten(),
                         nn.Linear(32 * 4 * 8, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _twohundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = silhouettes(1024, g)
    xva, yva = silhouettes(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=CFG["lr"], momentum=CFG["momentum"])
    loss_fn = nn.CrossEntropyLoss()
    rows, step = ["step,epoch,loss,val_loss,val_acc"], 0
    for epoch in range(CFG["epochs"]):
        model.train()
        perm = torch.randperm(1024, generator=g)
        for i in range(0, 1024, CFG["batch"]):
            idx = perm[i:i + CFG["batch"]]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            last = i + CFG["batch"] >= 1024
            if step % CFG["log_every"] == 0 or last:
                val = ","
                if last:
                    model.eval()
                    with torch.no_grad():
                        logits = model(xva)
                        val = (f"{loss_fn(logits, yva).item():.4f},"
                               f"{(logits.argmax(1) == yva).float().mean().item():.4f}")
                    model.train()
                    print(epoch, step, val)
                rows.append(f"{step},{epoch},{loss.item():.4f},{val}")
    (out / "hulls.csv").write_text("\n".join(rows) + "\n")
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "global_step": step, "epoch": CFG["epochs"]}, out / "hull_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["training_too_short"],
           checkpoint="hull_cnn.pt", log="hulls.csv",
           what="kayak hull-type CNN stopped after 2 epochs (64 steps) with the loss still falling",
           complaint=("Hull-type classifier for the kayaks at our rental dock (top-down camera "
                      "crops, 4 types, 1024 training images). It only gets 75 % on validation "
                      "(0.754, val loss 0.63), and after the first epoch it was at 43 %. Staff "
                      "can tell a sea kayak from a sit-on-top at a glance, so 75 % feels far "
                      "too low. Is a small CNN without pretrained weights just not enough for "
                      "this, or do we need more labelled images?"))


if __name__ == "__main__":
    main()
