"""Plain torch: an MLP tells a drainage board whether a field ditch will overtop in a given
storm, from the figures a ditcher writes in his book when he cuts or scours it, so the men
can be sent out to the ditches at risk first. The storm's runoff into the ditch (rational
method: Q = C × i × A, the runoff coefficient C rising with how wet the ground already is)
is set against the ditch's bank-full capacity (Manning: area × R^(2/3) × √fall / n, a
trapezoid with 1:1 sides, n rising when it has not been scoured for years); it overtops when
the runoff beats the board's rule-of-thumb share (1.5 %) of that capacity, with a ±15 %
spread for weed and silt nobody wrote down.
Features as written in the book: catchment (m², 2000-60000), storm rain (mm, 5-60), storm
length (h, 1-12), ditch depth (m, 0.4-1.5), bottom width (m, 0.3-1.5), fall (m per m,
0.001-0.01), ground wetness (%, 0-100), years since scoured (0-10). About a third of the
storms overtop. Model: MLP 8→64→32→1 (ReLU, a logit); BCEWithLogitsLoss, Adam 1e-3, batch
100, 25 epochs, 3000 storms, validation on 800.
The bug: the columns go into the net as written in the book, never scaled, ``xtr, xva =
xtr.float(), xva.float()  # columns as the ditcher writes them``, the catchment in the
tens of thousands next to a fall of 0.005: train BCE 26.4 → 6.9 and never settling (2.3-21.4
per epoch, 0.62-121 per logged step), val BCE 0.67-37.9, val accuracy 0.34-0.66, the net
flipping between "every ditch overtops" (recall 1.0) and "none does" (recall 0.0, accuracy
0.661, the share that stays in its banks), 0.0 at the end (control, columns standardised with
the training mean / std in the same line: train BCE 0.644 → 0.067, val BCE 0.569 → 0.090,
val accuracy 0.70 → 0.96, overtop recall 0.11 → 0.95).
Log: TSV every 15 steps ``overtop_steps.tsv`` (``step`` / ``bce``) and a separate per-epoch
TSV ``overtop_epochs.tsv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_acc`` /
``val_recall_overtop``, named as the log in the truth); checkpoint ``overtop.pt`` with keys
``model`` / ``optimizer`` / ``epoch`` / ``columns`` / ``threshold``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["catchment_m2", "rain_mm", "storm_h", "depth_m", "width_m", "fall", "wetness_pct",
           "years_since_scoured"]


def storms(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    area = 2000 + 58000 * r(n) ** 1.5
    rain = 5 + 55 * r(n) ** 1.5
    hours = 1 + 11 * r(n)
    depth = 0.4 + 1.1 * r(n)
    width = 0.3 + 1.2 * r(n)
    fall = 0.001 + 0.009 * r(n)
    wet = 100 * r(n)
    years = torch.floor(11 * r(n))
    c = 0.15 + 0.6 * wet / 100
    q_in = c * (rain / 1000 / (hours * 3600)) * area  # m³/s
    a = depth * (width + depth)
    p = width + 2 * depth * 2 ** 0.5
    nman = 0.03 + 0.006 * years
    q_cap = a * (a / p) ** (2 / 3) * fall ** 0.5 / nman
    over = (q_in * (1 + 0.15 * torch.randn(n, generator=g)) > 0.015 * q_cap).float()
    x = torch.stack([area, rain, hours, depth, width, fall, wet, years], 1)
    return x.double(), over.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def main():
    from _threehundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = storms(3000, g)
    xva, yva = storms(800, g)
    print("overtop share", ytr.mean().item(), yva.mean().item())
    xtr, xva = xtr.float(), xva.float()  # columns as the ditcher writes them
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "overtop_steps.tsv", "w") as fs, open(out / "overtop_epochs.tsv", "w") as fe:
        fs.write("step\tbce\n")
        fe.write("epoch\ttrain_bce\tval_bce\tval_acc\tval_recall_overtop\n")
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 15 == 0:
                    fs.write(f"{step}\t{loss.item():.6f}\n")
                step += 1
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            row = [tot / len(xtr), crit(logit, yva).item(), (pred == yva).float().mean().item(),
                   (pred[yva == 1] == 1).float().mean().item()]
            fe.write(f"{epoch}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25,
                "columns": COLUMNS, "threshold": 0.5}, out / "overtop.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="overtop.pt", log="overtop_epochs.tsv",
           what="MLP flagging field ditches that will overtop in a storm; the ditching book's"
                " columns go in unscaled (catchment in m², fall in m per m)",
           complaint="Our ditch overtopping classifier will not settle. After 25 epochs the"
                     " training BCE still jumps between 2 and 21 from epoch to epoch, and the"
                     " validation accuracy flips between 0.34 and 0.66: one epoch it says every"
                     " ditch will overtop, the next it says none will. It has never done better"
                     " than 66 %, which is what you get by saying no to everything.")


if __name__ == "__main__":
    main()
