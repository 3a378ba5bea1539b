"""Plain torch: an embedding model predicts whether a gatherer's marked chanterelle spot will
flush this week (binary). Each spot-week is a stand id (48 stands along the forest roads, some
reliably productive, most rarely) plus 6 weather readings: rain 10-4 days ago, rain in the last
3 days, soil temperature, mean night temperature, days since the last flush, and week of year.
A flush happens when the stand's own propensity plus a soaking rain a week back, warm soil and
late-summer timing push a latent score over a noisy threshold; about 7 % of spot-weeks flush.
Model: Embedding(48, 8) concatenated with the standardised weather, MLP 14-32-16-1, BCE with
logits, RMSprop 3e-3, batch 256, 20 epochs of 6000 spot-weeks, validation on 1500 (loss,
accuracy, flush recall, precision, F1 at 0.5).
The bug: the loss is ``nn.BCEWithLogitsLoss()`` with a comment that the net will find the flush
weeks by itself, on data where 1 row in 15 is a flush; the net learns that saying "no flush" is
right 93 % of the time, and almost no spot-week ever gets p > 0.5: val accuracy 0.929 but flush
recall 0.102 (0.0 for epochs 1-2), precision 0.524, F1 0.171 at epoch 20. Control (``pos_weight=torch.tensor(n_neg / n_pos)`` in
the loss): recall 0.685, precision 0.196, F1 0.305, accuracy 0.775 (the weighted loss trades
accuracy for finding the flushes).
Log: TSV per epoch (``epoch  loss  val_loss  val_acc  val_recall  val_precision  val_f1``);
checkpoint keys ``state_dict`` / ``optim`` / ``epoch`` / ``n_stands``."""
import torch
import torch.nn as nn

STANDS = 48


def spot_weeks(n, g, propensity):
    stand = torch.randint(0, STANDS, (n,), generator=g)
    rain_wk = -12 * torch.log(torch.rand(n, generator=g))    # mm, 10-4 days ago
    rain_now = -5 * torch.log(torch.rand(n, generator=g))    # mm, last 3 days
    soil = 8 + 10 * torch.rand(n, generator=g)               # deg C at 10 cm
    night = soil - 4 + 2 * torch.randn(n, generator=g)
    since = torch.randint(1, 30, (n,), generator=g).float()  # days since the last flush
    week = torch.randint(22, 44, (n,), generator=g).float()
    score = (propensity[stand] + 0.08 * rain_wk.clamp(max=40) + 0.25 * (soil - 13)
             - 0.02 * (week - 33) ** 2 + 0.03 * since.clamp(max=20) - 4.6)
    u = torch.rand(n, generator=g).clamp(1e-6, 1 - 1e-6)
    flush = (score + torch.log(u) - torch.log1p(-u)) > 0     # logistic noise around the score
    x = torch.stack([rain_wk, rain_now, soil, night, since, week], 1)
    return stand, x, flush.float()


def data():
    g = torch.Generator().manual_seed(0)
    propensity = 2.2 * torch.rand(STANDS, generator=g) ** 2
    tr = spot_weeks(6000, g, propensity)
    va = spot_weeks(1500, g, propensity)
    return tr, va, tr[1].mean(0), tr[1].std(0)


class FlushNet(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.stand = nn.Embedding(STANDS, 8)
        self.mlp = nn.Sequential(nn.Linear(14, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(),
                                 nn.Linear(16, 1))

    def forward(self, x):
        stand, weather = x[:, 0].long(), x[:, 1:]
        h = torch.cat([self.stand(stand), (weather - self.mean) / self.std], 1)
        return self.mlp(h).squeeze(-1)


def build():
    *_, mean, std = data()
    torch.manual_seed(0)
    return FlushNet(mean, std)


def main():
    from _twohundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    (s_tr, x_tr, y_tr), (s_va, x_va, y_va), *_ = data()
    xtr = torch.cat([s_tr[:, None].float(), x_tr], 1)
    xva = torch.cat([s_va[:, None].float(), x_va], 1)
    n_pos = y_tr.sum().item()
    n_neg = len(y_tr) - n_pos
    print("flush rate train/val", n_pos / len(y_tr), y_va.mean().item(), "neg:pos", n_neg / n_pos)
    model = build()
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, y_tr),
                                         batch_size=256, shuffle=True)
    optim = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    crit = nn.BCEWithLogitsLoss()  # plain BCE; the flush weeks are in the data, the net will find them
    with open(out / "flush_train.tsv", "w") as f:
        f.write("epoch\tloss\tval_loss\tval_acc\tval_recall\tval_precision\tval_f1\n")
        for epoch in range(1, 21):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                optim.zero_grad()
                loss = crit(model(xb), yb)
                loss.backward()
                optim.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                z = model(xva)
            p = (z > 0).float()
            tp = (p * y_va).sum().item()
            rec, prec = tp / max(y_va.sum().item(), 1), tp / max(p.sum().item(), 1)
            f1 = 2 * tp / max(p.sum().item() + y_va.sum().item(), 1)
            row = [epoch, tot / len(y_tr), crit(z, y_va).item(), (p == y_va).float().mean().item(),
                   rec, prec, f1]
            f.write("\t".join([str(epoch)] + [f"{v:.4f}" for v in row[1:]]) + "\n")
            print(row)
    torch.save({"state_dict": model.state_dict(), "optim": optim.state_dict(), "epoch": 20,
                "n_stands": STANDS}, out / "flush_net.pt")
    finish(out, __file__, (xva[:64], y_va[:64]), causes=["class_imbalance"],
           checkpoint="flush_net.pt", log="flush_train.tsv",
           what="stand-embedding MLP for weekly chanterelle flushes, 1 in 15 positive, plain"
                " unweighted BCE: almost never predicts a flush",
           complaint=("Our flush predictor for the marked chanterelle spots reports 93 % val"
                      " accuracy, but when I check the weeks that actually flushed it almost"
                      " never says yes: recall is about 0.10 on the val weeks. Loss went"
                      " down nicely and then flattened. The app is useless if it never tells"
                      " anyone to go out. Do I need more weather features, or a bigger net?"))


if __name__ == "__main__":
    main()
