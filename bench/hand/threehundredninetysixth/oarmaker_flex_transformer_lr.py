"""Plain torch: a small transformer encoder grades a finished sculling oar into the three
stiffness classes rowing clubs order (soft / medium / stiff) from the oarmaker's flex test:
the oar is clamped at the collar, a 10 kg weight hangs at the blade tip, and a dial gauge on a
rail reads the deflection at 16 stations from the collar to the tip. The oar bends as a
tapered cantilever (stiffness EI set by the spruce's density and the loom diameter, the loom
tapering 10-25 % towards the blade), so the deflection rises as about s²(3L - s) with a
shape bent by the taper; the gauge is zeroed by hand, so every reading carries the same
offset (± 4 mm), and reads ± 0.3 mm. The class is the tip deflection *relative to the
collar reading* (stiff under 37 mm, soft over 43 mm, the maker's cut-offs for a 2.9 m scull).
Input: (16, 2) per oar: station position along the oar (m, 0.1-2.0) and reading / 50 mm.
Model: Linear 2→32 token embedding + learned position embedding, 2 TransformerEncoder layers
(d 32, 4 heads, feed-forward 64, pre-norm, no dropout), mean pool, Linear 32→3; cross-entropy,
Adam with 20 steps of linear warm-up, batch 32, 15 epochs, 1200 oars, validation on 300.
The bug: the learning rate is ``LR = 2e-6  # gentle rate for the attention layers``, a
thousand times below what this model needs; the loss barely moves: train CE 1.121 → 1.097,
val CE 1.116 → 1.097, val acc 0.33 (one class) every epoch (control, ``LR = 2e-3``: train CE
1.06 → 0.12, val CE 0.87 → 0.19 (best 0.12), val acc 0.57 → 0.91 (best 0.96), wobbling).
Log: CSV per epoch ``flex_epochs.csv`` (``epoch`` / ``lr`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_acc_soft``); checkpoint ``flexformer.ckpt`` with keys ``encoder_state`` /
``optim_state`` / ``warmup_state`` / ``epoch`` / ``stations_m`` / ``defl_scale_mm``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 16
LR = 2e-6  # gentle rate for the attention layers


def flex_tests(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    L = 2.0
    s = torch.linspace(0.1, L, S)
    ei = 0.85 + 0.5 * r(n, 1)  # relative to the club's medium oar
    taper = 0.10 + 0.15 * r(n, 1)
    soft_end = 1 + 3 * taper * (s / L) ** 2  # the thinner loom bends more near the blade
    shape = s ** 2 * (3 * L - s) / (2 * L ** 3) * soft_end / (1 + 3 * taper)
    defl = 44.0 * shape / ei
    tip = defl[:, -1] - defl[:, 0]
    cls = (tip >= 37).long() + (tip > 43).long()
    cls = 2 - cls  # 0 soft, 1 medium, 2 stiff
    reading = defl + 8 * (r(n, 1) - 0.5) + 0.3 * torch.randn(n, S, generator=g)
    x = torch.stack([s.expand(n, S), reading / 50.0], 2)
    return x, cls


class FlexFormer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(2, 32)
        self.pos = nn.Parameter(0.02 * torch.randn(1, S, 32))
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        h = self.encoder(self.embed(x) + self.pos)
        return self.head(h.mean(1))


def build():
    torch.manual_seed(0)
    return FlexFormer()


def main():
    from _threehundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = flex_tests(1200, g)
    xva, yva = flex_tests(300, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: min(1.0, (k + 1) / 20))
    with open(out / "flex_epochs.csv", "w") as log:
        log.write("epoch,lr,train_ce,val_ce,val_acc,val_acc_soft\n")
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                warm.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [opt.param_groups[0]["lr"], tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 0] == 0).float().mean().item()]
            log.write(f"{epoch}," + ",".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [float(f"{v:.4g}") for v in row])
    torch.save({"encoder_state": model.state_dict(), "optim_state": opt.state_dict(),
                "warmup_state": warm.state_dict(), "epoch": 15,
                "stations_m": torch.linspace(0.1, 2.0, S), "defl_scale_mm": 50.0},
               out / "flexformer.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="flexformer.ckpt", log="flex_epochs.csv",
           what="transformer encoder grading sculling oars soft / medium / stiff from a flex"
                " test's deflection readings; Adam learning rate 2e-6, far too small",
           complaint="My oar grading model does not learn. Over 15 epochs the training loss"
                     " goes from 1.121 to 1.097 and the validation loss from 1.116 to 1.097,"
                     " and validation accuracy is 0.33 in every epoch: it gives the same class"
                     " to all 300 test oars, none of the soft ones is right. The three classes"
                     " are balanced (424 / 381 / 395) and the deflection curves look right"
                     " when I plot them. Is a transformer the wrong model for 16 readings?")


if __name__ == "__main__":
    main()
