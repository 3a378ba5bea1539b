"""Plain torch: a small transformer encoder tells a henna artists' portfolio site which regional
style a design is (Moroccan, Indian, Khaleeji, Sudanese), from its 12 largest strokes as traced
by the drawing tablet, each with six numbers: stroke width, curvature, fill fraction (solid
paste versus outline), angle, distance from the palm centre, and whether it runs onto the
fingers. Moroccan designs are thin, straight and geometric; Indian dense, curly and
outline-heavy covering the palm; Khaleeji large floral with wide solid fills and empty space;
Sudanese bold solid strokes onto the fingers. Linear(6,32) stroke embedding, 2-layer
TransformerEncoder (d 32, 4 heads, ff 64), mean over strokes, Linear(32,4). Adam 1e-3, batch
64, 12 epochs of 1280 designs, 256 validation. The network ends in a softmax and the loss is
the NLL of its log. JSON lines ``portfolio.jsonl`` per epoch (epoch, loss, val_loss, val_acc);
checkpoint ``henna_style.pt`` with keys model / optim / epoch.

Bug: the softmax is taken with ``dim=0``, across the designs in the batch instead of across the
four styles.
Numbers: train NLL 3.79 (epoch 1), 3.23, 3.04, 2.97, then creeping to 2.88 (epoch 12); val
NLL 3.43 → 2.91; val accuracy 0.94-0.97 (the argmax over styles of a column-normalised matrix
still mostly picks the right style), but the "probabilities" of one design do not add up to 1,
and scored one design at a time (batch of 1) every style gets 1.0. Control (``dim=1``, a
one-line sed): train NLL 1.015 → 0.137 (epoch 4) → 0.061 (12), val NLL 0.647 → 0.105 → 0.088,
val accuracy 0.930 → 0.969 → 0.969."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

K = 12
STYLE = torch.tensor([
    # width, curvature, fill, angle spread, palm distance, finger share
    [0.3, 0.2, 0.2, 0.2, 0.5, 0.3],
    [0.4, 0.8, 0.2, 0.9, 0.3, 0.4],
    [0.8, 0.6, 0.7, 0.6, 0.6, 0.2],
    [0.9, 0.3, 0.9, 0.4, 0.7, 0.8]])


def designs(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    mu = STYLE[y][:, None, :]
    x = mu + 0.8 * torch.randn(n, K, 6, generator=g)
    x[..., 5] = (torch.rand(n, K, generator=g) < mu[..., 5]).float()
    return (x - 0.5) / 0.3, y


class StrokeTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(6, 32)
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        h = self.encoder(self.embed(x)).mean(1)
        return F.softmax(self.head(h), dim=0)


def build():
    torch.manual_seed(0)
    return StrokeTransformer()


def main():
    from _twohundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = designs(1536, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "portfolio.jsonl", "w")
    for ep in range(12):
        model.train()
        perm = torch.randperm(1280, generator=g)
        tot = 0.0
        for i in range(0, 1280, 64):
            idx = perm[i:i + 64]
            probs = model(xtr[idx])
            loss = F.nll_loss(torch.log(probs + 1e-8), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl, va = [], []
            for j in range(0, 256, 64):
                pv = model(xva[j:j + 64])
                vl.append(F.nll_loss(torch.log(pv + 1e-8), yva[j:j + 64]).item())
                va.append((pv.argmax(1) == yva[j:j + 64]).float().mean().item())
        rec = {"epoch": ep + 1, "loss": round(tot / 1280, 4),
               "val_loss": round(sum(vl) / 4, 4), "val_acc": round(sum(va) / 4, 4)}
        f.write(json.dumps(rec) + "\n")
        print(rec)
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 12},
               out / "henna_style.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="henna_style.pt", log="portfolio.jsonl",
           what="small transformer over tablet-traced strokes classifying henna design style"
                " (Moroccan, Indian, Khaleeji, Sudanese)",
           complaint="我的指甲花图案风格分类模型，验证准确率有97%，可是训练损失一直停在2.9左右，"
                     "12个epoch几乎不降（正常的4分类应该能降到0.1以下吧）。而且在网站上"
                     "一次只给一张设计打分时，四种风格的置信度全都显示100%。这是怎么回事？")


if __name__ == "__main__":
    main()
