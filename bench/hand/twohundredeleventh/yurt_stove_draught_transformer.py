"""Plain torch: a small transformer encoder classifies the state of a yurt's wood stove from 32
readings (one a minute) of 4 sensors: flue temperature, room temperature at the crown, CO
level and the stove-door damper position. Four states: kindling, steady burn, smouldering
(damper closed too far: flue cools while CO climbs) and back-draught (wind gusts reverse the
flue: sharp flue temperature drops with CO spikes). Each state is a different trend/shape of
those signals with random levels and noise. Linear(4→32) + learned positions, 2 encoder layers
(2 heads, ff 64, dropout 0.1), mean pool, Linear(32→4); Adam, batch 64, 12 epochs of 1024
windows, shuffled.
The bug: the learning rate is ``LR = 3e-1`` in the settings block at the top (Adam on a
transformer wants 1e-3 or less): the first steps blow the weights up, attention saturates and
the model collapses to predicting mostly one state: train loss 2.9 at the end of epoch 1,
1.7–2.1 in epochs 2–3, then 1.38–1.45 (ln 4 = 1.386) to the end; val loss 1.71, 2.09, 1.53, then
1.38–1.41; val accuracy 0.21–0.27 in every epoch (chance is 0.25). Control (``LR = 1e-3``): val
accuracy 0.77 after epoch 1, 1.00 from epoch 3 on, val loss 0.0067 at epoch 12."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 32
LR = 3e-1
EPOCHS = 12
BATCH = 64


def windows(n, g):
    t = torch.linspace(0, 1, T)
    y = torch.randint(0, 4, (n,), generator=g)
    r = torch.rand(n, 6, generator=g)
    flue = torch.zeros(n, T)
    co = torch.zeros(n, T)
    damper = torch.zeros(n, T)
    for i in range(n):
        k = int(y[i])
        if k == 0:  # kindling: flue rising fast, damper open
            flue[i] = 0.2 + (1.0 + r[i, 0]) * t
            co[i] = 0.3 * torch.exp(-3 * t)
            damper[i] = 1.0
        elif k == 1:  # steady burn
            flue[i] = 1.0 + 0.2 * r[i, 0] + 0.05 * torch.sin(20 * t + 6 * r[i, 1])
            co[i] = 0.1
            damper[i] = 0.6 + 0.2 * r[i, 2]
        elif k == 2:  # smouldering: flue cools, CO climbs, damper nearly shut
            flue[i] = 1.0 - (0.5 + 0.3 * r[i, 0]) * t
            co[i] = 0.1 + (0.6 + 0.4 * r[i, 1]) * t
            damper[i] = 0.1 + 0.1 * r[i, 2]
        else:  # back-draught: sharp dips with CO spikes
            c = 0.2 + 0.6 * r[i, 3]
            dip = torch.exp(-((t - c) ** 2) / 0.003) + torch.exp(-((t - c - 0.15) ** 2) / 0.003)
            flue[i] = 1.0 + 0.1 * r[i, 0] - 0.7 * dip
            co[i] = 0.1 + 0.8 * dip
            damper[i] = 0.6 + 0.2 * r[i, 2]
    room = 0.5 + 0.3 * flue.cumsum(1) / T + 0.2 * r[:, 4:5]
    x = torch.stack([flue, room, co, damper], 2) + 0.08 * torch.randn(n, T, 4, generator=g)
    return x, y


class StoveTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(4, 32)
        self.pos = nn.Parameter(torch.zeros(1, T, 32))
        layer = nn.TransformerEncoderLayer(32, 2, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    model = StoveTransformer()
    nn.init.normal_(model.pos, std=0.02)
    return model


def main():
    from _twohundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g)
    xva, yva = windows(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=BATCH, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    step = 0
    with open(out / "stove_metrics.csv", "w") as f:
        f.write("step,epoch,train_loss,val_loss,val_acc\n")
        for epoch in range(1, EPOCHS + 1):
            model.train()
            for xb, yb in train:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 6 == 0:
                    f.write(f"{step},{epoch},{loss.item():.4f},,\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vl = F.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
            f.write(f"{step},{epoch},,{vl:.4f},{va:.4f}\n")
            print(epoch, step, round(loss.item(), 4), round(vl, 4), round(va, 4))
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": EPOCHS, "step": step}, out / "stove_tf.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="stove_tf.pt", log="stove_metrics.csv",
           what="yurt stove-state transformer trained with Adam at lr 0.3: collapses to chance",
           complaint=("The stove monitor for the yurt (transformer over 32 minutes of flue "
                      "temp / room temp / CO / damper) is stuck at chance: train loss spikes "
                      "to 2.9 and then sits at 1.38-1.45 for the rest of the 12 epochs, val "
                      "accuracy bounces between 0.21 and 0.27 with 4 classes. The four states look completely different "
                      "when I plot them. Is a transformer just the wrong model for this?"))


if __name__ == "__main__":
    main()
