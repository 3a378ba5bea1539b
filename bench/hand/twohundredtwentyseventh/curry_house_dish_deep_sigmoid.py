"""Plain torch: a curry house's pan scales log ten spice and base weights per portion
(chilli, cream, coconut, tomato, vinegar, green pepper, onion, garam masala, cumin,
fenugreek); the model names the dish (korma, madras, vindaloo, jalfrezi, tikka masala) from
them. Each dish has its own profile, scaled by portion size (×0.7-1.3) with the cook's noise;
a linear model already separates them well. An 11-layer MLP (10 → 64, nine 64 → 64, → 5,
activation ``ACT`` after every hidden layer, Kaiming-normal weights, zero biases),
cross-entropy, SGD momentum 0.9 lr 0.01, batch 64, 10 epochs of 3072 pans, 512 validation
pans. Per-step CSV ``dish_train.csv`` (``global_step`` / ``epoch`` / ``loss``, ``val_loss`` /
``val_accuracy`` at each epoch's last step); checkpoint keys ``model`` / ``optim`` / ``epoch``.

Bug: ``ACT = nn.Sigmoid`` at the top of the file: ten sigmoid layers in a row (each passes
back at most a quarter of the gradient) leave the first layers with almost nothing, and the
net never leaves chance: train loss 1.86 at step 1, 1.60-1.63 to the end; val loss 1.608
(epoch 1), 1.607, 1.608, 1.610, 1.607, 1.617, 1.612, 1.614, 1.606, 1.629 (epoch 10) against
ln 5 = 1.609; val accuracy 0.16-0.23 (0.160 at epoch 10), whichever dish it guesses for all.
Control (``ACT = nn.ReLU``, one sed): val loss 0.112 (epoch 1), 0.056, 0.034, 0.028, 0.086,
0.030, 0.030, 0.040, 0.023, 0.021; val accuracy 0.975 → 0.992."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

DISHES = ["korma", "madras", "vindaloo", "jalfrezi", "tikka_masala"]
ACT = nn.Sigmoid


def tickets(n, g):
    """Ten spice-rack readings a curry house's scales log per pan (grams per portion, scaled):
    chilli, cream, coconut, tomato, vinegar, green pepper, onion, garam masala, cumin,
    fenugreek. Each dish has its own profile; the cook's hand adds noise."""
    profile = torch.tensor([
        [0.2, 2.0, 1.5, 0.5, 0.0, 0.1, 1.0, 0.8, 0.5, 0.3],   # korma
        [1.5, 0.2, 0.3, 1.5, 0.1, 0.2, 1.0, 1.0, 1.2, 0.6],   # madras
        [2.5, 0.0, 0.1, 1.0, 1.5, 0.1, 1.2, 1.0, 1.0, 0.4],   # vindaloo
        [1.0, 0.1, 0.0, 1.2, 0.0, 1.8, 1.8, 0.8, 0.6, 0.3],   # jalfrezi
        [0.6, 1.3, 0.2, 1.6, 0.0, 0.2, 1.0, 1.2, 0.7, 1.2],   # tikka masala
    ])
    y = torch.randint(0, 5, (n,), generator=g)
    x = profile[y] * (0.7 + 0.6 * torch.rand(n, 1, generator=g))
    x = x + 0.35 * torch.randn(n, 10, generator=g)
    return (x - 0.85) / 0.75, y


def build():
    torch.manual_seed(0)
    layers = [nn.Linear(10, 64), ACT()]
    for _ in range(9):
        layers += [nn.Linear(64, 64), ACT()]
    net = nn.Sequential(*layers, nn.Linear(64, 5))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def main():
    from _twohundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tickets(3072 + 512, g)
    xtr, ytr, xva, yva = x[:3072], y[:3072], x[3072:], y[3072:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    f = open(out / "dish_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["global_step", "epoch", "loss", "val_loss", "val_accuracy"])
    step = 0
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(3072, generator=g)
        for i in range(0, 3072, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            row = [step, epoch, f"{loss.item():.4f}", "", ""]
            if i + 64 >= 3072:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                row[3] = f"{F.cross_entropy(lv, yva).item():.4f}"
                row[4] = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
            w.writerow(row)
        print(epoch, row)
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 10},
               out / "dish_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="dish_mlp.pt", log="dish_train.csv",
           what="11-layer MLP naming the curry from a pan's spice weights; sigmoid activations",
           complaint="My dish classifier for the kitchen scales is stuck at chance. Loss sits at 1.61 from the first epoch to the tenth (that's ln 5, I have 5 dishes), val accuracy wanders between 0.16 and 0.23, and it ends at 0.160. A korma and a vindaloo have completely different spice weights, a logistic regression gets them right. No NaNs, no errors, the loss just doesn't move. What's going on?")


if __name__ == "__main__":
    main()
