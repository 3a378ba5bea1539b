"""Plain torch: a small CNN with batch norm sorts the 20×20 colour crops that a red squirrel
group's trail cameras cut around each trigger into three classes: 0 empty (wind in the
bracken, the camera fired on nothing), 1 red squirrel, 2 grey squirrel. The group needs the
grey triggers fast, so the trapper can go out. A squirrel is an elliptical body blob with a
tail blob; reds are chestnut (red channel high, green / blue low) and smaller, with ear tufts
(two bright pixels above the head); greys are larger, grey-brown (the three channels close),
with a pale belly strip. The background is a woodland floor of green-brown texture whose
brightness varies with the time of day, and half of the crops are dusk shots with the
colours washed most of the way towards grey.
Input: (3, 20, 20) in 0-1. CNN: conv 3→16 (3×3) BN ReLU, max-pool, conv 16→32 BN ReLU,
max-pool, global average pool → linear 32→48, BatchNorm1d, ReLU → linear 48→3; cross-entropy,
Adam 2e-3, 6 epochs, 800 crops, validation on 300.
Bug: ``BATCH = 2`` (``# few hundred crops: small batches give more updates per epoch``), so
every BatchNorm layer normalises with the mean / variance of two crops: in training each crop
is judged against the one it happens to share a batch with, and at eval time the running
statistics describe a different input (the BatchNorm1d on two samples turns every feature
into ±1). Control (``BATCH = 64``, one-line sed): train CE 0.727 → 0.042, val CE 1.139 →
2.473 at epoch 2 (running statistics still settling) → 0.144 at epoch 4 → 0.201, val acc
0.343 → 0.97 at epoch 4 → 0.91, greys found 0.98. With the bug: train CE 0.939 → 0.932 (never
below 0.88 in 6 epochs), val CE 0.650 → 0.599 (0.549-0.844, jumping), val acc 0.677 → 0.783
(0.62 at epoch 2, best 0.797), greys found 0.94-1.0 (the errors are reds and empty frames).
Log: CSV per epoch ``trapcam_epochs.csv`` (``epoch`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``grey_recall``); checkpoint ``trapcam_cnn.pt`` with keys ``model_state`` /
``optim_state`` / ``epoch`` / ``classes`` / ``batch_size``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["empty", "red", "grey"]
S = 20
BATCH = 2  # few hundred crops: small batches give more updates per epoch


def crops(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    light = 0.35 + 0.5 * r(n, 1, 1)
    floor = torch.stack([0.45 + 0.1 * r(n, S, S), 0.40 + 0.15 * r(n, S, S),
                         0.25 + 0.1 * r(n, S, S)], 1)
    img = floor * light.unsqueeze(1)
    y = torch.randint(0, 3, (n,), generator=g)
    cy, cx = 6 + 8 * r(n, 1, 1), 6 + 8 * r(n, 1, 1)
    size = torch.where(y.view(n, 1, 1) == 2, 3.6 + 0.6 * r(n, 1, 1), 2.6 + 0.5 * r(n, 1, 1))
    body = (((yy - cy) / size) ** 2 + ((xx - cx) / (1.4 * size)) ** 2 < 1).float()
    tail = (((yy - cy + size) / (0.8 * size)) ** 2 + ((xx - cx - 1.3 * size) / (0.6 * size)) ** 2
            < 1).float()
    mask = ((body + tail).clamp(max=1) * (y.view(n, 1, 1) > 0).float()).unsqueeze(1)
    red = torch.tensor([0.75, 0.32, 0.18]).view(1, 3, 1, 1)
    grey = torch.tensor([0.52, 0.50, 0.47]).view(1, 3, 1, 1)
    coat = torch.where((y == 1).view(n, 1, 1, 1), red, grey) + 0.08 * torch.randn(
        n, 3, 1, 1, generator=g)
    coat = coat * (0.7 + 0.5 * light.unsqueeze(1))
    img = img * (1 - mask) + coat * mask
    belly = ((yy - cy - 0.5 * size).abs() < 0.8) & ((xx - cx).abs() < size) & (
        y.view(n, 1, 1) == 2)
    img = img + 0.25 * belly.float().unsqueeze(1) * mask
    tuft = (((yy - cy + size + 0.5).abs() < 0.7) & (((xx - cx).abs() - 0.8 * size).abs() < 0.7)
            & (y.view(n, 1, 1) == 1))
    img = img + 0.3 * tuft.float().unsqueeze(1)
    dusk = (r(n) < 0.5).view(n, 1, 1, 1).float()
    img = dusk * (0.3 * img + 0.7 * img.mean(1, keepdim=True)) + (1 - dusk) * img
    img = (img + 0.04 * torch.randn(n, 3, S, S, generator=g)).clamp(0, 1)
    return img, y


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


def build():
    torch.manual_seed(0)
    return nn.Sequential(block(3, 16), nn.MaxPool2d(2), block(16, 32), nn.MaxPool2d(2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 48),
                         nn.BatchNorm1d(48), nn.ReLU(), nn.Linear(48, 3))


def main():
    from _twohundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(800, g)
    xva, yva = crops(300, g)
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "trapcam_epochs.csv", "w")
    log.write("epoch,train_ce,val_ce,val_acc,grey_recall\n")
    for epoch in range(6):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            ce = F.cross_entropy(logits, yva).item()
            pred = logits.argmax(1)
            acc = (pred == yva).float().mean().item()
            rec = (pred[yva == 2] == 2).float().mean().item()
        log.write(f"{epoch},{tot / len(xtr):.5f},{ce:.5f},{acc:.4f},{rec:.4f}\n")
        print(epoch, round(tot / len(xtr), 4), round(ce, 4), round(acc, 4), round(rec, 4))
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 6,
                "classes": CLASSES, "batch_size": BATCH}, out / "trapcam_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="trapcam_cnn.pt", log="trapcam_epochs.csv",
           what="batch-norm CNN sorting trail-camera crops into empty / red squirrel / grey"
                " squirrel, trained with a batch of 2",
           complaint="我们用红松鼠监测相机的截图训练了一个三分类小网络（空拍、红松鼠、灰松鼠）。训练损失六个"
                     "轮次一直在 0.93 左右下不去，验证准确率在 0.62 到 0.80 之间来回跳，最后只有"
                     " 0.78，很多红松鼠和空拍被认错。数据很干净，人眼一看就能分出来，不知道为什么"
                     "网络学不会。")


if __name__ == "__main__":
    main()
