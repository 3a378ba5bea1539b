"""Plain torch: an MLP tells the hayward of a parish which hedge sections will be broken
through by stock this grazing season, so he can send the hedgers to lay or stake them before
the beasts go out. Each section (one chain, 22 yd) is a row of his survey ledger: years since
it was last laid, width and height of the hedge, gaps per chain, woody species per 30 yd
(Hooper's rule: about one per century of age, old hedges are thicker at the base), ditch
depth, the stock on the far side (none, sheep, cattle, horses) and how many head per acre.
A section is breached when the stock pressure beats the hedge: gaps and years since laying
weigh most, cattle and horses push harder than sheep, a deep ditch and a wide base hold
them back. The ledger's ``breached`` column is written as the parish clerk's form has it,
1 = held, 2 = breached (about 35 % breached).
Input: 9 standardised columns. Model: Linear 9→48, ReLU, Linear 48→48, ReLU, Linear 48→1 (a
logit); BCEWithLogitsLoss, Adam 1e-3, batch 32, 15 epochs, 2400
sections, validation on 600.
The bug: ``y = rows[:, 9:10]`` — the targets go in as the ledger codes 1 / 2 instead of 0 / 1;
BCE-with-logits then rewards ever larger logits on every row, so the loss goes negative and
runs away (train -0.30 → -12714, val -1.80 → -13583 over 15 epochs), every section is flagged
breached from the first epoch (``val_flagged`` 1.0, real share 0.32) and val accuracy is
0.678 every epoch (control, ``y = rows[:, 9:10] - 1``: val loss 0.325 → 0.219, val accuracy
0.89-0.90, flagged share 0.30-0.345). (With SGD 0.03 and Nesterov momentum, tried first, the
loss was nan within the first epoch.)
Log: TSV per epoch ``hedge_survey.tsv`` (``epoch`` / ``train_loss`` / ``val_loss`` /
``val_acc`` / ``val_flagged``, the share of sections flagged); checkpoint
``hedgerow.ckpt`` with keys ``model_state`` / ``optim_state`` / ``epoch`` / ``col_mean`` /
``col_std`` / ``ledger_cols``."""
import torch
import torch.nn as nn

COLS = ["years_since_laid", "width_ft", "height_ft", "gaps_per_chain", "species_30yd",
        "ditch_ft", "stock_sheep", "stock_big", "head_per_acre", "breached"]


def ledger(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age = 50 + 550 * r(n)  # years the hedge has stood
    species = (age / 100 + torch.randn(n, generator=g)).clamp(1, 10).round()
    laid = 25 * r(n)
    width = 2 + 3 * r(n) + 0.3 * species
    height = 3 + 4 * r(n)
    gaps = torch.poisson(0.3 + laid / 8 * torch.ones(n), generator=g)
    ditch = 3 * r(n)
    stock = torch.multinomial(torch.tensor([0.2, 0.45, 0.25, 0.1]), n, True, generator=g)
    head = torch.where(stock == 0, torch.zeros(n), 0.5 + 3.5 * r(n))
    push = torch.tensor([0.0, 0.6, 1.2, 1.4])[stock] * (0.5 + 0.5 * head / 4)
    score = 0.7 * gaps + 0.08 * laid - 0.25 * width - 0.15 * height - 0.5 * ditch + 2.2 * push
    score = score - 1.6 + 0.6 * torch.randn(n, generator=g)
    code = 1 + (score > 0).float()  # 1 = held, 2 = breached
    rows = torch.stack([laid, width, height, gaps, species, ditch, (stock == 1).float(),
                        (stock >= 2).float(), head, code], 1)
    return rows


class HedgeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(9, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return HedgeNet()


def main():
    from _threehundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_rows, val_rows = ledger(2400, g), ledger(600, g)
    col_mean, col_std = train_rows[:, :9].mean(0), train_rows[:, :9].std(0)
    print("breached share", (train_rows[:, 9] == 2).float().mean().item())

    def xy(rows):
        x = (rows[:, :9] - col_mean) / col_std
        y = rows[:, 9:10]  # breached column from the ledger
        return x, y

    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    xva, yva = xy(val_rows)
    torch.manual_seed(0)
    with open(out / "hedge_survey.tsv", "w") as log:
        log.write("epoch\ttrain_loss\tval_loss\tval_acc\tval_flagged\n")
        for epoch in range(15):
            model.train()
            perm = torch.randperm(len(train_rows))
            tot = 0.0
            for i in range(0, len(perm), 32):
                xb, yb = xy(train_rows[perm[i:i + 32]])
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            vals = [tot / len(perm), crit(logit, yva).item(), (pred == yva).float().mean().item(),
                    pred.mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in vals) + "\n")
            print(epoch, [round(v, 4) for v in vals])
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 15, "col_mean": col_mean, "col_std": col_std, "ledger_cols": COLS},
               out / "hedgerow.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="hedgerow.ckpt", log="hedge_survey.tsv",
           what="MLP flagging hedge sections that stock will break through, from a hayward's"
                " survey ledger; BCE targets fed as the ledger's 1 / 2 codes",
           complaint="Training my hedge breach classifier, the BCE loss is negative after the"
                     " first epoch and keeps dropping: -0.30, -7.2, -39, -128 ... -12714 at"
                     " epoch 15, validation loss -13583. Val accuracy is frozen at 0.678 from"
                     " epoch 0 and the model flags every single hedge section as breached,"
                     " though only about a third of them were. How can BCE be negative?")


if __name__ == "__main__":
    main()
