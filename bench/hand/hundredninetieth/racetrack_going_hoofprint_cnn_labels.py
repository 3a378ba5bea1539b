"""Plain torch: a small CNN (no batch norm) reads the going of a racetrack (firm, good, soft,
heavy) from a 16×16 laser depth scan of one hoof print, taken by the clerk of the course's
walking stick after the first race. The print's depth and spread grow with the going, its rim
is crisp on firm ground and slumped on heavy ground, and soft or heavy ground holds water
(flat shiny patches); random position, hoof size and scanner noise. Conv(1→16)-ReLU-pool,
Conv(16→32)-ReLU-pool, Linear(512→64)-ReLU-Linear(64→4); Adam 1e-3, batch 32, 12 epochs of
1280 prints, 256 held out.
The bug: the scans come one going at a time (one folder per going), so the script shuffles
before the split, but draws one ``torch.randperm`` for the scans and a second one for the
labels on the same line: every label now belongs to a random other print. Train loss
1.388 → 1.370 in 12 epochs, train accuracy 0.24 → 0.32, val loss 1.387 → 1.405, val accuracy
0.20–0.23 (chance is 0.25). Control (one permutation for both): val accuracy 0.86 after
epoch 1, 0.99 at epoch 12, val loss 0.71 → 0.037."""
import sys

import torch
import torch.nn as nn

S = 16


def prints(going, n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    cy = 6 + 4 * torch.rand(n, 1, 1, generator=g)
    cx = 6 + 4 * torch.rand(n, 1, 1, generator=g)
    r = (2.5 + 0.4 * going) * (0.85 + 0.3 * torch.rand(n, 1, 1, generator=g))
    d = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt() / r
    rim = 0.6 + 0.9 * going / 3
    depth = (0.4 + 0.25 * going) * (0.8 + 0.4 * torch.rand(n, 1, 1, generator=g))
    img = -depth * torch.sigmoid((1 - d) * 6 / rim)
    if going >= 2:  # standing water in the print: flat, level bottom
        img = torch.maximum(img, -depth * (0.35 + 0.1 * (going - 2)))
    return (img + 0.08 * torch.randn(n, S, S, generator=g)).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = torch.cat([prints(k, 384, g) for k in range(4)])  # firm/, good/, soft/, heavy/
    y = torch.arange(4).repeat_interleave(384)
    n = len(y)
    x, y = x[torch.randperm(n, generator=g)], y[torch.randperm(n, generator=g)]
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    log = ["epoch,train_loss,train_acc,val_loss,val_acc"]
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(1280, generator=g)
        tot = hit = 0.0
        for i in range(0, 1280, 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = loss_fn(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * 32
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        log.append(f"{epoch},{tot / 1280:.4f},{hit / 1280:.4f},{loss_fn(lv, yva).item():.4f},"
                   f"{(lv.argmax(1) == yva).float().mean().item():.4f}")
        print(log[-1])
    (out / "going_cnn.csv").write_text("\n".join(log) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12}, out / "going_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="going_cnn.pth", log="going_cnn.csv",
           what="racetrack going CNN on hoof-print depth scans, scans and labels shuffled with two"
                " different permutations",
           complaint=("Going classifier for our racetrack (firm/good/soft/heavy from the hoof-print"
                      " depth scans): after 12 epochs the training loss has only moved from 1.388"
                      " to 1.370 and validation accuracy is 0.20-0.23, below guessing. 1536 scans,"
                      " 384 per going, small CNN, Adam 1e-3, batch 32. Are 16x16 scans too small"
                      " to see the going?"))


if __name__ == "__main__":
    main()
