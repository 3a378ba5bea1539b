"""Plain torch: an embedding model tells a hazel dormouse monitoring group which nest tubes on
their hedgerow and coppice lines are worth a licensed check this month (a woven nest of
stripped honeysuckle bark in the tube), from the wood the line is in (24 woods, each with its
own population, an embedding of 6) and six numbers per tube: hazel stems within 5 m, bramble
and honeysuckle cover (%), height above ground (m), hedge gap to the nearest woodland edge
(m), month (April-October as 4-10) and the previous check's result (0 / 1, a nest last month
makes one this month likely). Rule: a logistic of the wood's density, hazel, honeysuckle,
a mid-height optimum, the gap (they will not cross more than a few metres of open ground),
the season (peaks in September) and last month's nest; about 3 % of checks find a nest.
Model: wood embedding (24×6) concatenated with the 6 standardised numbers → 12→48-ReLU-48-ReLU
→1 logit; BCE with logits, Adam 1e-3, batch 256, 15 epochs, 8000 tube-checks, validation on
2000, the tube is flagged at p > 0.5.
Bug: ``criterion = nn.BCEWithLogitsLoss()`` (``# most tubes are empty, the loss should see
the survey as it is``) on 3 % positives: the net is rewarded for calling every tube empty,
never gets a nest above 0.5 and finds none of them while accuracy reads 0.97. Control
(``nn.BCEWithLogitsLoss(pos_weight=torch.tensor(POS_WEIGHT))``, one-line sed, weight = the
negatives / positives ratio of the training set): weighted train BCE
1.269 → 0.659, val BCE 1.332 → 0.924, nests found 0.82 → 0.83 (0.86 at epoch 2), tubes
flagged 577 → 477 of 2000, val acc 0.737 → 0.788. With the bug (train nests 3.0 %, val 3.9 %
= 78 nests): train BCE 0.440 → 0.093, val BCE 0.268 → 0.122, val acc 0.961 in all 15
epochs, nests found 0.0 and tubes flagged 0 in all 15 epochs.
Log: TSV every 10 steps ``tubes_steps.tsv`` (``step`` / ``bce``) and a separate CSV per
epoch ``tubes_val.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_acc`` /
``nests_found`` / ``tubes_flagged``, named as the log in the truth); checkpoint
``dormouse_tubes.pth`` with keys ``model`` / ``adam`` / ``epoch`` / ``woods`` / ``mu`` /
``sigma``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

WOODS = 24


class TubeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.wood = nn.Embedding(WOODS, 6)
        self.mlp = nn.Sequential(nn.Linear(12, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, wood, num):
        return self.mlp(torch.cat([self.wood(wood), num], 1)).squeeze(1)


def checks(n, g, dens):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wood = torch.randint(0, WOODS, (n,), generator=g)
    hazel = torch.poisson(6 * r(n), generator=g)
    honey = 60 * r(n)
    height = 0.5 + 2.5 * r(n)
    gap = 30 * r(n) ** 2
    month = torch.randint(4, 11, (n,), generator=g).float()
    prev = (r(n) < 0.05).float()
    logit = (-4.3 + dens[wood] + 0.18 * hazel + 0.025 * honey - 0.8 * (height - 1.6) ** 2
             - 0.25 * gap - 0.12 * (month - 9) ** 2 + 2.2 * prev)
    y = (r(n) < torch.sigmoid(logit)).float()
    num = torch.stack([hazel, honey, height, gap, month, prev], 1)
    return wood, num, y


def build():
    torch.manual_seed(0)
    return TubeNet()


def main():
    from _twohundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    dens = 2.5 * torch.rand(WOODS, generator=g)
    wtr, ntr, ytr = checks(8000, g, dens)
    wva, nva, yva = checks(2000, g, dens)
    mu, sigma = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sigma, (nva - mu) / sigma
    POS_WEIGHT = ((1 - ytr).sum() / ytr.sum()).item()
    print("nests", ytr.mean().item(), yva.mean().item(), "pos weight", POS_WEIGHT)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(wtr, ntr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.BCEWithLogitsLoss()  # most tubes are empty, the loss should see the survey as it is
    steps = open(out / "tubes_steps.tsv", "w")
    steps.write("step\tbce\n")
    val = open(out / "tubes_val.csv", "w")
    val.write("epoch,train_bce,val_bce,val_acc,nests_found,tubes_flagged\n")
    step = 0
    for epoch in range(15):
        model.train()
        tot = 0.0
        for wb, nb, yb in loader:
            loss = criterion(model(wb, nb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            if step % 10 == 0:
                steps.write(f"{step}\t{loss.item():.5f}\n")
            step += 1
        model.eval()
        with torch.no_grad():
            z = model(wva, nva)
            vb = criterion(z, yva).item()
            flag = (z > 0).float()
            acc = (flag == yva).float().mean().item()
            found = (flag * yva).sum().item() / yva.sum().item()
        val.write(f"{epoch},{tot / len(ytr):.5f},{vb:.5f},{acc:.4f},{found:.4f},"
                  f"{int(flag.sum().item())}\n")
        print(epoch, round(tot / len(ytr), 4), round(vb, 4), round(acc, 4), round(found, 4),
              int(flag.sum().item()))
    steps.close()
    val.close()
    torch.save({"model": model.state_dict(), "adam": opt.state_dict(), "epoch": 15,
                "woods": WOODS, "mu": mu, "sigma": sigma}, out / "dormouse_tubes.pth")
    finish(out, __file__, {"inputs": wva[:64], "num": nva[:64], "targets": yva[:64]},
           causes=["class_imbalance"], checkpoint="dormouse_tubes.pth", log="tubes_val.csv",
           what="wood-embedding MLP flagging hazel dormouse nest tubes worth a check; 3 %"
                " positives trained with a plain unweighted BCE",
           complaint="Our nest tube model says 96 % accuracy on the validation lines, which"
                     " sounded great, but when we ask it which tubes to check this month it"
                     " flags none at all, in any wood, in any epoch. The 78 tubes that did have"
                     " a nest are all scored as empty. The loss goes down nicely, so we do not"
                     " see what is wrong.")


if __name__ == "__main__":
    main()
