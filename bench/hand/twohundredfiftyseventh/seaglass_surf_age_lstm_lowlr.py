"""Plain torch: an LSTM tells how long a piece of sea glass has been tumbling in the surf (4
classes: under 5 years, 5-15, 15-30, over 30 years) from a 64-point profilometer trace across
its surface. Young shards are glossy with sharp conchoidal ridges (large, low-frequency
relief); with age the relief flattens and the fine pitting ("frosting") grows in amplitude
and frequency. LSTM(1 → 32, 1 layer) over the trace, last hidden state → Linear(32, 4),
CrossEntropyLoss, Adam, batch 64, 25 epochs of 1024 shards, validation on 256.
The bug: Adam's learning rate is 1e-6 ("small, LSTMs blow up otherwise"); in 400 steps the
weights barely move: train loss 1.3881, val loss 1.3799, val accuracy 0.2852 in every one
of the 25 epochs (to 4 decimals). Control (``lr=1e-3``): train loss 1.3877 → 0.4070, val loss
1.3811 → 0.3906, val accuracy 0.2852 → 0.9023 (flat for 3 epochs, then falling). Log: TSV per epoch (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc``);
checkpoint keys ``lstm_weights`` / ``adam`` / ``epochs_done``."""
import math

import torch
import torch.nn as nn


def shards(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, 64)
    age = (y.float() + torch.rand(n, generator=g)) / 4
    relief = (1 - 0.8 * age)[:, None] * torch.sin(2 * math.pi * (1 + 2 * torch.rand(n, 1, generator=g)) * t
                                                   + 6 * torch.rand(n, 1, generator=g))
    freq = 6 + 14 * age[:, None]
    pits = (0.1 + 0.6 * age)[:, None] * torch.sin(2 * math.pi * freq * t + 6 * torch.rand(n, 1, generator=g))
    x = relief + pits + 0.05 * torch.randn(n, 64, generator=g)
    return x.unsqueeze(-1), y


class AgeLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return AgeLSTM()


def main():
    from _twohundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shards(1024, g)
    xva, yva = shards(256, g)
    torch.manual_seed(0)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-6)  # small, LSTMs blow up otherwise
    ce = nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64,
                                         shuffle=True)
    with open(out / "age_lstm.tsv", "w") as f:
        f.write("epoch\tloss\tval_loss\tval_acc\n")
        for epoch in range(1, 26):
            net.train()
            tot = 0.0
            for xb, yb in loader:
                loss = ce(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            row = (f"{epoch}\t{tot / len(ytr):.4f}\t{ce(lv, yva).item():.4f}\t"
                   f"{(lv.argmax(1) == yva).float().mean().item():.4f}")
            f.write(row + "\n")
            print(row)
    torch.save({"lstm_weights": net.state_dict(), "adam": opt.state_dict(), "epochs_done": 25},
               out / "surf_age.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="surf_age.pt", log="age_lstm.tsv",
           what="sea glass surf-age LSTM on profilometer traces trained with Adam lr 1e-6",
           complaint=("我的海玻璃年龄分类模型（LSTM，4 类）训练了 25 个 epoch，loss 一直停在 1.388"
                      " 左右，几乎没有下降，验证准确率一直是 0.285，和瞎猜差不多。数据是表面"
                      "轮廓仪测的 64 点曲线，老化特征其实很明显。是不是 LSTM 不适合这种数据？"))


if __name__ == "__main__":
    main()
