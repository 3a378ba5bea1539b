"""Plain torch: a GRU keeps a survey chainman's running correction along a taped traverse,
so the party can book the true horizontal chainage at every peg without working the four
tape corrections by hand. A traverse is 10 bays of a 30 m steel tape (standardised at 20 °C,
50 N, fully supported; 3 mm² section, E = 200 GPa, 0.25 N/m). Per bay the field book has the
taped slope length (15-30 m), the air temperature (-5 to 35 °C), the pull on the spring
balance (50-150 N), the height difference between the pegs from the level (-2 to 2 m) and
whether the tape hung in catenary (0/1). The true horizontal length follows the textbook
corrections: + 11.6e-6 (T - 20) L, + (P - 50) L / (A E), - w² L³ / (24 P²) when in catenary,
- h² / (2 L) for slope; the booked chainage is the running sum (taped and true), about
150-300 m at the end of a line; readings carry the usual field noise (±1 mm per bay).
Input: (10, 5) per traverse, standardised with the train mean / std. Target (per bay):
the running correction, true minus taped chainage, in mm / 100. Model: GRU(5→64) and a
Linear 64→1 on every step; MSE, AdamW 3e-3 (weight decay 1e-4) with ExponentialLR(0.92),
batch 40, 30 epochs, 1600 traverses, validation on 400.
The bug: the field book is held as a 16-bit table (``.half()``, as the data logger exports
it), and the running correction is worked out from the two booked chainages in that table;
at 128-256 m a half float steps in 125 mm and at 256 m and beyond in 250 mm, so the target is
the chainage rounding, not the tape corrections (a few to a few hundred mm; -320 mm on
average at the last peg): val MSE 0.67 → 0.16, val MAE 63 → 30 mm, 43 mm at the last peg
(control, the table held in double precision: val MSE 0.55 → 0.010, MAE 57 → 7.4 mm,
10.7 mm at the last peg).
Log: TSV every 20 steps ``traverse_steps.tsv`` (``step`` / ``mse``) and a separate per-epoch
TSV ``traverse_val.tsv`` (``epoch`` / ``lr`` / ``val_mse`` / ``val_mae_mm`` /
``val_mae_mm_last_peg``, named as the log in the truth); checkpoint ``traverse_gru.ckpt``
with keys ``gru`` / ``adamw`` / ``sched`` / ``epoch`` / ``feat_mean`` / ``feat_std`` /
``mm_per_unit``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BAYS = 10


def traverses(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    taped = 15 + 15 * r(n, BAYS)
    temp = (-5 + 40 * r(n, 1)) + 2 * torch.randn(n, BAYS, generator=g)
    pull = 50 + 100 * r(n, BAYS)
    dh = -2 + 4 * r(n, BAYS)
    cat = (r(n, BAYS) < 0.5).float()
    a_e = 3e-6 * 2e11
    corr = (11.6e-6 * (temp - 20) * taped + (pull - 50) * taped / a_e
            - cat * 0.25 ** 2 * taped ** 3 / (24 * pull ** 2) - dh ** 2 / (2 * taped))
    true = taped + corr + 0.001 * torch.randn(n, BAYS, generator=g)
    cols = [taped, temp, pull, dh, cat, taped.cumsum(1), true.cumsum(1)]
    book = torch.stack(cols, -1).half()  # field book as the logger exports it (16-bit)
    x = book[..., :5].float()
    y = (book[..., 6].float() - book[..., 5].float()) * 1000  # running correction, mm
    return x, y


class TraverseGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 64, batch_first=True)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return TraverseGRU()


def main():
    from _fourhundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, mmtr = traverses(1600, g)
    fva, mmva = traverses(400, g)
    mean, std = ftr.mean((0, 1)), ftr.std((0, 1))
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    ytr, yva = mmtr / 100, mmva / 100
    print("correction mm at last peg", mmtr[:, -1].mean().item(), mmtr[:, -1].std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.92)
    step = 0
    with open(out / "traverse_steps.tsv", "w") as slog, \
            open(out / "traverse_val.tsv", "w") as vlog:
        slog.write("step\tmse\n")
        vlog.write("epoch\tlr\tval_mse\tval_mae_mm\tval_mae_mm_last_peg\n")
        for epoch in range(30):
            model.train()
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 20 == 0:
                    slog.write(f"{step}\t{loss.item():.6f}\n")
                step += 1
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = (p - yva).abs() * 100
            row = [F.mse_loss(p, yva).item(), err.mean().item(), err[:, -1].mean().item()]
            vlog.write(f"{epoch}\t{lr:.6g}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"gru": model.state_dict(), "adamw": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 30, "feat_mean": mean,
                "feat_std": std, "mm_per_unit": 100.0}, out / "traverse_gru.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="traverse_gru.ckpt", log="traverse_val.tsv",
           what="GRU keeping the running tape correction along a taped survey traverse;"
                " the field book is held in float16, so the chainage-difference target is"
                " mostly rounding",
           complaint="Our GRU that books the running tape correction along a traverse"
                     " won't get better than about 30 mm mean error on the validation"
                     " traverses (43 mm at the last peg), and the loss has flattened out at"
                     " 0.16. The corrections themselves are only a few hundred mm, so that"
                     " is no use to the survey party. We tried a bigger GRU and 30 epochs"
                     " instead of 20 and it barely moved.")


if __name__ == "__main__":
    main()
