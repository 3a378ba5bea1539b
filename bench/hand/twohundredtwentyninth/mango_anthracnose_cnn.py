"""Plain torch: a small CNN (no BatchNorm) tells three mango-leaf conditions apart from a 16×16
grey patch photographed in the rows: clean leaf (smooth vein texture), anthracnose (2–4 dark
round spots) and powdery mildew (one or two large bright diffuse blotches). Conv(1→8)-ReLU-pool,
Conv(8→16)-ReLU-pool, Linear(256→3); SGD momentum 0.9, lr 0.01, batch 32, 8 epochs of 960
patches; per-step CSV with per-epoch validation columns.
The bug: ``opt.zero_grad()`` sits above the batch loop (once per epoch), so the gradients of
every batch so far in the epoch are summed into each step. Val accuracy per epoch 0.43, 0.57,
0.31, 0.375, 0.375, 0.55, 0.32, 0.32 (chance is 0.33), val loss 1.65, 2.01, 4.48, 5.90, 3.48,
1.49, 27.97, 2.98; the last-batch train loss of each epoch is 2.5–13.8. Control (``sed
's/            loss.backward()/            opt.zero_grad(); loss.backward()/'``, zeroing every
step): val accuracy 0.59, 0.92, 0.945, 0.96, ... 0.93, val loss 0.145 at epoch 8.
"""
import torch
import torch.nn as nn


def patches(n, g):
    yy, xx = torch.meshgrid(torch.arange(16).float(), torch.arange(16).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    ang = torch.rand(n, generator=g) * 3
    img = 0.3 * torch.sin(0.9 * (xx * torch.cos(ang)[:, None, None]
                                 + yy * torch.sin(ang)[:, None, None]))
    for i in range(n):
        if y[i] == 1:
            for _ in range(int(torch.randint(2, 5, (1,), generator=g))):
                c = torch.rand(2, generator=g) * 14 + 1
                img[i] -= 1.2 * torch.exp(-((yy - c[0]) ** 2 + (xx - c[1]) ** 2) / 1.5)
        elif y[i] == 2:
            for _ in range(int(torch.randint(1, 3, (1,), generator=g))):
                c = torch.rand(2, generator=g) * 12 + 2
                img[i] += 0.8 * torch.exp(-((yy - c[0]) ** 2 + (xx - c[1]) ** 2) / 12)
    img = img + 0.3 * torch.randn(img.shape, generator=g)
    return img.unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(256, 3))


def main():
    from _twohundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = patches(1216, g)
    xva, yva = x[960:], y[960:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:960], y[:960]),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    log = ["step,epoch,train_loss,val_loss,val_acc"]
    step = 0
    for epoch in range(8):
        model.train()
        opt.zero_grad()
        for i, (xb, yb) in enumerate(train):
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            step += 1
            vl = va = ""
            if i == len(train) - 1:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                vl = f"{loss_fn(lv, yva).item():.4f}"
                va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                print(epoch + 1, f"{loss.item():.4f}", vl, va)
            log.append(f"{step},{epoch + 1},{loss.item():.4f},{vl},{va}")
    (out / "leaf_log.csv").write_text("\n".join(log) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8, "step": step}, out / "leaf_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="leaf_cnn.pt", log="leaf_log.csv",
           what="mango leaf disease CNN, SGD momentum, zero_grad once per epoch",
           complaint=("芒果叶病害分类的小CNN(健康/炭疽病/白粉病三类),SGD lr 0.01 momentum 0.9,"
                      "batch 32,训练了8个epoch:验证准确率一直在0.31到0.57之间跳,最后是0.32,"
                      "跟瞎猜差不多;验证loss在1.5到28之间乱跳,训练loss也降不下来(2.5到13.8)。"
                      "数据我看过了,三类图片肉眼就能分清。是学习率太大了吗?"))


if __name__ == "__main__":
    main()
