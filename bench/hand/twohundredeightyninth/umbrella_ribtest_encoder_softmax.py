"""Plain torch: a transformer encoder reads the end-of-line rib test of a folding umbrella
(the frame is opened on a rig and each of its 8 ribs is measured) and says what is wrong with
it before the canopy goes to packing: 0 = good, 1 = bent rib, 2 = weak runner spring (frame
does not open fully), 3 = torn or loose canopy panel. Per rib: tip deflection under a 2 N load
(mm), rib angle at full open (°), canopy tension at the rib tip (N), stretcher joint play (mm).
A bent rib shows one rib with a big angle offset and extra deflection; a weak spring lowers the
open angle and the tip tension on all ribs together; a torn panel drops the tension on the two
ribs either side of it; frame-to-frame scatter and 4 % mislabelled frames on top.
Rib tokens (4 numbers, standardised) → linear 4→32 + a learned rib-position embedding →
TransformerEncoder (2 layers, d 32, 4 heads, FFN 64) → mean over ribs → linear 32→4;
NLL on the log of the softmax, AdamW 1e-3, batch 50, 25 epochs, 2000 frames, validation on 400.
Bug: the head returns ``torch.softmax(logits, dim=0)``; the probabilities are normalised over
the 50 frames of the batch instead of over the 4 classes. Batched argmax still ranks the classes
(val accuracy 0.9725 in both runs), but the loss stays near 2.7, log 50 being 3.9 (val NLL
2.705 vs 0.153 for the control, ``dim=-1``), the mean top probability is 0.077 vs 0.960, and
scored one frame at a time, as the packing line does, every probability is 1.0 and every frame
comes out "good": line accuracy 0.267 vs 0.983 on 60 frames.
Log: JSON lines per epoch ``ribtest_train.jsonl`` (``ep`` / ``nll`` / ``acc``) and a separate
``ribtest_val.jsonl`` (``ep`` / ``val_nll`` / ``val_acc`` / ``val_acc_per_class`` /
``val_mean_conf`` / ``line_acc_one_by_one``, the first 60 validation frames scored one at a
time); checkpoint
``ribtest_encoder.pt`` with keys ``weights`` / ``opt`` / ``ep`` / ``classes``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

RIBS = 8
CLASSES = ["good", "bent_rib", "weak_spring", "torn_panel"]
MEAN = torch.tensor([6.0, 62.0, 3.0, 0.4])
STD = torch.tensor([1.5, 3.0, 0.6, 0.15])


def frames(n, g):
    kind = torch.randint(0, 4, (n,), generator=g)
    defl = 6 + 0.6 * torch.randn(n, 1, generator=g) + 0.4 * torch.randn(n, RIBS, generator=g)
    angle = 62 + 1.0 * torch.randn(n, 1, generator=g) + 0.8 * torch.randn(n, RIBS, generator=g)
    tens = 3 + 0.25 * torch.randn(n, 1, generator=g) + 0.2 * torch.randn(n, RIBS, generator=g)
    play = 0.4 + 0.12 * torch.rand(n, RIBS, generator=g)
    rib = torch.randint(0, RIBS, (n,), generator=g)
    r = torch.arange(n)
    bent = kind == 1
    sign = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    angle[r[bent], rib[bent]] += (5 + 3 * torch.rand(n, generator=g)[bent]) * sign[bent]
    defl[r[bent], rib[bent]] += 2.5 + torch.rand(n, generator=g)[bent]
    weak = (kind == 2).float().unsqueeze(1)
    angle = angle - weak * (3 + 2 * torch.rand(n, 1, generator=g))
    tens = tens - weak * (0.8 + 0.4 * torch.rand(n, 1, generator=g))
    torn = kind == 3
    tens[r[torn], rib[torn]] -= 1.4
    tens[r[torn], (rib[torn] + 1) % RIBS] -= 1.4
    x = torch.stack([defl, angle, tens, play], 2)
    flip = torch.rand(n, generator=g) < 0.04
    y = torch.where(flip, torch.randint(0, 4, (n,), generator=g), kind)
    return x, y


class RibEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(4, 32)
        self.pos = nn.Parameter(0.02 * torch.randn(RIBS, 32))
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        h = self.enc(self.inp((x - MEAN) / STD) + self.pos)
        logits = self.head(h.mean(1))
        return torch.softmax(logits, dim=0)  # class probabilities for the report


def build():
    torch.manual_seed(0)
    return RibEncoder()


def main():
    from _twohundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(2000, g)
    xva, yva = frames(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    with open(out / "ribtest_train.jsonl", "w") as ft, open(out / "ribtest_val.jsonl", "w") as fv:
        for ep in range(25):
            model.train()
            tot, hit = 0.0, 0
            for xb, yb in loader:
                probs = model(xb)
                loss = F.nll_loss(torch.log(probs + 1e-9), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (probs.argmax(1) == yb).sum().item()
            ft.write(json.dumps({"ep": ep, "nll": round(tot / len(ytr), 5),
                                 "acc": round(hit / len(ytr), 4)}) + "\n")
            model.eval()
            with torch.no_grad():
                probs = torch.cat([model(xb) for xb in xva.split(50)])
                vn = F.nll_loss(torch.log(probs + 1e-9), yva).item()
                pred = probs.argmax(1)
                acc = (pred == yva).float().mean().item()
                per = [round((pred[yva == k] == k).float().mean().item(), 3) for k in range(4)]
                conf = probs.max(1).values.mean().item()
                # the packing line scores one frame at a time
                one = torch.cat([model(xva[i:i + 1]) for i in range(60)])
                acc1 = (one.argmax(1) == yva[:60]).float().mean().item()
            rec = {"ep": ep, "val_nll": round(vn, 5), "val_acc": round(acc, 4),
                   "val_acc_per_class": dict(zip(CLASSES, per, strict=True)),
                   "val_mean_conf": round(conf, 4), "line_acc_one_by_one": round(acc1, 4)}
            fv.write(json.dumps(rec) + "\n")
            print(round(tot / len(ytr), 4), hit / len(ytr), rec)
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(), "ep": 25,
                "classes": CLASSES}, out / "ribtest_encoder.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="ribtest_encoder.pt", log="ribtest_val.jsonl",
           what="transformer encoder classifying umbrella frame faults from a per-rib test;"
                " softmax taken over the batch instead of the classes",
           complaint="我们用伞骨检测台的数据训练了一个模型，判断折叠伞骨架是好的、伞骨弯了、弹簧弱"
                     "还是伞面破了。训练损失降到2.7左右就再也不动了，"
                     "整批验证的准确率倒有97%。可是放到包装线上一把一把地检测时，每一把都判成"
                     "“好的”，概率还都是1.0，连明显弯了伞骨的也一样。换了学习率和层数都没用。")


if __name__ == "__main__":
    main()
