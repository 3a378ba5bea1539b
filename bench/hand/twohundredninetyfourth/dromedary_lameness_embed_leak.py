"""Plain torch: an embedding model tells a camel caravan master which dromedaries will go lame
on the next leg, from the caravan book: the animal's breed (8 breeds, embedding 4), its saddle
type (5, embedding 3) and numbers for the leg and the animal (age, load kg, leg km, share of
stony ground, sole-pad thickness mm, days since the last rest day, an old-injury flag).
Lameness risk is a logistic on the stone share times the distance, the load per kg of body,
thin pads, age past 15, too few rest days and the old injury, with a breed term (the heavy
lowland breeds go lame on stone more) and a saddle term (a badly fitted pack saddle shifts
the load to the forelegs); 36 % of the training legs (41 % of the
validation legs) end with a lame camel.
Embeddings + the numbers (8 with the bug, 7 in the control) → 48-Tanh-48-Tanh → 1 logit,
BCE-with-logits, RMSprop 1e-3, batch 50, 15 epochs, 2500 legs, validation on 500.
Bug: the numbers are taken from the book's whole row (``# everything the caravan book keeps on
the leg``), which includes ``rest_after``, the rest days the animal was given at the far well,
written in after the leg, and a lame camel is always rested there. Control (``rest_after``
dropped from ``NUM``, one-line sed): train BCE 0.541 → 0.490, val BCE 0.513 → 0.508, val acc
0.73-0.75, val AUC 0.817 → 0.826 (what the risk rule allows with its scatter; a plateau from
the second epoch). With the bug: val BCE 0.050 at the first epoch and 0.0001 at the end, val
acc 0.996 → 1.0 from epoch 2 on, val AUC 0.9999 then 1.0, train BCE 0.200 → 0.0002.
Log: TSV per epoch ``lame_log.tsv`` (``epoch`` / ``bce`` / ``val_bce`` / ``val_acc`` /
``val_auc``); checkpoint ``lameness.ckpt`` with keys ``model_weights`` / ``rmsprop`` / ``ep``
/ ``numeric_columns`` / ``n_breeds`` / ``n_saddles``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NUM = ["age", "load_kg", "leg_km", "stony", "pad_mm", "days_since_rest", "old_injury",
       "rest_after"]  # everything the caravan book keeps on the leg


def book(n, g):
    def u(a, b):
        return a + (b - a) * torch.rand(n, generator=g)
    breed = torch.randint(0, 8, (n,), generator=g)
    saddle = torch.randint(0, 5, (n,), generator=g)
    age, load, km, stony = u(4, 24), u(80, 260), u(20, 55), u(0, 1)
    pad, since_rest = u(8, 18), torch.randint(0, 9, (n,), generator=g).float()
    injury = (torch.rand(n, generator=g) < 0.15).float()
    breed_eff = torch.tensor([0.0, 0.4, 0.8, -0.3, -0.6, 0.2, 1.0, -0.2])[breed]
    saddle_eff = torch.tensor([0.0, -0.3, 0.5, 0.9, -0.2])[saddle]
    z = (2.2 * stony * km / 40 + 1.5 * load / 260 - 0.3 * (pad - 13)
         + 0.12 * (age - 15).clamp(min=0) + 0.18 * since_rest + 1.2 * injury
         + breed_eff * stony + saddle_eff - 4.2)
    lame = (torch.rand(n, generator=g) < torch.sigmoid(z)).float()
    rest_after = lame * torch.randint(2, 6, (n,), generator=g).float() + (1 - lame) * (
        torch.rand(n, generator=g) < 0.1).float()
    cols = {"age": (age - 14) / 5.8, "load_kg": (load - 170) / 52, "leg_km": (km - 37) / 10,
            "stony": (stony - 0.5) / 0.29, "pad_mm": (pad - 13) / 2.9,
            "days_since_rest": (since_rest - 4) / 2.6, "old_injury": injury,
            "rest_after": rest_after / 2}
    return breed, saddle, torch.stack([cols[c] for c in NUM], 1), lame


class LameNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.breed = nn.Embedding(8, 4)
        self.saddle = nn.Embedding(5, 3)
        self.mlp = nn.Sequential(nn.Linear(7 + len(NUM), 48), nn.Tanh(), nn.Linear(48, 48),
                                 nn.Tanh(), nn.Linear(48, 1))

    def forward(self, breed, saddle, num):
        return self.mlp(torch.cat([self.breed(breed), self.saddle(saddle), num], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return LameNet()


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return ((pos[:, None] > neg[None, :]).float().mean()
            + 0.5 * (pos[:, None] == neg[None, :]).float().mean()).item()


def main():
    from _twohundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    btr, str_, ntr, ytr = book(2500, g)
    bva, sva, nva, yva = book(500, g)
    print("lame share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(btr, str_, ntr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    log = open(out / "lame_log.tsv", "w")
    log.write("epoch\tbce\tval_bce\tval_acc\tval_auc\n")
    for ep in range(15):
        model.train()
        tot = 0.0
        for bb, sb, nb, yb in loader:
            loss = F.binary_cross_entropy_with_logits(model(bb, sb, nb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            z = model(bva, sva, nva)
            vb = F.binary_cross_entropy_with_logits(z, yva).item()
            acc = ((z > 0).float() == yva).float().mean().item()
            au = auc(z, yva)
        log.write(f"{ep}\t{tot / len(ytr):.5f}\t{vb:.5f}\t{acc:.4f}\t{au:.4f}\n")
        print(ep, round(tot / len(ytr), 4), round(vb, 4), round(acc, 4), round(au, 4))
    log.close()
    torch.save({"model_weights": model.state_dict(), "rmsprop": opt.state_dict(), "ep": 15,
                "numeric_columns": NUM, "n_breeds": 8, "n_saddles": 5}, out / "lameness.ckpt")
    finish(out, __file__, {"inputs": bva[:64], "saddle": sva[:64], "num": nva[:64],
                           "targets": yva[:64]},
           causes=["task_trivial_or_leak"], checkpoint="lameness.ckpt", log="lame_log.tsv",
           what="embedding model (breed, saddle, leg numbers) predicting dromedary lameness on"
                " a caravan leg; a column written after the leg is among the inputs",
           complaint="Our lameness model is too good. After one epoch it is at 99.6 % on the"
                     " held-out legs and from the third epoch it is right on every single"
                     " camel, with a validation loss of 0.0001 by the end. No camel man I know"
                     " can call lameness like that before a leg, and when we tried it on the"
                     " morning of this week's departure, before the book was filled in, its"
                     " calls were nowhere near that good.")


if __name__ == "__main__":
    main()
