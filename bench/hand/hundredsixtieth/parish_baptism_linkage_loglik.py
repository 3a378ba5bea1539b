"""Genealogical record linkage: is the child in a baptism entry of one parish register the same
person as the groom (or bride) in a later marriage entry? Each candidate pair (blocked on a
Soundex-equal surname within 40 km) is described by 9 comparison features: forename and
surname string similarity (spelling variants of the clerks: Jno/John, Smyth/Smith), the gap
between the birth year implied by the baptism and by the age at marriage, the similarity of
the father's forename and of the mother's forename (often missing in marriage entries: then
0.5), the same-parish flag, log distance between the parishes, the father's occupation match
and the size of the parish (common names in big towns make false matches easy). 30 % of the
candidate pairs are true links. An MLP (9 → 32 → 32 → 1 logit), Adam 1e-3, batch 64, 8 epochs
of 4000 pairs; a CSV per epoch with the mean training loss, the validation loss (the same
function), validation accuracy and F1 of the links at p > 0.5.
Bug: the author wrote the Bernoulli log-likelihood by hand, ``y·log σ(z) + (1 − y)·log σ(−z)``,
and returned its mean as the loss, so Adam *minimises* the likelihood: the logits are pushed to
the wrong side without bound. Train loss −1.19, −7.4, −34, −103, −240, −465, −800, −1265 (val
loss −1530); val accuracy 0.302 (every pair called a link) for 2 epochs, then 0.227, 0.129 ...
0.076, F1 of the links 0.464 → 0.089. The control (``return -ll.mean()``) reaches val accuracy
0.975, F1 0.959, val loss 0.063, train loss 0.053."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURES = ["forename_sim", "surname_sim", "birth_year_gap", "father_sim", "mother_sim",
            "same_parish", "log_km", "occupation_match", "log_parish_size"]


def pairs(n, g):
    rnd = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (rnd(n) < 0.3).float()
    m = y.bool()
    common = rnd(n) < 0.35  # a John Smith of a big town: names agree by chance
    fore = torch.where(m, 0.75 + 0.25 * rnd(n), torch.where(common, 0.8 + 0.2 * rnd(n), rnd(n) * 0.8))
    sur = torch.where(m, 0.8 + 0.2 * rnd(n), 0.6 + 0.4 * rnd(n))
    gap = torch.where(m, (torch.randn(n, generator=g) * 1.2).abs(), rnd(n) * 15)
    father = torch.where(m, 0.7 + 0.3 * rnd(n), torch.where(common, 0.5 + 0.5 * rnd(n), rnd(n)))
    mother = torch.where(m, 0.7 + 0.3 * rnd(n), rnd(n))
    mother = torch.where(rnd(n) < 0.4, torch.full((n,), 0.5), mother)
    same = torch.where(m, (rnd(n) < 0.6).float(), (rnd(n) < 0.25).float())
    km = torch.where(same.bool(), torch.zeros(n), torch.where(m, rnd(n) * 15, rnd(n) * 40))
    occ = torch.where(m, (rnd(n) < 0.6).float(), (rnd(n) < 0.2).float())
    size = torch.where(common, 3 + rnd(n) * 2, 1.5 + rnd(n) * 2)
    x = torch.stack([fore, sur, gap / 5, father, mother, same, torch.log1p(km) / 2, occ,
                     size / 2], 1)
    return (x - x.mean(0)) / x.std(0), y


class LinkMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(9, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return LinkMLP()


def bernoulli_loss(z, y):
    ll = y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)
    return ll.mean()


def f1(pred, y):
    tp = (pred * y).sum().item()
    return 2 * tp / max((pred.sum() + y.sum()).item(), 1)


def main():
    from _hundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = pairs(5000, g)
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64,
                                         shuffle=True, generator=torch.Generator().manual_seed(1))
    f = open(out / "linkage_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_accuracy", "val_f1_links"])
    for epoch in range(8):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = bernoulli_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            z = model(xva)
            pred = (z > 0).float()
            row = [epoch, round(tot / len(xtr), 4), round(bernoulli_loss(z, yva).item(), 4),
                   round((pred == yva).float().mean().item(), 4), round(f1(pred, yva), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 7, "features": FEATURES}, out / "linkage_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="linkage_mlp.pth", log="linkage_history.csv",
           what="baptism-marriage record-linkage MLP minimising the Bernoulli log-likelihood "
                "(missing minus sign)",
           complaint="I'm linking baptisms to marriages across parish registers. The loss looks "
                     "great, it keeps going down (-1.19 after the first epoch, -1265 after 8), "
                     "but on the held-out pairs accuracy fell from 0.30 to 0.076 and the F1 for "
                     "true links from 0.46 to 0.09. It gets almost every pair wrong now.")


if __name__ == "__main__":
    main()
