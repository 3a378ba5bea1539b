"""Reading embossed braille from a library's scanned tactile books: a small CNN classifies
single braille cells, letters a–l, from 18×12 grey crops of a raking-light scan. A cell is the
6-dot 3×2 grid; each raised dot is a bright Gaussian bump with a shadow below-right (the
raking light), jittered ±0.7 px, with 3 % of dots worn flat, paper grain noise 0.15 and a
per-page brightness 0.8–1.2. Conv 1→16 (3×3) + ReLU + max-pool, conv 16→32 + ReLU + max-pool,
flattened (32 × 4 × 3), dropout 0.2, linear head for 12 letters. Adam 2e-3, batch 32, 8 epochs of 1152
cells (96 per letter); JSON lines: one line per step (``it``, ``loss``) and one per epoch
(``epoch``, ``val_loss``, ``val_acc``).
Bug: the training cells come from one folder per letter (``crops/a/``, ``crops/b/``, …),
stacked in folder order, and the ``DataLoader`` keeps ``shuffle=False``; 96 cells per letter
and batch 32 make every batch a single letter. In epoch 1 the step loss jumps 2.24–3.12 as the
letters change, then the net collapses to a constant output: from epoch 2 the step loss is
2.42–2.54 in the same letter-by-letter pattern every epoch (−log of a fixed softmax), val loss
2.4836 (ln 12 = 2.4849), val accuracy 0.091, all 384 val cells called "a"; the control
(``shuffle=True``) reaches val accuracy 0.825 after epoch 1 and 0.953 at epoch 8, val loss
0.208. (At Adam 1e-3 the same unshuffled run still got to val accuracy 0.956 by epoch 8,
after 5 epochs of chasing one or two letters; the script keeps 2e-3.)"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

LETTERS = "abcdefghijkl"
# dots 1-2-3 down the left column, 4-5-6 down the right
DOTS = {"a": [1], "b": [1, 2], "c": [1, 4], "d": [1, 4, 5], "e": [1, 5], "f": [1, 2, 4],
        "g": [1, 2, 4, 5], "h": [1, 2, 5], "i": [2, 4], "j": [2, 4, 5], "k": [1, 3],
        "l": [1, 2, 3]}
H, W = 18, 12


def cells(letter_ids, g):
    n = len(letter_ids)
    yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing="ij")
    img = torch.zeros(n, 1, H, W)
    for i, k in enumerate(letter_ids.tolist()):
        for d in DOTS[LETTERS[k]]:
            if torch.rand(1, generator=g) < 0.03:
                continue
            cy = 3.5 + 5.0 * ((d - 1) % 3) + 0.7 * (2 * float(torch.rand(1, generator=g)) - 1)
            cx = 3.5 + 5.0 * ((d - 1) // 3) + 0.7 * (2 * float(torch.rand(1, generator=g)) - 1)
            bump = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 2.0)
            shadow = torch.exp(-((yy - cy - 1.5) ** 2 + (xx - cx - 1.2) ** 2) / 2.0)
            img[i, 0] += bump - 0.5 * shadow
        img[i] *= 0.8 + 0.4 * float(torch.rand(1, generator=g))
    return img + 0.15 * torch.randn(img.shape, generator=g)


class CellNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(32 * 4 * 3, 12)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2).flatten(1)
        return self.fc(self.drop(x))


def build():
    torch.manual_seed(0)
    return CellNet()


def main():
    from _hundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    folders = {c: cells(torch.full((96,), k), g) for k, c in enumerate(LETTERS)}  # crops/<letter>/
    xtr = torch.cat([folders[c] for c in LETTERS])
    ytr = torch.cat([torch.full((96,), k) for k in range(12)])
    yva = torch.randint(0, 12, (384,), generator=g)
    xva = cells(yva, g)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=False)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "braille_train.jsonl", "w")
    it = 0
    for epoch in range(1, 9):
        model.train()
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            log.write(json.dumps({"it": it, "loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            va = (lo.argmax(1) == yva).float().mean().item()
        log.write(json.dumps({"epoch": epoch, "val_loss": round(vl, 4), "val_acc": round(va, 4)})
                  + "\n")
        print(epoch, round(vl, 4), round(va, 4), torch.bincount(lo.argmax(1), minlength=12).tolist())
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 8,
                "letters": LETTERS}, out / "cellnet_ep8.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="cellnet_ep8.pt", log="braille_train.jsonl",
           what="braille cell CNN, cells stacked letter folder by letter folder, shuffle=False, "
                "batch 32 = a third of a letter: every batch one letter",
           complaint=COMPLAINT)


COMPLAINT = ("My braille cell classifier for the tactile-book scans does not learn anything. In "
             "the first epoch the step loss jumps around between 2.24 and 3.12, then from epoch "
             "2 on it just sits at 2.42-2.54 (ln 12 is 2.48) and repeats the same pattern every "
             "epoch. Validation accuracy is 0.09 and it answers 'a' for all 384 validation "
             "cells. The dots are clearly visible in the crops.")

if __name__ == "__main__":
    main()
