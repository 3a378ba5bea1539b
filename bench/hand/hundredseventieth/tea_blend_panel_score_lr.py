"""Plain torch: an MLP predicts the tasting-panel score a breakfast tea blend will get from
its recipe and lab numbers, so the blender can pre-screen recipes: 16 inputs (the shares of
six component teas — Assam, Ceylon, Kenya, Darjeeling, Yunnan, Keemun — and ten lab numbers:
moisture, theaflavins, thearubigins, caffeine, leaf size, liquor colour, ...). The score
rewards briskness and colour, punishes too much moisture, and has a sweet spot for the Assam /
Kenya balance; panel noise on top. Target standardised (mean 74, sd 6 panel points).
MLP 16-128-64-1 (ReLU), Adam, batch 32, 30 epochs of 1280 blends, shuffled; MSE; JSON-lines
log per epoch (train MSE, val MSE, val MAE in panel points).
The bug: ``LR = 3e-1`` at the top of the file (meant to be 3e-3). The first Adam steps of
size 0.3 throw the ReLU layers far off: the epoch-1 train MSE is 760, val MSE 1.51 and 10.2 in
the first two epochs, and from then on the net is dead and predicts (nearly) one score for
every blend: train MSE 0.99–1.01 (= the target variance) and val MSE 1.12–1.15 (val MAE 5.1
points) from epoch 3 to 30 without moving.
Control (``LR = 3e-3``): val MSE 0.214 after epoch 1, 0.085 at 3, 0.056 at 10, 0.0555 at 30
(val MAE 1.12 points), train MSE 0.007."""
import json

import torch
import torch.nn as nn

LR = 3e-1


def blends(n, g):
    shares = torch.distributions.Dirichlet(torch.full((6,), 1.5)).sample((n,))
    lab = torch.randn(n, 10, generator=g)
    brisk = 1.2 * shares[:, 2] + 0.8 * shares[:, 0] + 0.4 * lab[:, 1]
    colour = torch.tanh(lab[:, 2] + shares[:, 0] - shares[:, 3])
    balance = -4 * (shares[:, 0] - shares[:, 2] - 0.05) ** 2
    s = (1.5 * brisk + colour + balance - 0.6 * torch.relu(lab[:, 0]) + 0.4 * lab[:, 3] * lab[:, 4]
         + 0.15 * torch.randn(n, generator=g))
    x = torch.cat([(shares - 1 / 6) * 5, lab], 1)
    return x, s


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    x, s = blends(1600, g)
    mu, sd = s[:1280].mean(), s[:1280].std()
    y = (s - mu) / sd
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    mse = nn.MSELoss()
    with open(out / "blend_log.jsonl", "w") as log:
        for epoch in range(1, 31):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = mse(model(xb).squeeze(1), yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                pv = model(xva).squeeze(1)
            rec = {"epoch": epoch, "train_mse": round(tot / 1280, 4),
                   "val_mse": round(mse(pv, yva).item(), 4),
                   "val_mae_points": round(6 * (pv - yva).abs().mean().item(), 3)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": 30, "score_mean": mu.item(), "score_sd": sd.item()},
               out / "blend_scorer.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="blend_scorer.pt", log="blend_log.jsonl",
           what="tea blend panel-score MLP regression trained with Adam lr 0.3",
           complaint=("Our blend pre-screening model (predicts the tasting-panel score from the "
                      "recipe and lab numbers) doesn't learn anything. Epoch 1 train MSE was "
                      "760 (!), and from epoch 3 to 30 it sits at 1.00 train / 1.13 val, val "
                      "MAE 5.1 points, which is what I'd get by always guessing the average "
                      "score. The target is standardised, MLP 16-128-64-1 with Adam. Not enough "
                      "blends to learn from, or is the network too small?"))


if __name__ == "__main__":
    main()
