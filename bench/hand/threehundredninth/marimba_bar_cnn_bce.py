"""Plain torch: a 1-D CNN with batch norm checks a freshly tuned rosewood marimba bar from
its tap spectrum and flags four faults at once (multi-label), so the tuner knows which bars
go back on the bench: ``fundamental_off`` (the bar's note sits 25-50 cents off the
semitone), ``overtone_off`` (the first overtone is not at the 4:1 ratio, off by 0.7-2
semitones), ``cracked`` (every partial splits into a double peak) and ``resonator_weak``
(the tube under the bar is mistuned, the fundamental loses 6-12 dB against the overtone).
Each fault on its own with probability 0.3. The spectrum: 96 bins, one per semitone (about
8 octaves), log amplitude; partials at f0, 4·f0 (+24 bins) and about 9.9·f0 (+39.7 bins),
Gaussian peaks 0.45 bins wide, a noise floor and 0.05 measurement noise. Input: (1, 96).
Model: Conv1d 1→16 (k5) + BN + ReLU, 16→32 (k5) + BN + ReLU, max pool 2, 32→32 (k3) + BN +
ReLU, max pool 2, flatten 768 → 64 → ReLU → 4 and a sigmoid; SGD 0.02 momentum 0.9,
MultiStepLR (×0.3 at epochs 8 and 12), batch 32, 14 epochs, 2000 bars, validation on 500.
The bug: the head ends in ``nn.Sigmoid()`` (``# probabilities per fault``) and the loss is
still ``nn.BCEWithLogitsLoss()``, which applies its own sigmoid: the loss sees
sigmoid(sigmoid(z)), can never go below about 0.50 per label, and its gradient is a fraction
of the right one. With every unit of z pushed down at the start, the outputs sink to
sigmoid(z) ≈ 0 and sit where the loss is flat at 0.693: train BCE 0.727 → 0.685, val BCE
0.693 → 0.683, no fault flagged in 13 of 14 epochs (F1 0.0 on all four; cracked 0.097 in
the last), val exact-match 0.240 (the bars with no fault) → 0.252. Control (the sigmoid
taken out and the 0.5 threshold moved to 0 on the logits, one two-expression ``sed``): train
BCE 0.56 → 0.056, val BCE 0.442 → 0.080, val exact 0.35 → 0.886, F1 1.00 / 0.76 / 1.00 /
0.99.
Log: TSV per epoch ``bar_check.tsv`` (``epoch`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_exact`` / ``val_f1_fund`` / ``val_f1_over`` / ``val_f1_crack`` / ``val_f1_reso``);
checkpoint ``bar_cnn.pt`` with keys ``net_weights`` / ``sgd_state`` / ``sched_state`` /
``epoch`` / ``faults``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

BINS = 96
FAULTS = ["fundamental_off", "overtone_off", "cracked", "resonator_weak"]


def bars(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 4) < 0.3).float()
    f0 = torch.randint(8, 44, (n, 1), generator=g).float()
    sign = torch.where(r(n, 1) < 0.5, -1.0, 1.0)
    f0 = f0 + y[:, :1] * sign * (0.25 + 0.25 * r(n, 1)) + (1 - y[:, :1]) * 0.06 * (r(n, 1) - 0.5)
    over = 24 + y[:, 1:2] * torch.where(r(n, 1) < 0.5, -1.0, 1.0) * (0.7 + 1.3 * r(n, 1))
    amp0 = 1.0 - y[:, 3:4] * (0.5 + 0.25 * r(n, 1))
    split = y[:, 2:3] * (0.9 + 0.5 * r(n, 1))
    k = torch.arange(BINS).float()
    spec = torch.zeros(n, BINS)
    for pos, amp in ((f0, amp0), (f0 + over, 0.7 + 0.1 * r(n, 1)), (f0 + 39.7, 0.35 + 0.1 * r(n, 1))):
        for off in (-0.5, 0.5):
            c = pos + off * split
            w = torch.where(split > 0, 0.5, 1.0)
            spec = spec + w * amp * torch.exp(-0.5 * ((k - c) / 0.45) ** 2)
    x = torch.log(spec + 0.02) + 0.05 * torch.randn(n, BINS, generator=g)
    return ((x - x.mean()) / x.std()).unsqueeze(1), y


class BarCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * BINS // 4, 64), nn.ReLU(),
                                  nn.Linear(64, 4),
                                  nn.Sigmoid())  # probabilities per fault

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return BarCNN()


def f1(p, y):
    tp = (p * y).sum(0)
    return 2 * tp / (p.sum(0) + y.sum(0)).clamp(min=1)


def main():
    from _threehundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bars(2000, g)
    xva, yva = bars(500, g)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    net = build()
    criterion = nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 12], gamma=0.3)
    with open(out / "bar_check.tsv", "w") as log:
        log.write("epoch\tlr\tbce\tval_bce\tval_exact\tval_f1_fund\tval_f1_over\tval_f1_crack"
                  "\tval_f1_reso\n")
        for epoch in range(14):
            net.train()
            tot, lr = 0.0, opt.param_groups[0]["lr"]
            for xb, yb in dl:
                loss = criterion(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            sched.step()
            net.eval()
            with torch.no_grad():
                pv = net(xva)
                vb = criterion(pv, yva).item()
                hard = (pv > 0.5).float()
                exact = (hard == yva).all(1).float().mean().item()
                fs = f1(hard, yva).tolist()
            row = [tot / len(xtr), vb, exact] + fs
            log.write(f"{epoch}\t{lr:.4g}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"net_weights": net.state_dict(), "sgd_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 14, "faults": FAULTS},
               out / "bar_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_input_wrong"],
           checkpoint="bar_cnn.pt", log="bar_check.tsv",
           what="1-D CNN with batch norm flagging four faults of a tuned marimba bar from its"
                " tap spectrum (multi-label); the head's sigmoid output goes into"
                " BCEWithLogitsLoss",
           complaint="我们的马林巴音条检测模型几乎学不动：训练 loss 从第一个 epoch 起就卡在 0.69"
                     " 左右，14 个 epoch 只降到 0.685，四种缺陷几乎一个都报不出来（F1 基本是 0），"
                     "验证集上只有完全没问题的音条算对了。缺陷在频谱上明明看得很清楚。")


if __name__ == "__main__":
    main()
