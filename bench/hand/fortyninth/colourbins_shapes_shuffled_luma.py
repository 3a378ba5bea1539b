"""Colourisation as classification (in the manner of Zhang et al.): a small fully convolutional
CNN takes the luminance Y of a 24×24 image and predicts, per pixel, one of 7 quantised chroma
bins (bin 0 = grey, bins 1–6 = six hues), trained with per-pixel cross-entropy. Synthetic
scenes: a dark grey textured background with 1–3 shapes (disc, square, bar); each shape kind has its
own two candidate hues and its own luminance texture, so the hue can be read from the shape's
outline and brightness. 1600 training scenes, 400 held out; Adam 3e-3, batch 32, 8 epochs. The
log is a CSV per 10 steps (train CE) and per epoch (val CE, val pixel accuracy, val accuracy on
coloured pixels).
Bug: the training luminance array is shuffled once before training ("so the batches are mixed")
with ``Y_train = Y_train[torch.randperm(...)]`` while the chroma-bin targets keep their order,
so every input is paired with another scene's colours."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S, BINS = 24, 7
HUES = {0: (1, 2), 1: (3, 4), 2: (5, 6)}
LUMA = {1: 0.35, 2: 0.55, 3: 0.75, 4: 0.45, 5: 0.65, 6: 0.85}


def scenes(n, g):
    yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")
    Y = 0.15 + 0.05 * torch.randn(n, S, S, generator=g)
    T = torch.zeros(n, S, S, dtype=torch.long)
    for i in range(n):
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            kind = int(torch.randint(0, 3, (1,), generator=g))
            cy, cx = torch.randint(5, S - 5, (2,), generator=g).tolist()
            r = int(torch.randint(3, 6, (1,), generator=g))
            if kind == 0:
                m = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            elif kind == 1:
                m = ((yy - cy).abs() <= r - 1) & ((xx - cx).abs() <= r - 1)
            else:
                m = ((yy - cy).abs() <= 1) & ((xx - cx).abs() <= r + 2)
            hue = HUES[kind][int(torch.randint(0, 2, (1,), generator=g))]
            Y[i][m] = LUMA[hue] + 0.03 * torch.randn(int(m.sum()), generator=g)
            T[i][m] = hue
    return Y[:, None], T


class Colouriser(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 24, 3, padding=1), nn.ReLU(),
            nn.Conv2d(24, 32, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv2d(32, BINS, 1))

    def forward(self, y):
        return self.body(y)


def build():
    torch.manual_seed(0)
    return Colouriser()


def main():
    from _fortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    Y_train, T_train = scenes(1600, g)
    Y_val, T_val = scenes(400, g)
    Y_train = Y_train[torch.randperm(len(Y_train), generator=g)]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "colour_log.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["epoch", "step", "ce_train", "ce_val", "pix_acc_val", "colour_acc_val"])
        for epoch in range(8):
            perm = torch.randperm(1600, generator=g)
            for i in range(0, 1600, 32):
                idx = perm[i:i + 32]
                loss = F.cross_entropy(model(Y_train[idx]), T_train[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    w.writerow([epoch, step, round(loss.item(), 5), "", "", ""])
            with torch.no_grad():
                logits = model(Y_val)
                vl = F.cross_entropy(logits, T_val).item()
                pred = logits.argmax(1)
                acc = (pred == T_val).float().mean().item()
                col = T_val > 0
                cacc = (pred[col] == T_val[col]).float().mean().item()
            w.writerow([epoch, step, "", round(vl, 5), round(acc, 4), round(cacc, 4)])
            print(epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4), round(cacc, 4))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 7,
                "global_step": step}, out / "colouriser.ckpt")
    finish(out, __file__, (Y_train[:32], T_train[:32]), causes=["labels_wrong"],
           checkpoint="colouriser.ckpt", log="colour_log.csv",
           what="colourisation CNN over 7 chroma bins, luminance shuffled apart from targets",
           complaint="The colouriser paints everything grey. Validation pixel accuracy is "
                     "stuck around the share of grey pixels and the coloured shapes are almost "
                     "never right, even though train loss went down a little.")


if __name__ == "__main__":
    main()
