"""3-D convolution classifier of synthetic short videos: 8 frames of 16×16, one Gaussian blob
(σ 1.5) that moves 1 pixel a frame in one of 4 directions (right, left, down, up) from a random
start, plus a second, static distractor blob and pixel noise (σ 0.3). Conv3d(1→12, 3) + ReLU +
MaxPool3d(2) → Conv3d(12→24, 3) + ReLU → global average pool → Linear(24→4). Adam 3e-3, batch
64, 10 epochs of 1600 clips, 400 for validation; the log is CSV per epoch.
Bug: the clips are generated, then shuffled before the split with
``clips = clips[perm]``, and the labels are not indexed with the same permutation (the line
``labels = labels[perm]`` is missing): every clip keeps the label of whatever clip stood at its
place before the shuffle, so the labels are unrelated to the motion."""
import csv

import torch
import torch.nn as nn

FRAMES, SIDE, DIRS = 8, 16, 4
PERMUTE_LABELS = False  # the bug: True is the control


def clips(n, g):
    y = torch.randint(0, DIRS, (n,), generator=g)
    step = torch.tensor([[0, 1], [0, -1], [1, 0], [-1, 0]], dtype=torch.float)[y]
    start = torch.rand(n, 2, generator=g) * 6 + 5
    other = torch.rand(n, 2, generator=g) * 12 + 2
    rr, cc = torch.meshgrid(torch.arange(SIDE).float(), torch.arange(SIDE).float(),
                            indexing="ij")
    t = torch.arange(FRAMES).float() - FRAMES / 2
    pos = start[:, None] + t[None, :, None] * step[:, None]
    d = (rr - pos[..., 0, None, None]) ** 2 + (cc - pos[..., 1, None, None]) ** 2
    d2 = (rr - other[:, 0, None, None]) ** 2 + (cc - other[:, 1, None, None]) ** 2
    v = torch.exp(-d / 4.5) + 0.8 * torch.exp(-d2 / 4.5)[:, None]
    v = v + 0.3 * torch.randn(n, FRAMES, SIDE, SIDE, generator=g)
    return v[:, None], y


class C3D(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv3d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool3d(2),
                                  nn.Conv3d(12, 24, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool3d(1), nn.Flatten())
        self.head = nn.Linear(24, DIRS)

    def forward(self, x):
        return self.head(self.body(x))


def build():
    torch.manual_seed(0)
    return C3D()


def main():
    from _fiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clips(2000, g)
    perm = torch.randperm(2000, generator=g)
    x = x[perm]
    if PERMUTE_LABELS:
        y = y[perm]
    tx, ty, vx, vy = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    lossf = nn.CrossEntropyLoss()
    with open(out / "c3d_history.csv", "w", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["epoch", "loss", "val_loss", "val_accuracy"])
        for epoch in range(10):
            model.train()
            total = 0.0
            for idx in torch.randperm(1600, generator=g).split(64):
                loss = lossf(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                logits = model(vx)
                vl = lossf(logits, vy).item()
                acc = (logits.argmax(1) == vy).float().mean().item()
            log.writerow([epoch, round(total / 1600, 5), round(vl, 5), round(acc, 4)])
            print(epoch, round(total / 1600, 4), round(vl, 4), round(acc, 4))
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "epoch": epoch}, out / "c3d_blobs.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["labels_wrong"],
           checkpoint="c3d_blobs.pt", log="c3d_history.csv",
           what="Conv3d motion-direction classifier, clips shuffled without their labels",
           complaint="3D conv net for blob motion direction is stuck at ~25% val accuracy, "
                     "which is chance for 4 directions. Loss barely moves from 1.386. The "
                     "motion is obvious when I look at the clips, so why can't it learn?")


if __name__ == "__main__":
    main()
