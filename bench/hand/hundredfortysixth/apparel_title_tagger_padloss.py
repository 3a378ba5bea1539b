"""Fashion retail: a product-title attribute tagger for the web shop's catalogue feed. Each word
of a title gets a tag — O, COLOR, MATERIAL, TYPE, FIT, BRAND — so the filters (colour, fabric,
garment type, fit) can be filled from supplier titles. Synthetic titles of 5–14 words from a
brand (one or two words, some brands built from colour words: "maison coral", "studio olive"),
a fit word, colours (some the same words as in brands), materials, a garment type, filler words
("for", "women", "new", "pack", "2") and a size, shuffled within a few title templates; padded
with id 0 to a fixed ``MAX_LEN = 64`` (the longest title the supplier spec allows), tag 0 = PAD.
Embedding 32 → BiGRU 48 → linear to 7 tags. SGD lr 0.1, momentum 0.9, batch 64, 3 epochs of
2560 titles;
a CSV per 10 steps (``loss``) and per epoch (``val_loss``, ``val_acc`` and the attribute F1 on
real words ``val_attr_f1``), both in one file, empty cells where a column does not apply.
Bug: ``nn.CrossEntropyLoss()`` over all 64 positions of every title, padding included (tag 0 is
a class like any other; no ``ignore_index=0``, no mask). Titles average ~8 words, so ~7/8 of
every loss is "predict PAD after the title", learnt at once, and the real words get an eighth of
the gradient: train loss 0.58 → 0.10 at step 120, val loss 0.10 and val accuracy (all
positions) 0.93, 0.95, 0.97 look fine, but the attribute F1 on real words is 0.19, 0.44, 0.61
(real-word tag accuracy 0.30, 0.53, 0.68). The control (``CrossEntropyLoss(ignore_index=0)``)
reaches attribute F1 0.92 after epoch 1 and 1.00 after epoch 3 (real-word accuracy 1.00; its
all-position val accuracy is 0.10, as its PAD predictions are never trained)."""
import csv

import torch
import torch.nn as nn

MAX_LEN = 64
TAGS = ["PAD", "O", "COLOR", "MATERIAL", "TYPE", "FIT", "BRAND"]
COLORS = ["black", "white", "navy", "coral", "olive", "rose", "camel", "sage", "ivory", "rust",
          "charcoal", "teal"]
MATERIALS = ["cotton", "linen", "wool", "denim", "silk", "cashmere", "viscose", "leather",
             "fleece", "corduroy"]
TYPES = ["shirt", "dress", "jeans", "blazer", "chinos", "hoodie", "parka", "skirt", "cardigan",
         "trench", "polo", "tee", "jumpsuit", "gilet", "loafers"]
FITS = ["slim", "relaxed", "oversized", "regular", "tapered", "cropped"]
BRANDS1 = ["nordvik", "alma", "kestrel", "ouvrage", "bellweather", "tanaka", "corvo", "fjell"]
PREFIX = ["maison", "studio", "house", "atelier"]
FILLER = ["for", "women", "men", "new", "pack", "2", "with", "pockets", "classic", "essential"]
SIZES = ["xs", "s", "m", "l", "xl"]
WORDS = ["<pad>"] + sorted(set(COLORS + MATERIALS + TYPES + FITS + BRANDS1 + PREFIX + FILLER + SIZES))
IDX = {w: i for i, w in enumerate(WORDS)}


def title(g):
    r = lambda n: int(torch.randint(0, n, (1,), generator=g))  # noqa: E731
    pick = lambda xs: xs[r(len(xs))]  # noqa: E731
    if r(2):
        brand = [(pick(PREFIX), "BRAND"), (pick(COLORS), "BRAND")]
    else:
        brand = [(pick(BRANDS1), "BRAND")]
    body = []
    if r(2):
        body.append((pick(FITS), "FIT"))
    for _ in range(r(3)):
        body.append((pick(COLORS), "COLOR"))
    if r(3):
        body.append((pick(MATERIALS), "MATERIAL"))
    body.append((pick(TYPES), "TYPE"))
    tail = [(pick(FILLER), "O") for _ in range(r(4))]
    if r(2):
        tail.append((pick(SIZES), "O"))
    order = r(3)
    if order == 0:
        words = brand + body + tail
    elif order == 1:
        words = body + tail[:1] + brand + tail[1:]
    else:
        words = tail[:2] + brand + body + tail[2:]
    return [IDX[w] for w, _ in words], [TAGS.index(t) for _, t in words]


def catalogue(n, g):
    x = torch.zeros(n, MAX_LEN, dtype=torch.long)
    y = torch.zeros(n, MAX_LEN, dtype=torch.long)
    for i in range(n):
        w, t = title(g)
        x[i, :len(w)] = torch.tensor(w)
        y[i, :len(t)] = torch.tensor(t)
    return x, y


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(WORDS), 32, padding_idx=0)
        self.gru = nn.GRU(32, 48, batch_first=True, bidirectional=True)
        self.out = nn.Linear(96, len(TAGS))

    def forward(self, x):
        h, _ = self.gru(self.emb(x))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return Tagger()


def attr_f1(pred, y):
    real = y > 0
    attr_true = real & (y > 1)
    attr_pred = real & (pred > 1)
    tp = (attr_true & attr_pred & (pred == y)).sum().item()
    return 2 * tp / max(attr_true.sum().item() + attr_pred.sum().item(), 1)


def main():
    from _hundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = catalogue(2560, g)
    xva, yva = catalogue(512, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    f = open(out / "tagger_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "loss", "val_loss", "val_acc", "val_attr_f1"])
    gen = torch.Generator().manual_seed(1)
    step = 0
    for epoch in range(1, 4):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = crit(logits.reshape(-1, len(TAGS)), ytr[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                w.writerow([epoch, step, round(loss.item(), 4), "", "", ""])
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = crit(lo.reshape(-1, len(TAGS)), yva.reshape(-1)).item()
            pred = lo.argmax(-1)
            row = [epoch, step, "", round(vl, 4), round((pred == yva).float().mean().item(), 4),
                   round(attr_f1(pred, yva), 4)]
        w.writerow(row)
        real = yva > 0
        print(row, "real-word acc", round((pred[real] == yva[real]).float().mean().item(), 4))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 3, "tags": TAGS, "max_len": MAX_LEN}, out / "title_tagger.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="title_tagger.pt", log="tagger_log.csv",
           what="product-title BiGRU tagger, CrossEntropyLoss over all 40 positions incl. padding",
           complaint="The title tagger for the catalogue feed reports val accuracy 0.97 and a "
                     "val loss of 0.10 after 3 epochs, training loss 0.10, but when we fill the "
                     "shop filters from it most attributes are wrong: the attribute F1 on real "
                     "words is only 0.61 (0.19 after the first epoch). On 512 validation titles "
                     "only 26 of 271 fit words are tagged FIT (most come out as BRAND), 70 of "
                     "346 materials as MATERIAL, and 146 of 499 colours are called BRAND.")


if __name__ == "__main__":
    main()
