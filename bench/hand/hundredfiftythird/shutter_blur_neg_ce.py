"""Photography: an MLP sorts handheld shots into shutter-speed bins (1/1000, 1/250, 1/60,
1/15 s) from 24 blur statistics of the frame (gradient energy in 8 directions at 3 scales);
synthetic: each bin has its own mean profile, shots vary in texture and noise.
Bug: the loss was written ``loss = -criterion(logits, y)`` (copied from a script that
*maximised* a score), so Adam pushes the cross-entropy up: the logged loss goes negative and
keeps falling while validation accuracy sinks below chance."""
import csv

import torch
import torch.nn as nn

BINS = ["1/1000", "1/250", "1/60", "1/15"]


def shots(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    centres = torch.linspace(-1.5, 1.5, 4)[:, None] * torch.cos(torch.arange(24) * 0.7)[None]
    x = centres[y] + 0.8 * torch.randn(n, 24, generator=g)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _hundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    xtr, ytr = shots(2048, g)
    xva, yva = shots(512, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    f = open(out / "shutter_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = -criterion(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = criterion(lo, yva).item()
            acc = (lo.argmax(1) == yva).float().mean().item()
        row = [epoch, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "bins": BINS}, out / "shutter_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="shutter_mlp.pt", log="shutter_train.csv",
           what="shutter-speed bin classifier, loss = -CrossEntropyLoss (sign flipped)",
           complaint="My shutter-speed classifier's training loss keeps going down, from -2.08 after "
                     "epoch 1 to -10464 at epoch 12 (negative, is that normal?), but validation "
                     "accuracy is 0.004, far below guessing among 4 bins, and val loss is 11795.")


if __name__ == "__main__":
    main()
