"""Plain torch: a residual MLP predicts the interword space (in points) a justified line will
get once the typesetting system has broken the paragraph, from the line's measurements, so the
composing room can flag loose lines (rivers of white) before proofs go out. Inputs: measure
(240-480 pt), natural width of the words on the line (what they take with no space, a little
short of the measure), number of interword spaces (4-14), type size (8-14 pt), tracking
(-20 to +20 thousandths of an em, applied over the line's glyph count) and the glyph count
(30-110). Rule: the leftover (measure − natural width − tracking · size · glyphs / 1000) is
shared over the spaces; what the composing step sets is that, but never below 0.2 em (it
condenses the line instead) and with a 2 % rounding wobble from the hyphenation pass.
Linear 6→64, three residual blocks (64→64-ReLU-64→64, added back), ReLU, linear 64→1; MSE on
the space in points, Adam 1e-3, batch 64, 25 epochs, 2400 lines, validation on 600.
The bug: ``prep`` passes the measurements through as they are ("all lengths already in
points, one common unit"): the inputs run from -20 to 480 and are not scaled at all.
Result: train loss 80.1 in the first epoch, then 2.62 → 0.845 with jumps (1.85 at epoch 13),
val loss 3.45 → 0.804 (3.11 at epoch 13), val MAE 1.49 → 0.70 pt.
Control (``prep`` returns ``(x - MU) / SD``, the training set's mean and std): train loss 8.78 → 0.048,
val loss 2.80 → 0.037, val MAE 1.37 → 0.146 pt.
Log: TSV per epoch ``justify_log.tsv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_mae_pt``);
checkpoint ``justify_resmlp.pt`` with keys ``model`` / ``optimizer`` / ``epoch`` / ``mu`` /
``sd``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def lines(n, g):
    measure = 240 + 240 * torch.rand(n, generator=g)
    spaces = (4 + 11 * torch.rand(n, generator=g)).floor()
    size = 8 + 6 * torch.rand(n, generator=g)
    glyphs = (30 + 81 * torch.rand(n, generator=g)).floor()
    track = -20 + 40 * torch.rand(n, generator=g)
    natural = measure - spaces * size * (0.15 + 0.5 * torch.rand(n, generator=g))
    left = measure - natural - track * size * glyphs / 1000
    space = torch.maximum(left / spaces, 0.2 * size)
    space = space * (1 + 0.02 * torch.randn(n, generator=g))
    return torch.stack([measure, natural, spaces, size, track, glyphs], 1), space


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.f(h)


class JustifyResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x))).squeeze(1)


def build():
    torch.manual_seed(0)
    return JustifyResMLP()


def main():
    from _twohundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lines(2400, g)
    xva, yva = lines(600, g)
    MU, SD = xtr.mean(0), xtr.std(0)

    def prep(x):
        return x  # all lengths already in points, one common unit

    print("space pt", ytr.min().item(), ytr.mean().item(), ytr.max().item())
    xtr, xva = prep(xtr), prep(xva)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "justify_log.tsv", "w") as f:
        f.write("epoch\tloss\tval_loss\tval_mae_pt\n")
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vl = F.mse_loss(p, yva).item()
                mae = (p - yva).abs().mean().item()
            f.write(f"{epoch}\t{tot / len(xtr):.5f}\t{vl:.5f}\t{mae:.4f}\n")
            print(epoch, round(tot / len(xtr), 4), round(vl, 4), round(mae, 4))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25,
                "mu": MU, "sd": SD}, out / "justify_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="justify_resmlp.pt", log="justify_log.tsv",
           what="residual MLP predicting a justified line's interword space for typesetting;"
                " raw point measurements fed unscaled",
           complaint="Our typesetting system breaks paragraphs and we want a small network to"
                     " predict the interword space each justified line ends up with, so loose"
                     " lines can be flagged before proofs. It trains, but after 25 epochs it is"
                     " still off by 0.7 pt on average on lines whose spaces are 4-5 pt, the"
                     " validation loss jumps up now and then (1.2 one epoch, 3.1 the next"
                     "), and the very first epoch's loss was 80. The rule behind the"
                     " spacing is simple arithmetic. Why is it this bad?")


if __name__ == "__main__":
    main()
