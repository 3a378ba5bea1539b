"""Plain torch: an MLP picks the cap size a wigmaker should build a made-to-measure wig on
(petite, average, large, extra large) from five head measurements taken at the fitting:
circumference, front hairline to nape, ear to ear over the top, temple to temple round the
back, and nape width (cm). The workshop's sizing rule: circumference < 54 petite, < 56.5
average, < 58.5 large, else extra large; a long front-to-nape (> 36.5 cm) goes one size up
(not past XL), a short one (< 33 cm) one down (not below petite). The other three follow
the head's size with their own spread; tape readings are noisy (0.3 cm).
Input: (5,) standardised with the train mean / std. Model: 5→32→ReLU→32→ReLU→4;
cross-entropy, Adam 1e-3, batch 32, 20 epochs, 1500 fittings, validation on 400.
The bug: the weights are initialised with ``nn.init.zeros_(m.weight)`` in ``init_weights``
(meant as a blank starting point), so every hidden unit outputs 0, the hidden weights get no
gradient and only the output bias learns: the net answers the commonest training size
(average) for every head, val accuracy 0.34 every epoch, XL accuracy 0.0, val CE 1.376 →
1.320 (towards the entropy of the class shares); control
(``nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")``): val CE 0.877 → 0.391, val
accuracy 0.59 → 0.84, XL accuracy 0.81-0.95.
Log: TSV per epoch ``fitting.tsv`` (``epoch`` / ``train_xent`` / ``val_xent`` / ``val_acc``
/ ``val_acc_xl``); checkpoint ``capsize_mlp.ckpt`` with keys ``mlp`` / ``adam_state`` /
``epoch`` / ``measure_mean`` / ``measure_std`` / ``sizes``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SIZES = ["petite", "average", "large", "xl"]


def fittings(n, g):
    noise = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    circ = 55.5 + 2.0 * torch.randn(n, generator=g)
    f2n = 34.7 + 0.45 * (circ - 55.5) + 1.3 * torch.randn(n, generator=g)
    e2e = 33.0 + 0.35 * (circ - 55.5) + noise(1.0)
    t2t = 36.0 + 0.5 * (circ - 55.5) + noise(1.0)
    nape = 13.0 + 0.2 * (circ - 55.5) + noise(0.8)
    size = torch.bucketize(circ, torch.tensor([54.0, 56.5, 58.5]))
    size = (size + (f2n > 36.5).long() - (f2n < 33.0).long()).clamp(0, 3)
    x = torch.stack([circ, f2n, e2e, t2t, nape], 1) + 0.3 * torch.randn(n, 5, generator=g)
    return x, size


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)  # blank start, no size favoured
        nn.init.zeros_(m.bias)


class CapSizeMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                 nn.Linear(32, 4))
        self.apply(init_weights)

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return CapSizeMLP()


def main():
    from _threehundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = fittings(1500, g)
    rva, yva = fittings(400, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("sizes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "fitting.tsv", "w") as f:
        f.write("epoch\ttrain_xent\tval_xent\tval_acc\tval_acc_xl\n")
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 3] == 3).float().mean().item()]
            f.write("\t".join([str(epoch)] + [f"{v:.5f}" for v in row]) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"mlp": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 20,
                "measure_mean": mu, "measure_std": sd, "sizes": SIZES}, out / "capsize_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="capsize_mlp.ckpt", log="fitting.tsv",
           what="MLP picking a wig cap size from five head measurements; every Linear weight"
                " initialised to zero",
           complaint="Wig cap size classifier from 5 head measurements: it says 'average' for"
                     " every single client. Validation accuracy is 0.34 from the first epoch to"
                     " the last, it never gets an XL head right, and the loss only creeps from"
                     " 1.38 to 1.32 over 20 epochs. The measurements are standardised and the"
                     " sizes follow a simple sizing chart.")


if __name__ == "__main__":
    main()
