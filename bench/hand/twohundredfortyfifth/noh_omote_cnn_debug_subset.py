"""Plain torch: a CNN (no BatchNorm) names the noh mask type in a 20×20 grey photo from a
museum archive: ko-omote (young woman: high painted eyebrows, small closed mouth), hannya
(two horns, wide open mouth), okina (old man: beard tufts below the chin, arched brows) and
beshimi (goblin: clenched mouth line, heavy brows); the face is a bright oval on a dark
background with random offset, brightness, lamp gradient and noise. Conv(1→32)-ReLU-pool,
Conv(32→64)-ReLU-pool, Flatten, Linear(1600→128)-ReLU, Linear(128→4); Adam 1e-3, batch 16,
40 epochs, shuffled.
The bug: a ``xtr, ytr = xtr[:N_DEBUG], ytr[:N_DEBUG]`` line from a quick smoke test was left
in after the archive export, so the network trains on 48 of the 1536 photos for 40 epochs.
The training loss goes to 0.0057 with train accuracy 1.0 from epoch 18, while the val loss
is never below 1.39 and climbs from 1.48 (epoch 1) to 1.90 (epoch 40) and the val accuracy
ends at 0.5234. Control (that line replaced by ``pass``, all 1536 photos): val accuracy 0.5586
after epoch 1, 0.89 at epoch 5, 0.9531 at epoch 10, 0.9453 at epoch 40; val loss lowest 0.1427
at epoch 17, 0.1834 at epoch 40 (train loss 0.0003)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 20
N_DEBUG = 48


def photos(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    for i in range(n):
        cy = 10 + 1.5 * float(torch.randn(1, generator=g))
        cx = 10 + 1.5 * float(torch.randn(1, generator=g))
        face = (((yy - cy) / 7.5) ** 2 + ((xx - cx) / 5.5) ** 2 < 1).float() * 0.8
        k = int(y[i])

        def blob(dy, dx, sy, sx, v, cy=cy, cx=cx):
            return v * torch.exp(-((yy - cy - dy) / sy) ** 2 - ((xx - cx - dx) / sx) ** 2)

        eyes = blob(-2, -2.2, 0.8, 0.8, -0.6) + blob(-2, 2.2, 0.8, 0.8, -0.6)
        if k == 0:
            f = blob(-5, -2, 0.5, 1.2, -0.5) + blob(-5, 2, 0.5, 1.2, -0.5) + blob(3.5, 0, 0.5,
                                                                                  0.8, -0.4)
        elif k == 1:
            f = (blob(-8, -4, 1.2, 0.8, 0.9) + blob(-8, 4, 1.2, 0.8, 0.9)
                 + blob(3.5, 0, 1.5, 2.5, -0.8))
        elif k == 2:
            f = (blob(8, -1.5, 1.2, 0.7, 0.7) + blob(8, 1.5, 1.2, 0.7, 0.7)
                 + blob(-4, -2, 0.6, 1.8, -0.4) + blob(-4, 2, 0.6, 1.8, -0.4))
        else:
            f = blob(-3.5, 0, 0.5, 3.5, -0.7) + blob(3.5, 0, 0.4, 3.0, -0.7)
        bright = 0.7 + 0.6 * float(torch.rand(1, generator=g))
        lamp = float(torch.randn(1, generator=g)) * 0.02 * (xx - 10)
        img[i, 0] = bright * (face + eyes + f) + lamp
    img = img + 0.15 * torch.randn(img.shape, generator=g)
    return (img - 0.3) / 0.4, y


class MaskCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 5 * 5, 128)
        self.fc2 = nn.Linear(128, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def build():
    torch.manual_seed(0)
    return MaskCNN()


def main():
    from _twohundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = photos(1536, g)
    xva, yva = photos(256, g)
    xtr, ytr = xtr[:N_DEBUG], ytr[:N_DEBUG]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "history.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(1, 41):
            model.train()
            tl = ta = 0.0
            for xb, yb in train:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(yb)
                ta += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, round(tl / len(xtr), 4), round(ta / len(xtr), 4),
                   round(F.cross_entropy(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 40},
               out / "noh_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["validation_overfit"],
           checkpoint="noh_cnn.pt", log="history.csv",
           what="noh mask-type CNN trained on a 48-photo debug subset for 40 epochs",
           complaint=('My noh mask classifier (ko-omote, hannya, okina, beshimi) reaches 100% training accuracy and train loss 0.0057, but on the validation photos it only gets 0.52 and the val loss gets worse as training goes on: 1.48 after the first epoch, 1.90 after epoch 40. The archive export has 1536 training photos and 256 validation photos of the masks. Why does it do so well on training and so badly on validation?'))


if __name__ == "__main__":
    main()
