"""Circus school: which trapeze trick is the flyer doing? A wrist-band IMU (3-axis accelerometer +
3-axis gyro, 64 samples = 1.3 s at 50 Hz) per trick; a small 1-D CNN (6 → 32 → 32 channels,
k 5, ReLU, global average pool, linear head with N_ACTS outputs). The labels come from the
coaches' spreadsheet, column ``act_code``: 0 knee hang, 1 layout, 2 pirouette, 3 split, 4
somersault; ``ACTS`` and the head size were written from the first sheet. Adam 2e-3, batch 32,
6 epochs of 1200 tricks, validation every 2 epochs, a checkpoint per epoch
(``trapeze_epNN.pt``) and a CSV row per epoch (val columns empty when not validated).
Bug: the validation sheet is from a newer season in which the coaches added code 5 ("cloud
swing") without telling anyone; the training sheet has no 5. ``nn.CrossEntropyLoss`` with 5
outputs gets target 5 in the first validation (after epoch 2) and the run dies with
``IndexError: Target 5 is out of bounds.`` on the first validation batch; the last files are
``trapeze_ep02.pt`` and the log with epoch 1's row only (epoch 1: train loss 1.289, train acc
0.516; the epoch-2 row is written after validation and never is). Control (``N_ACTS = 6``):
no crash, train loss 0.0033 and train acc 1.00 at epoch 6, val acc 0.79 (the one sixth of
validation tricks with code 5, never seen in training, are all missed)."""
import csv

import torch
import torch.nn as nn

ACTS = ["knee hang", "layout", "pirouette", "split", "somersault"]
N_ACTS = len(ACTS)


def tricks(n, g, codes):
    y = torch.tensor(codes)[torch.randint(0, len(codes), (n,), generator=g)]
    t = torch.linspace(0, 1.3, 64)
    freq = torch.tensor([0.8, 1.2, 2.5, 1.6, 3.2, 2.0])[y]
    amp = torch.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 1]]).float()[y]
    ph = torch.rand(n, 1, generator=g) * 6.28
    base = torch.sin(6.283 * freq[:, None] * t[None] + ph)
    acc = amp[:, :, None] * base[:, None] * (0.8 + 0.4 * torch.rand(n, 3, 1, generator=g))
    gyr = amp[:, :, None] * torch.cos(6.283 * freq[:, None] * t[None] + ph)[:, None]
    x = torch.cat([acc, gyr], 1) + 0.3 * torch.randn(n, 6, 64, generator=g)
    return x, y


class TrickCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(6, 32, 5, padding=2), nn.ReLU(),
                               nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.head = nn.Linear(32, N_ACTS)

    def forward(self, x):
        return self.head(self.f(x).mean(-1))


def build():
    torch.manual_seed(0)
    return TrickCNN()


def main():
    from _hundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(11)
    xtr, ytr = tricks(1200, g, [0, 1, 2, 3, 4])          # last season's sheet
    xva, yva = tricks(400, g, [0, 1, 2, 3, 4, 5])        # this season's sheet (act_code column)
    model = build()
    crit = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "trapeze_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    last = None
    try:
        for epoch in range(1, 7):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot, hit = 0.0, 0
            for i in range(0, len(xtr), 32):
                idx = perm[i:i + 32]
                logits = model(xtr[idx])
                loss = crit(logits, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == ytr[idx]).sum().item()
            row = [epoch, round(tot / len(xtr), 4), round(hit / len(xtr), 4), "", ""]
            torch.save({"epoch": epoch, "model": model.state_dict(), "optim": opt.state_dict(),
                        "acts": ACTS}, out / f"trapeze_ep{epoch:02d}.pt")
            last = f"trapeze_ep{epoch:02d}.pt"
            if epoch % 2 == 0:
                model.eval()
                vt, vh = 0.0, 0
                with torch.no_grad():
                    for i in range(0, len(xva), 100):
                        lo = model(xva[i:i + 100])
                        vt += crit(lo, yva[i:i + 100]).item() * len(lo)
                        vh += (lo.argmax(1) == yva[i:i + 100]).sum().item()
                row[3:] = [round(vt / len(xva), 4), round(vh / len(xva), 4)]
            w.writerow(row)
            f.flush()
            print(row)
    finally:
        f.close()
        finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
               checkpoint=last, log="trapeze_log.csv",
               what="trapeze trick CNN, 5 outputs, validation sheet carries a new act code 5",
               complaint="Training my trapeze trick classifier crashes at the first validation, "
                         "right after epoch 2: IndexError: Target 5 is out of bounds. Epoch 1 "
                         "was fine (train loss 1.29, train acc 0.52) and trapeze_ep02.pt got "
                         "saved, then it dies inside CrossEntropyLoss on the validation set.")


if __name__ == "__main__":
    main()
