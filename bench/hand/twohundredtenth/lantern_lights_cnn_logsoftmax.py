"""Plain torch: a small CNN (no batch norm) reads a ship's navigation lanterns off a 3×20×20
night-harbour crop and says what the watch is looking at: port side (red), starboard side
(green), stern (white, low), head-on (red and green side by side) or a pilot vessel (white
over red, stacked). Each lantern is a coloured Gaussian glow of random size and brightness at
a jittered position, on a dark background with harbour glare (a smooth random colour field),
reflections on the water (a dimmer streak under each light) and noise. Conv(3→16)-ReLU-pool,
Conv(16→32)-ReLU-pool, Conv(32→32)-ReLU, global average pool, Linear(32→5) followed by
``log_softmax`` inside ``forward``; ``nn.NLLLoss``; Adam 2e-3, batch 64, 10 epochs of 1280
crops.
Log: CSV per epoch (``epoch``, ``train_nll``, ``valid_nll``, ``valid_acc`` on the 256
validation crops in one batch, ``bridge_acc`` on the first 64 fed one at a time as the bridge
display does); checkpoint
``{"net", "optim", "epoch"}``.
The bug: ``forward`` ends with ``return F.log_softmax(self.fc(h), dim=0)``, normalising each
class column over the batch instead of each sample over the 5 classes. Train NLL 4.00 → 2.66, valid NLL 5.15 → 4.03 (above ln 5 = 1.61
the whole run) while the batched valid accuracy climbs 0.59 → 0.996; fed one crop at a time,
the model answers class 0 (port) for everything: bridge accuracy 0.2031 every epoch.
Control (``dim=1``): train NLL 1.53 → 0.049, valid NLL 1.33 → 0.056, valid accuracy
0.43 → 0.99, bridge accuracy 0.42 → 1.00."""
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 20
RED, GREEN, WHITE = (1.0, 0.15, 0.1), (0.1, 1.0, 0.4), (1.0, 1.0, 0.9)
LIGHTS = {0: [(RED, 0, 0)], 1: [(GREEN, 0, 0)], 2: [(WHITE, 3, 0)],
          3: [(RED, 0, -3), (GREEN, 0, 3)], 4: [(WHITE, -3, 0), (RED, 3, 0)]}


def crops(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 5, (n,), generator=g)
    glare = F.interpolate(torch.rand(n, 3, 3, 3, generator=g), size=(S, S), mode="bilinear") * 0.3
    img = glare.clone()
    cy = 8 + 4 * torch.rand(n, generator=g)
    cx = 6 + 8 * torch.rand(n, generator=g)
    r = 1.0 + 0.6 * torch.rand(n, generator=g)
    amp = 0.7 + 0.6 * torch.rand(n, generator=g)
    for i in range(n):
        for col, dy, dx in LIGHTS[int(y[i])]:
            d = ((yy - cy[i] - dy) ** 2 + (xx - cx[i] - dx) ** 2) / r[i] ** 2
            glow = amp[i] * torch.exp(-d)
            streak = 0.3 * amp[i] * torch.exp(-((xx - cx[i] - dx) ** 2) / 0.8) * (yy > cy[i] + dy + 3)
            img[i] += torch.tensor(col)[:, None, None] * (glow + streak)
    img = img + 0.1 * torch.randn(img.shape, generator=g)
    return (img - 0.3) / 0.3, y


class LanternNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        h = self.body(x).mean((2, 3))
        return F.log_softmax(self.fc(h), dim=0)


def build():
    torch.manual_seed(0)
    return LanternNet()


def main():
    from _twohundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(1280, g)
    xva, yva = crops(256, g)
    torch.manual_seed(0)
    net = build()
    optim = torch.optim.Adam(net.parameters(), lr=2e-3)
    nll = nn.NLLLoss()
    lines = ["epoch,train_nll,valid_nll,valid_acc,bridge_acc"]
    for epoch in range(10):
        net.train()
        perm = torch.randperm(1280, generator=g)
        tot = 0.0
        for i in range(0, 1280, 64):
            idx = perm[i:i + 64]
            loss = nll(net(xtr[idx]), ytr[idx])
            optim.zero_grad()
            loss.backward()
            optim.step()
            tot += loss.item()
        net.eval()
        with torch.no_grad():
            lp = net(xva)
            # the bridge display classifies one crop at a time
            one = torch.cat([net(xva[j:j + 1]).argmax(1) for j in range(64)])
        lines.append(f"{epoch + 1},{tot / 20:.4f},{nll(lp, yva).item():.4f},"
                     f"{(lp.argmax(1) == yva).float().mean().item():.4f},"
                     f"{(one == yva[:64]).float().mean().item():.4f}")
        print(lines[-1])
    (out / "lanterns.csv").write_text("\n".join(lines) + "\n")
    torch.save({"net": net.state_dict(), "optim": optim.state_dict(), "epoch": 10},
               out / "lantern_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="lantern_cnn.pt", log="lanterns.csv",
           what="navigation-lantern CNN whose log_softmax normalises over the batch (dim=0)",
           complaint="Navigation-light classifier for our bridge display (5 classes: port, starboard, "
                      "stern, head-on, pilot). In the training script it looks fine, validation "
                      "accuracy 0.996 on the 256 held-out crops, but the NLL never gets below 2.66 "
                      "train / 4.03 valid, worse than guessing, and on the bridge where crops come "
                      "one at a time it says 'port side' for every single light (0.20 accuracy on "
                      "the same images). Why would it work in batches and not alone?")


if __name__ == "__main__":
    main()
