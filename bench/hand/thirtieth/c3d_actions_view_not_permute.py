"""3-D CNN (Conv3d) for action recognition on tiny synthetic RGB clips: 8 frames of 16×16, two
people seen from above as coloured squares on a noisy coloured background, one in an orange
shirt and one in a blue shirt; each walks right, left, down or up one pixel a frame or stands
still, and the label is what the orange one does (5 actions; sizes, shades and starts vary).
The clips are stored as a video decoder hands them out, frames first: (N, T, C, H, W). Three
Conv3d + BatchNorm3d + ReLU blocks (8, 16, 32 channels, 3×3×3 kernels, pooling space first and
time later), global average pool, dropout 0.3, linear head. Adam 2e-3, batch 32, 8 epochs;
``history.csv`` holds epoch, loss, val_loss, val_accuracy.
Bug: ``forward`` turns the (B, T, C, H, W) clips into Conv3d's (B, C, T, H, W) with
``x.view(b, c, t, h, w)`` instead of ``x.permute(0, 2, 1, 3, 4)``: the memory is reread, so
each "channel" becomes a run of consecutive frames' colour planes (channel 0 holds frames 0–2,
channel 1 frames 2–5, channel 2 frames 5–7) and each "frame" alternates red, green and blue
planes; which shirt is orange is no longer a per-pixel colour the first layer can read."""
import csv

import torch
import torch.nn as nn

T, C, S, ACTIONS = 8, 3, 16, 5
NOISE = 0.3
PLAYER = torch.tensor([0.9, 0.5, 0.2])  # orange shirt: the one whose action is labelled
OTHER = torch.tensor([0.2, 0.5, 0.9])  # blue shirt: moves too, but is not labelled


def track(a, k, g):
    """Top-left corners (T, 2) of a k-pixel square doing action a, one pixel a frame: 0 right,
    1 left, 2 down, 3 up, 4 stand still."""
    span = S - k - (T - 1)
    r0 = int(torch.randint(0, S - k + 1, (1,), generator=g))
    c0 = int(torch.randint(0, S - k + 1, (1,), generator=g))
    if a in (0, 1):
        c0 = int(torch.randint(0, span + 1, (1,), generator=g))
    if a in (2, 3):
        r0 = int(torch.randint(0, span + 1, (1,), generator=g))
    t = torch.arange(T)
    rows, cols = torch.full((T,), r0), torch.full((T,), c0)
    if a == 0:
        cols = c0 + t
    elif a == 1:
        cols = c0 + T - 1 - t
    elif a == 2:
        rows = r0 + t
    elif a == 3:
        rows = r0 + T - 1 - t
    return torch.stack([rows, cols], 1)


def clips(n, g):
    y = torch.randint(0, ACTIONS, (n,), generator=g)
    other = torch.randint(0, ACTIONS, (n,), generator=g)
    bg = 0.3 * torch.rand(n, C, 1, 1, generator=g)
    x = bg[:, None] + NOISE * torch.randn(n, T, C, S, S, generator=g)
    for i in range(n):
        for a, colour in ((int(other[i]), OTHER), (int(y[i]), PLAYER)):
            k = int(torch.randint(3, 5, (1,), generator=g))
            shade = colour * (0.8 + 0.4 * torch.rand(1, generator=g))
            for t, (r, c) in enumerate(track(a, k, g).tolist()):
                x[i, t, :, r:r + k, c:c + k] = shade[:, None, None]
    return x, y


class C3D(nn.Module):
    def __init__(self):
        super().__init__()

        def block(cin, cout, pool):
            return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.BatchNorm3d(cout),
                                 nn.ReLU(), nn.MaxPool3d(pool))

        self.features = nn.Sequential(block(C, 8, (1, 2, 2)), block(8, 16, (2, 2, 2)),
                                      block(16, 32, (2, 2, 2)))
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(32, ACTIONS)

    def forward(self, x):
        b, t, c, h, w = x.shape
        x = x.view(b, c, t, h, w)  # Conv3d wants channels before time
        x = self.features(x).mean((2, 3, 4))
        return self.fc(self.drop(x))


def build():
    torch.manual_seed(0)
    return C3D()


def main():
    from _thirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clips(1200, g)
    tx, ty, vx, vy = x[:960], y[:960], x[960:], y[960:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    lossf = nn.CrossEntropyLoss()
    f = open(out / "history.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["epoch", "loss", "val_loss", "val_accuracy"])
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(960, generator=g).split(32):
            loss = lossf(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = lossf(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        log.writerow([epoch + 1, round(tot / 960, 4), round(vl, 4), round(acc, 4)])
        print(epoch + 1, round(tot / 960, 4), round(vl, 4), round(acc, 4))
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch + 1},
               out / "c3d_actions.pth")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["input_layout_scrambled"],
           checkpoint="c3d_actions.pth", log="history.csv",
           what="Conv3d action classifier, (B, T, C, H, W) clips .view()-ed to (B, C, T, H, W)",
           complaint="the action net keeps calling 'standing still' clips 'walking up'; val "
                     "accuracy jumps between 0.50 and 0.92 from epoch to epoch and ends at "
                     "0.80 while the train loss falls steadily to 0.22")


if __name__ == "__main__":
    main()
