"""Plain torch: an embedding model tells a parish pinder whether the owner of a stray he has
shut in the pound will come and pay to take it home within the week, or whether it will go
to the pound sale, so he knows how much hay to lay in and when to post the sale bills. Each
entry of the pound book: kind of beast (16: cow, heifer, bullock, ewe, ram, pony, goat, pig,
…), the parish it strayed from (24), the farm's distance (0.5-12 miles), the pound fee plus
damage owed (by days kept and crop trodden), the beast's market value, and whether the same
farm has strayed stock before this year. The rule: owners come when the beast is worth well
more than the fee plus a day's lost work for the walk (distance); thrifty parishes and
repeat strayers pay up more readily; about 12 % of entries go against the rule (owner away
at market, a grudge with the neighbour who drove it in).
Input: (6,) kind id, parish id (as floats) and the 4 numbers. Model: embeddings kind 16→12 and parish 24→12, concatenated with 4 standardised numbers,
MLP 28→256→256→1 (ReLU), a logit; BCE, Adam 5e-4, batch 32, 200 book entries to train on,
validation on 600.
The bug: ``EPOCHS = 250  # small book, let it see it plenty of times`` — on 200 entries the
net learns the book by heart: train BCE 0.65 → 0.00023, val BCE 0.61 → 0.496 at epoch 8,
then up to 2.14 at the end, val accuracy 0.78 at best → 0.747 (control, ``EPOCHS = 10``:
val BCE 0.61 → 0.497, val accuracy 0.67 → 0.782, train BCE 0.33).
Log: one JSON lines file per epoch ``poundbook.jsonl`` (``epoch`` / ``train_bce`` /
``val_bce`` / ``val_acc``); checkpoint ``pound_model.pt`` with keys ``model_state`` /
``optim_state`` / ``epochs_run`` / ``num_mean`` / ``num_std`` / ``kinds`` / ``parishes``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

KINDS = ["cow", "heifer", "bullock", "calf", "ewe", "ram", "lamb", "pony", "mare", "donkey",
         "goat", "pig", "sow", "goose", "bull", "steer"]
VALUE = torch.tensor([18., 14, 16, 6, 2.5, 4, 1.2, 10, 12, 3, 1.5, 3, 4, 0.4, 25, 15])
EPOCHS = 250  # small book, let it see it plenty of times


def entries(n, g, thrift):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 16, (n,), generator=g)
    parish = torch.randint(0, 24, (n,), generator=g)
    dist = 0.5 + 11.5 * r(n)
    days = torch.randint(1, 6, (n,), generator=g).float()
    fee = 0.3 + 0.2 * days + 3 * r(n) ** 2  # fee plus damage, pounds
    value = VALUE[kind] * (0.7 + 0.6 * r(n))
    repeat = (r(n) < 0.3).float()
    score = value - fee - 0.25 * dist + 1.5 * thrift[parish] + 1.0 * repeat
    y = (score + 0.8 * torch.randn(n, generator=g) > 0).float()
    flip = r(n) < 0.12
    y = torch.where(flip, 1 - y, y)
    num = torch.stack([dist, fee, value, repeat], 1)
    return kind, parish, num, y


class Reclaim(nn.Module):
    def __init__(self):
        super().__init__()
        self.kind = nn.Embedding(16, 12)
        self.parish = nn.Embedding(24, 12)
        self.mlp = nn.Sequential(nn.Linear(28, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                 nn.Linear(256, 1))

    def forward(self, x):  # columns: kind id, parish id, 4 standardised numbers
        kind, parish = x[:, 0].long(), x[:, 1].long()
        return self.mlp(torch.cat([self.kind(kind), self.parish(parish), x[:, 2:]], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return Reclaim()


def main():
    from _threehundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    thrift = torch.randn(24, generator=g)
    ktr, ptr, ntr, ytr = entries(200, g, thrift)
    kva, pva, nva, yva = entries(600, g, thrift)
    mu, sd = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sd, (nva - mu) / sd
    xtr = torch.cat([ktr.float().unsqueeze(1), ptr.float().unsqueeze(1), ntr], 1)
    xva = torch.cat([kva.float().unsqueeze(1), pva.float().unsqueeze(1), nva], 1)
    print("reclaimed share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    with open(out / "poundbook.jsonl", "w") as f:
        for epoch in range(EPOCHS):
            model.train()
            perm = torch.randperm(200)
            tot = 0.0
            for i in range(0, 200, 32):
                j = perm[i:i + 32]
                loss = F.binary_cross_entropy_with_logits(model(xtr[j]), ytr[j])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(j)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            rec = {"epoch": epoch, "train_bce": round(tot / 200, 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(logit, yva).item(), 6),
                   "val_acc": round(((logit > 0).float() == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            if epoch % 10 == 0 or epoch == EPOCHS - 1:
                print(rec)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epochs_run": EPOCHS, "num_mean": mu, "num_std": sd, "kinds": KINDS,
                "parishes": 24}, out / "pound_model.pt")
    finish(out, __file__, (xva[:64], yva[:64]),
           causes=["overfitting"], checkpoint="pound_model.pt", log="poundbook.jsonl",
           what="embedding model (kind and parish embeddings + MLP) predicting whether a"
                " pinder's impounded stray is reclaimed; 200 entries, trained far too long",
           complaint="Our pound model's training loss went all the way down to 0.0002, but the"
                     " validation loss has climbed from 0.50 to 2.14 and accuracy dropped from"
                     " 0.78 to 0.75. The longer it trains the worse it gets at guessing which"
                     " strays will be fetched home.")


if __name__ == "__main__":
    main()
