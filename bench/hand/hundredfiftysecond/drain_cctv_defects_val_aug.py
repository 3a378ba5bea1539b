"""Plain torch: a small CNN classifies 24×24 grey frames from a drain CCTV crawler
(clean pipe, longitudinal crack, root intrusion, joint offset). Training uses strong
augmentation (random 24-crop of a 4-px reflect-padded frame, horizontal and vertical flips,
sensor noise σ 0.1 and a random 16×16 erased box, p 0.9); the author built the validation
set with the same ``Dataset(..., transform=train_tf)`` line copied from the training set, so
every epoch's validation accuracy is measured on freshly augmented frames: noisy and well below
what the same weights give on the plain frames. Adam 2e-3, batch 64, 14 epochs.
Log: CSV (epoch, train_loss, train_acc, valid_loss, valid_acc); checkpoint: {model, optimizer,
epoch, best_valid_acc} at the last epoch.
Run: valid_acc 0.375, 0.45, 0.50, 0.645, 0.53, 0.655, ... 0.80, 0.88, 0.88, valid_loss 0.44;
the same final weights on the plain validation frames: accuracy 0.92, loss 0.19. Changes on
the way: with noise σ 0.5 (then 0.35) the plain frames scored no better than the augmented
ones (0.80 vs 0.895; 0.84 vs 0.84), so the noise was cut to 0.1 and the erased box grown."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    r = torch.sqrt((yy - 11.5) ** 2 + (xx - 11.5) ** 2)
    y = torch.randint(0, 4, (n,), generator=g)
    x = (0.3 + 0.5 * torch.exp(-r / 8))[None].repeat(n, 1, 1)  # bore seen down the pipe
    x = x * (0.8 + 0.4 * torch.rand(n, 1, 1, generator=g))
    for i in range(n):
        a = torch.randint(0, 4, (1,), generator=g).item()
        if y[i] == 1:    # crack: a dark radial line
            c = torch.randint(4, 20, (1,), generator=g).item()
            x[i, 2:22, c] -= 0.35 if a % 2 else 0.0
            x[i, c, 2:22] -= 0.0 if a % 2 else 0.35
        elif y[i] == 2:  # roots: bright blobs
            for _ in range(3):
                p, q = torch.randint(3, 21, (2,), generator=g).tolist()
                x[i, p - 2:p + 2, q - 2:q + 2] += 0.45
        elif y[i] == 3:  # joint offset: a bright ring step
            x[i] += 0.35 * ((r - (5 + a)).abs() < 1).float()
    x = x + 0.08 * torch.randn(x.shape, generator=g)
    return ((x - 0.45) / 0.2)[:, None], y


def train_tf(x, g):
    x = F.pad(x[None], (4, 4, 4, 4), mode="reflect")[0]
    i, j = torch.randint(0, 9, (2,), generator=g).tolist()
    x = x[:, i:i + S, j:j + S]
    if torch.rand(1, generator=g) < 0.5:
        x = x.flip(2)
    if torch.rand(1, generator=g) < 0.5:
        x = x.flip(1)
    x = x + 0.1 * torch.randn(x.shape, generator=g)
    if torch.rand(1, generator=g) < 0.9:
        p, q = torch.randint(0, S - 16, (2,), generator=g).tolist()
        x = x.clone()
        x[:, p:p + 16, q:q + 16] = 0.0
    return x


class Frames(torch.utils.data.Dataset):
    def __init__(self, x, y, transform=None, seed=0):
        self.x, self.y, self.transform = x, y, transform
        self.g = torch.Generator().manual_seed(seed)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.transform is not None:
            x = self.transform(x, self.g)
        return x, self.y[i]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))


def evaluate(net, loader):
    net.eval()
    tot, hit, n = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            out = net(x)
            tot += F.cross_entropy(out, y, reduction="sum").item()
            hit += (out.argmax(1) == y).sum().item()
            n += len(y)
    return tot / n, hit / n


def main():
    from _hundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(4)
    xtr, ytr = frames(1200, g)
    xva, yva = frames(400, g)
    train_set = Frames(xtr, ytr, transform=train_tf, seed=1)
    valid_set = Frames(xva, yva, transform=train_tf, seed=2)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=64, shuffle=True,
                                               generator=torch.Generator().manual_seed(5))
    valid_loader = torch.utils.data.DataLoader(valid_set, batch_size=200)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    rows, best = [], 0.0
    for ep in range(14):
        net.train()
        tot, hit, n = 0.0, 0, 0
        for x, y in train_loader:
            outp = net(x)
            loss = F.cross_entropy(outp, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(y)
            hit += (outp.argmax(1) == y).sum().item()
            n += len(y)
        vl, va = evaluate(net, valid_loader)
        best = max(best, va)
        rows.append({"epoch": ep + 1, "train_loss": round(tot / n, 4), "train_acc": round(hit / n, 4),
                     "valid_loss": round(vl, 4), "valid_acc": round(va, 4)})
        print(rows[-1])
    with open(out / "metrics.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 14,
                "best_valid_acc": best}, out / "cctv_cnn.pt")
    plain = torch.utils.data.DataLoader(Frames(xva, yva), batch_size=200)
    print("plain-frame eval of the same weights:", evaluate(net, plain))
    finish(out, __file__, (xva[:64], yva[:64]), causes=["eval_data_augmented"],
           checkpoint="cctv_cnn.pt", log="metrics.csv",
           what="drain-CCTV defect CNN validated on frames passed through the training "
                "augmentation (crop, flips, noise, erasing)",
           complaint="Drain CCTV defect classifier: valid_acc jumps around (0.645 at epoch 4, 0.5275 at "
                     "epoch 5, 0.7375 then 0.7225) and ends at 0.88 with valid_loss 0.44, right "
                     "on top of the training loss 0.45. The crew lead says the defects are obvious "
                     "on every frame; I expected well above 0.9. Why is validation this noisy?")


if __name__ == "__main__":
    main()
