"""Plain torch: an MLP proposes the loan a pawn shop offers on an item (log of the loan in
euros) from 12 numbers the counter clerk types in: item kind (gold, watch, tool, console,
guitar — one-hot), weight in grams, karat, age in years, condition 1–5, original price and
how many similar items are on the shelf. The loan is a fixed fraction of a resale value that
comes from those features (gold by weight × karat, electronics lose value with age, a full
shelf halves the offer), plus noise. MLP 12-64-64-1, Adam 1e-3, batch 64, 30 epochs of 1536
tickets; a per-epoch CSV (epoch, train_mse, val_mse, val_mae_eur).
The bug: the targets are kept as a flat vector (``y`` has shape ``(N,)``) while the model
returns ``(N, 1)``; ``F.mse_loss(pred, yb)`` broadcasts the two to ``(64, 64)`` (torch only
warns) and so trains every prediction toward the batch mean. The loss flattens at once: train
MSE 1.00 from epoch 1 to 30, val MSE 1.065 after epoch 1 and 1.046 after epoch 30, val MAE
115 EUR off an average offer of ~190 EUR; every item gets nearly the same loan. Control
(``yb.unsqueeze(1)`` in the loss): val MSE 0.81 after epoch 1, 0.24 after 3, 0.016 after 30,
MAE 19 EUR."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def tickets(n, g):
    kind = torch.randint(0, 5, (n,), generator=g)
    onehot = F.one_hot(kind, 5).float()
    grams = torch.rand(n, generator=g) * 60 + 2
    karat = torch.tensor([9.0, 14.0, 18.0, 22.0])[torch.randint(0, 4, (n,), generator=g)]
    age = torch.rand(n, generator=g) * 12
    cond = torch.randint(1, 6, (n,), generator=g).float()
    orig = torch.exp(torch.randn(n, generator=g) * 0.6 + 5.5)
    shelf = torch.randint(0, 8, (n,), generator=g).float()
    gold = 0.045 * grams * karat
    goods = orig * torch.exp(-age * torch.tensor([0.0, 0.05, 0.08, 0.25, 0.12])[kind])
    resale = torch.where(kind == 0, gold * 10, goods * (0.4 + 0.12 * cond))
    resale = resale / (1 + 0.12 * shelf)
    loan = 1.8 * resale * torch.exp(0.08 * torch.randn(n, generator=g))
    x = torch.cat([onehot, torch.stack([grams / 30, karat / 18, age / 6, cond / 3,
                                        torch.log(orig) - 5.5, shelf / 4], 1)], 1)
    x = torch.cat([x, torch.ones(n, 1)], 1)  # "ticket printed" flag, always 1
    return x, torch.log(loan)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tickets(1792, g)
    mu, sd = y[:1536].mean(), y[:1536].std()
    y = (y - mu) / sd
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = ["epoch,train_mse,val_mse,val_mae_eur"]
    for epoch in range(30):
        model.train()
        tot = 0.0
        for xb, yb in train:
            pred = model(xb)
            loss = F.mse_loss(pred, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            pv = model(xva).squeeze(1)
        vmse = F.mse_loss(pv, yva).item()
        mae = (torch.exp(pv * sd + mu) - torch.exp(yva * sd + mu)).abs().mean().item()
        rows.append(f"{epoch + 1},{tot / len(xtr):.4f},{vmse:.4f},{mae:.1f}")
        print(rows[-1])
    (out / "loan_offer_log.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30, "target_mean": mu, "target_std": sd}, out / "loan_offer.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="loan_offer.pt", log="loan_offer_log.csv",
           what="pawn-shop loan offer MLP regression, (N,1) predictions against (N,) targets",
           complaint=("Our pawn counter loan-offer model is stuck: val MSE is 1.07 after the "
                      "first epoch and still 1.05 after 30, the mean error is about 115 EUR and "
                      "it suggests almost the same loan for a gold ring as for a used console. "
                      "Adam 1e-3, batch 64, targets are log-loan standardised. Do we need a "
                      "bigger network or more tickets?"))


if __name__ == "__main__":
    main()
