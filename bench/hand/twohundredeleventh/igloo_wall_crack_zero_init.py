"""Plain torch: a small CNN (no batch norm) flags an igloo wall section as cracked from a 24×24
thermal-camera patch taken from inside: the snow blocks are a brick pattern of cool seams on a
warmer wall with smooth random warmth gradients and sensor noise; a crack is a thin, wandering
cold line (heat leaking out) crossing several blocks, present in about half the patches.
Conv(1→12)-ReLU-pool, Conv(12→24)-ReLU-pool, Conv(24→24)-ReLU, global max pool, Linear(24→1);
BCE-with-logits, Adam 1e-3, batch 32, 8 epochs of 1024 patches, shuffled.
The bug: a hand-written ``init_weights`` ("start every filter at zero, the data will shape
them") sets every Conv2d and Linear weight and bias to zero with ``nn.init.constant_``. All
activations are zero, no gradient reaches any weight except the output bias, and the model
outputs the base rate for every patch: val accuracy 0.5898 (the share of intact patches) in
every epoch, val loss 0.6868 → 0.6853 at the end, train loss 0.690 → 0.6895. Control (no
``model.apply(init_weights)``, sed to ``pass``): val accuracy 0.88 after epoch 1, 0.99 from
epoch 3, val loss 0.048 at epoch 8."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def patches(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    row = (yy % 6).lt(1).float()
    off = ((yy // 6) % 2) * 4
    col = ((xx + off) % 8).lt(1).float()
    seams = torch.maximum(row, col)
    warm = F.interpolate(torch.rand(n, 1, 3, 3, generator=g), size=(S, S), mode="bilinear",
                         align_corners=False)
    img = 0.6 * warm - 0.5 * seams + 0.15 * torch.randn(n, 1, S, S, generator=g)
    y = (torch.rand(n, generator=g) < 0.45).float()
    for i in range(n):
        if y[i] > 0:
            r = float(torch.rand(1, generator=g)) * S
            slope = float(torch.randn(1, generator=g)) * 0.6
            wig = torch.cumsum(0.5 * torch.randn(S, generator=g), 0)
            c = (r + slope * torch.arange(S).float() + wig).round().long().clamp(0, S - 1)
            a, b = sorted(int(v) for v in torch.randint(0, S, (2,), generator=g))
            b = max(b, a + 10)
            for k in range(a, min(b, S)):
                img[i, 0, int(c[k]), k] -= 0.9
    return img, y


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.constant_(m.weight, 0.0)
        nn.init.constant_(m.bias, 0.0)


class CrackNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(24, 24, 3, padding=1), nn.ReLU())
        self.out = nn.Linear(24, 1)

    def forward(self, x):
        return self.out(self.body(x).amax((2, 3))).squeeze(1)


def build():
    torch.manual_seed(0)
    model = CrackNet()
    model.apply(init_weights)
    return model


def main():
    from _twohundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1024, g)
    xva, yva = patches(256, g)
    print("cracked share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "log.jsonl", "w") as log:
        for epoch in range(1, 9):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"epoch": epoch, "step": step, "train_loss": round(tot / 1024, 4),
                   "val_loss": round(F.binary_cross_entropy_with_logits(lv, yva).item(), 4),
                   "val_acc": round(((lv > 0).float() == yva).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step},
               out / "crack_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="crack_cnn.ckpt", log="log.jsonl",
           what="igloo thermal-patch crack CNN with every conv/linear weight set to zero by a"
                " custom init: outputs the base rate",
           complaint=("My igloo crack detector (thermal patches from inside the dome) doesn't "
                      "learn anything: 8 epochs, val accuracy is exactly 0.5898 every single "
                      "epoch and the loss sits at about 0.69 (train) / 0.686 (val). The cracks are clearly visible "
                      "by eye in the patches. Do I need more epochs or a bigger network?"))


if __name__ == "__main__":
    main()
