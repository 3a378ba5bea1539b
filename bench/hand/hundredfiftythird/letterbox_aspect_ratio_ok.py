"""Cinema: a dropout MLP recognises the original aspect ratio of a film transfer (1.33 pillar-
boxed, 1.66, 1.85, 2.39 letterboxed) from the 48-row mean-brightness profile of a 16:9 frame:
the black bars' height sets the class, but dark scenes (night shots) make bars hard to see and
a random brightness/contrast of the picture, a soft bar edge and sensor noise blur it.
Dropout 0.3 and 5 % of the training labels wrong (a mislabelled telecine batch), so the
validation loss sits below the training loss. AdamW 1e-3, batch 64, 20 epochs. Healthy."""
import json

import torch
import torch.nn as nn

R = 48


def frames(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    bar = torch.tensor([0.0, 3.0, 4.8, 8.4])[y]  # rows of black at top and bottom (of 48)
    rows = torch.arange(R).float()[None]
    inside = torch.sigmoid((rows - bar[:, None]) * 2) * torch.sigmoid((R - 1 - bar[:, None] - rows) * 2)
    bright = 0.1 + 0.8 * torch.rand(n, 1, generator=g)
    pic = bright * (1 + 0.4 * torch.randn(n, R, generator=g).cumsum(1) / 6)
    x = inside * pic + 0.05 * torch.randn(n, R, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(R, 96), nn.ReLU(), nn.Dropout(0.3), nn.Linear(96, 96),
                         nn.ReLU(), nn.Dropout(0.3), nn.Linear(96, 4))


def main():
    from _hundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(2560, g, flip=0.05)
    xva, yva = frames(640, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    crit = nn.CrossEntropyLoss()
    hist = []
    for ep in range(20):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tl = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        hist.append({"epoch": ep + 1, "loss": round(tl / len(xtr), 4),
                     "valid_loss": round(crit(lo, yva).item(), 4),
                     "valid_accuracy": round((lo.argmax(1) == yva).float().mean().item(), 4)})
        print(hist[-1])
    (out / "history.json").write_text(json.dumps(hist, indent=1))
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(), "epoch": 20,
                "ratios": ["1.33", "1.66", "1.85", "2.39"]}, out / "letterbox_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="letterbox_mlp.pt", log="history.json",
           what="aspect-ratio-from-letterbox MLP, dropout + 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
