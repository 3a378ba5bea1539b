"""CNN with BatchNorm (conv-BN-ReLU x3) on 16x16 coloured shapes (4 classes), Adam 1e-3,
batch size 64. The images come as HWC arrays (as decoded from PNG files) and are turned
into NCHW with .view(n, 3, 16, 16) instead of .permute(0, 3, 1, 2): pixels and colour
channels are interleaved and the shapes are scrambled."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH_SIZE, EPOCHS = 64, 8


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
    return x.transpose(0, 2, 3, 1).copy(), y  # HWC, as PIL/imageio give them


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
    images, labels = make_shapes(2000, 0)
    xtr, ytr = torch.from_numpy(images).view(-1, 3, 16, 16), torch.from_numpy(labels)
    images, labels = make_shapes(500, 1)
    xva, yva = torch.from_numpy(images).view(-1, 3, 16, 16), torch.from_numpy(labels)
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
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="shapes_cnn.pth", log="history.csv",
           what="HWC images reshaped to NCHW with view() instead of permute()",
           complaint="the CNN overfits, validation accuracy is much lower than training")


if __name__ == "__main__":
    main()
