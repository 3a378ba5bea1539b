"""Plain torch: a GRU tags every bulb on a chandelier arm as ok, flickering or dead from the
maintenance rig's readings, bulb by bulb along the arm (5–24 bulbs, so the arms are padded to
24): per bulb the mean current (A), the current's ripple over the test second and the voltage
drop to the next socket. Dead bulbs draw ~0 A (a broken socket kills the ones after it on the
same strand for 1–3 bulbs), flickering ones have a high ripple. GRU(3→32) along the arm,
Linear(32→3) per bulb; Adam 3e-3, batch 32, 20 epochs of 768 arms, 256 for validation.
Log: CSV per step (``step,epoch,loss``) with val rows per epoch (``val_loss``, ``val_acc``,
``val_dead_recall`` on the real bulbs only).
Checkpoint keys ``model``, ``optim``, ``global_step``.
The bug: readings and labels are padded with ``pad_sequence(..., padding_value=0)``; label 0
is "ok", and the loss is a plain ``nn.CrossEntropyLoss()``, so the padded slots (40 % of all
slots) are trained as ok bulbs drawing 0 A with no ripple – exactly what a dead bulb looks like
to a left-to-right GRU. Train loss 1.22 → 0.08–0.10, but on the real bulbs the dead recall is
0.00 for 6 epochs and 0.60 after 20 (best 0.67; val acc 0.95, val loss 0.105 on real bulbs).
Control (labels padded with ``-100``): dead recall 1.00, val acc 1.00, val loss 0.004, train
loss 0.005."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

MAXLEN = 24


def arms(n, g):
    xs, ys = [], []
    for _ in range(n):
        L = int(torch.randint(5, MAXLEN + 1, (1,), generator=g))
        y = torch.zeros(L, dtype=torch.long)
        y[torch.rand(L, generator=g) < 0.12] = 1
        for _ in range(int(torch.randint(0, 3, (1,), generator=g))):
            s = int(torch.randint(0, L, (1,), generator=g))
            y[s:s + int(torch.randint(1, 4, (1,), generator=g))] = 2
        cur = 0.35 + 0.05 * torch.randn(L, generator=g)
        rip = 0.05 + 0.03 * torch.rand(L, generator=g)
        rip = torch.where(y == 1, rip + 0.2 + 0.1 * torch.rand(L, generator=g), rip)
        cur = torch.where(y == 2, 0.01 * torch.rand(L, generator=g), cur)
        rip = torch.where(y == 2, 0.01 * torch.rand(L, generator=g), rip)
        drop = 0.4 * cur + 0.02 * torch.randn(L, generator=g)
        xs.append(torch.stack([cur / 0.35, rip / 0.1, drop / 0.14], 1))
        ys.append(y)
    lengths = torch.tensor([len(y) for y in ys])
    x = pad_sequence(xs, batch_first=True, padding_value=0)
    y = pad_sequence(ys, batch_first=True, padding_value=0)
    return x, y, lengths


class BulbTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(32, 3)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return BulbTagger()


def main():
    from _twohundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, lengths = arms(1024, g)
    real = torch.arange(MAXLEN)[None] < lengths[:, None]
    print("padded share", 1 - real.float().mean().item())
    xtr, ytr, xva, yva, mva = x[:768], y[:768], x[768:], y[768:], real[768:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    optim = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["step,epoch,loss,val_loss,val_acc,val_dead_recall"]
    step = 0
    for epoch in range(1, 21):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb).reshape(-1, 3), yb.reshape(-1))
            optim.zero_grad()
            loss.backward()
            optim.step()
            step += 1
            rows.append(f"{step},{epoch},{loss.item():.4f},,,")
        model.eval()
        with torch.no_grad():
            lv = model(xva)[mva]
        t = yva[mva]
        pred = lv.argmax(1)
        rows[-1] = (rows[-1][:-3] + f",{F.cross_entropy(lv, t).item():.4f},"
                    f"{(pred == t).float().mean().item():.4f},"
                    f"{(pred[t == 2] == 2).float().mean().item():.4f}")
        print(rows[-1])
    (out / "bulbs_train.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "global_step": step},
               out / "bulb_tagger.pt")
    finish(out, __file__, (xva[:64], yva[:64]),
           causes=["loss_ignores_padding"], checkpoint="bulb_tagger.pt", log="bulbs_train.csv",
           what="chandelier bulb tagger GRU, labels padded with 0 (= ok) and counted in the loss",
           complaint=("Bulb tagger for the hotel's chandeliers: training loss is down to 0.09 "
                      "and it finds the flickering bulbs fine, but it calls 40 % of the dead "
                      "bulbs 'ok' (dead recall 0.60 on validation after 20 epochs). "
                      "A dead bulb reads 0 A, that should be the easiest case! GRU, Adam 3e-3."))


if __name__ == "__main__":
    main()
