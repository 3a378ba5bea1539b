"""Fashion recycling: sorting post-consumer garments by fibre (cotton, polyester, wool, viscose,
nylon) from a 64-band near-infrared spectrum (1000–1700 nm), as a sorting line does before
fibre-to-fibre recycling. Each fibre has its absorption bands (cellulose O–H for cotton and
viscose with viscose's shifted, C–H/ester for polyester, amide N–H for wool and nylon with
wool's broader), on a sloping baseline with random gain, dye and finish offsets and noise. The
training set is stored one folder per fibre (``nir/cotton/0000.npy`` …), listed with
``sorted(glob)``. A 1-D CNN (conv 16 k 7, pool 2 → conv 16 k 5, pool 4 → linear 5), Adam 1e-3,
batch 32, 5 epochs of 2000 garments; a CSV log every 10 steps (train loss, batch accuracy) with
the validation accuracy added at the end of each epoch.
Bug: the file list goes fibre by fibre into ``DataLoader(..., shuffle=False)``, so each epoch is
five runs of 400 garments of a single fibre: the logged batch accuracy jumps between 0.00 and
1.00 (train loss 0.43–2.16 within an epoch), val accuracy 0.49, 0.52, 0.60, 0.64, 0.72 after the
5 epochs (epoch 1 never predicts polyester or wool). The control (``shuffle=True``) reaches val
accuracy 0.81, 0.95, 0.94, 0.97, 0.97. Changed on the way: the first model pooled globally
(global average over the spectrum) and the control only reached 0.29, so it now keeps the band
positions (max pools, then a linear layer over 16 × 8 features)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

B = 64
FIBRES = ["cotton", "nylon", "polyester", "viscose", "wool"]
BANDS = {"cotton": [(0.28, 0.05), (0.62, 0.06)], "viscose": [(0.31, 0.05), (0.66, 0.06)],
         "polyester": [(0.45, 0.04), (0.80, 0.05)], "wool": [(0.50, 0.08), (0.72, 0.07)],
         "nylon": [(0.48, 0.04), (0.75, 0.04)]}


def spectrum(fibre, n, g):
    wl = torch.linspace(0, 1, B)
    s = 0.2 * wl[None] * torch.randn(n, 1, generator=g)
    for c, w in BANDS[fibre]:
        depth = 0.5 + 0.4 * torch.rand(n, 1, generator=g)
        s = s - depth * torch.exp(-((wl[None] - c - 0.015 * torch.randn(n, 1, generator=g)) / w) ** 2)
    s = s * (0.7 + 0.6 * torch.rand(n, 1, generator=g)) + 0.2 * torch.randn(n, 1, generator=g)
    return (s + 0.04 * torch.randn(n, B, generator=g))[:, None] * 2


class NirFolder(torch.utils.data.Dataset):
    """Stands in for ``nir/<fibre>/*.npy``: the files in ``sorted(glob)`` order."""

    def __init__(self, per_fibre, g):
        self.files, self.x, self.y = [], [], []
        for k, fibre in enumerate(FIBRES):
            for j, row in enumerate(spectrum(fibre, per_fibre, g)):
                self.files.append(f"nir/{fibre}/{j:04d}.npy")
                self.x.append(row)
                self.y.append(k)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(4), nn.Flatten(),
                         nn.Linear(16 * 8, 5))


def main():
    from _hundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train = NirFolder(400, g)
    val = NirFolder(100, g)
    xva, yva = torch.stack(val.x), torch.tensor(val.y)
    loader = torch.utils.data.DataLoader(train, batch_size=32, shuffle=False)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "fibre_sort_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["global_step", "epoch", "train_loss", "batch_acc", "val_acc"])
    step = 0
    for epoch in range(5):
        model.train()
        for xb, yb in loader:
            lo = model(xb)
            loss = F.cross_entropy(lo, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                w.writerow([step, epoch, round(loss.item(), 4), round((lo.argmax(1) == yb).float().mean().item(), 4), ""])
        model.eval()
        with torch.no_grad():
            pred = model(xva).argmax(1)
        acc = round((pred == yva).float().mean().item(), 4)
        w.writerow([step, epoch, "", "", acc])
        print(epoch, acc, torch.bincount(pred, minlength=5).tolist())
    f.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(), "step": step,
                "fibres": FIBRES}, out / "fibre_cnn_last.pt")
    perm = torch.randperm(len(yva), generator=g)[:64]
    finish(out, __file__, (xva[perm], yva[perm]), causes=["data_not_shuffled"],
           checkpoint="fibre_cnn_last.pt", log="fibre_sort_log.csv",
           what="garment fibre NIR CNN, files read fibre folder by fibre folder, shuffle=False",
           complaint="Fibre classifier for the garment sorting line: validation accuracy only 0.72 "
                     "after 5 epochs (0.49 after the first). The batch accuracy in my log keeps "
                     "jumping between 0 and 1 and the training loss goes up and down between 0.4 "
                     "and 2.2 inside an epoch instead of going down.")


if __name__ == "__main__":
    main()
