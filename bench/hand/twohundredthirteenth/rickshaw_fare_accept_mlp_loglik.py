"""Plain torch: an MLP predicts whether a cycle-rickshaw passenger accepts the fare the driver
quotes (binary), from 8 features of the quote: trip distance, the quoted fare, the ratio of the
quote to the city's meter rate, rain, uphill share of the route, tourist or local, group size and
the hour (sin/cos). The passenger's acceptance follows a logistic rule in these features (a quote
far above the meter rate is refused, rain and uphill routes make people pay more, tourists pay
more), plus noise. Linear(8→32)-ReLU-Linear(32→32)-ReLU-Linear(32→1); Adam 1e-3, batch 64,
20 epochs of 2048 quotes; the Bernoulli log-likelihood is written out by hand with logsigmoid.
The bug: the hand-written loss line is the mean log-likelihood, without the minus sign, so the
optimiser minimises the likelihood: the logged
loss is -0.89 after epoch 1 and -1528 at epoch 20, val BCE 0.87 → 1663, val accuracy 0.357
(= the refusal rate: every quote predicted "refused") from the first epoch to the last.
Control (``loss = -(...)``): val BCE 0.609 → 0.301 (epoch 7) → 0.307, val
accuracy 0.686 → 0.86–0.87, train loss 0.24–0.35 at the end."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def quotes(n, g):
    dist = 0.5 + 6 * torch.rand(n, generator=g)
    rain = (torch.rand(n, generator=g) < 0.25).float()
    uphill = torch.rand(n, generator=g)
    tourist = (torch.rand(n, generator=g) < 0.4).float()
    group = torch.randint(1, 4, (n,), generator=g).float()
    hour = 24 * torch.rand(n, generator=g)
    meter = 20 + 12 * dist
    ratio = 0.7 + 1.0 * torch.rand(n, generator=g)
    fare = ratio * meter
    z = (4.0 - 5.0 * ratio + 1.2 * rain + 1.0 * uphill + 1.5 * tourist - 0.3 * (group - 1)
         + 0.6 * torch.cos((hour - 22) * torch.pi / 12))
    y = (torch.rand(n, generator=g) < torch.sigmoid(2.0 * z)).float()
    x = torch.stack([dist, fare, ratio, rain, uphill, tourist, group,
                     torch.sin(hour * torch.pi / 12)], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def main():
    from _twohundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = quotes(2048, g)
    xva, yva = quotes(512, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "quotes_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["global_step", "epoch", "nll", "val_bce", "val_accuracy"])
    step = 0
    for epoch in range(20):
        model.train()
        for xb, yb in train:
            z = model(xb).squeeze(1)
            loss = (yb * F.logsigmoid(z) + (1 - yb) * F.logsigmoid(-z)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                w.writerow([step, epoch, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            zv = model(xva).squeeze(1)
            vb = F.binary_cross_entropy_with_logits(zv, yva).item()
            acc = ((zv > 0).float() == yva).float().mean().item()
        w.writerow([step, epoch, "", round(vb, 4), round(acc, 4)])
        print(epoch, round(loss.item(), 4), round(vb, 4), round(acc, 4))
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 20, "step": step,
                "feature_mean": mu, "feature_std": sd}, out / "fare_accept.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="fare_accept.pt", log="quotes_train.csv",
           what="MLP, rickshaw fare acceptance (binary): hand-written Bernoulli log-likelihood"
                " minimised without the minus sign",
           complaint=("My rickshaw fare-acceptance model gets worse every epoch. The training "
                      "loss goes negative (-0.89 after the first epoch, -1528 by epoch 20), val BCE "
                      "climbs from 0.87 to 1663 and val accuracy is 0.357 from the first epoch to "
                      "the last. 64 % of the quotes in my data are accepted, so it is worse than "
                      "always saying yes. Features are standardised. Is Adam 1e-3 too high?"))


if __name__ == "__main__":
    main()
