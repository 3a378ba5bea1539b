"""Plain torch: an embedding model predicts the grade the Leith kelp merchant will give a
kiln-load of kelp (the fused seaweed ash the islands sold for soda and iodine) from the
factor's ledger, before the sloop takes it south: first (Orkney best), second, third, or
refused as kelp dust. 6 categorical fields: island (8), shore (24, each on one island),
burner's crew (30), kiln (12), month burnt (12), weed (tangle, cut wrack, drift mix). The
grade is the merchant's rule on a quality score: the weed (tangle best), the month (summer
burning, weed well dried), the shore (exposed shores throw up more tangle), the crew's skill
(some rake the melt well, some let sand in), the kiln's draught (a kiln that burns too hot
glazes the ash), plus assay scatter; cut into four grades by the merchant's price breaks
(about 27 / 26 / 26 / 21 %).
Input: (6,) category ids. Model: one nn.Embedding per field (8 wide), concatenated (48) →
Linear 48→64 → ReLU → Linear 64→64 → ReLU → Linear 64→4; cross-entropy, Adam 1e-3, batch 64,
12 epochs, 3000 loads, validation on 600 (every 15 steps).
The bug: the Linear layers are initialised with ``nn.init.normal_(m.weight, std=1.0)``, unit
variance however wide the layer, so the logits start in the tens to hundreds and the
softmax is saturated: val NLL 240 at step 15 → 34 at step 555, val accuracy 0.26 → 0.45,
train NLL 266 → 25 (control, ``std=0.05``: val NLL 1.37 → 0.49, val accuracy
0.31 → 0.78).
Log: TSV every 15 steps ``ledger_fit.tsv`` (``step`` / ``epoch`` / ``train_nll`` (mean of the
last 15 batches) / ``val_nll`` / ``val_acc``); checkpoint ``kelp_grader.pt`` with keys
``embed_model`` / ``adam`` / ``step`` / ``fields`` / ``cardinalities`` / ``grades``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FIELDS = ["island", "shore", "crew", "kiln", "month", "weed"]
CARD = [8, 24, 30, 12, 12, 3]
GRADES = ["first", "second", "third", "dust"]


def ledger(n, g, world):
    shore_q, shore_isl, crew_q, kiln_q = world
    shore = torch.randint(0, 24, (n,), generator=g)
    island = shore_isl[shore]
    crew = torch.randint(0, 30, (n,), generator=g)
    kiln = torch.randint(0, 12, (n,), generator=g)
    month = torch.randint(0, 12, (n,), generator=g)
    weed = torch.randint(0, 3, (n,), generator=g)
    q = torch.tensor([1.0, 0.0, -0.6])[weed] + 0.8 * torch.cos(2 * math.pi * (month - 6) / 12)
    q = q + shore_q[shore] + crew_q[crew] + kiln_q[kiln] + 0.3 * torch.randn(n, generator=g)
    grade = torch.bucketize(-q, torch.tensor([-0.95, -0.05, 0.85]))
    return torch.stack([island, shore, crew, kiln, month, weed], 1), grade


def world(g):
    return (0.5 * torch.randn(24, generator=g), torch.randint(0, 8, (24,), generator=g),
            0.6 * torch.randn(30, generator=g), 0.4 * torch.randn(12, generator=g))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, std=1.0)  # unit-variance start, like the embeddings
        nn.init.zeros_(m.bias)


class KelpGrader(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.ModuleList(nn.Embedding(c, 8) for c in CARD)
        self.mlp = nn.Sequential(nn.Linear(48, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))
        self.apply(init_weights)

    def forward(self, x):
        return self.mlp(torch.cat([e(x[:, i]) for i, e in enumerate(self.emb)], 1))


def build():
    torch.manual_seed(0)
    return KelpGrader()


def main():
    from _fourhundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    w = world(g)
    xtr, ytr = ledger(3000, g, w)
    xva, yva = ledger(600, g, w)
    print("grades", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step, recent = 0, []
    with open(out / "ledger_fit.tsv", "w") as log:
        log.write("step\tepoch\ttrain_nll\tval_nll\tval_acc\n")
        for epoch in range(12):
            for xb, yb in dl:
                model.train()
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                recent.append(loss.item())
                if step % 15 == 0:
                    model.eval()
                    with torch.no_grad():
                        logits = model(xva)
                    vl = F.cross_entropy(logits, yva).item()
                    acc = (logits.argmax(1) == yva).float().mean().item()
                    log.write(f"{step}\t{epoch}\t{sum(recent) / len(recent):.6g}\t{vl:.6g}"
                              f"\t{acc:.6g}\n")
                    recent = []
            print(epoch, step, vl, acc)
    torch.save({"embed_model": model.state_dict(), "adam": opt.state_dict(), "step": step,
                "fields": FIELDS, "cardinalities": CARD, "grades": GRADES},
               out / "kelp_grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="kelp_grader.pt", log="ledger_fit.tsv",
           what="embedding model grading kiln-loads of kelp from the factor's ledger; Linear"
                " weights initialised N(0, 1)",
           complaint="Kelp ledger grading model (4 grades): the loss starts at about 260 and after"
                     " 12 epochs it is still 34 on validation, while accuracy only creeps"
                     " from 26 % to 45 %. Cross-entropy for 4 classes should be around 1.4"
                     " at the start, shouldn't it? The predictions are always 100 % sure.")


if __name__ == "__main__":
    main()
