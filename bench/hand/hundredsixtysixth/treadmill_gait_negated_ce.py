"""Plain torch: a GRU classifies a treadmill runner's footstrike (heel, midfoot, forefoot)
from 64 samples of a shoe-pod's vertical and fore-aft acceleration plus the belt speed (3
channels); each strike type is a different impact-peak shape and timing within a ~0.7 s step,
with random cadence, belt speed and noise. GRU(3→32) + Linear(32→3) on the last state, Adam
3e-3, batch 32, 15 epochs of 768 windows, gradient clipping at 5.
The bug: the loss is written as ``loss = -criterion(logits, y)`` (left over from a "maximise
agreement" note), so the optimizer maximises the cross-entropy: the logged training loss goes
negative and keeps falling (−3, −10, −20, ...) while training and validation accuracy stay
at chance: loss −2.6 after epoch 1, −17 at epoch 5, −51 at epoch 15; val accuracy 0.30 (one
class for everything) every epoch. Control (``loss = criterion(...)``): val accuracy 0.70 at
epoch 2, 0.95 at epoch 6, 1.00 from epoch 8."""
import torch
import torch.nn as nn

T = 64


def strides(n, g):
    t = torch.arange(T).float()
    y = torch.randint(0, 3, (n,), generator=g)
    period = 20 + 6 * torch.rand(n, 1, generator=g)
    phase = torch.rand(n, 1, generator=g) * period
    u = ((t[None] + phase) % period) / period  # position in the step, 0..1
    peak = torch.tensor([0.05, 0.15, 0.25])[y][:, None]
    width = torch.tensor([0.03, 0.06, 0.04])[y][:, None]
    vert = torch.exp(-((u - peak) / width) ** 2) * (1.5 + torch.rand(n, 1, generator=g))
    fore = torch.exp(-((u - peak - 0.1) / 0.08) ** 2) * torch.tensor([-1.0, 0.2, 1.0])[y][:, None]
    speed = (2.5 + 1.5 * torch.rand(n, 1, generator=g)).expand(n, T) / 3
    x = torch.stack([vert, fore, speed], 2)
    return x + 0.2 * torch.randn(x.shape, generator=g), y


class StrikeGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return StrikeGRU()


def main():
    from _hundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strides(768, g)
    xva, yva = strides(256, g)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    criterion = nn.CrossEntropyLoss()
    lines = ["epoch\tbatch\ttrain_loss\ttrain_acc\tval_acc"]
    for epoch in range(15):
        model.train()
        perm = torch.randperm(768, generator=g)
        for b, i in enumerate(range(0, 768, 32)):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = -criterion(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            if b % 6 == 5:
                acc = (logits.argmax(1) == ytr[idx]).float().mean().item()
                va = ""
                if b == 23:
                    model.eval()
                    with torch.no_grad():
                        va = f"{(model(xva).argmax(1) == yva).float().mean().item():.4f}"
                    model.train()
                lines.append(f"{epoch}\t{b}\t{loss.item():.4f}\t{acc:.4f}\t{va}")
                print(lines[-1])
    (out / "log.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 15},
               out / "strike_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="strike_gru.pt", log="log.tsv",
           what="treadmill footstrike GRU trained on the negated cross-entropy: loss falls below"
                " zero while accuracy drops",
           complaint=("Footstrike classifier on treadmill shoe-pod data: the training loss looks "
                      "great, it keeps dropping every epoch (-2.6 after epoch 1, -17 at epoch 5, "
                      "-51 at epoch 15), but accuracy never improves: train batches 0.25-0.47, "
                      "val accuracy 0.30 at every epoch (3 classes). How can the loss go down "
                      "this much while the model predicts nothing right?"))


if __name__ == "__main__":
    main()
