"""Plain torch: a restaurant sommelier flags which bottles in the cellar are in their drinking
window now, so they go on this month's wine list. A plain MLP (binary) reads the cellar
book's entry for a bottle: age since vintage, style (red / white / sweet / sparkling), tannin
and titratable acidity (g/L), residual sugar (g/L), alcohol (% vol) and the cellar's mean
temperature. The window follows the usual cellar rules: reds open after 1.5 + 1.6 × tannin
years and stay open 3 + 1.2 × (acidity - 4) + 0.8 × tannin years; whites open after a year
and stay 2 + 1.1 × (acidity - 5) + sugar / 25 years; sweet wines open late and last long;
sparkling wines are ready at once and last 2-4 years; every °C above 13 ages a bottle 8 %
faster. The book codes the flag 1 = not now (too young or past it), 2 = drink now; 3200
bottles for training (47 % drink now), 800 held out.
Model: Linear 10→64, ReLU, Linear 64→64, ReLU, Linear 64→1 on standardised inputs;
BCEWithLogitsLoss, Adam 1e-3, batch 128, 25 epochs.
The bug: the book's 1 / 2 flag goes into ``BCEWithLogitsLoss`` as it is, so every target lies
outside 0-1; for both codes the loss keeps falling as the logit grows, every logit is pushed
up without end and every bottle comes out "drink now". The loss goes negative in the second
epoch and keeps falling (train 0.27 → -4063, val -0.30 → -4411); val accuracy, scored
against the same column, is 0.52 every epoch (the bottles coded 1, matched by a predicted 1)
and the share flagged drink now 1.0 (control, ``(status.float() - 1)``: val BCE 0.662 →
0.136, val acc 0.605 → 0.935, share flagged 0.39 → 0.51).
Log: CSV per epoch ``list_train.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc`` /
``val_share_drink``); checkpoint ``drinkwindow.pt`` with keys ``model_state`` /
``optimizer_state`` / ``epoch`` / ``features`` / ``x_mean`` / ``x_std``."""
import csv

import torch
import torch.nn as nn

FEATURES = ["age_y", "red", "white", "sweet", "sparkling", "tannin_gl", "acidity_gl", "sugar_gl",
            "alcohol", "cellar_c"]


def cellar_book(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    style = torch.multinomial(torch.tensor([0.5, 0.3, 0.1, 0.1]), n, replacement=True, generator=g)
    red, white, sweet, spark = [(style == k).float() for k in range(4)]
    tannin = red * (1.0 + 3.0 * r(n)) + (1 - red) * 0.3 * r(n)
    acid = 4.5 + 3.0 * r(n) + 1.0 * (white + spark) * r(n)
    sugar = sweet * (60 + 120 * r(n)) + (1 - sweet) * 6 * r(n) + spark * 8 * r(n)
    alcohol = 11.5 + 3.0 * r(n) - 2.5 * spark
    cellar = 11 + 6 * r(n)
    opens = (red * (1.5 + 1.6 * tannin) + white * 1.0 + sweet * (3 + sugar / 60))
    stays = (red * (3 + 1.2 * (acid - 4) + 0.8 * tannin) + white * (2 + 1.1 * (acid - 5) + sugar / 25)
             + sweet * (10 + sugar / 15) + spark * (2 + 2 * r(n)))
    ready_window = opens + stays
    age = 0.2 + ready_window * 1.4 * r(n) + 0.5 * r(n)
    eff = age * (1 + 0.08 * (cellar - 13))
    drink = (eff >= opens) & (eff <= opens + stays)
    x = torch.stack([age, red, white, sweet, spark, tannin, acid, sugar, alcohol, cellar], 1)
    return x, 1 + drink.long()  # cellar book coding: 1 = not now, 2 = drink now


def target(status):
    return status.float().unsqueeze(1)  # the book's drink-now column as the target


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))


def main():
    from _threehundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, str_ = cellar_book(3200, g)
    xva, sva = cellar_book(800, g)
    print("drink now share", (str_ == 2).float().mean().item())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    ytr, yva = target(str_), target(sva)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    f = open(out / "list_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "val_loss", "val_acc", "val_share_drink"])
    for epoch in range(25):
        model.train()
        order = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(order), 128):
            idx = order[i:i + 128]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vl = crit(logits, yva).item()
            pred = (logits > 0).float()
        w.writerow([epoch, round(tot / len(xtr), 5), round(vl, 5),
                    round((pred == yva).float().mean().item(), 4), round(pred.mean().item(), 4)])
        print(epoch, round(tot / len(xtr), 4), round(vl, 4), (pred == yva).float().mean().item())
    f.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 24, "features": FEATURES, "x_mean": mean, "x_std": std},
               out / "drinkwindow.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="drinkwindow.pt", log="list_train.csv",
           what="MLP flagging cellar bottles in their drinking window, trained with"
                " BCEWithLogitsLoss on the cellar book's 1 / 2 flag",
           complaint="Training my drink-now classifier for the cellar (small MLP, BCEWithLogitsLoss,"
                     " Adam 1e-3) the loss goes negative after the first epoch and just keeps"
                     " falling: -4063 on train and -4411 on validation after 25 epochs. Accuracy"
                     " sits at exactly 0.52 from the first epoch to the last and the model says"
                     " 'drink now' for every single bottle, including ones from last year's"
                     " vintage. How can a BCE loss be negative?")


if __name__ == "__main__":
    main()
