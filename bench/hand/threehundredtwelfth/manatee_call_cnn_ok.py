"""Plain torch: a 1-D CNN (no batch norm) sorts Florida manatee vocalisations picked up by
a passive acoustic recorder in a warm-water winter refuge into 4 call types, so the
biologist can follow calf-cow contact calling through the night: chirp (short arch), tonal
squeak (flat), squeal (long downsweep with frequency wobble) and a broken two-part call
(a jump between two steps). Each detection: 64 frames of the fundamental's frequency
contour (2.5-6 kHz, peak-picked, jitter and spurious jumps where the tracker lost the
call) and the frame's SNR (dB); the call sits at a random place in the window with a
random length; outside it the tracker holds 4 kHz with jitter and SNR is near 0.
Input: (2, 64) (kHz - 4) / 1.5 and SNR / 10. Model: Conv1d 2→24 (k7) → ReLU → MaxPool 2 →
Conv1d 24→32 (k5) → ReLU → MaxPool 2 → Conv1d 32→32 (k3) → ReLU → global average →
Linear 32→4; cross-entropy with label smoothing 0.05, AdamW 3e-3 (weight decay 0.02) with
CosineAnnealingLR over 16 epochs, batch 64, 2000 detections, validation on 500.
Healthy; numbers in the README.
Log: TSV per epoch ``calls.tsv`` (``ep`` / ``lr`` / ``loss`` / ``val_loss`` / ``val_acc``
/ ``val_acc_squeal``); checkpoint ``call_cnn.pt`` with keys ``cnn`` / ``adamw`` / ``cosine``
/ ``ep`` / ``call_types``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CALLS = ["chirp", "tonal_squeak", "squeal", "two_part"]
W = 64


def detections(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    k = torch.arange(W).float()
    ln = torch.where(y == 2, 30 + 24 * r(n), 12 + 20 * r(n))
    start = (W - ln) * r(n)
    u = ((k - start[:, None]) / ln[:, None])
    inside = (u >= 0) & (u <= 1)
    base = 3.0 + 2.0 * r(n, 1)
    arch = base + 1.2 * torch.sin(3.1416 * u.clamp(0, 1))
    flat = base + 0.1 * torch.randn(n, 1, generator=g)
    down = base + 1.0 - 1.6 * u + 0.25 * torch.sin(6.283 * (2 + 2 * r(n, 1)) * u)
    steps = base + torch.where(u < 0.5, 0.0, 0.8 + 0.6 * r(n, 1))
    contour = torch.stack([arch, flat.expand(n, W), down, steps], 1)[torch.arange(n), y]
    contour = contour + 0.12 * torch.randn(n, W, generator=g)
    lost = r(n, W) < 0.03
    contour = torch.where(lost, 2.5 + 3.5 * r(n, W), contour)
    snr_peak = 6 + 18 * r(n, 1)
    snr = torch.where(inside, snr_peak, 0.0) + 1.5 * torch.randn(n, W, generator=g)
    contour = torch.where(inside, contour, 4 + 0.3 * torch.randn(n, W, generator=g))
    x = torch.stack([(contour - 4) / 1.5, snr / 10], 1)
    return x, y


class CallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(2, 24, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(24, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.classifier = nn.Linear(32, 4)

    def forward(self, x):
        return self.classifier(self.features(x).mean(-1))


def build():
    torch.manual_seed(0)
    return CallCNN()


def main():
    from _threehundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = detections(2000, g)
    xva, yva = detections(500, g)
    print("class counts", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.02)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)
    with open(out / "calls.tsv", "w") as log:
        log.write("ep\tlr\tloss\tval_loss\tval_acc\tval_acc_squeal\n")
        for ep in range(16):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = cosine.get_last_lr()[0]
            cosine.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            hit = lv.argmax(1) == yva
            row = [lr, tot / len(xtr), F.cross_entropy(lv, yva, label_smoothing=0.05).item(),
                   hit.float().mean().item(), hit[yva == 2].float().mean().item()]
            log.write(f"{ep}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(ep, row)
    torch.save({"cnn": model.state_dict(), "adamw": opt.state_dict(),
                "cosine": cosine.state_dict(), "ep": 16, "call_types": CALLS},
               out / "call_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="call_cnn.pt", log="calls.tsv",
           what="1-D CNN without batch norm sorting manatee vocalisations from a refuge"
                " hydrophone into 4 call types (healthy)")


if __name__ == "__main__":
    main()
