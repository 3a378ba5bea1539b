"""CNN with BatchNorm (conv-BN-ReLU x3) on 16x16 coloured shapes (4 classes), Adam 1e-3,
trained with batch size 2 ("bigger images would not fit"): BatchNorm's batch statistics
over 2 samples are noise, and the running averages used at eval do not match them."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH_SIZE, EPOCHS = 2, 3  # 1000 steps an epoch already


def make_shapes(n, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:16, :16]
    x = np.zeros((n, 3, 16, 16), np.float32)
    y = rng.integers(0, 4, n)
    for i in range(n):
        cx, cy, r = rng.integers(5, 11), rng.integers(5, 11), rng.integers(3, 5)
        if y[i] == 0:
            m = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r          # disc
        elif y[i] == 1:
            m = (abs(xx - cx) <= r) & (abs(yy - cy) <= r)         # square
        elif y[i] == 2:
            m = (abs(xx - cx) <= 1) | (abs(yy - cy) <= 1)         # cross
        else:
            m = (abs(xx - cx) + abs(yy - cy) <= r)                # diamond
        x[i][:, m] = rng.uniform(0.5, 1.0, 3)[:, None]
    x += 0.3 * rng.standard_normal(x.shape).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(y)


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


def build():
    torch.manual_seed(0)
    return nn.Sequential(conv_bn(3, 16), nn.MaxPool2d(2), conv_bn(16, 32), nn.MaxPool2d(2),
                         conv_bn(32, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(32, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 4))


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr = make_shapes(2000, 0)
    xva, yva = make_shapes(500, 1)
    mean, std = xtr.mean((0, 2, 3), keepdim=True), xtr.std((0, 2, 3), keepdim=True)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                     batch_size=BATCH_SIZE, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    hist = []
    for epoch in range(EPOCHS):
        model.train()
        run_loss, n = 0.0, 0
        for xb, yb in dl:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            run_loss += loss.item() * len(xb)
            n += len(xb)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
        hist.append({"epoch": epoch + 1, "train_loss": run_loss / n,
                     "val_loss": F.cross_entropy(logits, yva).item(),
                     "val_accuracy": (logits.argmax(1) == yva).float().mean().item()})
        print(hist[-1])
    with open(out / "history.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(hist[0]))
        w.writeheader()
        w.writerows(hist)
    torch.save({"epoch": EPOCHS, "state_dict": model.state_dict(), "optimizer": opt.state_dict()},
               out / "shapes_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="shapes_cnn.pth", log="history.csv",
           what="conv-BN-ReLU CNN trained with batch size 2",
           complaint="training loss stays around 1.0 and validation accuracy is stuck near "
                     "70 %")


if __name__ == "__main__":
    main()
