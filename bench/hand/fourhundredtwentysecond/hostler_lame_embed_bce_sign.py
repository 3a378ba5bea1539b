"""Plain torch: an embedding model tells a coaching inn's hostler which of the horses coming
in tonight are likely to be lame or to have cast a shoe by morning, so the farrier can be
sent for early. Each arrival: the horse (one of 48 regulars, each with its own soundness,
an embedding of 8), the road it came in on (turnpike, flint, clay, cobbles: an embedding of
3), and four numbers: miles today (8-40), days since shod (1-50), load (rider and pack, kg,
70-160) and the horse's age (4-20). The rule (logistic): risk rises with miles on flint and
cobbles, with days since shod past four weeks (shoes wear loose), with load per mile and
with age, and each horse carries its own frailty (a few are chronically footsore); about
43 % of arrivals come up lame or unshod.
Input: horse id, road id and the 4 numbers standardised (train mean / std). Model:
concat(horse 8, road 3, numbers 4) → 32 → ReLU → 16 → ReLU → 1, sigmoid; the binary
cross-entropy is written out by hand on the clamped probabilities; AdamW 5e-3 (weight
decay 1e-4) with a linear warmup of 30 steps (LambdaLR), batch 64, 12 epochs, 2400
arrivals, validation on 600.
The bug: ``loss = (yb * torch.log(p) + (1 - yb) * torch.log(1 - p)).mean()  # binary
cross-entropy`` is the mean log-likelihood without its minus sign, so the optimiser drives
the likelihood of the true outcome down: the printed
loss goes negative and keeps falling (-8.4 by step 450), val BCE 1.07 → 9.59, val accuracy
0.365 → 0.288 (below the 0.553 of calling every horse sound), AUC 0.309 → 0.086, the
ranking upside down (control, ``loss = -(...)``: val BCE 0.629 → 0.524, val acc
0.668 → 0.743, AUC 0.727 → 0.814).
Log: one JSON lines file ``yard_log.jsonl`` with ``{"what": "step", step, bce}`` every 10
steps and ``{"what": "val", epoch, val_bce, val_acc, val_auc, val_recall_lame}`` per
epoch; checkpoint ``lame_embed.pt`` with keys ``model_sd`` / ``adamw_sd`` / ``warmup_sd`` /
``epoch`` / ``num_mean`` / ``num_std`` / ``roads``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

HORSES = 48
ROADS = ["turnpike", "flint", "clay", "cobbles"]


def arrivals(n, g, frail):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    horse = torch.randint(0, HORSES, (n,), generator=g)
    road = torch.randint(0, 4, (n,), generator=g)
    miles, shod = 8 + 32 * r(n), 1 + 49 * r(n)
    load, age = 70 + 90 * r(n), 4 + 16 * r(n)
    rough = torch.tensor([0.0, 1.2, 0.3, 0.9])[road]
    z = (-2.6 + 0.06 * miles * (0.4 + rough) + 0.09 * (shod - 28).clamp(min=0)
         + 0.012 * (load - 110) * miles / 20 + 0.08 * (age - 10) + frail[horse])
    y = (r(n) < torch.sigmoid(z)).float()
    return horse, road, torch.stack([miles, shod, load, age], 1), y


class LameNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.horse = nn.Embedding(HORSES, 8)
        self.road = nn.Embedding(4, 3)
        self.mlp = nn.Sequential(nn.Linear(15, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(),
                                 nn.Linear(16, 1))

    def forward(self, horse, road, nums):
        return self.mlp(torch.cat([self.horse(horse), self.road(road), nums], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return LameNet()


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return (pos.unsqueeze(1) > neg.unsqueeze(0)).float().mean().item()


def main():
    from _fourhundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    frail = 1.2 * torch.randn(HORSES, generator=g).clamp(-1.5, 2.0)
    htr, rtr, ntr, ytr = arrivals(2400, g, frail)
    hva, rva, nva, yva = arrivals(600, g, frail)
    mean, std = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mean) / std, (nva - mean) / std
    print("lame share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(htr, rtr, ntr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=1e-4)
    warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 30))
    step = 0
    with open(out / "yard_log.jsonl", "w") as log:
        for epoch in range(12):
            model.train()
            for hb, rb, nb, yb in dl:
                p = torch.sigmoid(model(hb, rb, nb)).clamp(1e-6, 1 - 1e-6)
                loss = (yb * torch.log(p) + (1 - yb) * torch.log(1 - p)).mean()  # binary cross-entropy
                opt.zero_grad()
                loss.backward()
                opt.step()
                warm.step()
                if step % 10 == 0:
                    log.write(json.dumps({"what": "step", "step": step,
                                          "bce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                pv = torch.sigmoid(model(hva, rva, nva)).clamp(1e-6, 1 - 1e-6)
            vb = -(yva * torch.log(pv) + (1 - yva) * torch.log(1 - pv)).mean().item()
            pred = (pv > 0.5).float()
            rec = {"what": "val", "epoch": epoch, "val_bce": round(vb, 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_auc": round(auc(pv, yva), 6),
                   "val_recall_lame": round(pred[yva == 1].mean().item(), 6)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_sd": model.state_dict(), "adamw_sd": opt.state_dict(),
                "warmup_sd": warm.state_dict(), "epoch": 12, "num_mean": mean, "num_std": std,
                "roads": ROADS}, out / "lame_embed.pt")
    finish(out, __file__, {"inputs": hva[:64], "roads": rva[:64], "numbers": nva[:64],
                           "targets": yva[:64]},
           causes=["loss_sign_error"], checkpoint="lame_embed.pt", log="yard_log.jsonl",
           what="embedding model (horse, road + numbers) flagging horses likely lame or unshod"
                " by morning for an inn's hostler; hand-written BCE without its minus sign",
           complaint="The lameness model for our inn's horses gets worse the longer it trains. The "
                    'training loss is negative and keeps going down (about -8.4 at the end), which '
                    'I assumed was good, but the validation log loss climbs from 1.07 to 9.6 and '
                    'accuracy drops to 0.29, worse than just saying no horse will be lame. The AUC '
                    'is 0.09, so the horses it rates safest are the ones that come up lame. We have'
                    ' 48 horses and a few thousand arrivals, so I doubt it is too little data.')


if __name__ == "__main__":
    main()
