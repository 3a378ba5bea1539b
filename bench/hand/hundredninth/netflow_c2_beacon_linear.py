"""Command-and-control beacon detection from NetFlow: for each (internal host, external
domain) pair the features are the log inter-arrival times of its last 16 connections (in order)
plus the log mean bytes sent and received per connection, standardised with the training
means (18 features). Implants call home on a timer — a period from 10 s to 1 h with 5–30 %
jitter — while people, updaters and browsers connect in bursts (log-normal gaps, σ 0.8–1.5,
over the same range of mean gaps); byte counts are drawn alike for both, so what marks a beacon
is the *regularity* of its gaps, not their size. Half the pairs are beacons. Adam 1e-2, batch
128, 10 epochs of 6000 pairs (2000 held out); a CSV log every 20 steps with the train loss,
and the validation loss and accuracy.
Bug: the model is the logistic-regression baseline from the first notebook,
``nn.Linear(18, 2)``, never swapped for the planned MLP: a linear score of the log gaps can
tell a long period from a short one but not regular gaps from irregular ones (that needs their
spread), so train and validation loss stay high and together: 0.67 from iteration 100 to the
end (train 0.673 on the whole training set, val 0.675), val accuracy 0.56 (train 0.563). The
control (an MLP 18 → 64 → 64 → 2, ReLU, in the same line) reaches val accuracy 0.9995, val
loss 0.0014, train loss 0.037 on the whole training set."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N_GAPS = 16


def pairs(n, g):
    y = (torch.rand(n, generator=g) < 0.5).long()
    period = torch.exp(torch.log(torch.tensor(10.0)) + torch.rand(n, generator=g)
                       * torch.log(torch.tensor(360.0)))
    jitter = 0.05 + 0.25 * torch.rand(n, generator=g)
    beacon = period[:, None] * (1 + jitter[:, None] * (2 * torch.rand(n, N_GAPS, generator=g) - 1))
    sigma = 0.8 + 0.7 * torch.rand(n, generator=g)
    human = period[:, None] * torch.exp(sigma[:, None] * torch.randn(n, N_GAPS, generator=g)
                                        - sigma[:, None] ** 2 / 2)
    gaps = torch.where(y[:, None] == 1, beacon, human)
    sent = 6 + 3 * torch.rand(n, generator=g)
    recv = 7 + 4 * torch.rand(n, generator=g)
    return torch.cat([gaps.log(), sent[:, None], recv[:, None]], 1), y


def build():
    torch.manual_seed(0)
    return nn.Linear(N_GAPS + 2, 2)


def main():
    from _hundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = pairs(8000, g)
    mu, sd = x[:6000].mean(0), x[:6000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:6000], y[:6000], x[6000:], y[6000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    f = open(out / "beacon_train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iteration", "loss_train", "loss_valid", "acc_valid"])
    it = 0
    for _ in range(10):
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            model.train()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 20 == 0:
                model.eval()
                with torch.no_grad():
                    lo = model(xva)
                    row = [it, round(loss.item(), 4), round(F.cross_entropy(lo, yva).item(), 4),
                           round((lo.argmax(1) == yva).float().mean().item(), 4)]
                w.writerow(row)
                if it % 100 == 0:
                    print(row)
    f.close()
    with torch.no_grad():
        print(row, "train loss (full):", round(F.cross_entropy(model(xtr), ytr).item(), 4),
              "train acc", round((model(xtr).argmax(1) == ytr).float().mean().item(), 4))
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "iteration": it,
                "n_gaps": N_GAPS, "scaler_mean": mu, "scaler_std": sd}, out / "beacon_clf.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["underfitting"],
           checkpoint="beacon_clf.pt", log="beacon_train_log.csv",
           what="C2-beacon detector that is a single linear layer over log inter-arrival "
                "times; beacons differ only in the spread of the gaps",
           complaint="The beacon detector will not learn: after 10 epochs it is at 56 % "
                     "validation accuracy on a 50/50 set, and the loss sits at 0.67 for both "
                     "train and validation from the first 100 iterations on. Beacons on a timer "
                     "should be easy to tell from people browsing.")


if __name__ == "__main__":
    main()
