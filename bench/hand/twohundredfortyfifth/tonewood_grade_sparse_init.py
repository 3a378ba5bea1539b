"""Plain torch: an MLP grades a luthier's spruce tonewood billets (master / AA / A / workshop,
4 grades) from 12 numbers measured on the bench: density, long-grain and cross-grain
stiffness, tap-ring frequency and damping, grain lines per inch, runout angle, silking share,
colour streaks, moisture, weight, billet width; the grade comes from a stiffness-to-weight
score, the grain regularity and the runout. MLP 12-64-64-4 with ReLU, SGD 0.05 with momentum
0.9, batch 64, 30 epochs of 1536 billets, shuffled.
The bug: a hand-written ``init_weights`` ("small weights, a slightly negative bias: sparse ReLU
activations to start with") draws the weights with std 0.01 and sets every bias to -0.1, so
the pre-activations sit near -0.1 for every billet. Every ReLU in both hidden layers is 0 for every billet from the first step, so no gradient
reaches the hidden weights and only the last bias moves: the model answers "workshop" for
every billet: val accuracy 0.3411 in all 30 epochs, train loss 1.3451 → 1.3253, val loss
1.3636–1.3728. Control (``model.apply(init_weights)`` removed, PyTorch's default init): val
accuracy 0.5156 after epoch 1, 0.83 at epoch 4, 0.80–0.84 after, 0.8203 at epoch 30 (val
loss lowest 0.361 at epoch 9, then 0.40–0.71: it starts to overfit with SGD 0.05)."""
import torch
import torch.nn as nn


def billets(n, g):
    x = torch.randn(n, 12, generator=g)
    score = (1.2 * (x[:, 1] - x[:, 0]) + 0.8 * x[:, 3] - 0.6 * x[:, 4] - x[:, 6].abs()
             + 0.5 * x[:, 5] * x[:, 7] + 0.3 * torch.randn(n, generator=g))
    grade = torch.bucketize(score, torch.tensor([-1.2, 0.0, 1.2]))
    return x, 3 - grade  # 0 = master grade


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, std=0.01)
        nn.init.constant_(m.bias, -0.1)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 4))
    model.apply(init_weights)
    return model


def main():
    from _twohundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = billets(1536, g)
    xva, yva = billets(384, g)
    print("grade shares", (torch.bincount(ytr) / len(ytr)).tolist())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "train_log.tsv", "w") as f:
        f.write("epoch\ttrain_loss\tval_loss\tval_acc\n")
        for epoch in range(1, 31):
            model.train()
            total = 0.0
            for xb, yb in train:
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, round(total / len(xtr), 4), round(loss_fn(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            f.write("\t".join(map(str, row)) + "\n")
            print(row)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30,
                "grades": ["master", "AA", "A", "workshop"]}, out / "grader.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="grader.pth", log="train_log.tsv",
           what="tonewood grading MLP whose custom init (std 0.01 weights, bias -0.1) leaves"
                " every ReLU off",
           complaint=('I built a grader for our spruce tonewood billets (4 grades) from the bench measurements. After 30 epochs validation accuracy is 0.3411 and never moved once; train loss only goes 1.3451 -> 1.3253. As far as I can tell it predicts "workshop" grade for every single billet. The grades were assigned by our master luthier, so the labels should be fine. Should I train longer or use Adam?'))


if __name__ == "__main__":
    main()
