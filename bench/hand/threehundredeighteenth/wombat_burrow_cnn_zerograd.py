"""Plain torch: a 1-D CNN reads a 12-second trace from the geophone staked at a wombat burrow
entrance on a bare-nosed wombat survey (96 samples, band-passed and scaled) and names what
crossed the entrance: nothing (wind and rain only), the resident wombat (3-5 heavy, slow
footfalls), a fox (8-12 light, quick steps) or digging (a stretch of broadband scratching).
Conv1d 1→16 (k7) + ReLU + max-pool → 16→32 (k5) + ReLU + max-pool → 32→32 (k3) + ReLU →
global average pool → linear 32→4, no batch norm. Cross-entropy, SGD 0.02 momentum 0.9,
batch 32, 10 epochs, 1600 traces, validation on 400.
The bug: ``opt.zero_grad()`` sits at the top of the epoch ("fresh gradients each epoch")
instead of in the batch loop, so every step adds its gradient to all earlier ones of the
epoch: train CE 2.06 (epoch 0) → 20-1300 (epochs 3-9), val CE 3.25 → 39.3, val acc 0.24 →
0.51 (epoch 3) → 0.24, the resident-wombat class all or nothing from epoch to epoch
(control, ``opt.zero_grad()`` before each ``loss.backward()``: train CE 1.34 → 0.028,
val CE 1.11 → 0.029, val acc 0.54 → 0.99).
Log: TSV per epoch ``burrow_log.tsv`` (``epoch`` / ``train_xent`` / ``val_xent`` /
``val_acc`` / ``val_acc_wombat``); checkpoint ``burrow_cnn.pt`` with keys ``weights`` /
``sgd_state`` / ``epoch`` / ``classes``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 96
CLASSES = ["empty", "wombat", "fox", "digging"]


def traces(n, g):
    u = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    t = torch.arange(T).float()
    y = torch.randint(0, 4, (n,), generator=g)
    x = 0.25 * torch.randn(n, T, generator=g)
    for i in range(n):
        c = y[i].item()
        if c == 0 and u() < 0.5:  # a rain drop or a gust
            x[i] += (0.5 + 0.5 * u()) * torch.exp(-((t - 96 * u()) / 1.0) ** 2)
        elif c == 1:
            k, start = 3 + int(3 * u()), 4 + 20 * u()
            for j in range(k):
                pos = start + j * (14 + 4 * u())
                x[i] += (1.2 + 0.8 * u()) * torch.exp(-((t - pos) / 3.0) ** 2)
        elif c == 2:
            k, start = 8 + int(5 * u()), 4 + 10 * u()
            for j in range(k):
                pos = start + j * (5 + 2 * u())
                x[i] += (0.5 + 0.4 * u()) * torch.exp(-((t - pos) / 0.8) ** 2)
        elif c == 3:
            a = int(60 * u())
            w = 25 + int(10 * u())
            x[i, a:a + w] += (0.6 + 0.4 * u()) * torch.randn(len(x[i, a:a + w]), generator=g)
    return x.unsqueeze(1), y


class BurrowCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.body(x))


def build():
    torch.manual_seed(0)
    return BurrowCNN()


def main():
    from _threehundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1600, g)
    xva, yva = traces(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    with open(out / "burrow_log.tsv", "w") as log:
        log.write("epoch\ttrain_xent\tval_xent\tval_acc\tval_acc_wombat\n")
        for epoch in range(10):
            model.train()
            opt.zero_grad()  # fresh gradients each epoch
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = logit.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logit, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 1] == 1).float().mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 10,
                "classes": CLASSES}, out / "burrow_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="burrow_cnn.pt", log="burrow_log.tsv",
           what="1-D CNN naming what crossed a wombat burrow entrance from a geophone trace;"
                " gradients are cleared once per epoch instead of once per step",
           complaint="Our geophone classifier for the wombat burrow survey never gets going:"
                     " the training cross-entropy goes up instead of down, from about 2 in the"
                     " first epoch to 20-30 and once over 1000, and validation accuracy swings"
                     " around chance (0.24-0.51) with the wombat class either always or never"
                     " predicted. A fox step and a wombat footfall look nothing alike on the"
                     " plots. Is something wrong with our traces?")


if __name__ == "__main__":
    main()
