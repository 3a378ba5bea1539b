"""A 2-D CNN on log-mel spectrograms of bird calls (1 x 32 mel x 40 frames, 4 species: each a
call shape -- a rising chirp, a falling whistle, a trill of short notes, a broadband buzz --
at a random time and pitch offset, over wind noise in the low bands); 3 conv blocks, global
average pool, linear head. Adam 1e-3, batch 32, 6 epochs, a per-batch CSV (every 10
batches) plus val loss / accuracy per epoch. Bug: the clips are read folder by folder
(``species_0/`` then ``species_1/`` ...) into one ``TensorDataset`` and the ``DataLoader`` has
``shuffle=False`` (copied from the val loader), so every epoch is 15 batches of species 0,
then 15 of species 1, and so on: the model ends each epoch fitted to the last species, val
loss 1.387 (= ln 4) and val accuracy 0.25 in all 6 epochs, every val clip predicted as one
species (``shuffle=True``: val accuracy 1.00, loss 0.025)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

MELS, FRAMES, SPECIES = 32, 40, 4


def call(kind, g):
    spec = 0.5 * torch.randn(MELS, FRAMES, generator=g)
    spec[:6] += 1.0 * torch.rand(6, FRAMES, generator=g)  # wind
    t0 = int(torch.randint(0, FRAMES - 20, (1,), generator=g))
    p = int(torch.randint(-4, 5, (1,), generator=g))
    for k in range(20):
        t = t0 + k
        if kind == 0:
            m = [16 + p + k // 2]
        elif kind == 1:
            m = [26 + p - k // 2]
        elif kind == 2:
            m = [20 + p, 21 + p] if (k // 2) % 2 == 0 else []
        else:
            m = list(range(10 + p, 24 + p, 2)) if k < 12 else []
        for mm in m:
            if 0 <= mm < MELS:
                spec[mm, t] += 2.0
    return spec


def clips(n_per, g, order="sorted"):
    x = torch.stack([call(s, g) for s in range(SPECIES) for _ in range(n_per)])[:, None]
    y = torch.arange(SPECIES).repeat_interleave(n_per)
    if order != "sorted":
        p = torch.randperm(len(y), generator=g)
        x, y = x[p], y[p]
    return x, y


class BirdCNN(nn.Module):
    def __init__(self):
        super().__init__()
        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.features = nn.Sequential(block(1, 16), block(16, 32), block(32, 32))
        self.head = nn.Linear(32, SPECIES)

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return BirdCNN()


def main():
    from _eleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clips(480, g)  # read species_0/, species_1/, ... in turn
    vx, vy = clips(60, g, order="shuffled")
    torch.manual_seed(0)
    train = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=False)  # BUG: never shuffled
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "birds_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "iter", "train_loss", "val_loss", "val_acc"])
    it = 0
    for epoch in range(6):
        model.train()
        for xb, yb in train:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                w.writerow([epoch, it, loss.item(), "", ""])
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = F.cross_entropy(logits, vy).item()
            va = (logits.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, it, "", vl, va])
        print(epoch, round(vl, 4), round(va, 3),
              torch.bincount(logits.argmax(1), minlength=4).tolist())
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch,
                "iter": it}, out / "birdcnn_e6.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["data_not_shuffled"],
           checkpoint="birdcnn_e6.pt", log="birds_log.csv",
           what="spectrogram CNN, species-sorted clips with shuffle=False",
           complaint="bird call CNN: val accuracy is exactly 25 % in every epoch (4 species) and "
                     "the val loss is stuck at 1.386, it predicts the same species for every "
                     "clip, while the logged training loss goes up and down in long waves")


if __name__ == "__main__":
    main()
