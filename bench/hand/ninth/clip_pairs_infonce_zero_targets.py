"""A tiny CLIP-like dual encoder for a shop's search: product photos (32 image features) and
their captions (bag of words over 120 words) share a 12-d product latent; each tower is an
MLP to a 32-d unit vector, ``logits = scale * img @ txt.T`` with CLIP's learnable logit scale
(init 1/0.07, clamped at 100), symmetric cross-entropy over the batch. AdamW 1e-3, batch 128,
15 epochs. Bug: the InfoNCE targets were written as ``torch.zeros(B, dtype=torch.long)`` ("the
positive is in column 0", as in a MoCo-style loss whose logits put the positive first) while
these logits have the positive on the diagonal -- every photo is pushed towards the first
caption of its batch: recall@1 0.000-0.008, train loss ~4.9 = ln 128 (arange targets:
0.67-0.71)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def products(n, g, A, B):
    z = torch.randn(n, 12, generator=g)
    img = z @ A + 0.3 * torch.randn(n, 32, generator=g)
    rate = torch.softmax(z @ B, 1) * 12  # ~12 words per caption
    txt = torch.poisson(rate, generator=g)
    return img, txt


class DualEncoder(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.image_tower = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, dim))
        self.text_tower = nn.Sequential(nn.Linear(120, 128), nn.ReLU(), nn.Linear(128, dim))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, images, captions):
        a = F.normalize(self.image_tower(images), dim=-1)
        b = F.normalize(self.text_tower(captions), dim=-1)
        return self.logit_scale.exp().clamp(max=100) * a @ b.T


def build():
    torch.manual_seed(0)
    return DualEncoder()


def clip_loss(logits):
    labels = torch.zeros(len(logits), dtype=torch.long)  # BUG: positives are on the diagonal
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2


def main():
    from _ninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    A, B = torch.randn(12, 32, generator=g) / 12 ** 0.5, 1.5 * torch.randn(12, 120, generator=g)
    img, txt = products(8000, g, A, B)
    vimg, vtxt = products(256, g, A, B)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    with open(out / "retrieval_log.csv", "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["epoch", "train_infonce", "val_infonce", "val_recall@1", "temperature_inv"])
        for epoch in range(15):
            model.train()
            tot, n = 0.0, 0
            for idx in torch.randperm(len(img), generator=g).split(128):
                loss = clip_loss(model(img[idx], txt[idx]))
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item(), n + 1
            model.eval()
            with torch.no_grad():
                lg = model(vimg, vtxt)
            top1 = (lg.argmax(1) == torch.arange(len(lg))).float().mean().item()
            row = [epoch, tot / n, clip_loss(lg).item(), top1, model.logit_scale.exp().item()]
            wr.writerow(row)
            print([round(v, 4) for v in row])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "dual_encoder.pt")
    finish(out, __file__, {"inputs": vimg[:128], "captions": vtxt[:128],
                           "targets": torch.arange(128)}, causes=["labels_wrong"],
           checkpoint="dual_encoder.pt", log="retrieval_log.csv",
           what="tiny CLIP-like dual encoder, InfoNCE targets all 0 instead of arange(B)",
           complaint="my image-caption search model learns nothing: recall@1 stays at 0.00-0.01 "
                     "and the loss sits at about 4.9 for all 15 epochs")


if __name__ == "__main__":
    main()
