"""Plain torch: a multi-label MLP flags what a bonsai needs this week from 20 readings of a
pot sensor and a care diary (soil moisture over 5 days, leaf colour indices, new-shoot length,
wire age, days since repotting, sun hours, ...): water, wire removal (wire biting in), pinch
new growth, feed, move to shade. Each tag is a nonlinear rule of a few readings (e.g. "pinch"
when shoot length is high *and* the tree is not weak). MLP trunk 20-96-96 (ReLU) and a
Linear(96→5) head, BCE-with-logits; Adam 3e-3, batch 64, 20 epochs of 1536 trees; CSV per
epoch (train BCE, val BCE, val micro-F1).
The bug: the training step runs the trunk inside the ``torch.no_grad()`` block that was only
meant for the running-accuracy bookkeeping (the trunk features are reused for it), so only
the head learns, on a fixed random ReLU trunk: train BCE 0.64 → 0.47, val BCE 0.61 → 0.485,
val micro-F1 0.04 → 0.39 after 20 epochs. Control (the block's ``torch.no_grad()`` made
``torch.enable_grad()``, one-line sed): val BCE 0.17-0.19, val micro-F1 0.87 (train BCE 0.048)."""
import torch
import torch.nn as nn

TAGS = ["water", "unwire", "pinch", "feed", "shade"]


def trees(n, g):
    x = torch.randn(n, 20, generator=g)
    m = x[:, :5].mean(1)
    y = torch.stack([(m < -0.2) | (x[:, 5] * x[:, 6] > 0.8),
                     (x[:, 7] > 0.5) & (x[:, 8] > 0),
                     (x[:, 9] > 0.3) & (x[:, 10] > -0.5),
                     (x[:, 11].abs() > 1.0),
                     (x[:, 12] + x[:, 13] > 0.5) & (m > -0.3)], 1).float()
    return x, y


class CareNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(20, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU())
        self.head = nn.Linear(96, 5)

    def forward(self, x):
        return self.head(self.trunk(x))


def build():
    torch.manual_seed(0)
    return CareNet()


def f1(logits, y):
    p = (logits > 0).float()
    tp = (p * y).sum()
    return (2 * tp / (p.sum() + y.sum())).item()


def main():
    from _twohundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = trees(1792, g)
    xva, yva = x[1536:], y[1536:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:1536], y[:1536]),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    bce = nn.BCEWithLogitsLoss()
    rows = ["epoch,train_bce,val_bce,val_f1,train_hits"]
    for epoch in range(20):
        model.train()
        tot = hits = 0.0
        for xb, yb in train:
            with torch.no_grad():
                feats = model.trunk(xb)
                hits += ((model.head(feats) > 0).float() == yb).float().mean().item()
            loss = bce(model.head(feats), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        vl, vf = bce(lv, yva).item(), f1(lv, yva)
        rows.append(f"{epoch},{tot / len(train):.4f},{vl:.4f},{vf:.4f},{hits / len(train):.4f}")
        print(rows[-1])
    (out / "care_epochs.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": 20}, out / "care_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="care_mlp.pt", log="care_epochs.csv",
           what="bonsai care-tag multi-label MLP, trunk run under torch.no_grad() in training",
           complaint=("Multi-label model for our bonsai care reminders (water, unwire, pinch, "
                      "feed, shade): after 20 epochs val BCE is still 0.48 and micro-F1 only 0.39;"
                      " the train loss creeps down from 0.64 to 0.47 and that's it. Adam 3e-3, "
                      "batch 64, 1536 trees. Are the tags just not predictable from the sensor "
                      "and diary data?"))


if __name__ == "__main__":
    main()
