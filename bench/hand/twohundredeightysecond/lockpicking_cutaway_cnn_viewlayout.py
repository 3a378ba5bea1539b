"""Plain torch: a small 2-D CNN with batch norm says which of the 5 pin stacks of a cutaway
practice lock are set, from one frame of the camera over the lock picking bench (24x24 pixels,
RGB, stored as the camera hands them over: rows, columns, colour; the 20x20 lock sits
anywhere in it, 0-4 pixels off in each direction). Each pin stack is a column
3 pixels wide: a brass key pin (reddish yellow) under a steel driver pin (grey) with a spring
above it; the plug and the housing meet at the shear line (a dark row at row 10). A pin stack
is set when the gap between key pin and driver pin sits at the shear line; otherwise the key
pin is too low (the driver pin crosses the shear line) or pushed too high (overset, the key
pin crosses it). The student's hook (a dark diagonal) and glare spots clutter the frame; 8 %
pixel noise, lighting varies 0.7-1.3. Multi-label: 5 outputs, one per pin stack.
Conv2d(3, 16, 3)-BN-ReLU, Conv2d(16, 32, 3)-BN-ReLU, max pool 2, Conv2d(32, 32, 3)-BN-ReLU,
flatten, linear 4608→5; BCE with logits, AdamW 2e-3 (weight decay 1e-2), constant, 10 epochs,
batch 50, 1500 frames, validation on 500.
The bug: ``x = x.view(x.size(0), 3, S, S)  # NCHW for the conv layers`` in the forward on
frames stored (N, 24, 24, 3); a view is not a permute, so each "colour plane" the convolutions
get is a third of the frame with the three colours interleaved pixel by pixel, the pin columns
smeared across planes and rows.
Result: val exact-match (all 5 right) 0.028 → 0.476, val per-pin accuracy 0.533 → 0.846, val
BCE 0.794 → 0.388 (best 0.377 at epoch 7), train BCE 0.718 → 0.034.
Control (``x.permute(0, 3, 1, 2)``): val exact-match 0.190 → 0.690, per-pin 0.691 → 0.914,
val BCE 0.594 → 0.198, train BCE 0.684 → 0.014.
Log: a CSV per epoch ``bench_cam.csv`` (``ep`` / ``loss_tr`` / ``loss_va`` / ``pin_acc_va`` /
``all5_va``); checkpoint ``pinset_cnn.pt`` with keys ``state_dict`` / ``opt`` / ``layout`` /
``ep``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H = W = 20
S = 24  # the frame; the lock sits somewhere in it
BRASS = torch.tensor([0.85, 0.7, 0.25])
STEEL = torch.tensor([0.6, 0.6, 0.65])
SPRING = torch.tensor([0.4, 0.45, 0.5])


def frames(n, g):
    u = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    img = torch.zeros(n, S, S, 3)
    lab = (u(n, 5) < 0.5).float()
    for i in range(n):
        f = (0.15 + 0.05 * u(H, W, 1)).expand(H, W, 3).clone()
        f[10, :, :] = 0.02
        for p in range(5):
            c = 1 + 4 * p
            if lab[i, p]:
                top = 10
            elif u(1).item() < 0.6:
                top = 12 + int(3 * u(1).item())
            else:
                top = 7 + int(2 * u(1).item())
            key_len = 5 + int(3 * u(1).item())
            f[top:min(top + key_len, H), c:c + 3] = BRASS
            f[max(top - 5, 0):top - 1, c:c + 3] = STEEL
            f[0:max(top - 6, 0), c + 1] = SPRING
        r0 = int(8 * u(1).item())
        for k in range(12):
            rr, cc = min(r0 + k // 2 + 8, H - 1), min(2 + k, W - 1)
            f[rr, cc] = 0.05
        gr, gc = int(H * u(1).item()), int(W * u(1).item())
        f[gr, gc] = 1.0
        full = (0.15 + 0.05 * u(S, S, 1)).expand(S, S, 3).clone()
        dy, dx = int(5 * u(1).item()), int(5 * u(1).item())
        full[dy:dy + H, dx:dx + W] = f
        img[i] = (full * (0.7 + 0.6 * u(1)) + 0.08 * torch.randn(S, S, 3, generator=g)).clamp(0, 1)
    return img, lab


class PinCam(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.Flatten())
        self.out = nn.Linear(32 * 12 * 12, 5)

    def forward(self, x):
        x = x.view(x.size(0), 3, S, S)  # NCHW for the conv layers
        return self.out(self.net(x))


def build():
    torch.manual_seed(0)
    return PinCam()


def main():
    from _twohundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(1500, g)
    xva, yva = frames(500, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    with open(out / "bench_cam.csv", "w") as f:
        f.write("ep,loss_tr,loss_va,pin_acc_va,all5_va\n")
        for ep in range(10):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                v = F.binary_cross_entropy_with_logits(lo, yva).item()
                hit = ((lo > 0).float() == yva).float()
                pin_acc, all5 = hit.mean().item(), hit.min(1).values.mean().item()
            print(ep, round(tot / n, 4), round(v, 4), round(pin_acc, 4), round(all5, 4))
            f.write(f"{ep},{tot / n:.5f},{v:.5f},{pin_acc:.4f},{all5:.4f}\n")
    torch.save({"state_dict": model.state_dict(), "opt": opt.state_dict(), "layout": "NHWC",
                "ep": 9}, out / "pinset_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="pinset_cnn.pt", log="bench_cam.csv",
           what="2-D CNN saying which pin stacks of a cutaway practice lock are set from a"
                " camera frame; NHWC frames viewed as NCHW instead of permuted",
           complaint=("Our bench camera model for the cutaway practice locks should just say "
                      "which pins are set, something anyone can see on the frame, yet it gets "
                      "all five right on only a small share of the validation frames and the "
                      "validation loss stops improving early while the training loss keeps "
                      "going down. More epochs and a lower learning rate didn't help."))


if __name__ == "__main__":
    main()
