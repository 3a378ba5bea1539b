"""Plain torch loop: a 1-D CNN (no BatchNorm) names the milk-flow curve of one goat from
the stand's flow meter, 64 samples of 0.1 s (kg/min), 4 classes: normal letdown, bimodal
(a second letdown after a dip), slow letdown (late, shallow rise) and incomplete (the cluster
comes off while the flow is still high). Curves are built from a rise / plateau / decay shape
with per-goat peak flow, timing jitter and 0.08 kg/min sensor noise. Conv1d 1->16->32->32
(kernel 5, ReLU, max-pool) + global average + Linear(32, 4), cross-entropy, Adam 1e-3, batch
48, 15 epochs of 1440 curves, validation on 480.
Bug: ``nn.Dropout(0.6)`` after every conv ("only a few hundred goats, regularise hard"), so
60 % of every feature map is zeroed in training. Measured: train CE 1.36 -> 0.39, val CE 1.37 ->
0.42, val acc 0.74-0.82 from epoch 3 to 14 and 0.925 at epoch 15; control (``P_DROP = 0.0``):
train CE 0.046, val CE 0.036, val acc 0.99.
Log: ``epochs.tsv`` (``epoch`` / ``train_loss`` / ``train_acc``) and a separate ``val.tsv``
(``epoch`` / ``val_loss`` / ``val_acc``). Checkpoint ``flowcnn.pth``: ``net`` / ``adam`` /
``epochs_done``."""
import torch
import torch.nn as nn

P_DROP = 0.6  # only a few hundred goats, regularise hard


def flow_curves(n, g):
    t = torch.linspace(0, 6.3, 64)
    kind = torch.randint(0, 4, (n,), generator=g)
    peak = 1.2 + 0.8 * torch.rand(n, 1, generator=g)
    start = 0.3 + 0.4 * torch.rand(n, 1, generator=g)
    rise = torch.sigmoid((t - start) * 6)
    slow = kind[:, None] == 2
    rise = torch.where(slow, torch.sigmoid((t - start - 1.2) * 2.5) * 0.75, rise)
    end = 4.2 + 0.8 * torch.rand(n, 1, generator=g)
    decay = torch.sigmoid((end - t) * 4)
    incomplete = kind[:, None] == 3
    decay = torch.where(incomplete, (t < end - 1.6).float() + 0.0, decay)
    curve = peak * rise * decay
    dip = 1 - 0.7 * torch.exp(-((t - start - 0.9) / 0.3) ** 2)
    curve = torch.where(kind[:, None] == 1, curve * dip, curve)
    curve = curve + 0.08 * torch.randn(n, 64, generator=g)
    return curve[:, None], kind


class FlowCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.Dropout(P_DROP), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.Dropout(P_DROP), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.Dropout(P_DROP))
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x).mean(-1))


def build():
    torch.manual_seed(0)
    return FlowCNN()


def main():
    from _twohundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = flow_curves(1440, g)
    xva, yva = flow_curves(480, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=48, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    ce = nn.CrossEntropyLoss()
    with open(out / "epochs.tsv", "w") as ft, open(out / "val.tsv", "w") as fv:
        ft.write("epoch\ttrain_loss\ttrain_acc\n")
        fv.write("epoch\tval_loss\tval_acc\n")
        for epoch in range(1, 16):
            net.train()
            tot, hit = 0.0, 0
            for xb, yb in loader:
                opt.zero_grad()
                logits = net(xb)
                loss = ce(logits, yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                hit += (logits.argmax(1) == yb).sum().item()
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            ft.write(f"{epoch}\t{tot / len(xtr):.4f}\t{hit / len(xtr):.4f}\n")
            fv.write(f"{epoch}\t{ce(lv, yva).item():.4f}\t"
                     f"{(lv.argmax(1) == yva).float().mean().item():.4f}\n")
            print(epoch, round(tot / len(xtr), 4), round(ce(lv, yva).item(), 4),
                  round((lv.argmax(1) == yva).float().mean().item(), 4))
    torch.save({"net": net.state_dict(), "adam": opt.state_dict(), "epochs_done": 15},
               out / "flowcnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="flowcnn.pth", log="epochs.tsv",
           what="goat milk-flow curve 1-D CNN with Dropout(0.6) after every conv layer",
           complaint=("Our goat stand's flow-curve classifier (normal / bimodal / slow letdown /"
                      " incomplete) is stuck far below what the milkers get by eye: val accuracy"
                      " hovers at 0.74-0.82 for most of the 15 epochs (0.925 at the last one), val"
                      " loss only gets to 0.42 and the train loss stays above it at 0.39. The four"
                      " shapes are easy to tell apart. Should I make the CNN deeper or train"
                      " longer?"))


if __name__ == "__main__":
    main()
