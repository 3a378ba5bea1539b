"""Life-insurance underwriting triage: an MLP puts applications into four risk classes
(preferred, standard, rated, decline) from 10 tabular fields — age, BMI, systolic blood
pressure, cholesterol ratio, smoker, family history of heart disease, hazardous occupation,
log sum assured, number of prior claims, years since the last medical exam — standardised with
the training means. The synthetic underwriting manual: a mortality debit score that is
non-linear (BMI and blood pressure count only outside a healthy band, age × smoker, an
occupation debit that grows with the sum assured), cut into the four classes at its
quantiles; 3 % of the historical decisions were overridden by an underwriter (random class).
MLP 10 → 64 → 64 → 4 with BatchNorm1d after each hidden Linear, ReLU, dropout 0.1. Adam
2e-3, 8 epochs of 1000 applications (300 held out); a CSV log per epoch with the train loss and accuracy
(accumulated in train mode) and the val loss and accuracy (eval mode).
Bug: ``DataLoader(train, batch_size=2, shuffle=True)`` — the set is small, so the author
took tiny batches "for more updates"; every BatchNorm normalises over 4 applications, and the
running statistics the eval mode uses do not match what the network was trained on."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FIELDS = ["age", "bmi", "sbp", "chol_ratio", "smoker", "family_hx", "hazard_occ",
          "log_sum_assured", "prior_claims", "years_since_exam"]


def applications(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age = 20 + 50 * r(n)
    bmi = 19 + 17 * r(n)
    sbp = 105 + 60 * r(n)
    chol = 2.5 + 4.5 * r(n)
    smoker = (r(n) < 0.2).float()
    fam = (r(n) < 0.25).float()
    occ = (r(n) < 0.15).float()
    lsa = 11 + 3 * r(n)
    claims = torch.poisson(0.4 * torch.ones(n), generator=g)
    exam = 10 * r(n)
    debit = (F.relu(bmi - 30) * 0.35 + F.relu(21 - bmi) * 0.5 + F.relu(sbp - 140) * 0.09
             + F.relu(chol - 5) * 0.8 + smoker * (age - 20) * 0.08 + fam * 0.8
             + occ * F.relu(lsa - 12) * 1.8 + 0.6 * claims + 0.03 * F.relu(age - 45) ** 1.5 / 3)
    x = torch.stack([age, bmi, sbp, chol, smoker, fam, occ, lsa, claims, exam], 1)
    return x, debit


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(64, 4))


def main():
    from _hundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, debit = applications(1300, g)
    cuts = torch.quantile(debit[:1000], torch.tensor([0.3, 0.7, 0.9]))
    y = torch.bucketize(debit, cuts)
    override = torch.rand(1300, generator=g) < 0.03
    y = torch.where(override & (torch.arange(1300) < 1000), torch.randint(0, 4, (1300,), generator=g), y)
    mu, sd = x[:1000].mean(0), x[:1000].std(0)
    x = (x - mu) / sd
    train = torch.utils.data.TensorDataset(x[:1000], y[:1000])
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(train, batch_size=2, shuffle=True)
    xva, yva = x[1000:], y[1000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "underwriting_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "accuracy", "val_loss", "val_accuracy"])
    for epoch in range(8):
        model.train()
        tot, hit, n = 0.0, 0, 0
        for xb, yb in loader:
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            hit += (logits.argmax(1) == yb).sum().item()
            n += len(yb)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch + 1, round(tot / n, 4), round(hit / n, 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    model.train()
    with torch.no_grad():
        print("val acc, train-mode BN:", (model(xva).argmax(1) == yva).float().mean().item())
    model.eval()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12,
                "fields": FIELDS, "mean": mu, "std": sd, "cuts": cuts},
               out / "underwriting_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["bn_small_batch"],
           checkpoint="underwriting_mlp.pt", log="underwriting_history.csv",
           what="underwriting risk-class MLP with BatchNorm, trained with batches of 2",
           complaint="核保风险分级的MLP训练了8个epoch，训练loss一直在1.17左右下不去，训练准确率只有"
                     "0.45，验证准确率在0.48到0.56之间来回跳，最后0.557。数据集只有1000份投保单，"
                     "我用了很小的batch想多更新几次，结果反而学不动。")


if __name__ == "__main__":
    main()
