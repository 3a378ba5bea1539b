"""Plain torch: a small CNN (no BatchNorm) reads a 12×12 thermal-camera frame of a paella pan
over the burner and regresses the minutes left until the socarrat is done (~3-15 min). Frames
are the pan's temperature field (a hot spot over the burner ring whose size and strength vary,
the stock left damping it) scaled as the rise over the 160 °C idle pan, (°C - 160) / 40; the
minutes come from the bottom heat, how wide the hot spot is, and the stock left.
Conv(1→16,3)+ReLU, Conv(16→32,3,stride 2)+ReLU, Conv(32→32,3)+ReLU, global average pool,
Linear(32→1); Adam 2e-3, batch 32, 20 epochs of 768 frames, MSE. Log: CSV every 12 steps
(``iteration,train_mse,val_mse``; ``val_mse`` filled at epoch ends). Checkpoint
``{"weights", "adam", "epoch", "iteration"}``.
The bug: every layer is built without a bias (the layer helper was copied from a BN version
of the net, where BN's shift makes a bias redundant, and the BN was then dropped), so no layer
can add a constant and the net's output scales with the frame: a cold pan reads ~0 and comes
out near 0 minutes, where the truth is the longest wait (~15 min). Val MSE 96.0 after
epoch 1, 38.2 at 5, 17.6 at 10, 10.5 at 20 (the minutes' variance is 14.5, std 3.81 around a
mean of 11.1): barely better than always answering the mean; train MSE 11.3 at the end.
Control (the biases switched on, ``sed 's/bias=False/bias=True/g'``): val MSE 53.2 after
epoch 1, 0.69 at 5, 0.65 at 10, 0.56 at 20."""
import csv

import torch
import torch.nn as nn

S = 12


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    r = ((yy - 5.5) ** 2 + (xx - 5.5) ** 2).sqrt()[None]
    power = torch.rand(n, 1, 1, generator=g) ** 1.5
    spread = 2 + 3 * torch.rand(n, 1, 1, generator=g)
    stock = torch.rand(n, 1, 1, generator=g)
    rise = 140 * power * torch.exp(-(r / spread) ** 2) + 25 * power * (1 - stock)
    temp = 160 + rise + 2 * torch.randn(n, S, S, generator=g)
    heat = rise.mean((1, 2)) / 30
    minutes = 15 - 8 * heat.clamp(max=1.2) - 1.5 * (spread.flatten() - 2) / 3 * power.flatten()
    minutes = minutes + 2 * stock.flatten()
    return ((temp - 160) / 40)[:, None], minutes + 0.3 * torch.randn(n, generator=g)


def conv(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


class SocarratTimer(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(1, 16), nn.ReLU(), conv(16, 32, 2), nn.ReLU(),
                                  conv(32, 32), nn.ReLU())
        self.head = nn.Linear(32, 1, bias=False)

    def forward(self, x):
        return self.head(self.body(x).mean((2, 3))).squeeze(1)


def build():
    torch.manual_seed(0)
    return SocarratTimer()


def main():
    from _twohundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(768, g)
    xva, yva = frames(256, g)
    print(f"minutes: mean {ytr.mean():.2f} std {ytr.std():.2f}")
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    rows = []
    it = 0
    for epoch in range(20):
        model.train()
        perm = torch.randperm(768, generator=g)
        for i in range(0, 768, 32):
            idx = perm[i:i + 32]
            loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 12 == 0:
                vm = ""
                if i + 32 >= 768:
                    model.eval()
                    with torch.no_grad():
                        vm = round(nn.functional.mse_loss(model(xva), yva).item(), 4)
                rows.append({"iteration": it, "train_mse": round(loss.item(), 4), "val_mse": vm})
                if vm != "":
                    print(epoch + 1, rows[-1])
    with open(out / "timer_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "epoch": 20,
                "iteration": it}, out / "socarrat_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="socarrat_cnn.pt", log="timer_log.csv",
           what="paella socarrat-timer CNN with no bias in any layer (BN removed, bias=False kept)",
           complaint=("Our socarrat timer (CNN on a 12x12 thermal image of the paella pan, "
                      "predicts minutes left) is way off. Val MSE 96 after epoch 1, 38 at "
                      "epoch 5, still 10.5 after 20 epochs. Targets have std 3.8 min, so it "
                      "is hardly better than always saying 11 minutes, and on a cold pan it "
                      "says almost 0 minutes when it should say the longest. The train MSE "
                      "is just as bad (11.3). What's wrong with it?"))


if __name__ == "__main__":
    main()
