"""Plain torch: a 1-D CNN (no batch norm) reads the near-infrared spectrum of a seed lot at the
intake of a mustard mill (96 bands, 1000-2500 nm, absorbance) and names the seed: yellow
(Sinapis alba), brown (Brassica juncea), black (B. nigra) or a lot cut with rapeseed, which
the mill has to reject. Each kind has its own pair of oil / glucosinolate / hull bands (a
little shifted and scaled from lot to lot); on top come a sloping baseline from the grind, a
water band whose height follows the lot's moisture, and detector noise.
Input: (1, 96) absorbance minus the lot's mean. Four classes, cross entropy.
Model: conv 1→16 (k 7) ReLU, max-pool 2, conv 16→32 (k 5) ReLU, max-pool 2, conv 32→32 (k 3)
ReLU, global average pool → linear 32→4. Adam, batch 32, 12 epochs, 1024 lots, validation on 320.
The bug: ``torch.optim.Adam(model.parameters(), lr=0.05)  # 1e-3 crawled, bump it``.
Measured (12 epochs): step CE 1.37 → 2.14 at step 1, train CE 1.415 in epoch 0, then
1.389-1.395 (ln 4 = 1.386), val CE 1.387-1.396, val acc 0.21-0.29 (one kind for every lot),
rapeseed caught 0 or 1; the control (``lr=1e-3``) goes to train CE 0.144, val CE 0.138, val acc 0.9875
(numbers in the README table).
Log: a TSV per step ``intake_steps.tsv`` (``step`` / ``epoch`` / ``ce``) and a TSV per epoch
``intake_val.tsv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` /
``val_rapeseed_caught``), the latter named as the log in the truth; checkpoint
``seed_nir_cnn.pt`` with keys ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch`` /
``kinds`` / ``bands_nm``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

B = 96
KINDS = ("yellow", "brown", "black", "cut_with_rapeseed")
NM = torch.linspace(1000, 2500, B)
BANDS = {0: (1210, 1725, 2310), 1: (1180, 1760, 2140), 2: (1240, 1690, 2200),
         3: (1200, 1740, 2260)}


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 4, (n,), generator=g)
    centres = torch.tensor([BANDS[int(k)] for k in kind], dtype=torch.float)
    centres = centres + 12 * (r(n, 3) - 0.5)
    height = 0.3 + 0.2 * r(n, 3)
    spec = (height.unsqueeze(2) * torch.exp(-((NM - centres.unsqueeze(2)) / 45) ** 2)).sum(1)
    spec = spec + (0.1 + 0.3 * r(n, 1)) * torch.exp(-((NM - 1940) / 60) ** 2)  # water
    spec = spec + (r(n, 1) - 0.5) * 0.4 * (NM - 1750) / 750 + 0.5 * r(n, 1)
    spec = spec + 0.02 * torch.randn(n, B, generator=g)
    spec = spec - spec.mean(1, keepdim=True)
    return (spec / 0.15).unsqueeze(1), kind


class SeedCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.out = nn.Linear(32, len(KINDS))

    def forward(self, x):
        return self.out(self.f(x).mean(2))


def build():
    torch.manual_seed(0)
    return SeedCNN()


def main():
    from _threehundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lots(1024, g)
    xva, yva = lots(320, g)
    torch.manual_seed(0)
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)  # 1e-3 crawled, bump it
    step = 0
    with open(out / "intake_steps.tsv", "w") as slog, open(out / "intake_val.tsv", "w") as vlog:
        slog.write("step\tepoch\tce\n")
        vlog.write("epoch\ttrain_ce\tval_ce\tval_acc\tval_rapeseed_caught\n")
        for epoch in range(12):
            model.train()
            tot = 0.0
            for xb, yb in train_dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                slog.write(f"{step}\t{epoch}\t{loss.item():.5f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
                vl = F.cross_entropy(logit, yva).item()
                pred = logit.argmax(1)
            acc = (pred == yva).float().mean().item()
            caught = (pred[yva == 3] == 3).float().mean().item()
            row = [epoch, f"{tot / len(xtr):.5f}", f"{vl:.5f}", f"{acc:.4f}", f"{caught:.4f}"]
            vlog.write("\t".join(map(str, row)) + "\n")
            print(row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "kinds": KINDS, "bands_nm": (1000, 2500, B)},
               out / "seed_nir_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="seed_nir_cnn.pt", log="intake_val.tsv",
           what="1-D CNN naming the mustard seed kind (or a rapeseed-cut lot) from its NIR"
                " spectrum at the mill intake; Adam with lr 0.05",
           complaint="我们在芥末厂进料口用近红外光谱判断籽的品种（黄芥、褐芥、黑芥、掺了油菜籽的），"
                     "训练了12个epoch，训练loss一直停在1.39左右不动，验证准确率只有21%到29%，"
                     "基本上所有批次都被判成同一种。光谱我们画出来看过，四种的吸收峰明显不一样，"
                     "标签也核对过。是不是模型太小，或者需要更多的训练样本？")


if __name__ == "__main__":
    main()
